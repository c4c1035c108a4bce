//! The local files the crate reads and writes on the user's behalf (shared
//! config and credentials, CA bundles, token files, the SSO token cache),
//! handled as untrusted: only regular files are read, never more than a
//! cap, and what is written holds secrets, so it is the owner's alone.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

/// The most read of a profile, token or CA file: far above any real one
/// (Mozilla's whole CA bundle is ~220 KB), far below what hurts.
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// `O_NONBLOCK`, so that opening a FIFO planted where a file should be
/// returns at once instead of waiting for a writer. Regular files ignore it.
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )
))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
const O_NONBLOCK: i32 = 0x4;

/// The whole of the regular file at `path`, at most [`MAX_FILE_BYTES`].
/// A FIFO, device or directory is refused without reading it (a FIFO would
/// block forever), and a larger file is an error, not a truncated read.
pub(crate) fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    // `AWS_CONFIG_FILE=/dev/null` is the usual way to say "no file".
    if path == Path::new("/dev/null") {
        return Ok(Vec::new());
    }
    // Checked before opening (opening a FIFO can block) and after, on the
    // file actually opened, in case the path changed in between.
    check_regular(&std::fs::metadata(path)?)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(any(
        all(
            target_os = "linux",
            any(
                target_arch = "x86_64",
                target_arch = "x86",
                target_arch = "aarch64",
                target_arch = "arm",
                target_arch = "riscv64"
            )
        ),
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd"
    ))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path)?;
    check_regular(&file.metadata()?)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text.
pub(crate) fn read_regular_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_regular(path)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn check_regular(metadata: &std::fs::Metadata) -> io::Result<()> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ))
    }
}

/// Replaces `path` with `text`, readable and writable by the owner only
/// (0600, as the AWS CLI keeps its caches). The text goes to a new file
/// created exclusively under a random name beside `path`, so nothing planted
/// there (a file, a symlink) is followed or reused; then it is renamed over
/// `path`, so a reader sees the old file or the new one, never half of one.
pub(crate) fn write_private(path: &Path, text: &str) -> io::Result<()> {
    let mut nonce = [0u8; 8];
    getrandom::getrandom(&mut nonce).map_err(|e| io::Error::other(e.to_string()))?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", hex::encode(nonce)));
    let temp = path.with_file_name(temp_name);
    let written = create_private(&temp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    let result = written.and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// A new file at `path`, failing if anything (a symlink included) is there.
fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("appflow-lite-file-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reads_regular_files_and_refuses_directories_and_large_files() {
        let dir = temp_dir("read");
        let file = dir.join("small");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(read_regular_to_string(&file).unwrap(), "hello");
        assert_eq!(read_regular(Path::new("/dev/null")).unwrap(), b"");
        assert_eq!(
            read_regular(&dir).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
        let big = dir.join("big");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        assert_eq!(
            read_regular(&big).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_is_refused_at_once_instead_of_waiting_for_a_writer() {
        let dir = temp_dir("fifo");
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Without the check this call blocks forever (no writer ever comes).
        let err = read_regular(&fifo).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_writes_are_0600_and_replace_the_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("write");
        let path = dir.join("cache.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Nothing is left beside it.
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["cache.json"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_writes_never_follow_a_planted_symlink() {
        let dir = temp_dir("symlink");
        let path = dir.join("cache.json");
        std::fs::write(&path, "old").unwrap();
        let victim = dir.join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        // The names an attacker could guess today: the old fixed name and a
        // pid-based one both point at the victim.
        for guess in [
            "cache.json.tmp".to_owned(),
            format!("cache.json.tmp-{}", std::process::id()),
            format!("cache.json.json.tmp-{}", std::process::id()),
        ] {
            std::os::unix::fs::symlink(&victim, dir.join(guess)).unwrap();
        }
        write_private(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(
            !std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}

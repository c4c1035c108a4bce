//! `credential_process`: runs the profile's command and reads its JSON.
//!
//! The command is bounded: it gets [`DEFAULT_TIMEOUT`] (or
//! `APPFLOW_LITE_CREDENTIAL_PROCESS_TIMEOUT` seconds) before it is killed,
//! and at most 64 KiB of output is read, as in AWS's Java SDK; more ends it
//! at once. On Unix it runs in a process group of its own, and the whole
//! group is killed, so a helper's own children do not outlive it. Its stderr
//! is passed through to ours as it arrives, so a helper's prompt or message
//! reaches the user; the end of it is also kept for the error.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::Credentials;
use super::json::{self, Kind};

/// How long a `credential_process` may run by default.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The most output read from it.
const MAX_OUTPUT: usize = 64 * 1024;
/// How much of its stderr an error quotes (the end, where the reason is).
const STDERR_TAIL: usize = 300;

/// Runs `command` and parses its output.
///
/// On Unix the command is split into words as the AWS CLI splits it
/// (`shlex`) and run without a shell, so `;`, `|`, `$VAR` and `~` in a
/// profile mean nothing (a helper that needs a shell says `sh -c '...'`).
/// The AWS SDKs hand it to `sh -c`; the CLI's way runs only the program the
/// profile names. On Windows it goes to `cmd /C`, whose quoting `shlex`
/// does not know.
pub(crate) fn run(command: &str, timeout: Duration) -> Result<Credentials, String> {
    let mut helper = program(command)?;
    #[cfg(unix)]
    {
        // A group of its own, led by the helper, so a kill reaches its
        // children too.
        use std::os::unix::process::CommandExt;
        helper.process_group(0);
    }
    let mut child = helper
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("credential_process could not start: {e}"))?;
    let deadline = Instant::now() + timeout;
    // Stops at one byte past the cap: the pipe is then closed and the
    // helper is ended below, not waited for.
    let stdout = read_in_background(child.stdout.take(), |pipe, kept: &mut Vec<u8>| {
        let _ = pipe.take(MAX_OUTPUT as u64 + 1).read_to_end(kept);
    });
    let stderr = read_in_background(child.stderr.take(), |mut pipe, tail: &mut Vec<u8>| {
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut chunk) {
            let _ = std::io::stderr().write_all(&chunk[..n]);
            tail.extend_from_slice(&chunk[..n]);
            let excess = tail.len().saturating_sub(STDERR_TAIL);
            tail.drain(..excess);
        }
    });

    let timed_out = || {
        format!(
            "credential_process did not finish within {} s and was stopped \
             (set APPFLOW_LITE_CREDENTIAL_PROCESS_TIMEOUT to allow longer)",
            timeout.as_secs_f64()
        )
    };
    let too_much = || {
        format!(
            "credential_process printed more than {} KiB",
            MAX_OUTPUT / 1024
        )
    };
    let mut output = None;
    let status = loop {
        if output.is_none() {
            if let Ok(out) = stdout.try_recv() {
                if out.len() > MAX_OUTPUT {
                    stop(&mut child);
                    return Err(too_much());
                }
                output = Some(out);
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            _ => {
                stop(&mut child);
                return Err(timed_out());
            }
        }
    };
    // A helper's own children may hold the pipes open: wait no longer than
    // the deadline for what it printed, then end them.
    let left = || deadline.saturating_duration_since(Instant::now());
    let output = match output {
        Some(output) => output,
        None => stdout.recv_timeout(left()).unwrap_or_else(|_| {
            stop(&mut child);
            Vec::new()
        }),
    };
    // Before the status: a helper cut off at the cap dies of SIGPIPE.
    if output.len() > MAX_OUTPUT {
        stop(&mut child);
        return Err(too_much());
    }
    if !status.success() {
        // Stderr is the helper's own message; stdout may hold secrets.
        let tail = stderr.recv_timeout(left()).unwrap_or_default();
        let tail = String::from_utf8_lossy(&tail);
        return Err(format!(
            "credential_process failed ({status}): {}",
            tail.trim()
        ));
    }
    let stdout = String::from_utf8(output)
        .map_err(|_| "credential_process printed non-UTF-8 output".to_owned())?;
    json::parse(&stdout, Kind::Process).map_err(|e| format!("credential_process output: {e}"))
}

/// The program `command` names, with its arguments.
fn program(command: &str) -> Result<Command, String> {
    if cfg!(windows) {
        let mut shell = Command::new("cmd");
        shell.arg("/C").arg(command);
        return Ok(shell);
    }
    let words = crate::config::words::split(command)
        .ok_or("credential_process has an unclosed quote or a trailing backslash")?;
    let (name, args) = words.split_first().ok_or("credential_process is empty")?;
    let mut helper = Command::new(name);
    helper.args(args);
    Ok(helper)
}

/// Reads `pipe` on a thread with `read`, and hands back what it kept.
fn read_in_background<R: Read + Send + 'static>(
    pipe: Option<R>,
    read: impl FnOnce(R, &mut Vec<u8>) + Send + 'static,
) -> mpsc::Receiver<Vec<u8>> {
    let (sender, receiver) = mpsc::channel();
    if let Some(pipe) = pipe {
        thread::spawn(move || {
            let mut kept = Vec::new();
            read(pipe, &mut kept);
            let _ = sender.send(kept);
        });
    }
    receiver
}

/// Kills the helper and, on Unix, every process left in its group.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        // The group's id is the shell's pid (`process_group(0)`). Without
        // `unsafe` or a libc crate, std cannot signal a group, so `kill(1)`
        // does. SIGKILL cannot be caught.
        // `spawn` then `wait`, like the helper itself: `status()` would link
        // a second copy of std's spawn (~12 KB).
        let killer = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut killer) = killer {
            let _ = killer.wait();
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn an_endless_helper_is_stopped_at_the_timeout() {
        let started = Instant::now();
        let err = run("sleep 30", Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("did not finish within 0.3 s"), "{err}");
        // Killed, not waited for: far below the helper's 30 s.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn output_beyond_64_kib_is_refused() {
        let err = run(
            "sh -c \"head -c 100000 /dev/zero | tr '\\\\0' a\"",
            DEFAULT_TIMEOUT,
        )
        .unwrap_err();
        assert_eq!(err, "credential_process printed more than 64 KiB");
    }

    #[test]
    fn endless_output_ends_the_helper_at_once_not_at_the_timeout() {
        // `yes` never stops by itself: only the cap can end this run before
        // the (long) timeout, and the error says which ended it.
        let err = run("yes", Duration::from_secs(600)).unwrap_err();
        assert_eq!(err, "credential_process printed more than 64 KiB");
    }

    /// Whether process `pid` is gone (or a zombie waiting for its reaper).
    fn is_gone(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_timeout_kills_the_helpers_own_children_too() {
        let dir = std::env::temp_dir().join(format!("appflow-process-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pid_file = dir.join("child.pid");
        let command = format!(
            "sh -c \"sleep 1000 & echo \\$! > '{}'; wait\"",
            pid_file.display()
        );
        // Long enough that the shell has surely started `sleep` and written
        // its pid before it is stopped.
        let err = run(&command, Duration::from_secs(5)).unwrap_err();
        assert!(err.contains("did not finish"), "{err}");
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        // SIGKILL is delivered at once; its reaper may take a moment. The
        // bound only ends a broken run (the assertion then fails).
        let deadline = Instant::now() + Duration::from_secs(30);
        while !is_gone(pid) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        let gone = is_gone(pid);
        if !gone {
            let _ = Command::new("kill").args(["-KILL", pid]).status();
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(gone, "the helper's child {pid} outlived the timeout");
    }

    #[test]
    fn failures_quote_the_end_of_stderr() {
        let err = run(
            "sh -c \"printf '%0400d' 0 >&2; echo ' token expired' >&2; exit 3\"",
            DEFAULT_TIMEOUT,
        )
        .unwrap_err();
        assert!(err.ends_with("token expired"), "{err}");
        assert!(err.len() < 400, "{err}");
    }

    #[test]
    fn the_command_runs_without_a_shell_as_in_the_aws_cli() {
        let dir = std::env::temp_dir().join(format!("appflow-noshell-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let planted = dir.join("planted");
        // Through `sh -c` this would print good JSON and create the file;
        // split into words, it is one `echo` of everything after it.
        let command = format!(
            r#"echo '{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s"}}' ; touch {} $HOME"#,
            planted.display()
        );
        let err = run(&command, DEFAULT_TIMEOUT).unwrap_err();
        assert!(err.contains("credential_process output"), "{err}");
        assert!(!planted.exists());
        std::fs::remove_dir_all(&dir).unwrap();
        // Quoted words stay whole; a word with an unclosed quote is refused.
        let quoted = run(
            r#"sh -c 'echo "{\"Version\":1,\"AccessKeyId\":\"Q\",\"SecretAccessKey\":\"s\"}"'"#,
            DEFAULT_TIMEOUT,
        )
        .unwrap();
        assert_eq!(quoted.access_key_id(), "Q");
        assert!(
            run("echo 'open", DEFAULT_TIMEOUT)
                .unwrap_err()
                .contains("unclosed quote")
        );
        assert!(run("  ", DEFAULT_TIMEOUT).unwrap_err().contains("empty"));
    }

    #[test]
    fn good_output_is_read() {
        let creds = run(
            r#"echo '{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s"}'"#,
            DEFAULT_TIMEOUT,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
    }
}

//! The shared config and credentials files (`~/.aws/config`,
//! `~/.aws/credentials`), parsed by hand the way the AWS SDKs read them.
//!
//! Sections are `[profile NAME]` (or `[default]`) in config, `[NAME]` in
//! credentials, and `[services NAME]` for per-service settings. Lines are
//! `key = value`; a key with an empty value followed by indented lines opens
//! a sub-section; `#` and `;` start comments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::env::Env;

/// One profile's (or services section's) properties.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    values: HashMap<String, String>,
    subsections: HashMap<String, HashMap<String, String>>,
}

/// Values may be secrets: show the keys only.
impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut keys: Vec<&String> = self.values.keys().chain(self.subsections.keys()).collect();
        keys.sort();
        f.debug_struct("Section").field("keys", &keys).finish()
    }
}

impl Section {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn sub(&self, key: &str, inner: &str) -> Option<&str> {
        self.subsections
            .get(key)?
            .get(inner)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn merge(&mut self, other: Section) {
        self.values.extend(other.values);
        for (key, inner) in other.subsections {
            self.subsections.entry(key).or_default().extend(inner);
        }
    }
}

/// Both files, merged: the credentials file wins where they overlap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProfileFiles {
    profiles: HashMap<String, Section>,
    services: HashMap<String, Section>,
    sso_sessions: HashMap<String, Section>,
    /// The files read, for messages.
    pub sources: Vec<PathBuf>,
}

impl ProfileFiles {
    /// Reads the files `env` points at; a missing file is an empty one.
    pub fn load(env: &Env) -> Result<ProfileFiles, String> {
        let mut files = ProfileFiles::default();
        for (var, default, kind) in [
            ("AWS_CONFIG_FILE", ".aws/config", FileKind::Config),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                ".aws/credentials",
                FileKind::Credentials,
            ),
        ] {
            let Some(path) = env.path(var, default) else {
                continue;
            };
            match super::file::read_regular_to_string(&path) {
                Ok(text) => files.add(&text, kind, &path)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            }
            files.sources.push(path);
        }
        Ok(files)
    }

    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// An `[sso-session NAME]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    fn add(&mut self, text: &str, kind: FileKind, path: &Path) -> Result<(), String> {
        for (header, section) in parse(text)
            .map_err(|(line, message)| format!("{} line {line}: {message}", path.display()))?
        {
            let target = match (kind, header.split_once(char::is_whitespace)) {
                (FileKind::Config, Some(("profile", name))) => {
                    self.profiles.entry(name.trim().to_owned())
                }
                (FileKind::Config, Some(("services", name))) => {
                    self.services.entry(name.trim().to_owned())
                }
                (FileKind::Config, Some(("sso-session", name))) => {
                    self.sso_sessions.entry(name.trim().to_owned())
                }
                (FileKind::Config, _) if header == "default" => self.profiles.entry(header),
                // Other config sections (unprefixed names) are not
                // profiles; the SDKs skip them too.
                (FileKind::Config, _) => continue,
                (FileKind::Credentials, _) => self.profiles.entry(header),
            };
            target.or_default().merge(section);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum FileKind {
    Config,
    Credentials,
}

/// Parses one file into (section header, properties), or (line, problem).
fn parse(text: &str) -> Result<Vec<(String, Section)>, (usize, String)> {
    let mut sections: Vec<(String, Section)> = Vec::new();
    // The key whose value is being continued or sub-sectioned.
    let mut open_key: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            let header = strip_comment(trimmed);
            let name = header
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .ok_or_else(|| {
                    (
                        number,
                        format!("section header {header:?} has no closing ]"),
                    )
                })?;
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                return Err((number, "empty section name".into()));
            }
            sections.push((name, Section::default()));
            open_key = None;
            continue;
        }
        let Some((_, section)) = sections.last_mut() else {
            return Err((
                number,
                "expected a [section] before the first property".to_owned(),
            ));
        };
        let indented = line.starts_with([' ', '\t']);
        if indented {
            if let Some(key) = &open_key {
                if section.values.get(key).is_some_and(|v| v.is_empty()) {
                    // A sub-section line: `  inner = value`.
                    let (inner, value) = split_property(trimmed).ok_or_else(|| {
                        (
                            number,
                            "expected `key = value` (the line is not shown: it may hold a secret)"
                                .to_owned(),
                        )
                    })?;
                    section
                        .subsections
                        .entry(key.clone())
                        .or_default()
                        .insert(inner, value);
                } else if let Some(value) = section.values.get_mut(key) {
                    // A continuation of the previous value.
                    value.push('\n');
                    value.push_str(trimmed);
                }
                continue;
            }
        }
        let (key, value) = split_property(trimmed).ok_or_else(|| {
            (
                number,
                "expected `key = value` (the line is not shown: it may hold a secret)".to_owned(),
            )
        })?;
        section.values.insert(key.clone(), value);
        open_key = Some(key);
    }
    Ok(sections)
}

fn split_property(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    Some((key.to_owned(), strip_comment(value.trim()).to_owned()))
}

/// Drops a trailing ` # comment` or ` ; comment` (whitespace before it).
fn strip_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let cut = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace());
    cut.map_or(text, |i| text[..i].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(config: &str, credentials: &str) -> ProfileFiles {
        let mut files = ProfileFiles::default();
        files
            .add(config, FileKind::Config, Path::new("config"))
            .unwrap();
        files
            .add(credentials, FileKind::Credentials, Path::new("credentials"))
            .unwrap();
        files
    }

    #[test]
    fn reads_profiles_from_both_files_with_credentials_winning() {
        let f = files(
            "# comment\n[default]\nregion = us-east-1\n\n[profile dev] ; trailing\n  region=eu-west-1   # inline\naws_access_key_id = from-config\n[sso-session x]\nsso_region = a\n",
            "[dev]\naws_access_key_id = from-credentials\naws_secret_access_key=s3cr#t\n",
        );
        assert_eq!(
            f.profile("default").unwrap().get("region"),
            Some("us-east-1")
        );
        let dev = f.profile("dev").unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("aws_access_key_id"), Some("from-credentials"));
        // `#` without whitespace before it is part of the value.
        assert_eq!(dev.get("aws_secret_access_key"), Some("s3cr#t"));
        assert!(f.profile("x").is_none() && f.profile("sso-session x").is_none());
    }

    #[test]
    fn sub_sections_and_services_sections() {
        let f = files(
            "[profile local]\nservices = local-stack\ns3 =\n  addressing_style = path\n[services local-stack]\nappflow =\n  endpoint_url = http://localhost:4566\n",
            "",
        );
        let local = f.profile("local").unwrap();
        assert_eq!(local.sub("s3", "addressing_style"), Some("path"));
        assert_eq!(local.get("s3"), None);
        assert_eq!(
            f.services("local-stack")
                .unwrap()
                .sub("appflow", "endpoint_url"),
            Some("http://localhost:4566")
        );
    }

    #[test]
    fn unprefixed_config_sections_are_not_profiles() {
        let f = files("[dev]\nregion = x\n", "");
        assert!(f.profile("dev").is_none());
    }

    #[test]
    fn malformed_files_say_where() {
        for (text, expected) in [
            ("region = x\n", "line 1: expected a [section]"),
            ("[default\nregion = x\n", "line 1: section header"),
            (
                "[default]\nthis is not a property\n",
                "line 2: expected `key = value`",
            ),
            ("[]\n", "line 1: empty section name"),
        ] {
            let err = ProfileFiles::default()
                .add(text, FileKind::Config, Path::new("cfg"))
                .unwrap_err();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(err.starts_with("cfg "), "{err}");
        }
    }

    #[test]
    fn load_reads_the_files_the_environment_names() {
        let dir = std::env::temp_dir().join(format!("appflow-lite-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("cfg"), "[profile p]\nregion = ap-south-1\n").unwrap();
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", dir.join("cfg").to_str().unwrap()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("missing").to_str().unwrap(),
            ),
        ]);
        let files = ProfileFiles::load(&env).unwrap();
        assert_eq!(
            files.profile("p").unwrap().get("region"),
            Some("ap-south-1")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}

//! The shared config and credentials files (`~/.aws/config`,
//! `~/.aws/credentials`), parsed by hand the way the AWS CLI reads them
//! (botocore, on Python's `configparser`).
//!
//! Sections are `[profile NAME]` (or `[default]`) in config, `[NAME]` in
//! credentials, `[sso-session NAME]` and `[services NAME]`. Lines are
//! `key = value`; a key with an empty value followed by indented lines opens
//! a sub-section; `#` and `;` start comment lines. Where the AWS SDKs differ
//! from the CLI (the Rust SDK cuts ` # comment` off values and merges a
//! section given twice), this follows the CLI.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::env::Env;

/// One property's value: text, or the `inner = value` lines of a sub-section.
#[derive(Clone, PartialEq, Eq)]
enum Entry {
    Text(String),
    Sub(HashMap<String, String>),
}

/// One file section's properties.
type Entries = HashMap<String, Entry>;

/// One profile's (or services section's) properties, as layers: its file's
/// `[DEFAULT]` values, its own, then the credentials file's over them. A key
/// is found in the topmost layer that has it. The `[DEFAULT]` layer is shared
/// by every section of its file, never copied into each (a hostile file with
/// many of both would otherwise cost their product).
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Section {
    layers: Vec<Arc<Entries>>,
}

/// Values may be secrets: show the keys only.
impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut keys: Vec<&String> = self.layers.iter().flat_map(|l| l.keys()).collect();
        keys.sort();
        keys.dedup();
        f.debug_struct("Section").field("keys", &keys).finish()
    }
}

impl Section {
    fn entry(&self, key: &str) -> Option<&Entry> {
        self.layers.iter().rev().find_map(|layer| layer.get(key))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        match self.entry(key)? {
            Entry::Text(value) => Some(value.as_str()).filter(|v| !v.is_empty()),
            Entry::Sub(_) => None,
        }
    }

    pub fn sub(&self, key: &str, inner: &str) -> Option<&str> {
        match self.entry(key)? {
            Entry::Sub(values) => values
                .get(inner)
                .map(String::as_str)
                .filter(|v| !v.is_empty()),
            Entry::Text(_) => None,
        }
    }

    /// Lays `other` over this section: its keys win, whole (as Python's
    /// `dict.update` does, a sub-section replaces a sub-section).
    fn merge(&mut self, other: Section) {
        self.layers.extend(other.layers);
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

    /// Adds one file's sections as botocore does: in config, `[default]`,
    /// `[profile NAME]`, `[sso-session NAME]` and `[services NAME]` (a later
    /// section of the same name replaces an earlier one); in credentials,
    /// `[NAME]`, whose values are laid over the config's.
    fn add(&mut self, text: &str, kind: FileKind, path: &Path) -> Result<(), String> {
        for (header, section) in parse(text)
            .map_err(|(line, message)| format!("{} line {line}: {message}", path.display()))?
        {
            if let FileKind::Credentials = kind {
                self.profiles.entry(header).or_default().merge(section);
                continue;
            }
            if header == "default" {
                self.profiles.insert(header, section);
                continue;
            }
            let table = if header.starts_with("profile") {
                &mut self.profiles
            } else if header.starts_with("sso-session") {
                &mut self.sso_sessions
            } else if header.starts_with("services") {
                &mut self.services
            } else {
                // Other sections are not profiles; botocore skips them too.
                continue;
            };
            // `profile NAME`, split as a shell splits; any other shape
            // (`profile`, `profile a b`) names nothing.
            if let Some([_, name]) = super::words::split(&header).as_deref() {
                table.insert(name.clone(), section);
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum FileKind {
    Config,
    Credentials,
}

/// Parses one file into (section header, properties), or (line, problem),
/// the way botocore reads it: through Python's `configparser` (strict, no
/// interpolation, no inline comments), then its own sub-section step.
///
/// What that means, where other INI readers differ:
/// - `key = value` and `key: value` both work, split at the first `=` or `:`;
///   keys are lowercased, values kept whole (a `#` inside one is not a comment);
/// - a line indented deeper than its key's line continues the value (blank
///   lines inside are kept); an empty value continued this way is a
///   sub-section of `inner = value` lines;
/// - a section or key given twice in one file is an error, as is a line
///   that is neither a section, a property nor a comment;
/// - a `[DEFAULT]` section gives every other section of its file its values.
fn parse(text: &str) -> Result<Vec<(String, Section)>, (usize, String)> {
    // Each key, the line it is on, and its value a line at a time.
    type Lines = Vec<(String, usize, Vec<String>)>;
    let mut sections: Vec<(String, Lines)> = Vec::new();
    let mut defaults: Lines = Vec::new();
    // What was seen, to refuse repeats without a quadratic search.
    let mut seen_sections = HashSet::new();
    let mut seen_keys = HashSet::new();
    // Which section lines go to: none yet, `[DEFAULT]`, or `sections[i]`.
    let mut current: Option<Option<usize>> = None;
    // Whether a key is open for deeper-indented lines, and its line's indent.
    let mut open = false;
    let mut indent = 0;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let value = line.trim();
        if value.starts_with(['#', ';']) {
            continue;
        }
        let target = match current {
            Some(Some(i)) => Some(&mut sections[i].1),
            Some(None) => Some(&mut defaults),
            None => None,
        };
        let depth = line.len() - line.trim_start().len();
        if let (true, Some(lines)) = (open, target) {
            // Blank lines inside a value are kept (its end is trimmed).
            if value.is_empty() || depth > indent {
                let (_, _, value_lines) = lines.last_mut().expect("an open key");
                value_lines.push(value.to_owned());
                continue;
            }
        }
        if value.is_empty() {
            continue;
        }
        indent = depth;
        if let Some(name) = section_header(value) {
            open = false;
            if name == "DEFAULT" {
                current = Some(None);
            } else if !seen_sections.insert(name) {
                return Err((number, format!("section [{name}] appears twice")));
            } else {
                sections.push((name.to_owned(), Vec::new()));
                current = Some(Some(sections.len() - 1));
            }
            continue;
        }
        if value.starts_with('[') && split_property(value).is_none() {
            return Err((number, "a section header that is not `[name]`".to_owned()));
        }
        let Some(section) = current else {
            return Err((
                number,
                "expected a [section] before the first property".to_owned(),
            ));
        };
        let (key, value) = split_property(value).ok_or_else(|| {
            (
                number,
                "expected `key = value` (the line is not shown: it may hold a secret)".to_owned(),
            )
        })?;
        if !seen_keys.insert((section, key.clone())) {
            return Err((
                number,
                format!("property {key:?} appears twice in its section"),
            ));
        }
        let lines = match section {
            Some(i) => &mut sections[i].1,
            None => &mut defaults,
        };
        lines.push((key, number, vec![value.to_owned()]));
        open = true;
    }
    let entries = |lines: Lines| -> Result<Arc<Entries>, (usize, String)> {
        let mut entries = Entries::new();
        for (key, number, value) in lines {
            let value = value.join("\n");
            let value = value.trim_end();
            let entry = match value.strip_prefix('\n') {
                Some(nested) => Entry::Sub(sub_section(nested).ok_or_else(|| {
                    (
                        number,
                        format!("{key}: expected indented `key = value` lines"),
                    )
                })?),
                None => Entry::Text(value.to_owned()),
            };
            entries.insert(key, entry);
        }
        Ok(Arc::new(entries))
    };
    let defaults = entries(defaults)?;
    sections
        .into_iter()
        .map(|(name, lines)| {
            let layers = vec![Arc::clone(&defaults), entries(lines)?];
            Ok((name, Section { layers }))
        })
        .collect()
}

/// The name in a `[name]` line: everything between the first `[` and the
/// last `]` (what follows that is ignored, as configparser ignores it).
fn section_header(line: &str) -> Option<&str> {
    let name = line.strip_prefix('[')?;
    let end = name.rfind(']')?;
    Some(&name[..end]).filter(|name| !name.is_empty())
}

/// `key = value` or `key: value`, split at whichever comes first; the key
/// lowercased, both trimmed.
fn split_property(line: &str) -> Option<(String, &str)> {
    let at = line.find(['=', ':'])?;
    let key = line[..at].trim();
    if key.is_empty() {
        return None;
    }
    // Python lowercases all of Unicode; the keys the CLI knows are ASCII.
    Some((key.to_ascii_lowercase(), line[at + 1..].trim()))
}

/// A sub-section's `inner = value` lines (split at `=` only, keys as
/// written), or `None` when a line has no `=`.
fn sub_section(text: &str) -> Option<HashMap<String, String>> {
    let mut inner = HashMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once('=')?;
        inner.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Some(inner)
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

    /// A section as botocore's JSON shows it: values as text, sub-sections
    /// as objects, upper layers over lower ones.
    fn as_json(section: &Section) -> serde_json::Value {
        let mut object = serde_json::Map::new();
        for (key, entry) in section.layers.iter().flat_map(|layer| layer.iter()) {
            let value = match entry {
                Entry::Text(text) => text.clone().into(),
                Entry::Sub(inner) => inner
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone())))
                    .collect(),
            };
            object.insert(key.clone(), value);
        }
        serde_json::Value::Object(object)
    }

    fn table_as_json(table: &HashMap<String, Section>) -> serde_json::Value {
        let sections = table.iter().map(|(name, s)| (name.clone(), as_json(s)));
        serde_json::Value::Object(sections.collect())
    }

    /// Every case of `scripts/botocore_profile_fixtures.py`: the same
    /// profiles, sso-sessions and services as botocore (the AWS CLI) finds,
    /// and a refusal where it refuses the file.
    #[test]
    fn reads_files_as_the_aws_cli_reads_them() {
        let fixtures: serde_json::Value =
            serde_json::from_str(include_str!("botocore_profiles.json")).unwrap();
        let cases = fixtures["cases"].as_array().unwrap();
        assert!(cases.len() >= 30);
        for case in cases {
            let (config, credentials) = (
                case["config"].as_str().unwrap(),
                case["credentials"].as_str().unwrap(),
            );
            let mut files = ProfileFiles::default();
            let read = files
                .add(config, FileKind::Config, Path::new("config"))
                .and_then(|()| {
                    files.add(credentials, FileKind::Credentials, Path::new("credentials"))
                });
            if case["error"] == true {
                assert!(
                    read.is_err(),
                    "botocore refuses {config:?} / {credentials:?}"
                );
                continue;
            }
            read.unwrap_or_else(|e| panic!("{config:?} / {credentials:?}: {e}"));
            for (ours, theirs) in [
                (&files.profiles, "profiles"),
                (&files.sso_sessions, "sso_sessions"),
                (&files.services, "services"),
            ] {
                assert_eq!(
                    table_as_json(ours),
                    case[theirs],
                    "{theirs} of {config:?} / {credentials:?}"
                );
            }
        }
    }

    #[test]
    fn default_values_are_shared_not_copied_into_each_section() {
        let text = "[DEFAULT]\nregion = r\n[profile a]\n[profile b]\noutput = json\n";
        let mut files = ProfileFiles::default();
        files
            .add(text, FileKind::Config, Path::new("config"))
            .unwrap();
        let (a, b) = (files.profile("a").unwrap(), files.profile("b").unwrap());
        assert_eq!((a.get("region"), b.get("region")), (Some("r"), Some("r")));
        assert!(Arc::ptr_eq(&a.layers[0], &b.layers[0]));
    }

    #[test]
    fn errors_name_the_line_and_never_show_a_value() {
        let err = ProfileFiles::default()
            .add(
                "[default]\naws_secret_access_key = s3cr3t\nthis line s3cr3t\n",
                FileKind::Credentials,
                Path::new("credentials"),
            )
            .unwrap_err();
        assert!(
            err.starts_with("credentials line 3: expected `key = value`"),
            "{err}"
        );
        assert!(!err.contains("s3cr3t"), "{err}");
        let twice = ProfileFiles::default()
            .add(
                "[default]\nregion = a\nRegion = b\n",
                FileKind::Config,
                Path::new("config"),
            )
            .unwrap_err();
        assert_eq!(
            twice,
            "config line 3: property \"region\" appears twice in its section"
        );
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
            (
                "[default\nregion = x\n",
                "line 1: a section header that is not `[name]`",
            ),
            (
                "[default]\nthis is not a property\n",
                "line 2: expected `key = value`",
            ),
            ("[]\n", "line 1: a section header that is not `[name]`"),
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

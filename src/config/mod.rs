//! Settings that come from outside the program: region, endpoint, flags.

mod client_config;
// Public for the tests that run AWS's endpoint cases; not part of the API.
#[doc(hidden)]
pub mod endpoint;
mod env;
pub(crate) mod file;
pub(crate) mod profile;
pub(crate) mod words;

pub use client_config::{
    BehaviorVersion, Config, ConfigBuilder, Region, TimeoutConfig, TimeoutConfigBuilder,
};
pub use env::Env;

/// The SDK's `config::Credentials`: fixed credentials.
pub use crate::credentials::Credentials;

/// The SDK's `config::retry`.
pub mod retry {
    pub use crate::retry::RetryConfig;
}

/// The SDK's `config::timeout`.
pub mod timeout {
    pub use super::client_config::{TimeoutConfig, TimeoutConfigBuilder};
}

use crate::error::Error;
use profile::{ProfileFiles, Section};

/// What the environment and the selected profile say, before the builder's
/// own settings are laid over it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub use_fips: Option<bool>,
    pub use_dual_stack: Option<bool>,
    pub max_attempts: Option<u32>,
    pub retry_mode: Option<String>,
    pub ca_bundle: Option<std::path::PathBuf>,
}

impl Settings {
    /// Reads `env` and the shared `files` for `profile` (else `AWS_PROFILE`,
    /// else `default`), environment first, as the AWS CLI does.
    pub fn resolve(
        env: &Env,
        files: &ProfileFiles,
        profile: Option<&str>,
    ) -> Result<Settings, Error> {
        if let Some(name) = missing_profile_in(env, files, profile) {
            return Err(Error::InvalidConfig(not_found(&name)));
        }
        let name = env.profile_or_default(profile);
        let empty = Section::default();
        let profile = files.profile(&name).unwrap_or(&empty);
        let text = |key: &str| profile.get(key).map(str::to_owned);
        let flag = |var: &str, key: &str| {
            env.flag(var)
                .or_else(|| profile.get(key).map(|v| v.eq_ignore_ascii_case("true")))
        };

        let ignore_endpoints = flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        )
        .unwrap_or(false);
        let endpoint_url = if ignore_endpoints {
            None
        } else {
            let services = profile.get("services").and_then(|s| files.services(s));
            env.get("AWS_ENDPOINT_URL_APPFLOW")
                .or_else(|| env.get("AWS_ENDPOINT_URL"))
                .or_else(|| {
                    services
                        .and_then(|s| s.sub("appflow", "endpoint_url"))
                        .map(str::to_owned)
                })
                .or_else(|| text("endpoint_url"))
        };
        let max_attempts = match env.get("AWS_MAX_ATTEMPTS").or_else(|| text("max_attempts")) {
            None => None,
            Some(value) => match value.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    return Err(Error::InvalidConfig(format!(
                        "max attempts must be a whole number of at least 1, not {value:?}"
                    )));
                }
            },
        };
        Ok(Settings {
            region: env
                .get("AWS_REGION")
                .or_else(|| env.get("AWS_DEFAULT_REGION"))
                .or_else(|| text("region")),
            endpoint_url,
            use_fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
            max_attempts,
            retry_mode: env.get("AWS_RETRY_MODE").or_else(|| text("retry_mode")),
            ca_bundle: env.ca_bundle(profile.get("ca_bundle")),
        })
    }
}

/// The name of a profile selected by name (`profile`, else `AWS_PROFILE`)
/// that neither shared file has. The AWS CLI refuses to run then, even with
/// keys in the environment; `default` is only optional when nobody named it.
pub fn missing_profile(env: &Env, profile: Option<&str>) -> Result<Option<String>, Error> {
    let files = ProfileFiles::load(env).map_err(Error::config)?;
    Ok(missing_profile_in(env, &files, profile))
}

fn missing_profile_in(env: &Env, files: &ProfileFiles, profile: Option<&str>) -> Option<String> {
    let name = profile.map(str::to_owned).or_else(|| env.profile())?;
    files.profile(&name).is_none().then_some(name)
}

/// The AWS CLI's sentence for a missing profile.
fn not_found(name: &str) -> String {
    format!("The config profile ({name}) could not be found")
}

/// A setting of the selected profile (`profile`, else `AWS_PROFILE`, else
/// `default`) in the shared files `env` points at, for tools that keep
/// settings of their own there, as the AWS CLI keeps `output` and
/// `cli_timestamp_format`. `None` when the files or the key are missing.
pub fn profile_setting(
    env: &Env,
    profile: Option<&str>,
    key: &str,
) -> Result<Option<String>, Error> {
    let files = ProfileFiles::load(env).map_err(Error::config)?;
    let name = env.profile_or_default(profile);
    Ok(files
        .profile(&name)
        .and_then(|section| section.get(key))
        .map(str::to_owned))
}

/// A region is a DNS label: it becomes part of the host name.
pub(crate) fn is_valid_region(region: &str) -> bool {
    (1..=63).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// `url` fit to show in an error or `Debug`: user information
/// (`user:password@`) is replaced by `***`.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// Checks an endpoint URL's shape: `http(s)://host[:port][/path]`, no query.
pub(crate) fn check_endpoint_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("endpoint URL {url:?} must start with https:// or http://"))?;
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        // Not quoted: user information may hold a password.
        return Err("the endpoint URL must not carry user information (user@host)".to_owned());
    }
    if authority.is_empty() || authority.contains([' ', '?', '#']) || rest.contains(['?', '#']) {
        return Err(format!(
            "endpoint URL {url:?} is not a plain http(s)://host[:port][/path] URL"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_shown_lose_their_user_information() {
        assert_eq!(
            redact_url("http://user:pass@proxy:3128/x"),
            "http://***@proxy:3128/x"
        );
        assert_eq!(redact_url("https://a@b@host/p@q"), "https://***@host/p@q");
        assert_eq!(
            redact_url("http://host:80/x?u=a@b"),
            "http://host:80/x?u=a@b"
        );
        assert_eq!(redact_url(":@evil.example/x"), "***@evil.example/x");
        assert_eq!(redact_url("plain"), "plain");
    }

    fn settings(
        vars: &[(&str, &str)],
        config: &str,
        profile: Option<&str>,
    ) -> Result<Settings, Error> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("appflow-lite-settings-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config");
        std::fs::write(&file, config).unwrap();
        let mut all: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        all.push((
            "AWS_CONFIG_FILE".into(),
            file.to_string_lossy().into_owned(),
        ));
        all.push((
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            dir.join("none").to_string_lossy().into_owned(),
        ));
        let env = Env::from_vars(all);
        let result = ProfileFiles::load(&env)
            .map_err(Error::InvalidConfig)
            .and_then(|files| Settings::resolve(&env, &files, profile));
        let _ = std::fs::remove_dir_all(dir);
        result
    }

    #[test]
    fn environment_wins_over_the_profile() {
        let config =
            "[default]\nregion = eu-west-1\nmax_attempts = 5\nendpoint_url = http://profile\n";
        let s = settings(
            &[
                ("AWS_DEFAULT_REGION", "ap-south-1"),
                ("AWS_REGION", "us-west-2"),
            ],
            config,
            None,
        )
        .unwrap();
        assert_eq!(s.region.as_deref(), Some("us-west-2"));
        assert_eq!(
            settings(&[("AWS_DEFAULT_REGION", "ap-south-1")], config, None)
                .unwrap()
                .region
                .as_deref(),
            Some("ap-south-1")
        );
        let s = settings(&[], config, None).unwrap();
        assert_eq!(
            (
                s.region.as_deref(),
                s.max_attempts,
                s.endpoint_url.as_deref()
            ),
            (Some("eu-west-1"), Some(5), Some("http://profile"))
        );
        assert_eq!(
            settings(&[("AWS_MAX_ATTEMPTS", "9")], config, None)
                .unwrap()
                .max_attempts,
            Some(9)
        );
        assert!(matches!(
            settings(&[("AWS_MAX_ATTEMPTS", "0")], config, None),
            Err(Error::InvalidConfig(_))
        ));
    }

    #[test]
    fn endpoint_url_precedence() {
        let config = "[profile p]\nendpoint_url = http://global\nservices = s\n[services s]\nappflow =\n  endpoint_url = http://service\n";
        let pick = |vars: &[(&str, &str)]| settings(vars, config, Some("p")).unwrap().endpoint_url;
        assert_eq!(pick(&[]).as_deref(), Some("http://service"));
        assert_eq!(
            pick(&[("AWS_ENDPOINT_URL", "http://a")]).as_deref(),
            Some("http://a")
        );
        assert_eq!(
            pick(&[
                ("AWS_ENDPOINT_URL", "http://a"),
                ("AWS_ENDPOINT_URL_APPFLOW", "http://b")
            ])
            .as_deref(),
            Some("http://b")
        );
        assert_eq!(
            pick(&[
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ("AWS_ENDPOINT_URL", "http://a")
            ]),
            None
        );
    }

    #[test]
    fn a_profile_named_but_missing_is_a_configuration_error() {
        let config = "[default]\nregion = eu-west-1\n";
        for (vars, profile) in [
            (&[][..], Some("nosuch")),
            (&[("AWS_PROFILE", "nosuch")][..], None),
        ] {
            match settings(vars, config, profile) {
                Err(Error::InvalidConfig(message)) => {
                    assert_eq!(message, "The config profile (nosuch) could not be found")
                }
                other => panic!("{other:?}"),
            }
        }
        // Unnamed, a missing `default` is no error; named, it is one.
        assert!(settings(&[], "", None).is_ok());
        assert!(settings(&[("AWS_PROFILE", "default")], "", None).is_err());
    }

    #[test]
    fn the_profile_is_chosen_by_argument_then_aws_profile() {
        let config = "[default]\nregion = r-default\n[profile a]\nregion = r-a\n[profile b]\nregion = r-b\nuse_fips_endpoint = true\n";
        assert_eq!(
            settings(&[], config, None).unwrap().region.as_deref(),
            Some("r-default")
        );
        assert_eq!(
            settings(&[("AWS_PROFILE", "a")], config, None)
                .unwrap()
                .region
                .as_deref(),
            Some("r-a")
        );
        let b = settings(&[("AWS_PROFILE", "a")], config, Some("b")).unwrap();
        assert_eq!((b.region.as_deref(), b.use_fips), (Some("r-b"), Some(true)));
        // AWS CLI v2 also reads AWS_DEFAULT_PROFILE, after AWS_PROFILE.
        let region = |vars: &[(&str, &str)]| settings(vars, config, None).unwrap().region;
        assert_eq!(
            region(&[("AWS_DEFAULT_PROFILE", "b")]).as_deref(),
            Some("r-b")
        );
        assert_eq!(
            region(&[("AWS_DEFAULT_PROFILE", "b"), ("AWS_PROFILE", "a")]).as_deref(),
            Some("r-a")
        );
        assert!(settings(&[("AWS_DEFAULT_PROFILE", "nosuch")], config, None).is_err());
    }

    #[test]
    fn regions_must_be_host_labels() {
        assert!(is_valid_region("us-east-1"));
        for bad in [
            "",
            "us east",
            "us-east-1/evil",
            "-x",
            "x.y",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_region(bad), "{bad:?}");
        }
    }

    #[test]
    fn endpoint_urls_are_checked() {
        assert!(check_endpoint_url("http://127.0.0.1:8080").is_ok());
        assert!(check_endpoint_url("https://example.com/prefix/").is_ok());
        for bad in [
            "example.com",
            "ftp://x",
            "http://",
            "http://u@h",
            "http://h/?q=1",
        ] {
            assert!(check_endpoint_url(bad).is_err(), "{bad:?}");
        }
        let err = check_endpoint_url("http://user:hunter2@host").unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
    }
}

//! Settings that come from outside the program: region, endpoint, flags.

pub mod endpoint;

/// The settings the AWS SDKs read from the environment, looked up through
/// `var` so tests need not touch the real environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EnvSettings {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub use_fips: Option<bool>,
    pub use_dual_stack: Option<bool>,
}

impl EnvSettings {
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let flag = |name: &str| var(name).map(|v| v.eq_ignore_ascii_case("true"));
        let ignore_endpoints = flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").unwrap_or(false);
        EnvSettings {
            region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
            endpoint_url: if ignore_endpoints {
                None
            } else {
                var("AWS_ENDPOINT_URL_APPFLOW").or_else(|| var("AWS_ENDPOINT_URL"))
            },
            use_fips: flag("AWS_USE_FIPS_ENDPOINT"),
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT"),
        }
    }

    pub fn from_process() -> Self {
        EnvSettings::read(|name| std::env::var(name).ok())
    }
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

/// Checks an endpoint URL's shape: `http(s)://host[:port][/path]`, no query.
pub(crate) fn check_endpoint_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("endpoint URL {url:?} must start with https:// or http://"))?;
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() || authority.contains(['@', ' ', '?', '#']) || rest.contains(['?', '#'])
    {
        return Err(format!(
            "endpoint URL {url:?} is not a plain http(s)://host[:port][/path] URL"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> EnvSettings {
        EnvSettings::read(|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn region_and_endpoint_follow_the_sdks_precedence() {
        let e = env(&[
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_REGION", "us-west-2"),
        ]);
        assert_eq!(e.region.as_deref(), Some("us-west-2"));
        assert_eq!(
            env(&[("AWS_DEFAULT_REGION", "eu-west-1")])
                .region
                .as_deref(),
            Some("eu-west-1")
        );
        let e = env(&[
            ("AWS_ENDPOINT_URL", "http://a"),
            ("AWS_ENDPOINT_URL_APPFLOW", "http://b"),
        ]);
        assert_eq!(e.endpoint_url.as_deref(), Some("http://b"));
        let e = env(&[
            ("AWS_ENDPOINT_URL", "http://a"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(e.endpoint_url, None);
        let e = env(&[
            ("AWS_USE_FIPS_ENDPOINT", "TRUE"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
        ]);
        assert_eq!((e.use_fips, e.use_dual_stack), (Some(true), Some(false)));
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
    }
}

//! Environment variables as the client sees them: the process's, or a fixed
//! set (for tests, or for programs that configure clients from elsewhere).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where settings such as `AWS_REGION` are read from.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process's environment, read at each lookup.
    pub fn real() -> Env {
        Env { fixed: None }
    }

    /// Only these variables, whatever the process has.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            fixed: Some(Arc::new(vars)),
        }
    }

    /// A variable's value, trimmed; unset and blank are the same.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    /// The profile the environment names: `AWS_PROFILE`, else
    /// `AWS_DEFAULT_PROFILE` (which AWS CLI v2 still reads; the SDKs do not).
    pub(crate) fn profile(&self) -> Option<String> {
        self.get("AWS_PROFILE")
            .or_else(|| self.get("AWS_DEFAULT_PROFILE"))
    }

    /// The profile in use: `explicit` (the builder's or `--profile`), else
    /// the one the environment names, else `default`.
    pub(crate) fn profile_or_default(&self, explicit: Option<&str>) -> String {
        explicit
            .map(str::to_owned)
            .or_else(|| self.profile())
            .unwrap_or_else(|| "default".to_owned())
    }

    /// A `true`/`false` variable; anything else counts as unset.
    pub(crate) fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The proxy for requests to `url`, as the AWS CLI picks it:
    /// `HTTPS_PROXY` for `https` URLs, `HTTP_PROXY` for `http` ones (either
    /// case), none when the host matches `NO_PROXY` (`*`, a host, a
    /// `.domain` or `domain` suffix, an IP address, each optionally with
    /// `:port`, which then must be the URL's explicit port too, as in
    /// botocore).
    pub(crate) fn proxy_for(&self, url: &str) -> Option<String> {
        let var = |name: &str| {
            self.get(name)
                .or_else(|| self.get(&name.to_ascii_lowercase()))
        };
        // Parsed as the HTTP client will parse it, user information and all.
        let uri: ureq::http::Uri = url.parse().ok()?;
        let proxy = if uri.scheme_str()?.eq_ignore_ascii_case("https") {
            var("HTTPS_PROXY")
        } else {
            var("HTTP_PROXY")
        }?;
        let host = uri
            .host()?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        // `host:port` as the URL wrote it, for entries that name a port.
        let host_port = uri.port_u16().map(|port| format!("{host}:{port}"));
        let matches =
            |name: &str, entry: &str| name == entry || name.ends_with(&format!(".{entry}"));
        let bypassed = var("NO_PROXY").is_some_and(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .any(|entry| {
                    let entry = entry.trim_start_matches('.').to_ascii_lowercase();
                    entry == "*"
                        || matches(&host, &entry)
                        || host_port.as_deref().is_some_and(|hp| matches(hp, &entry))
                })
        });
        (!bypassed).then_some(proxy)
    }

    /// The home directory, for `~/.aws/...`.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// The CA bundle to trust instead of the bundled roots: `AWS_CA_BUNDLE`,
    /// else the profile's `ca_bundle` (given here), `~/` expanded.
    pub(crate) fn ca_bundle(&self, profile_value: Option<&str>) -> Option<PathBuf> {
        let raw = self
            .get("AWS_CA_BUNDLE")
            .or_else(|| profile_value.map(str::to_owned))?;
        match raw.strip_prefix("~/") {
            Some(rest) => Some(self.home()?.join(rest)),
            None => Some(PathBuf::from(raw)),
        }
    }

    /// A path from `var`, else `default` under the home directory; a leading
    /// `~/` is expanded.
    pub(crate) fn path(&self, var: &str, default: &str) -> Option<PathBuf> {
        let raw = self.get(var).unwrap_or_else(|| format!("~/{default}"));
        match raw.strip_prefix("~/").or_else(|| raw.strip_prefix("~\\")) {
            Some(rest) => Some(self.home()?.join(rest)),
            None => Some(PathBuf::from(raw)),
        }
    }
}

/// Values may be secrets; show only which source this is.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.fixed.is_some() {
            "Env(fixed)"
        } else {
            "Env(process)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_follow_the_scheme_and_no_proxy() {
        let env = Env::from_vars([
            ("HTTPS_PROXY", "http://secure-proxy:3128"),
            ("http_proxy", "http://plain-proxy:3128"),
            ("NO_PROXY", "localhost, .internal.example,10.0.0.1"),
        ]);
        let https = "https://appflow.us-east-1.amazonaws.com";
        assert_eq!(
            env.proxy_for(https).as_deref(),
            Some("http://secure-proxy:3128")
        );
        assert_eq!(
            env.proxy_for("http://example.com/x").as_deref(),
            Some("http://plain-proxy:3128")
        );
        for bypassed in [
            "http://localhost:8080",
            "https://a.internal.example/x",
            "https://internal.example",
            "http://10.0.0.1:80",
            "http://user@localhost/",
        ] {
            assert_eq!(env.proxy_for(bypassed), None, "{bypassed}");
        }
        assert!(env.proxy_for("https://notinternal.example").is_some());
        assert_eq!(
            Env::from_vars([("NO_PROXY", "*"), ("HTTPS_PROXY", "http://p")]).proxy_for(https),
            None
        );
        assert_eq!(Env::from_vars::<&str, &str>([]).proxy_for(https), None);
    }

    #[test]
    fn no_proxy_entries_with_a_port_match_that_port_only() {
        let env = Env::from_vars([
            ("HTTP_PROXY", "http://proxy:3128"),
            ("HTTPS_PROXY", "http://proxy:3128"),
            (
                "NO_PROXY",
                "127.0.0.1:8080,sts.local:8443,.corp.example:9000",
            ),
        ]);
        for bypassed in [
            "http://127.0.0.1:8080/x",
            "https://sts.local:8443",
            "https://a.corp.example:9000/",
        ] {
            assert_eq!(env.proxy_for(bypassed), None, "{bypassed}");
        }
        for proxied in [
            "http://127.0.0.1:8081/x",
            "http://127.0.0.1/x",
            "https://sts.local",
            "https://a.corp.example:9001/",
        ] {
            assert!(env.proxy_for(proxied).is_some(), "{proxied}");
        }
    }

    #[test]
    fn fixed_vars_are_trimmed_and_blank_is_unset() {
        let env = Env::from_vars([("A", " x "), ("B", "  "), ("F", "TRUE"), ("G", "yes")]);
        assert_eq!(env.get("A").as_deref(), Some("x"));
        assert_eq!(env.get("B"), None);
        assert_eq!(env.get("MISSING"), None);
        assert_eq!((env.flag("F"), env.flag("G")), (Some(true), None));
        assert_eq!(format!("{env:?}"), "Env(fixed)");
    }

    #[test]
    fn paths_expand_the_home_directory() {
        let env = Env::from_vars([("HOME", "/home/me"), ("AWS_CONFIG_FILE", "~/custom/config")]);
        assert_eq!(
            env.path("AWS_CONFIG_FILE", ".aws/config"),
            Some(PathBuf::from("/home/me/custom/config"))
        );
        assert_eq!(
            env.path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials"),
            Some(PathBuf::from("/home/me/.aws/credentials"))
        );
        assert_eq!(
            Env::from_vars::<&str, &str>([]).path("X", ".aws/config"),
            None
        );
    }
}

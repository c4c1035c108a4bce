//! EC2 instance metadata, as the AWS CLI reaches it: a session token first
//! (IMDSv2), and without one (a 403, 404 or 405, a timeout: an old service,
//! or a container one network hop too far for the token's answer) the same
//! requests without it (IMDSv1), unless the settings turn that off.

use std::time::Duration;

use super::Credentials;
use super::json::{self, Kind};
use super::metadata::MetadataClient;
use crate::config::Env;
use crate::config::profile::Section;

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
/// Short, so a laptop with no instance metadata does not hang (botocore's
/// default too).
const DEFAULT_TIMEOUT_SECS: u64 = 1;
const TOKEN_TTL_SECONDS: &str = "21600";

pub(crate) struct Imds {
    endpoint: String,
    client: MetadataClient,
    /// Tries per request (`metadata_service_num_attempts`).
    attempts: u32,
    /// No IMDSv1 fallback (`ec2_metadata_v1_disabled`).
    v1_disabled: bool,
}

impl Imds {
    /// The metadata service as the environment, then `profile`, configure
    /// it; `None` when `AWS_EC2_METADATA_DISABLED=true`.
    pub fn new(env: &Env, profile: Option<&Section>) -> Result<Option<Imds>, String> {
        if env.flag("AWS_EC2_METADATA_DISABLED") == Some(true) {
            return Ok(None);
        }
        let setting = |var: &str, key: &str| {
            env.get(var)
                .or_else(|| profile?.get(key).map(str::to_owned))
        };
        let flag = |var: &str, key: &str| {
            setting(var, key).is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        let number = |var: &str, key: &str, default: u64| match setting(var, key) {
            None => Ok(default),
            Some(text) => text
                .parse::<u64>()
                .map_err(|_| format!("{key} must be a whole number, not {text:?}")),
        };
        let ipv6 = match setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "ec2_metadata_service_endpoint_mode",
        ) {
            Some(mode) if mode.eq_ignore_ascii_case("ipv6") => true,
            Some(mode) if mode.eq_ignore_ascii_case("ipv4") => false,
            Some(mode) => {
                return Err(format!(
                    "ec2_metadata_service_endpoint_mode must be IPv4 or IPv6, not {mode:?}"
                ));
            }
            None => flag("AWS_IMDS_USE_IPV6", "imds_use_ipv6"),
        };
        // A custom endpoint wins over the mode, as in botocore.
        let endpoint = match setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ) {
            Some(url) => {
                let host = url
                    .strip_prefix("http://")
                    .or_else(|| url.strip_prefix("https://"));
                if host.is_none_or(str::is_empty) {
                    return Err(format!(
                        "ec2_metadata_service_endpoint {} is not an http(s) URL",
                        crate::config::redact_url(&url)
                    ));
                }
                url.trim_end_matches('/').to_owned()
            }
            None if ipv6 => IPV6_ENDPOINT.to_owned(),
            None => IPV4_ENDPOINT.to_owned(),
        };
        let timeout = number(
            "AWS_METADATA_SERVICE_TIMEOUT",
            "metadata_service_timeout",
            DEFAULT_TIMEOUT_SECS,
        )?;
        let attempts = number(
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "metadata_service_num_attempts",
            1,
        )?;
        Ok(Some(Imds {
            endpoint,
            client: MetadataClient::new(Duration::from_secs(timeout)),
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            v1_disabled: flag("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"),
        }))
    }

    /// The endpoint for messages, without user information (a password).
    pub fn endpoint(&self) -> String {
        crate::config::redact_url(&self.endpoint)
    }

    /// The instance role's temporary credentials.
    pub fn credentials(&self) -> Result<Credentials, String> {
        let token = self.token()?;
        let roles = self.get(
            "/latest/meta-data/iam/security-credentials/",
            token.as_deref(),
        )?;
        let role = roles
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .ok_or("the instance has no IAM role")?;
        let document = self.get(
            &format!("/latest/meta-data/iam/security-credentials/{role}"),
            token.as_deref(),
        )?;
        json::parse(&document, Kind::Endpoint)
            .map_err(|e| format!("instance metadata credentials: {e}"))
    }

    /// The instance's region.
    pub fn region(&self) -> Result<String, String> {
        let token = self.token()?;
        Ok(self
            .get("/latest/meta-data/placement/region", token.as_deref())?
            .trim()
            .to_owned())
    }

    /// An IMDSv2 session token, or `None` to go on without one: the
    /// service refused tokens (403, 404, 405) or never gave one.
    fn token(&self) -> Result<Option<String>, String> {
        let url = format!("{}/latest/api/token", self.endpoint);
        for _ in 0..self.attempts {
            let answer = self.client.send_once(
                "PUT",
                &url,
                &[("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)],
            );
            match answer {
                Ok(answer) if answer.status == 200 => {
                    let token = answer.body.trim();
                    return Ok((!token.is_empty()).then(|| token.to_owned()));
                }
                Ok(answer) if (403..=405).contains(&answer.status) => return Ok(None),
                Ok(answer) if answer.status == 400 => {
                    return Err(format!(
                        "{} refused the token request (HTTP 400)",
                        crate::config::redact_url(&url)
                    ));
                }
                // Anything else (a 5xx, no answer) is tried again.
                _ => {}
            }
        }
        Ok(None)
    }

    fn get(&self, path: &str, token: Option<&str>) -> Result<String, String> {
        if token.is_none() && self.v1_disabled {
            return Err(
                "no IMDSv2 session token, and IMDSv1 is disabled (ec2_metadata_v1_disabled)"
                    .to_owned(),
            );
        }
        let url = format!("{}{path}", self.endpoint);
        let headers: Vec<(&str, &str)> = token
            .map(|t| ("x-aws-ec2-metadata-token", t))
            .into_iter()
            .collect();
        let mut failure = format!("{} was not tried", crate::config::redact_url(&url));
        for _ in 0..self.attempts {
            match self.client.send_once("GET", &url, &headers) {
                Ok(answer) if answer.status == 200 && !answer.body.is_empty() => {
                    return Ok(answer.body);
                }
                Ok(answer) => {
                    failure = format!(
                        "{} answered HTTP {}{}",
                        crate::config::redact_url(&url),
                        answer.status,
                        if answer.status == 200 {
                            " with no body"
                        } else {
                            ""
                        }
                    );
                }
                Err(e) => failure = e,
            }
        }
        Err(failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Imds::new` for `vars` and a config file holding `config`.
    fn imds(vars: &[(&str, &str)], config: &str) -> Result<Option<Imds>, String> {
        // One directory per call: tests run in parallel.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("appflow-lite-imds-{}-{call}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), config).unwrap();
        let path = dir.join("config");
        let mut all = vec![("AWS_CONFIG_FILE", path.to_str().unwrap())];
        all.extend_from_slice(vars);
        let env = Env::from_vars(all);
        let files = crate::config::profile::ProfileFiles::load(&env).unwrap();
        let result = Imds::new(&env, files.profile("default"));
        std::fs::remove_dir_all(dir).unwrap();
        result
    }

    #[test]
    fn settings_come_from_the_environment_then_the_profile() {
        let plain = imds(&[], "").unwrap().unwrap();
        assert_eq!(
            (plain.endpoint.as_str(), plain.attempts, plain.v1_disabled),
            (IPV4_ENDPOINT, 1, false)
        );
        let config = "[default]\nec2_metadata_service_endpoint_mode = IPv6\n\
                      metadata_service_num_attempts = 3\nec2_metadata_v1_disabled = true\n";
        let profile = imds(&[], config).unwrap().unwrap();
        assert_eq!(
            (
                profile.endpoint.as_str(),
                profile.attempts,
                profile.v1_disabled
            ),
            (IPV6_ENDPOINT, 3, true)
        );
        let env = imds(
            &[
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv4"),
                ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2"),
            ],
            config,
        )
        .unwrap()
        .unwrap();
        assert_eq!((env.endpoint.as_str(), env.attempts), (IPV4_ENDPOINT, 2));
        let custom = imds(
            &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/")],
            config,
        )
        .unwrap()
        .unwrap();
        assert_eq!(custom.endpoint, "http://127.0.0.1:9");
        let use_ipv6 = imds(&[("AWS_IMDS_USE_IPV6", "true")], "").unwrap().unwrap();
        assert_eq!(use_ipv6.endpoint, IPV6_ENDPOINT);
        assert!(
            imds(&[("AWS_EC2_METADATA_DISABLED", "true")], config)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn bad_settings_are_errors() {
        for (var, value, expected) in [
            (
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                "ipv5",
                "IPv4 or IPv6",
            ),
            ("AWS_METADATA_SERVICE_TIMEOUT", "soon", "whole number"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "-1", "whole number"),
            (
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "ftp://x",
                "ec2_metadata_service_endpoint",
            ),
        ] {
            let err = imds(&[(var, value)], "").err().unwrap_or_default();
            assert!(err.contains(expected), "{var}={value}: {err:?}");
        }
    }
}

//! AWS STS by hand: `AssumeRole` (signed with the source credentials) and
//! `AssumeRoleWithWebIdentity` (unsigned), form-encoded in, XML out.

use std::time::SystemTime;

use super::Credentials;
use super::xml;
use crate::config::Env;
use crate::config::profile::{ProfileFiles, Section};
use crate::protocol::SignedRequest;
use crate::retry::RetryConfig;
use crate::sigv4::{Payload, SignableRequest, Signer, SigningParams};
use crate::transport::{CallSettings, Transport};

const VERSION: &str = "2011-06-15";
const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Which role to assume, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Role {
    pub arn: String,
    pub session_name: String,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
}

impl Role {
    /// The role a profile names (`role_arn`, `role_session_name`,
    /// `external_id`, `duration_seconds`).
    pub fn from_profile(profile: &Section, now: SystemTime) -> Result<Role, String> {
        let arn = profile.get("role_arn").unwrap_or_default().to_owned();
        let duration_seconds = match profile.get("duration_seconds") {
            None => None,
            Some(text) => Some(
                text.parse::<u32>()
                    .ok()
                    .filter(|s| (900..=43_200).contains(s))
                    .ok_or_else(|| format!("duration_seconds {text:?} is not 900 to 43200"))?,
            ),
        };
        Ok(Role {
            arn,
            session_name: profile
                .get("role_session_name")
                .map_or_else(|| default_session_name(now), str::to_owned),
            external_id: profile.get("external_id").map(str::to_owned),
            duration_seconds,
        })
    }
}

/// A session name like the AWS CLI's (`botocore-session-<seconds>`).
pub(crate) fn default_session_name(now: SystemTime) -> String {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    format!("appflow-lite-session-{secs}")
}

/// An STS endpoint and the region its requests are signed for.
#[derive(Debug)]
pub(crate) struct Sts {
    endpoint: String,
    region: String,
    transport: Transport,
    retry: RetryConfig,
}

impl Sts {
    /// STS as the AWS CLI finds it for `profile`: `AWS_ENDPOINT_URL_STS`,
    /// the profile's `services` section `sts`, `AWS_ENDPOINT_URL`, the
    /// profile's `endpoint_url`, else the regional endpoint of the region
    /// (the client's `region`, else the environment's, then the profile's,
    /// else `us-east-1`), partition-aware.
    pub fn new(
        env: &Env,
        files: &ProfileFiles,
        profile: Option<&Section>,
        region: Option<&str>,
        calls: &CallSettings,
    ) -> Result<Sts, String> {
        let text = |key: &str| profile.and_then(|p| p.get(key)).map(str::to_owned);
        let region = region
            .map(str::to_owned)
            .or_else(|| env.get("AWS_REGION"))
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
            .or_else(|| text("region"))
            .unwrap_or_else(|| "us-east-1".to_owned());
        if !crate::config::is_valid_region(&region) {
            return Err(format!("{region:?} is not a valid region name"));
        }
        let ignore = env
            .flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .or_else(|| {
                text("ignore_configured_endpoint_urls").map(|v| v.eq_ignore_ascii_case("true"))
            })
            .unwrap_or(false);
        let configured = if ignore {
            None
        } else {
            let services = text("services").and_then(|name| files.services(&name).cloned());
            env.get("AWS_ENDPOINT_URL_STS")
                .or_else(|| services.and_then(|s| s.sub("sts", "endpoint_url").map(str::to_owned)))
                .or_else(|| env.get("AWS_ENDPOINT_URL"))
                .or_else(|| text("endpoint_url"))
        };
        let endpoint = match configured {
            Some(url) => {
                crate::config::check_endpoint_url(&url)?;
                url.trim_end_matches('/').to_owned()
            }
            None => {
                let partition = crate::config::endpoint::partition(&region);
                format!("https://sts.{region}.{}", partition.dns_suffix)
            }
        };
        let ca_bundle = env.ca_bundle(profile.and_then(|p| p.get("ca_bundle")));
        let transport = Transport::for_credentials(env, &endpoint, ca_bundle.as_deref(), calls)?;
        Ok(Sts {
            endpoint,
            region,
            transport,
            retry: calls.retry,
        })
    }

    /// The endpoint, for messages.
    pub fn endpoint(&self) -> String {
        crate::config::redact_url(&self.endpoint)
    }

    /// `AssumeRole`, signed with `source` at `now`.
    pub fn assume_role(
        &self,
        source: &Credentials,
        role: &Role,
        now: SystemTime,
    ) -> Result<Credentials, String> {
        let mut form = vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", VERSION.to_owned()),
            ("RoleArn", role.arn.clone()),
            ("RoleSessionName", role.session_name.clone()),
        ];
        if let Some(id) = &role.external_id {
            form.push(("ExternalId", id.clone()));
        }
        if let Some(secs) = role.duration_seconds {
            form.push(("DurationSeconds", secs.to_string()));
        }
        self.call("AssumeRole", &form, Some((source, now)), &[])
    }

    /// `AssumeRoleWithWebIdentity`: unsigned, the token proves who asks.
    pub fn assume_role_with_web_identity(
        &self,
        role: &Role,
        token: &str,
    ) -> Result<Credentials, String> {
        let mut form = vec![
            ("Action", "AssumeRoleWithWebIdentity".to_owned()),
            ("Version", VERSION.to_owned()),
            ("RoleArn", role.arn.clone()),
            ("RoleSessionName", role.session_name.clone()),
            ("WebIdentityToken", token.to_owned()),
        ];
        if let Some(secs) = role.duration_seconds {
            form.push(("DurationSeconds", secs.to_string()));
        }
        self.call("AssumeRoleWithWebIdentity", &form, None, &[token])
    }

    fn call(
        &self,
        action: &str,
        form: &[(&str, String)],
        signer: Option<(&Credentials, SystemTime)>,
        secrets: &[&str],
    ) -> Result<Credentials, String> {
        let mut body = String::new();
        for (name, value) in form {
            crate::protocol::push_query(&mut body, name, value);
        }
        let url = format!("{}/", self.endpoint);
        let mut headers = vec![("Content-Type", FORM.to_owned())];
        if let Some((credentials, now)) = signer {
            let signable = [("content-type", FORM)];
            let request =
                SignableRequest::new("POST", &url, &signable, Payload::Bytes(body.as_bytes()));
            let params = SigningParams::new(credentials, &self.region, "sts", now);
            let signed = Signer::new()
                .sign(&request, &params)
                .map_err(|e| format!("cannot sign the {action} request: {e}"))?;
            headers.extend(
                signed
                    .headers()
                    .map(|(name, value)| (name, value.to_owned())),
            );
        }
        let request = SignedRequest {
            method: "POST",
            url,
            headers,
            body: body.into_bytes(),
        };
        let answer = self
            .transport
            .send_retrying(&request, &self.retry, |answer| {
                xml::element(&String::from_utf8_lossy(&answer.body), "Code")
            })
            .map_err(|e| format!("STS {action} at {}: {e}", self.endpoint()))?;
        if !answer.is_success() {
            // STS may quote what it was sent: hide every secret of the call.
            let mut known = secrets.to_vec();
            if let Some((source, _)) = signer {
                known.push(source.secret_access_key());
                known.extend(source.session_token());
            }
            let masked = crate::protocol::mask_secrets(&answer.body, &known);
            let text = String::from_utf8_lossy(&masked);
            let code = xml::element(&text, "Code").unwrap_or_else(|| answer.status.to_string());
            let message = xml::element(&text, "Message").unwrap_or_default();
            return Err(format!(
                "STS {action} failed: {} ({}): {}",
                crate::error::Escaped(&code),
                answer.status,
                crate::error::Escaped(&message)
            ));
        }
        let text = String::from_utf8_lossy(&answer.body);
        let field = |name: &str| {
            xml::element(&text, name)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("STS {action} answered without {name}"))
        };
        let expiration = field("Expiration")?;
        let expires_at = crate::time::parse_rfc3339(&expiration)
            .ok_or_else(|| format!("STS {action} answered an unreadable Expiration"))?;
        Ok(
            Credentials::new(field("AccessKeyId")?, field("SecretAccessKey")?)
                .with_session_token(field("SessionToken")?)
                .with_expiry(expires_at),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn endpoint(vars: &[(&str, &str)], config: Option<&Section>) -> String {
        let env = Env::from_vars(vars.iter().copied());
        Sts::new(
            &env,
            &ProfileFiles::default(),
            config,
            None,
            &CallSettings::default(),
        )
        .unwrap()
        .endpoint()
    }

    #[test]
    fn the_regional_endpoint_follows_the_partition() {
        assert_eq!(endpoint(&[], None), "https://sts.us-east-1.amazonaws.com");
        assert_eq!(
            endpoint(&[("AWS_REGION", "eu-west-3")], None),
            "https://sts.eu-west-3.amazonaws.com"
        );
        assert_eq!(
            endpoint(&[("AWS_REGION", "cn-north-1")], None),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            endpoint(
                &[
                    ("AWS_ENDPOINT_URL", "http://all.local"),
                    ("AWS_ENDPOINT_URL_STS", "http://sts.local/")
                ],
                None
            ),
            "http://sts.local"
        );
        assert_eq!(
            endpoint(&[("AWS_ENDPOINT_URL", "http://all.local")], None),
            "http://all.local"
        );
        assert_eq!(
            endpoint(
                &[
                    ("AWS_ENDPOINT_URL_STS", "http://sts.local"),
                    ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
                ],
                None
            ),
            "https://sts.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn profile_role_settings_are_checked() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let role = Role::from_profile(&Section::default(), now).unwrap();
        assert_eq!(role.session_name, "appflow-lite-session-1700000000");
        assert_eq!(role.duration_seconds, None);
    }
}

//! Container credentials: ECS task roles and EKS Pod Identity, served over
//! HTTP at an address the environment names.

use std::time::Duration;

use super::Credentials;
use super::json::{self, Kind};
use super::metadata::MetadataClient;
use crate::config::Env;

/// The ECS agent's address for `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`.
const ECS_HOST: &str = "http://169.254.170.2";
const TIMEOUT: Duration = Duration::from_secs(2);

/// Credentials from the container endpoint, or `None` when none is configured.
pub(crate) fn credentials(env: &Env) -> Option<Result<Credentials, String>> {
    let url = match (
        env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
    ) {
        (Some(relative), _) => format!("{ECS_HOST}{relative}"),
        (None, Some(full)) => full,
        (None, None) => return None,
    };
    Some(fetch(env, &url))
}

fn fetch(env: &Env, url: &str) -> Result<Credentials, String> {
    check_url(url)?;
    let token = match env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => Some(
            std::fs::read_to_string(&path)
                .map_err(|e| {
                    format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}")
                })?
                .trim()
                .to_owned(),
        ),
        None => env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    };
    if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
        return Err("the container authorization token contains a line break".into());
    }
    let headers: Vec<(&str, &str)> = token
        .iter()
        .map(|t| ("Authorization", t.as_str()))
        .collect();
    let answer = MetadataClient::new(TIMEOUT).send("GET", url, &headers)?;
    if answer.status != 200 {
        return Err(format!(
            "the container endpoint {url} answered HTTP {}",
            answer.status
        ));
    }
    json::parse(&answer.body, Kind::Endpoint)
        .map_err(|e| format!("the container endpoint's answer: {e}"))
}

/// Plain HTTP is allowed only to the machine itself and the ECS and EKS
/// agent addresses, as in the AWS SDKs: anything else could be spoofed.
fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("https://") {
        return Ok(());
    }
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("container credentials URL {url:?} is not http(s)"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    let allowed = host == "localhost"
        || host == "::1"
        || host.starts_with("127.")
        || host == "169.254.170.2"
        || host == "169.254.170.23"
        || host.eq_ignore_ascii_case("fd00:ec2::23");
    if allowed {
        Ok(())
    } else {
        Err(format!(
            "container credentials over plain HTTP are only fetched from loopback or the ECS/EKS agent, not {host}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_trusted_hosts() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://localhost/x",
            "http://169.254.170.2/v2/x",
            "http://169.254.170.23/v1",
            "http://[fd00:ec2::23]/v1",
            "https://example.com/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn not_configured_is_none() {
        assert!(credentials(&Env::from_vars::<&str, &str>([])).is_none());
    }
}

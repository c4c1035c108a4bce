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
        // A relative URI is a path: anything else (`:@evil.example/x`)
        // would change the host.
        (Some(relative), _) if !relative.starts_with('/') => {
            return Some(Err(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with /".into(),
            ));
        }
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
            crate::config::file::read_regular_to_string(std::path::Path::new(&path))
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
            "the container endpoint {} answered HTTP {}",
            crate::config::redact_url(url),
            answer.status
        ));
    }
    json::parse(&answer.body, Kind::Endpoint)
        .map_err(|e| format!("the container endpoint's answer: {e}"))
}

/// Plain HTTP is allowed only to the machine itself and the ECS and EKS
/// agent addresses, as in the AWS SDKs: anything else could be spoofed.
///
/// The URL is parsed once, as the HTTP client will parse it, and the host
/// checked as an IP address: `http://localhost:80@evil.example/` (the host
/// is `evil.example`) and `http://127.evil.example/` are refused. URLs with
/// user information are refused outright.
fn check_url(url: &str) -> Result<(), String> {
    let shown = crate::config::redact_url(url);
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| format!("container credentials URL {shown:?} is not a valid URL"))?;
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    if authority.contains('@') {
        return Err(format!(
            "container credentials URL {shown:?} must not carry user information"
        ));
    }
    let host = uri.host().unwrap_or_default();
    match uri.scheme_str() {
        Some("https") if !host.is_empty() => return Ok(()),
        Some("http") => {}
        _ => {
            return Err(format!(
                "container credentials URL {shown:?} is not http(s)"
            ));
        }
    }
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>();
    let allowed = host == "localhost"
        || ip.is_ok_and(|ip| {
            ip.is_loopback()
                || ip == std::net::IpAddr::from([169, 254, 170, 2])
                || ip == std::net::IpAddr::from([169, 254, 170, 23])
                || ip == std::net::IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
        });
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
            // The host is evil.example: `localhost:80` is user information.
            "http://localhost:80@evil.example/",
            "http://127.evil.example/",
            "http://169.254.170.2:@evil.example/x",
            "http://user:pass@127.0.0.1/x",
            "http://[::ffff:10.0.0.1]/x",
            "http:///x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        let err = check_url("http://user:hunter2@127.0.0.1/x").unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_relative_uri_cannot_change_the_host() {
        let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", ":@evil.example/x")]);
        let err = credentials(&env).unwrap().unwrap_err();
        assert!(err.contains("must be a path"), "{err}");
    }

    #[test]
    fn not_configured_is_none() {
        assert!(credentials(&Env::from_vars::<&str, &str>([])).is_none());
    }
}

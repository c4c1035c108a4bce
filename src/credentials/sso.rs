//! IAM Identity Center (SSO): role credentials from the token that
//! `aws sso login` cached, refreshed through SSO-OIDC when it has expired,
//! as the AWS CLI does. No interactive login here.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::Credentials;
use super::sha1;
use crate::config::Env;
use crate::config::profile::{ProfileFiles, Section};
use crate::error::Error;
use crate::protocol::{HttpResponse, SignedRequest};
use crate::transport::{CallSettings, Transport};

/// Refresh a token this long before it expires (the AWS CLI's window).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Where a profile's SSO settings come from.
struct Session {
    /// `sso_session`'s name, or (legacy profiles) the start URL.
    cache_key: String,
    region: String,
    /// Only `sso-session` tokens are refreshed, as in the AWS CLI.
    refreshable: bool,
    /// What to tell the user to run when the token is gone.
    login: String,
    /// `AWS_CA_BUNDLE`, else the profile's `ca_bundle`.
    ca_bundle: Option<PathBuf>,
}

/// Role credentials for profile `name`.
pub(crate) fn credentials(
    env: &Env,
    files: &ProfileFiles,
    name: &str,
    profile: &Section,
    calls: &CallSettings,
    now: SystemTime,
) -> Result<Credentials, Error> {
    let config = |message: String| Error::InvalidConfig(format!("profile {name:?}: {message}"));
    let mut session = session(files, name, profile).map_err(config)?;
    // The region becomes part of the host name the bearer token is sent to.
    if !crate::config::is_valid_region(&session.region) {
        return Err(config(format!(
            "sso_region {:?} is not a valid region name",
            session.region
        )));
    }
    session.ca_bundle = env.ca_bundle(profile.get("ca_bundle"));
    let account = profile
        .get("sso_account_id")
        .ok_or_else(|| config("sso_account_id is missing".into()))?;
    let role = profile
        .get("sso_role_name")
        .ok_or_else(|| config("sso_role_name is missing".into()))?;
    let token = token(env, &session, calls, now)?;
    role_credentials(env, &session, calls, &token, account, role)
}

fn session(files: &ProfileFiles, name: &str, profile: &Section) -> Result<Session, String> {
    match profile.get("sso_session") {
        Some(session) => {
            let section = files.sso_session(session).ok_or_else(|| {
                format!("it names sso_session {session:?}, but there is no [sso-session {session}] section")
            })?;
            let region = section
                .get("sso_region")
                .ok_or_else(|| format!("[sso-session {session}] has no sso_region"))?;
            Ok(Session {
                cache_key: session.to_owned(),
                region: region.to_owned(),
                refreshable: true,
                login: format!("aws sso login --sso-session {session}"),
                ca_bundle: None,
            })
        }
        None => {
            let start_url = profile
                .get("sso_start_url")
                .ok_or("sso_start_url is missing")?;
            let region = profile.get("sso_region").ok_or("sso_region is missing")?;
            Ok(Session {
                cache_key: start_url.to_owned(),
                region: region.to_owned(),
                refreshable: false,
                login: format!("aws sso login --profile {name}"),
                ca_bundle: None,
            })
        }
    }
}

/// The cache file of `aws sso login` for this session.
fn cache_path(env: &Env, session: &Session) -> Option<PathBuf> {
    let file = format!("{}.json", sha1::hex_digest(session.cache_key.as_bytes()));
    Some(
        env.home()?
            .join(".aws")
            .join("sso")
            .join("cache")
            .join(file),
    )
}

/// `expiresAt` as the AWS CLI writes it (`...Z`, older versions `...UTC`).
fn parse_expiry(text: &str) -> Option<SystemTime> {
    let text = text
        .strip_suffix("UTC")
        .map_or_else(|| text.to_owned(), |t| format!("{t}Z"));
    crate::time::parse_rfc3339(&text)
}

/// A valid access token: the cached one, refreshed first when it is about
/// to expire and can be.
fn token(
    env: &Env,
    session: &Session,
    calls: &CallSettings,
    now: SystemTime,
) -> Result<String, Error> {
    let login = || format!("run `{}` to sign in again", session.login);
    let path = cache_path(env, session)
        .ok_or_else(|| Error::missing_credentials("no home directory for the SSO token cache"))?;
    let text = crate::config::file::read_regular_to_string(&path).map_err(|_| {
        Error::missing_credentials(format!(
            "no SSO token cached in {}: {}",
            path.display(),
            login()
        ))
    })?;
    let mut cached: Map<String, Value> = serde_json::from_str(&text).map_err(|_| {
        Error::missing_credentials(format!(
            "the SSO token cache {} is not JSON: {}",
            path.display(),
            login()
        ))
    })?;
    let field = |cached: &Map<String, Value>, key: &str| {
        cached.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let access_token = field(&cached, "accessToken");
    let expires_at = field(&cached, "expiresAt").and_then(|t| parse_expiry(&t));
    let (Some(access_token), Some(expires_at)) = (access_token, expires_at) else {
        return Err(Error::MissingCredentials(format!(
            "the SSO token cache {} has no accessToken or expiresAt: {}",
            path.display(),
            login()
        )));
    };
    if now
        .checked_add(REFRESH_WINDOW)
        .is_some_and(|t| t < expires_at)
    {
        return Ok(access_token);
    }
    let still_valid = now < expires_at;
    let registration_valid = field(&cached, "registrationExpiresAt")
        .and_then(|t| parse_expiry(&t))
        .is_some_and(|at| now < at);
    let refresh = match (
        session.refreshable && registration_valid,
        field(&cached, "refreshToken"),
        field(&cached, "clientId"),
        field(&cached, "clientSecret"),
    ) {
        (true, Some(refresh_token), Some(client_id), Some(client_secret)) => {
            let client = OidcClient {
                id: &client_id,
                secret: &client_secret,
            };
            create_token(env, session, calls, &client, &refresh_token).and_then(|fresh| {
                // `expiresIn` comes from the server: any number may arrive.
                let expiry = now
                    .checked_add(Duration::from_secs(fresh.expires_in))
                    .ok_or("SSO-OIDC answered an expiresIn out of range")?;
                Ok((fresh, expiry))
            })
        }
        _ => Err("the cached token cannot be refreshed".to_owned()),
    };
    match refresh {
        Ok((fresh, new_expiry)) => {
            cached.insert(
                "accessToken".into(),
                Value::String(fresh.access_token.clone()),
            );
            cached.insert(
                "expiresAt".into(),
                Value::String(crate::time::format_rfc3339(new_expiry)),
            );
            if let Some(refresh_token) = fresh.refresh_token {
                cached.insert("refreshToken".into(), Value::String(refresh_token));
            }
            // The refreshed token is used even if the cache cannot be written.
            let _ = crate::config::file::write_private(&path, &Value::Object(cached).to_string());
            Ok(fresh.access_token)
        }
        Err(_) if still_valid => Ok(access_token),
        Err(why) => Err(Error::MissingCredentials(format!(
            "the SSO token for {} has expired ({why}): {}",
            session.cache_key,
            login()
        ))),
    }
}

/// The OIDC client `aws sso login` registered, from the cache.
struct OidcClient<'a> {
    id: &'a str,
    secret: &'a str,
}

struct FreshToken {
    access_token: String,
    expires_in: u64,
    refresh_token: Option<String>,
}

/// SSO-OIDC `CreateToken` with the refresh token.
fn create_token(
    env: &Env,
    session: &Session,
    calls: &CallSettings,
    client: &OidcClient,
    refresh_token: &str,
) -> Result<FreshToken, String> {
    let endpoint = env
        .get("AWS_ENDPOINT_URL_SSO_OIDC")
        .unwrap_or_else(|| regional("oidc", &session.region));
    let body = serde_json::json!({
        "clientId": client.id,
        "clientSecret": client.secret,
        "grantType": "refresh_token",
        "refreshToken": refresh_token,
    });
    let url = format!("{}/token", endpoint.trim_end_matches('/'));
    let answer = send(
        env,
        session,
        calls,
        "POST",
        &url,
        None,
        Some(body.to_string()),
    )?;
    if !answer.is_success() {
        let secrets = [client.secret, refresh_token];
        return Err(service_error("SSO-OIDC CreateToken", &answer, &secrets));
    }
    let json: Map<String, Value> = serde_json::from_slice(&answer.body)
        .map_err(|_| format!("SSO-OIDC answered HTTP {} without JSON", answer.status))?;
    Ok(FreshToken {
        access_token: json
            .get("accessToken")
            .and_then(Value::as_str)
            .ok_or("SSO-OIDC answered without accessToken")?
            .to_owned(),
        expires_in: json
            .get("expiresIn")
            .and_then(Value::as_u64)
            .unwrap_or(3600),
        refresh_token: json
            .get("refreshToken")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// The portal's `GetRoleCredentials`.
fn role_credentials(
    env: &Env,
    session: &Session,
    calls: &CallSettings,
    token: &str,
    account: &str,
    role: &str,
) -> Result<Credentials, Error> {
    let endpoint = env
        .get("AWS_ENDPOINT_URL_SSO")
        .unwrap_or_else(|| regional("portal.sso", &session.region));
    let mut query = String::new();
    crate::protocol::push_query(&mut query, "role_name", role);
    crate::protocol::push_query(&mut query, "account_id", account);
    let url = format!(
        "{}/federation/credentials?{query}",
        endpoint.trim_end_matches('/')
    );
    let missing = Error::missing_credentials;
    let answer = send(env, session, calls, "GET", &url, Some(token), None).map_err(missing)?;
    if !answer.is_success() {
        let mut message = service_error("SSO GetRoleCredentials", &answer, &[token]);
        if matches!(answer.status, 401 | 403) {
            message.push_str(&format!("; run `{}` to sign in again", session.login));
        }
        return Err(Error::MissingCredentials(message));
    }
    let json: Map<String, Value> = serde_json::from_slice(&answer.body).unwrap_or_default();
    let role = json.get("roleCredentials").and_then(Value::as_object);
    let text = |key: &str| {
        role.and_then(|r| r.get(key))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let (Some(id), Some(secret), Some(session_token)) = (
        text("accessKeyId"),
        text("secretAccessKey"),
        text("sessionToken"),
    ) else {
        return Err(Error::MissingCredentials(
            "SSO GetRoleCredentials answered without credentials".into(),
        ));
    };
    let expires = role
        .and_then(|r| r.get("expiration"))
        .and_then(Value::as_u64)
        .and_then(|ms| SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(ms)))
        .ok_or_else(|| {
            Error::missing_credentials("SSO GetRoleCredentials answered without an expiration")
        })?;
    Ok(Credentials::new(id, secret)
        .with_session_token(session_token)
        .with_expiry(expires))
}

/// `https://{prefix}.{region}.{partition's DNS suffix}`.
fn regional(prefix: &str, region: &str) -> String {
    let partition = crate::config::endpoint::partition(region);
    format!("https://{prefix}.{region}.{}", partition.dns_suffix)
}

/// An error answer in one line, with the call's `secrets` masked wherever
/// the server quotes them.
fn service_error(what: &str, answer: &HttpResponse, secrets: &[&str]) -> String {
    let body = crate::protocol::mask_secrets(&answer.body, secrets);
    let json: Map<String, Value> = serde_json::from_slice(&body).unwrap_or_default();
    let text = |key: &str| {
        json.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let code = [text("error"), text("__type")]
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap_or_default();
    let message = [text("message"), text("error_description")]
        .into_iter()
        .find(|m| !m.is_empty())
        .unwrap_or_default();
    format!(
        "{what} failed with HTTP {}: {} {}",
        answer.status,
        crate::error::Escaped(&code),
        crate::error::Escaped(&message)
    )
}

/// The error code of an SSO or SSO-OIDC answer, for the retry decision.
fn error_code(answer: &HttpResponse) -> Option<String> {
    let json: Map<String, Value> = serde_json::from_slice(&answer.body).ok()?;
    ["__type", "error"]
        .iter()
        .find_map(|key| json.get(*key)?.as_str().map(str::to_owned))
}

/// One unsigned request to an SSO endpoint (proxies apply, as to AppFlow),
/// retried in the standard mode.
fn send(
    env: &Env,
    session: &Session,
    calls: &CallSettings,
    method: &'static str,
    url: &str,
    bearer: Option<&str>,
    body: Option<String>,
) -> Result<HttpResponse, String> {
    let shown = crate::config::redact_url(url);
    crate::config::check_endpoint_url(url.split('?').next().unwrap_or(url))?;
    let transport = Transport::for_credentials(env, url, session.ca_bundle.as_deref(), calls)?;
    let mut headers = Vec::new();
    if let Some(token) = bearer {
        headers.push(("x-amz-sso_bearer_token", token.to_owned()));
    }
    if body.is_some() {
        headers.push(("Content-Type", "application/json".to_owned()));
    }
    let request = SignedRequest {
        method,
        url: url.to_owned(),
        headers,
        body: body.unwrap_or_default().into_bytes(),
    };
    transport
        .send_retrying(&request, &calls.retry, error_code)
        .map_err(|e| format!("{shown}: {e}"))
}

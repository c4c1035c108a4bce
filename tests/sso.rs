//! IAM Identity Center (SSO) against a fake portal and SSO-OIDC: the token
//! `aws sso login` cached, refreshed and written back when it expired, and
//! clear errors that say to sign in again.

mod support;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use appflow_lite::config::Env;
use appflow_lite::credentials::{DefaultChain, ProvideCredentials};
use appflow_lite::sigv4::format_amz_date;
use support::{RecordingServer, Reply};

struct Home(PathBuf);

impl Home {
    fn new(name: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("appflow-sso-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
        Home(dir)
    }

    fn config(&self, text: &str) {
        std::fs::write(self.0.join(".aws/config"), text).unwrap();
    }

    /// The cache file the AWS CLI writes for `key` (SHA-1 of it, hex).
    fn cache(&self, file: &str) -> PathBuf {
        self.0.join(".aws/sso/cache").join(file)
    }

    fn env(&self, portal: &RecordingServer, oidc: &RecordingServer) -> Env {
        Env::from_vars([
            ("HOME", self.0.to_string_lossy().into_owned()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_ENDPOINT_URL_SSO", portal.url()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url()),
        ])
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rfc3339(time: SystemTime) -> String {
    let t = format_amz_date(time);
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &t[0..4],
        &t[4..6],
        &t[6..8],
        &t[9..11],
        &t[11..13],
        &t[13..15]
    )
}

fn role_credentials() -> Reply {
    let expiration = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 3_600_000;
    Reply::json(
        200,
        &format!(
            r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":{expiration}}}}}"#
        ),
    )
}

const SESSION_FILE: &str = "0ad374308c5a4e22f723adf10145eafad7c4031c.json"; // SHA-1 of "my-sso"
const CONFIG: &str = "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = eu-west-1\n\
                      [sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = eu-west-1\n";

#[test]
fn a_cached_token_buys_role_credentials() {
    let home = Home::new("cached");
    home.config(CONFIG);
    std::fs::write(
        home.cache(SESSION_FILE),
        format!(
            r#"{{"accessToken":"cached-access-token","expiresAt":"{}"}}"#,
            rfc3339(SystemTime::now() + Duration::from_secs(3600))
        ),
    )
    .unwrap();
    let (portal, oidc) = (
        RecordingServer::start(vec![role_credentials()]),
        RecordingServer::start(vec![]),
    );
    let creds = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(
        (
            creds.access_key_id(),
            creds.secret_access_key(),
            creds.session_token()
        ),
        ("ASIASSO", "sso-secret", Some("sso-token"))
    );
    assert!(creds.expires_at().is_some());
    let [request] = portal.requests().try_into().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path,
        "/federation/credentials?role_name=Developer&account_id=111122223333"
    );
    assert_eq!(
        request.header("x-amz-sso_bearer_token"),
        Some("cached-access-token")
    );
    assert!(oidc.requests().is_empty(), "a valid token is not refreshed");
}

#[test]
fn an_expired_token_is_refreshed_and_written_back() {
    let home = Home::new("refresh");
    home.config(CONFIG);
    let later = rfc3339(SystemTime::now() + Duration::from_secs(90 * 24 * 3600));
    std::fs::write(
        home.cache(SESSION_FILE),
        format!(
            r#"{{"startUrl":"https://my-sso-portal.awsapps.com/start","region":"eu-west-1","accessToken":"old","expiresAt":"{}","refreshToken":"refresh-1","clientId":"client","clientSecret":"client-secret","registrationExpiresAt":"{later}"}}"#,
            rfc3339(SystemTime::now() - Duration::from_secs(60))
        ),
    )
    .unwrap();
    let portal = RecordingServer::start(vec![role_credentials()]);
    let oidc = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"accessToken":"new-access-token","expiresIn":28800,"refreshToken":"refresh-2","tokenType":"Bearer"}"#,
    )]);
    let creds = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIASSO");

    let [create] = oidc.requests().try_into().unwrap();
    assert_eq!(
        (create.method.as_str(), create.path.as_str()),
        ("POST", "/token")
    );
    assert_eq!(
        create.body_json(),
        serde_json::json!({"clientId": "client", "clientSecret": "client-secret", "grantType": "refresh_token", "refreshToken": "refresh-1"})
    );
    assert_eq!(
        portal.requests()[0].header("x-amz-sso_bearer_token"),
        Some("new-access-token")
    );
    // The cache now holds the new token; the rest of it is kept.
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.cache(SESSION_FILE)).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], "new-access-token");
    assert_eq!(cached["refreshToken"], "refresh-2");
    assert_eq!(cached["clientId"], "client");
    assert_eq!(
        cached["startUrl"],
        "https://my-sso-portal.awsapps.com/start"
    );
    let leftovers: Vec<_> = std::fs::read_dir(home.0.join(".aws/sso/cache"))
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn without_a_usable_token_the_error_says_to_sign_in() {
    let home = Home::new("expired");
    home.config(&format!(
        "{CONFIG}[profile legacy]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\n\
         sso_account_id = 1\nsso_role_name = R\n"
    ));
    let (portal, oidc) = (
        RecordingServer::start(vec![role_credentials()]),
        RecordingServer::start(vec![]),
    );
    // Nothing cached at all.
    let err = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(err.contains("aws sso login --sso-session my-sso"), "{err}");
    // Expired, no refresh token: a legacy profile's cache, named by its start URL.
    std::fs::write(
        home.cache("c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"),
        format!(
            r#"{{"accessToken":"old","expiresAt":"{}"}}"#,
            rfc3339(SystemTime::now() - Duration::from_secs(60)).replace('Z', "UTC")
        ),
    )
    .unwrap();
    let err = DefaultChain::new(home.env(&portal, &oidc), Some("legacy".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has expired") && err.contains("aws sso login --profile legacy"),
        "{err}"
    );
    assert!(portal.requests().is_empty() && oidc.requests().is_empty());
}

#[test]
fn a_refused_token_says_to_sign_in_again() {
    let home = Home::new("refused");
    home.config(CONFIG);
    std::fs::write(
        home.cache(SESSION_FILE),
        format!(
            r#"{{"accessToken":"revoked","expiresAt":"{}"}}"#,
            rfc3339(SystemTime::now() + Duration::from_secs(3600))
        ),
    )
    .unwrap();
    let portal = RecordingServer::start(vec![
        Reply::json(401, r#"{"message":"Session token not found or invalid"}"#)
            .with_header("x-amzn-ErrorType", "UnauthorizedException"),
    ]);
    let oidc = RecordingServer::start(vec![]);
    let err = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 401") && err.contains("Session token not found"),
        "{err}"
    );
    assert!(err.contains("aws sso login --sso-session my-sso"), "{err}");
    assert!(!err.contains("revoked"), "the token is not shown: {err}");
}

/// A cache whose token expired a minute ago and can be refreshed.
fn expired_refreshable(home: &Home) {
    let later = rfc3339(SystemTime::now() + Duration::from_secs(90 * 24 * 3600));
    std::fs::write(
        home.cache(SESSION_FILE),
        format!(
            r#"{{"accessToken":"old","expiresAt":"{}","refreshToken":"REFRESH-TOKEN-SECRET","clientId":"client","clientSecret":"CLIENT-SECRET-VALUE","registrationExpiresAt":"{later}"}}"#,
            rfc3339(SystemTime::now() - Duration::from_secs(60))
        ),
    )
    .unwrap();
}

fn fast_retries() -> appflow_lite::RetryConfig {
    appflow_lite::RetryConfig::STANDARD
        .with_backoff(Duration::from_millis(1), Duration::from_millis(1))
}

#[test]
fn the_refreshed_cache_is_private_expires_as_answered_and_never_follows_a_planted_link() {
    let home = Home::new("private");
    home.config(CONFIG);
    expired_refreshable(&home);
    // A file an attacker planted at the names a writer could predict.
    let victim = home.0.join("victim");
    std::fs::write(&victim, "untouched").unwrap();
    #[cfg(unix)]
    for guess in [
        format!("{SESSION_FILE}.tmp-{}", std::process::id()),
        format!("{SESSION_FILE}.tmp"),
    ] {
        std::os::unix::fs::symlink(&victim, home.cache(&guess)).unwrap();
    }
    let portal = RecordingServer::start(vec![role_credentials()]);
    let oidc = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"accessToken":"new-access-token","expiresIn":28800,"tokenType":"Bearer"}"#,
    )]);
    let before = SystemTime::now();
    DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap();
    let after = SystemTime::now();

    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    let path = home.cache(SESSION_FILE);
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], "new-access-token");
    // No new refresh token in the answer: the old one is kept.
    assert_eq!(cached["refreshToken"], "REFRESH-TOKEN-SECRET");
    // expiresAt is the answer's 8 hours from the refresh, in the AWS CLI's form.
    let written = cached["expiresAt"].as_str().unwrap();
    let whole = |t: SystemTime| {
        let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    };
    let earliest = rfc3339(whole(before) + Duration::from_secs(28800));
    let latest = rfc3339(whole(after) + Duration::from_secs(28800));
    assert!(
        earliest.as_str() <= written && written <= latest.as_str(),
        "{written} not in [{earliest}, {latest}]"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let metadata = std::fs::symlink_metadata(&path).unwrap();
        assert!(metadata.file_type().is_file(), "a new regular file");
        assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
        assert_eq!(metadata.nlink(), 1);
    }
}

#[test]
fn an_absurd_expires_in_is_an_error_not_a_panic() {
    let home = Home::new("overflow");
    home.config(CONFIG);
    expired_refreshable(&home);
    let portal = RecordingServer::start(vec![role_credentials()]);
    let oidc = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"accessToken":"new-access-token","expiresIn":18446744073709551615}"#,
    )]);
    let chain = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()));
    let err = chain.provide_credentials().unwrap_err().to_string();
    assert!(err.contains("expiresIn out of range"), "{err}");
    // The chain is still usable: the next call tries again and answers.
    let err = chain.provide_credentials().unwrap_err().to_string();
    assert!(err.contains("expiresIn out of range"), "{err}");
    assert!(portal.requests().is_empty(), "the bad token is not used");
}

#[test]
fn an_sso_region_that_is_not_a_region_is_refused_before_any_call() {
    let home = Home::new("region");
    home.config(&CONFIG.replace("sso_region = eu-west-1", "sso_region = evil.invalid/"));
    std::fs::write(
        home.cache(SESSION_FILE),
        format!(
            r#"{{"accessToken":"BEARER-TOKEN-VALUE","expiresAt":"{}"}}"#,
            rfc3339(SystemTime::now() + Duration::from_secs(3600))
        ),
    )
    .unwrap();
    let (portal, oidc) = (
        RecordingServer::start(vec![role_credentials()]),
        RecordingServer::start(vec![]),
    );
    let err = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap_err();
    assert!(
        matches!(err, appflow_lite::Error::InvalidConfig(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("sso_region"), "{err}");
    assert!(portal.requests().is_empty() && oidc.requests().is_empty());
}

#[test]
fn secrets_quoted_back_by_sso_and_oidc_are_masked() {
    let home = Home::new("masked");
    home.config(CONFIG);
    expired_refreshable(&home);
    let portal = RecordingServer::start(vec![role_credentials()]);
    let oidc = RecordingServer::start(vec![Reply::json(
        400,
        r#"{"error":"invalid_grant","error_description":"refresh token REFRESH-TOKEN-SECRET for client secret CLIENT-SECRET-VALUE is invalid"}"#,
    )]);
    let err = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_grant"), "{err}");
    assert!(
        !err.contains("REFRESH-TOKEN-SECRET") && !err.contains("CLIENT-SECRET-VALUE"),
        "{err}"
    );

    let home = Home::new("masked-portal");
    home.config(CONFIG);
    std::fs::write(
        home.cache(SESSION_FILE),
        format!(
            r#"{{"accessToken":"BEARER-TOKEN-VALUE","expiresAt":"{}"}}"#,
            rfc3339(SystemTime::now() + Duration::from_secs(3600))
        ),
    )
    .unwrap();
    let portal = RecordingServer::start(vec![Reply::json(
        403,
        r#"{"__type":"ForbiddenException","message":"token BEARER-TOKEN-VALUE has no access"}"#,
    )]);
    let err = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(err.contains("ForbiddenException"), "{err}");
    assert!(!err.contains("BEARER-TOKEN-VALUE"), "{err}");
}

#[test]
fn sso_calls_are_retried_on_throttling_and_server_errors() {
    let home = Home::new("retried");
    home.config(CONFIG);
    expired_refreshable(&home);
    let portal = RecordingServer::start(vec![
        Reply::json(
            429,
            r#"{"__type":"TooManyRequestsException","message":"slow down"}"#,
        ),
        role_credentials(),
    ]);
    let oidc = RecordingServer::start(vec![
        Reply::json(500, r#"{"error":"server_error"}"#),
        Reply::json(
            200,
            r#"{"accessToken":"new-access-token","expiresIn":3600}"#,
        ),
    ]);
    let creds = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .retry_config(fast_retries())
        .provide_credentials()
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIASSO");
    assert_eq!(oidc.requests().len(), 2);
    assert_eq!(portal.requests().len(), 2);

    // A refusal is not retried.
    let home = Home::new("not-retried");
    home.config(CONFIG);
    expired_refreshable(&home);
    let oidc = RecordingServer::start(vec![Reply::json(400, r#"{"error":"invalid_grant"}"#)]);
    let portal = RecordingServer::start(vec![role_credentials()]);
    let _ = DefaultChain::new(home.env(&portal, &oidc), Some("dev".into()))
        .retry_config(fast_retries())
        .provide_credentials();
    assert_eq!(oidc.requests().len(), 1);
}

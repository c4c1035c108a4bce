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

//! The proxy setting: explicit on `Client::builder()`, from `HTTPS_PROXY`/
//! `HTTP_PROXY`/`NO_PROXY` with `from_env`, never taken from the process's
//! environment behind a builder's back.

mod support;

use appflow_lite::config::Env;
use appflow_lite::credentials::Credentials;
use appflow_lite::{Client, ClientBuilder};
use support::{RecordingServer, Reply};

const CREATED: &str = r#"{"connectorArn":"arn:aws:appflow:us-east-1:1:connector/p"}"#;

/// Sends one call; through the recording "proxy" it fails at the CONNECT,
/// which is all these tests need.
fn register(client: &Client) -> bool {
    client
        .register_connector()
        .connector_label("via-proxy")
        .send()
        .is_ok()
}

#[test]
fn an_explicit_proxy_carries_the_request() {
    // The "proxy" refuses every CONNECT, so nothing is ever tunnelled
    // through it: it records exactly one request per attempt.
    let proxy = RecordingServer::start(vec![Reply::json(502, "{}")]);
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url("http://appflow.invalid")
        .credentials(Credentials::new("AKID", "SECRET"))
        .proxy(Some(&proxy.url()))
        .max_attempts(1)
        .build()
        .unwrap();
    register(&client);
    // `appflow.invalid` cannot resolve: the client asked the proxy for it.
    let first = &proxy.requests()[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("CONNECT", "appflow.invalid:80")
    );
}

#[test]
fn from_env_takes_the_proxy_variables_and_no_proxy() {
    // The "proxy" refuses every CONNECT, so nothing is ever tunnelled
    // through it: it records exactly one request per attempt.
    let proxy = RecordingServer::start(vec![Reply::json(502, "{}")]);
    let endpoint = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    let env = |no_proxy: &str| {
        Env::from_vars([
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ACCESS_KEY_ID", "AKID".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "SECRET".to_owned()),
            ("AWS_CONFIG_FILE", "/nonexistent/c".to_owned()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/k".to_owned()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ("AWS_ENDPOINT_URL", endpoint.url()),
            ("HTTP_PROXY", proxy.url()),
            ("NO_PROXY", no_proxy.to_owned()),
            ("AWS_MAX_ATTEMPTS", "1".to_owned()),
        ])
    };
    register(
        &ClientBuilder::from_environment(env("other.example"))
            .build()
            .unwrap(),
    );
    assert_eq!(proxy.requests()[0].method, "CONNECT");
    assert!(endpoint.requests().is_empty());
    let seen_by_proxy = proxy.requests().len();
    assert!(register(
        &ClientBuilder::from_environment(env("127.0.0.1"))
            .build()
            .unwrap()
    ));
    assert_eq!(proxy.requests().len(), seen_by_proxy);
    assert_eq!(endpoint.requests().len(), 1);
}

#[test]
fn a_bad_proxy_url_is_a_config_error_that_hides_its_password() {
    let err = Client::builder()
        .region("us-east-1")
        .proxy(Some("http://user:hunter2@bad host:99999"))
        .build()
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("proxy"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

//! The default credential chain and region resolution, each source for real:
//! files in a temporary directory, a `credential_process` script, and local
//! servers standing in for the container endpoint and IMDSv2.

mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use appflow_lite::config::Env;
use appflow_lite::credentials::{DefaultChain, ProvideCredentials};
use appflow_lite::sigv4::format_amz_date;
use appflow_lite::{ClientBuilder, Error};
use support::{RecordingServer, Reply};

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "appflow-lite-creds-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An environment that sees only `dir`'s files, no instance metadata, and `vars`.
fn env(dir: &TempDir, vars: &[(&str, &str)]) -> Env {
    let mut all = vec![
        ("HOME".to_owned(), dir.path("home")),
        ("AWS_CONFIG_FILE".to_owned(), dir.path("config")),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            dir.path("credentials"),
        ),
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
    for (name, value) in vars {
        all.retain(|(n, _)| n != name);
        all.push((name.to_string(), value.to_string()));
    }
    Env::from_vars(all)
}

/// `env`, with instance metadata on and served by `server`.
fn imds_env(dir: &TempDir, server: &RecordingServer) -> Env {
    env(
        dir,
        &[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
        ],
    )
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

fn key_id(chain: &DefaultChain) -> String {
    chain
        .provide_credentials()
        .unwrap()
        .access_key_id()
        .to_owned()
}

#[test]
fn environment_comes_before_the_shared_files() {
    let dir = TempDir::new();
    dir.write(
        "credentials",
        "[default]\naws_access_key_id = FROM_FILE\naws_secret_access_key = s\n",
    );
    let with_env = DefaultChain::new(
        env(
            &dir,
            &[
                ("AWS_ACCESS_KEY_ID", "FROM_ENV"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ],
        ),
        None,
    );
    assert_eq!(key_id(&with_env), "FROM_ENV");
    assert_eq!(
        key_id(&DefaultChain::new(env(&dir, &[]), None)),
        "FROM_FILE"
    );
}

#[test]
fn profiles_are_selected_by_name_then_aws_profile_then_default() {
    let dir = TempDir::new();
    dir.write(
        "credentials",
        "[default]\naws_access_key_id=DEFAULT\naws_secret_access_key=s\n\n# work account\n[work]\n  aws_access_key_id = WORK  \naws_secret_access_key = s\naws_session_token = tok ; comment\n",
    );
    dir.write(
        "config",
        "[profile dev]\naws_access_key_id = DEV\naws_secret_access_key = s\n",
    );
    assert_eq!(key_id(&DefaultChain::new(env(&dir, &[]), None)), "DEFAULT");
    let work = DefaultChain::new(env(&dir, &[("AWS_PROFILE", "work")]), None)
        .provide_credentials()
        .unwrap();
    // As the AWS CLI reads it: ` ; comment` after a value is part of it.
    assert_eq!(
        (work.access_key_id(), work.session_token()),
        ("WORK", Some("tok ; comment"))
    );
    assert_eq!(
        key_id(&DefaultChain::new(
            env(&dir, &[("AWS_PROFILE", "work")]),
            Some("dev".into())
        )),
        "DEV"
    );
    // AWS CLI v2 reads AWS_DEFAULT_PROFILE after AWS_PROFILE.
    let by_old_name = env(&dir, &[("AWS_DEFAULT_PROFILE", "work")]);
    assert_eq!(key_id(&DefaultChain::new(by_old_name, None)), "WORK");
    let both = env(
        &dir,
        &[("AWS_DEFAULT_PROFILE", "work"), ("AWS_PROFILE", "default")],
    );
    assert_eq!(key_id(&DefaultChain::new(both, None)), "DEFAULT");
    let missing = DefaultChain::new(env(&dir, &[]), Some("nope".into()))
        .provide_credentials()
        .unwrap_err();
    assert!(
        matches!(&missing, Error::InvalidConfig(m) if m.contains("\"nope\" was not found")),
        "{missing}"
    );
}

#[test]
fn static_keys_in_a_profile_are_read_as_botocore_reads_them() {
    let dir = TempDir::new();
    dir.write(
        "credentials",
        "[old]\naws_access_key_id = OLD\naws_secret_access_key = s\naws_security_token = first\naws_session_token = second\n\
         [partial]\naws_access_key_id = HALF\ncredential_process = echo never-run\n",
    );
    let old = DefaultChain::new(env(&dir, &[]), Some("old".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(old.session_token(), Some("first"));
    // A key id without its secret stops the search (the process is not run).
    let err = DefaultChain::new(env(&dir, &[]), Some("partial".into()))
        .provide_credentials()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Partial credentials found in the profile, missing: aws_secret_access_key"),
        "{err}"
    );
}

#[test]
fn credential_process_output_is_used_and_cached_until_near_expiry() {
    let dir = TempDir::new();
    let counter = dir.path("runs");
    let far = rfc3339(SystemTime::now() + Duration::from_secs(3600));
    dir.write("far.json", &format!(r#"{{"Version":1,"AccessKeyId":"ASIAPROCESS","SecretAccessKey":"s","SessionToken":"t","Expiration":"{far}"}}"#));
    let near = rfc3339(SystemTime::now() + Duration::from_secs(60));
    dir.write("near.json", &format!(r#"{{"Version":1,"AccessKeyId":"ASIANEAR","SecretAccessKey":"s","Expiration":"{near}"}}"#));
    dir.write(
        "config",
        &format!(
            "[default]\ncredential_process = sh -c 'echo run >> {counter}; cat {}'\n[profile near]\ncredential_process = cat {}\n",
            dir.path("far.json"),
            dir.path("near.json")
        ),
    );
    let chain = DefaultChain::new(env(&dir, &[]), None);
    for _ in 0..3 {
        let creds = chain.provide_credentials().unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.session_token()),
            ("ASIAPROCESS", Some("t"))
        );
    }
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap().lines().count(),
        1,
        "cached while far from expiry"
    );

    // Credentials that arrive with only a minute left are used for half of
    // it rather than fetched again on every call...
    let near_chain = DefaultChain::new(env(&dir, &[]), Some("near".into()));
    assert_eq!(key_id(&near_chain), "ASIANEAR");
    std::fs::write(
        dir.path("near.json"),
        r#"{"Version":1,"AccessKeyId":"ASIAREFRESHED","SecretAccessKey":"s"}"#,
    )
    .unwrap();
    assert_eq!(key_id(&near_chain), "ASIANEAR");
    // ...and ones already past their time are fetched again.
    let past = rfc3339(SystemTime::now() - Duration::from_secs(60));
    dir.write(
        "near.json",
        &format!(
            r#"{{"Version":1,"AccessKeyId":"ASIAOLD","SecretAccessKey":"s","Expiration":"{past}"}}"#
        ),
    );
    let stale_chain = DefaultChain::new(env(&dir, &[]), Some("near".into()));
    assert_eq!(key_id(&stale_chain), "ASIAOLD");
    std::fs::write(
        dir.path("near.json"),
        r#"{"Version":1,"AccessKeyId":"ASIAREFRESHED","SecretAccessKey":"s"}"#,
    )
    .unwrap();
    assert_eq!(key_id(&stale_chain), "ASIAREFRESHED");
}

#[test]
fn credential_process_failures_are_clear_and_never_panic() {
    let dir = TempDir::new();
    dir.write(
        "config",
        "[profile fails]\ncredential_process = sh -c 'echo token expired >&2; exit 3'\n\
         [profile garbage]\ncredential_process = echo not-json\n\
         [profile wrong-version]\ncredential_process = echo '{\"Version\":2,\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"TOPSECRET\"}'\n",
    );
    for (profile, expected) in [
        ("fails", "token expired"),
        ("garbage", "not a credentials JSON document"),
        ("wrong-version", "Version must be 1"),
    ] {
        let err = DefaultChain::new(env(&dir, &[]), Some(profile.into()))
            .provide_credentials()
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(expected), "{profile}: {text}");
        assert!(!text.contains("TOPSECRET"), "{text}");
    }
}

#[test]
fn incomplete_sso_profiles_say_what_is_missing() {
    let dir = TempDir::new();
    dir.write(
        "config",
        "[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
         [profile legacy]\nsso_start_url = https://x/start\nsso_account_id = 1\nsso_role_name = R\n\
         [profile norole]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 1\n",
    );
    for (profile, expected) in [
        ("sso", "no [sso-session corp] section"),
        ("legacy", "sso_region is missing"),
        ("norole", "sso_role_name is missing"),
    ] {
        let err = DefaultChain::new(env(&dir, &[]), Some(profile.into()))
            .provide_credentials()
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{profile}: {err}");
    }
}

#[test]
fn malformed_files_give_clear_errors() {
    let dir = TempDir::new();
    dir.write("credentials", "[default]\naws_access_key_id\n");
    let err = DefaultChain::new(env(&dir, &[]), None)
        .provide_credentials()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("credentials line 2") && text.contains("expected `key = value`"),
        "{text}"
    );
}

const CONTAINER_ANSWER: &str = r#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"tok","Expiration":"2999-01-01T00:00:00Z"}"#;

#[test]
fn container_credentials_use_the_full_uri_and_authorization_token() {
    let dir = TempDir::new();
    let server = RecordingServer::start(vec![Reply::json(200, CONTAINER_ANSWER)]);
    let uri = format!("{}/v2/credentials/abc", server.url());
    let chain = DefaultChain::new(
        env(
            &dir,
            &[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc"),
            ],
        ),
        None,
    );
    let creds = chain.provide_credentials().unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.session_token()),
        ("ASIACONTAINER", Some("tok"))
    );
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/v2/credentials/abc")
    );
    assert_eq!(request.header("authorization"), Some("Basic abc"));
}

#[test]
fn container_token_file_wins_and_is_read_for_eks_pod_identity() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "eks-pod-token\n");
    let server = RecordingServer::start(vec![Reply::json(200, CONTAINER_ANSWER)]);
    let chain = DefaultChain::new(
        env(
            &dir,
            &[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &server.url()),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"),
                (
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                    token_file.to_str().unwrap(),
                ),
            ],
        ),
        None,
    );
    chain.provide_credentials().unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("eks-pod-token")
    );
}

#[test]
fn container_errors_are_reported() {
    let dir = TempDir::new();
    let server = RecordingServer::start(vec![Reply::json(200, "{\"AccessKeyId\":")]);
    let err = DefaultChain::new(
        env(
            &dir,
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &server.url())],
        ),
        None,
    )
    .provide_credentials()
    .unwrap_err();
    assert!(err.to_string().contains("container endpoint"), "{err}");
    let err = DefaultChain::new(
        env(
            &dir,
            &[(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://example.com/creds",
            )],
        ),
        None,
    )
    .provide_credentials()
    .unwrap_err();
    assert!(err.to_string().contains("loopback"), "{err}");
}

fn imds_server() -> RecordingServer {
    let token = Reply::Respond {
        status: 200,
        headers: vec![],
        body: b"IMDS-SESSION-TOKEN".to_vec(),
    };
    imds_server_after(vec![token], "ASIAIMDS")
}

#[test]
fn imdsv2_fetches_a_session_token_first_and_uses_it() {
    let dir = TempDir::new();
    let server = imds_server();
    let chain = DefaultChain::new(imds_env(&dir, &server), None);
    assert_eq!(key_id(&chain), "ASIAIMDS");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("PUT", "/latest/api/token")
    );
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(
        requests[1].path,
        "/latest/meta-data/iam/security-credentials/"
    );
    assert_eq!(
        requests[2].path,
        "/latest/meta-data/iam/security-credentials/my-instance-role"
    );
    for request in &requests[1..] {
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.header("x-aws-ec2-metadata-token"),
            Some("IMDS-SESSION-TOKEN")
        );
    }
}

/// The instance role's two answers (credentials with `key_id`), after
/// whatever the token request gets.
fn imds_server_after(token_replies: Vec<Reply>, key_id: &str) -> RecordingServer {
    let mut replies = token_replies;
    replies.extend([
        Reply::Respond {
            status: 200,
            headers: vec![],
            body: b"my-instance-role\n".to_vec(),
        },
        Reply::json(
            200,
            &format!(
                r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{key_id}","SecretAccessKey":"s","Token":"t","Expiration":"2999-01-01T00:00:00Z"}}"#
            ),
        ),
    ]);
    RecordingServer::start(replies)
}

#[test]
fn without_a_token_imdsv1_is_used_unless_disabled() {
    let dir = TempDir::new();
    // A service that refuses tokens: botocore (the AWS CLI) goes on without.
    for status in [403, 404, 405] {
        let server = imds_server_after(vec![Reply::json(status, "")], "ASIAV1");
        let chain = DefaultChain::new(imds_env(&dir, &server), None);
        assert_eq!(key_id(&chain), "ASIAV1", "{status}");
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0].method, "PUT");
        for request in &requests[1..] {
            assert_eq!(request.method, "GET");
            assert_eq!(request.header("x-aws-ec2-metadata-token"), None);
        }
    }

    // Turned off by the variable or the profile: no request without a token.
    dir.write("config", "[default]\nec2_metadata_v1_disabled = true\n");
    for vars in [&[("AWS_EC2_METADATA_V1_DISABLED", "true")][..], &[][..]] {
        let server = imds_server_after(vec![Reply::json(403, "")], "ASIAV1");
        let url = server.url();
        let mut all = vec![
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str()),
        ];
        all.extend_from_slice(vars);
        let err = DefaultChain::new(env(&dir, &all), None)
            .provide_credentials()
            .unwrap_err();
        assert!(err.to_string().contains("IMDSv1 is disabled"), "{err}");
        assert_eq!(server.requests().len(), 1, "{vars:?}");
    }
}

#[test]
fn metadata_requests_are_tried_as_often_as_configured() {
    let dir = TempDir::new();
    let token = Reply::Respond {
        status: 200,
        headers: vec![],
        body: b"TOKEN".to_vec(),
    };
    let server = imds_server_after(
        vec![Reply::json(500, ""), Reply::json(503, ""), token],
        "ASIAV1",
    );
    let mut vars = vec![
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"),
    ];
    let url = server.url();
    vars.push(("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url));
    assert_eq!(key_id(&DefaultChain::new(env(&dir, &vars), None)), "ASIAV1");
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    assert_eq!(
        requests[3].header("x-aws-ec2-metadata-token"),
        Some("TOKEN")
    );
}

#[test]
fn nothing_configured_lists_what_was_tried() {
    let dir = TempDir::new();
    let err = DefaultChain::new(env(&dir, &[]), None)
        .provide_credentials()
        .unwrap_err();
    let Error::MissingCredentials(tried) = &err else {
        panic!("{err:?}")
    };
    for source in [
        "environment variables",
        "profile \"default\"",
        "container credentials",
        "EC2 instance metadata",
    ] {
        assert!(tried.contains(source), "{source} missing from: {tried}");
    }
}

#[test]
fn an_unanswering_metadata_service_gives_up_quickly() {
    let dir = TempDir::new();
    let server = RecordingServer::start(vec![Reply::Silence(Duration::from_secs(120))]);
    let started = std::time::Instant::now();
    let chain = DefaultChain::new(imds_env(&dir, &server), None);
    let err = chain.provide_credentials().unwrap_err();
    assert!(matches!(err, Error::MissingCredentials(_)), "{err}");
    // One second for the token, one for the IMDSv1 request that follows:
    // about 2 s. The bound is far above that
    // (a busy machine is no failure) and far below the server's 120 s of
    // silence (no timeout would be).
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn region_comes_from_the_environment_then_the_profile_then_imds() {
    let dir = TempDir::new();
    dir.write(
        "config",
        "[default]\nregion = eu-central-1\n[profile other]\nregion = ap-northeast-1\n",
    );
    let build = |env: Env| {
        ClientBuilder::from_environment(env)
            .build()
            .map(|c| c.region().to_owned())
    };
    assert_eq!(
        build(env(&dir, &[("AWS_REGION", "us-west-2")])).unwrap(),
        "us-west-2"
    );
    assert_eq!(build(env(&dir, &[])).unwrap(), "eu-central-1");
    assert_eq!(
        build(env(&dir, &[("AWS_PROFILE", "other")])).unwrap(),
        "ap-northeast-1"
    );
    assert_eq!(
        ClientBuilder::from_environment(env(&dir, &[]))
            .region("sa-east-1")
            .build()
            .unwrap()
            .region(),
        "sa-east-1"
    );

    let empty = TempDir::new();
    assert!(matches!(build(env(&empty, &[])), Err(Error::MissingRegion)));
    let server = RecordingServer::start(vec![
        Reply::Respond {
            status: 200,
            headers: vec![],
            body: b"TOKEN".to_vec(),
        },
        Reply::Respond {
            status: 200,
            headers: vec![],
            body: b"ca-west-1".to_vec(),
        },
    ]);
    assert_eq!(build(imds_env(&empty, &server)).unwrap(), "ca-west-1");
    assert_eq!(
        server.requests()[1].path,
        "/latest/meta-data/placement/region"
    );
}

#[test]
fn profile_credentials_sign_requests_the_fake_accepts() {
    let dir = TempDir::new();
    let fake = fake_appflow::FakeAppFlow::start().unwrap();
    dir.write(
        "config",
        &format!(
            "[profile local]\nregion = us-west-2\nendpoint_url = {}\n",
            fake.endpoint_url()
        ),
    );
    dir.write(
        "credentials",
        &format!(
            "[local]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            fake_appflow::TEST_ACCESS_KEY_ID,
            fake_appflow::TEST_SECRET_ACCESS_KEY
        ),
    );
    let client = ClientBuilder::from_environment(env(&dir, &[]))
        .profile("local")
        .build()
        .unwrap();
    let out = client
        .register_connector()
        .connector_label("from-profile")
        .send()
        .unwrap();
    assert_eq!(
        out.connector_arn(),
        Some("arn:aws:appflow:us-west-2:123456789012:connector/from-profile")
    );
}

#[test]
fn secrets_never_show_in_debug_output_or_errors() {
    let dir = TempDir::new();
    dir.write(
        "credentials",
        "[default]\naws_access_key_id = AKIAVISIBLE\naws_secret_access_key = SECRET-IN-FILE\naws_session_token = TOKEN-IN-FILE\n",
    );
    let client = ClientBuilder::from_environment(env(&dir, &[("AWS_REGION", "us-east-1")]))
        .build()
        .unwrap();
    let request = client
        .register_connector()
        .connector_label("dbg")
        .signed_request(SystemTime::now())
        .unwrap();
    for shown in [format!("{client:?}"), format!("{request:?}")] {
        for secret in ["SECRET-IN-FILE", "TOKEN-IN-FILE"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
    }
    assert!(format!("{request:?}").contains("** redacted **"));
    let chain = DefaultChain::new(env(&dir, &[]), None);
    let _ = chain.provide_credentials();
    assert!(!format!("{chain:?}").contains("SECRET-IN-FILE"));
    let broken = TempDir::new();
    broken.write(
        "config",
        "[profile broken]\naws_secret_access_key SECRET-ON-BAD-LINE\n",
    );
    let err = DefaultChain::new(env(&broken, &[("AWS_PROFILE", "broken")]), None)
        .provide_credentials()
        .unwrap_err();
    assert!(!err.to_string().contains("SECRET-ON-BAD-LINE"), "{err}");
    assert!(
        !format!("{err:?}").contains("SECRET-ON-BAD-LINE"),
        "{err:?}"
    );
}

#[test]
fn disabled_instance_metadata_is_never_contacted() {
    let dir = TempDir::new();
    let server = imds_server();
    let disabled = env(
        &dir,
        &[
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
        ],
    );
    // No credentials and no region anywhere else: both lookups would fall
    // through to instance metadata if it were not disabled.
    let err = DefaultChain::new(disabled.clone(), None)
        .provide_credentials()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("disabled by AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
    assert!(matches!(
        ClientBuilder::from_environment(disabled).build(),
        Err(Error::MissingRegion)
    ));
    assert_eq!(server.connections(), 0, "not even a TCP connection");
}

#[test]
fn metadata_endpoints_never_go_through_a_proxy() {
    let dir = TempDir::new();
    let server = imds_server();
    let proxy = RecordingServer::start(vec![Reply::json(502, "{}")]);
    let container = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2999-01-01T00:00:00Z"}"#,
    )]);
    let proxy_url = proxy.url();
    let imds_url = server.url();
    let full_uri = format!("{}/creds", container.url());
    let imds_vars = [
        ("HTTP_PROXY", proxy_url.as_str()),
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url.as_str()),
    ];
    assert_eq!(
        key_id(&DefaultChain::new(env(&dir, &imds_vars), None)),
        "ASIAIMDS"
    );
    let container_vars = [
        ("HTTP_PROXY", proxy_url.as_str()),
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.as_str()),
    ];
    assert_eq!(
        key_id(&DefaultChain::new(env(&dir, &container_vars), None)),
        "ASIACONTAINER"
    );
    assert_eq!(proxy.connections(), 0, "the proxy saw nothing");
}

#[test]
fn a_password_in_the_metadata_endpoint_never_shows_in_errors() {
    let dir = TempDir::new();
    // Nothing listens on port 0: the connection is refused at once.
    let chain = DefaultChain::new(
        env(
            &dir,
            &[
                ("AWS_EC2_METADATA_DISABLED", "false"),
                (
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                    "http://metadata-user:HUNTER2-PASSWORD@127.0.0.1:0",
                ),
            ],
        ),
        None,
    );
    let err = chain.provide_credentials().unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("EC2 instance metadata at"), "{shown}");
    assert!(!shown.contains("HUNTER2-PASSWORD"), "{shown}");
    assert!(!shown.contains("metadata-user"), "{shown}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_shared_config_file_that_is_a_fifo_is_refused_not_waited_on() {
    let dir = TempDir::new();
    let fifo = dir.0.join("config");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // Without the check this blocks forever: no writer ever opens the FIFO.
    let err = DefaultChain::new(env(&dir, &[]), None)
        .provide_credentials()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidConfig(_)), "{err:?}");
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

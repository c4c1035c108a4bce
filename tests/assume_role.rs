//! Assumed roles and web identity against a fake STS (a recording server
//! whose signature check is independent of the crate's signer): role chains,
//! credential sources, cycles, errors, refresh, and the token file re-read.

mod support;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use appflow_lite::config::Env;
use appflow_lite::credentials::{DefaultChain, ProvideCredentials};
use appflow_lite::sigv4::format_amz_date;
use support::{Recorded, RecordingServer, Reply, sigv4_check};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("appflow-sts-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
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

/// An STS answer with credentials `id`/`secret`/`token`, valid for `valid`.
fn credentials_answer(action: &str, id: &str, valid: Duration) -> Reply {
    answer_expiring(action, id, SystemTime::now() + valid)
}

/// An STS answer with credentials that expire at `expires`.
fn answer_expiring(action: &str, id: &str, expires: SystemTime) -> Reply {
    let body = format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{action}Result><Credentials>
<AccessKeyId>{id}</AccessKeyId><SecretAccessKey>secret-of-{id}</SecretAccessKey>
<SessionToken>token-of-{id}&amp;more</SessionToken><Expiration>{}</Expiration>
</Credentials></{action}Result></{action}Response>"#,
        rfc3339(expires)
    );
    Reply::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "text/xml".into())],
        body: body.into_bytes(),
    }
}

fn form(request: &Recorded) -> Vec<(String, String)> {
    String::from_utf8(request.body.clone())
        .unwrap()
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                let mut out = Vec::new();
                let bytes = s.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == b'%' {
                        out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                        i += 3;
                    } else {
                        out.push(bytes[i]);
                        i += 1;
                    }
                }
                String::from_utf8(out).unwrap()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn field(request: &Recorded, name: &str) -> Option<String> {
    form(request)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn env(dir: &TempDir, sts: &RecordingServer, vars: &[(&str, &str)]) -> Env {
    let mut all: Vec<(String, String)> = vec![
        (
            "AWS_CONFIG_FILE".into(),
            dir.0.join("config").to_string_lossy().into_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            dir.0.join("credentials").to_string_lossy().into_owned(),
        ),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ("AWS_ENDPOINT_URL_STS".into(), sts.url()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(all)
}

const BASE: &str =
    "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n";

#[test]
fn a_role_is_assumed_with_the_source_profiles_keys() {
    let dir = TempDir::new("simple");
    dir.write(
        "config",
        &format!(
            "{BASE}[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n\
             external_id = ext-42\nduration_seconds = 1800\nrole_session_name = my-session\nregion = eu-west-1\n"
        ),
    );
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "ASIAAPP",
        Duration::from_secs(3600),
    )]);
    let chain = DefaultChain::new(env(&dir, &sts, &[]), Some("app".into()));
    let creds = chain.provide_credentials().unwrap();
    assert_eq!(creds.access_key_id(), "ASIAAPP");
    assert_eq!(creds.secret_access_key(), "secret-of-ASIAAPP");
    assert_eq!(creds.session_token(), Some("token-of-ASIAAPP&more"));
    assert!(creds.expires_at().is_some());

    let [request] = sts.requests().try_into().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    assert_eq!(
        form(&request),
        [
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", "arn:aws:iam::123456789012:role/app"),
            ("RoleSessionName", "my-session"),
            ("ExternalId", "ext-42"),
            ("DurationSeconds", "1800"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(
        sigv4_check::verify(&request, "base-secret", "sts"),
        Ok("AKIDBASE".into())
    );
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("/eu-west-1/sts/aws4_request")
    );

    // Cached until near expiry: no second call.
    chain.provide_credentials().unwrap();
    assert_eq!(sts.requests().len(), 1);
}

#[test]
fn roles_chain_through_source_profiles() {
    let dir = TempDir::new("chain");
    dir.write(
        "config",
        &format!(
            "{BASE}[profile first]\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = base\n\
             [profile second]\nrole_arn = arn:aws:iam::2:role/second\nsource_profile = first\n"
        ),
    );
    let sts = RecordingServer::start(vec![
        credentials_answer("AssumeRole", "ASIAFIRST", Duration::from_secs(3600)),
        credentials_answer("AssumeRole", "ASIASECOND", Duration::from_secs(3600)),
    ]);
    let creds = DefaultChain::new(env(&dir, &sts, &[]), Some("second".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIASECOND");
    let [first, second] = sts.requests().try_into().unwrap();
    assert_eq!(
        field(&first, "RoleArn").as_deref(),
        Some("arn:aws:iam::1:role/first")
    );
    assert!(
        field(&first, "RoleSessionName")
            .unwrap()
            .starts_with("appflow-lite-session-")
    );
    assert_eq!(
        sigv4_check::verify(&first, "base-secret", "sts"),
        Ok("AKIDBASE".into())
    );
    // The second call is signed with the first role's temporary credentials.
    assert_eq!(
        field(&second, "RoleArn").as_deref(),
        Some("arn:aws:iam::2:role/second")
    );
    assert_eq!(
        sigv4_check::verify(&second, "secret-of-ASIAFIRST", "sts"),
        Ok("ASIAFIRST".into())
    );
    assert_eq!(
        second.header("x-amz-security-token"),
        Some("token-of-ASIAFIRST&more")
    );
}

#[test]
fn cycles_and_impossible_profiles_are_clear_errors() {
    let dir = TempDir::new("errors");
    dir.write(
        "config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n\
         [profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = a\nmfa_serial = arn:aws:iam::1:mfa/me\n\
         [profile nosource]\nrole_arn = arn:aws:iam::1:role/n\n\
         [profile badsource]\nrole_arn = arn:aws:iam::1:role/n\ncredential_source = Somewhere\n\
         [profile missing]\nrole_arn = arn:aws:iam::1:role/n\nsource_profile = ghost\n",
    );
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "X",
        Duration::from_secs(3600),
    )]);
    for (profile, expected) in [
        ("a", "cycle: a -> b -> a"),
        ("mfa", "mfa_serial"),
        ("nosource", "needs a source_profile or a credential_source"),
        ("badsource", "\"Somewhere\" is not Environment"),
        ("missing", "\"ghost\""),
    ] {
        let err = DefaultChain::new(env(&dir, &sts, &[]), Some(profile.into()))
            .provide_credentials()
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{profile}: {err}");
    }
    assert!(
        sts.requests().is_empty(),
        "nothing is sent for a broken profile"
    );
}

#[test]
fn credential_source_environment_and_sts_errors() {
    let dir = TempDir::new("source");
    dir.write(
        "config",
        "[profile env-role]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n",
    );
    let denied = Reply::Respond {
        status: 403,
        headers: vec![],
        body: b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed \x1b[31m</Message></Error></ErrorResponse>".to_vec(),
    };
    let sts = RecordingServer::start(vec![denied]);
    let vars = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ];
    let err = DefaultChain::new(env(&dir, &sts, &vars), Some("env-role".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(err.contains("AccessDenied (403): not allowed"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    let [request] = sts.requests().try_into().unwrap();
    assert_eq!(
        sigv4_check::verify(&request, "env-secret", "sts"),
        Ok("AKIDENV".into())
    );
}

#[test]
fn an_explicit_profile_beats_environment_keys_but_aws_profile_does_not() {
    let dir = TempDir::new("explicit");
    dir.write(
        "config",
        &format!(
            "{BASE}[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\n"
        ),
    );
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "ASIAAPP",
        Duration::from_secs(3600),
    )]);
    let vars = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("AWS_PROFILE", "app"),
    ];
    let from_aws_profile = DefaultChain::new(env(&dir, &sts, &vars), None)
        .provide_credentials()
        .unwrap();
    assert_eq!(from_aws_profile.access_key_id(), "AKIDENV");
    let named = DefaultChain::new(env(&dir, &sts, &vars), Some("app".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(named.access_key_id(), "ASIAAPP");
}

#[test]
fn web_identity_reads_the_token_file_at_every_refresh() {
    let dir = TempDir::new("web");
    dir.write("config", "");
    let token_file = dir.write("token", "first-token\n");
    // Credentials already past their refresh time: the next call refreshes.
    let sts = RecordingServer::start(vec![
        answer_expiring(
            "AssumeRoleWithWebIdentity",
            "ASIAWEB1",
            SystemTime::now() - Duration::from_secs(60),
        ),
        credentials_answer(
            "AssumeRoleWithWebIdentity",
            "ASIAWEB2",
            Duration::from_secs(3600),
        ),
    ]);
    let vars = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
        ("AWS_ROLE_SESSION_NAME", "pod-session"),
    ];
    let chain = DefaultChain::new(env(&dir, &sts, &vars), None);
    assert_eq!(
        chain.provide_credentials().unwrap().access_key_id(),
        "ASIAWEB1"
    );
    dir.write("token", "rotated-token\n");
    let second = chain.provide_credentials().unwrap();
    assert_eq!(second.access_key_id(), "ASIAWEB2");
    let [first, second] = sts.requests().try_into().unwrap();
    assert_eq!(
        field(&first, "Action").as_deref(),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(
        field(&first, "RoleSessionName").as_deref(),
        Some("pod-session")
    );
    assert_eq!(
        field(&first, "WebIdentityToken").as_deref(),
        Some("first-token")
    );
    assert_eq!(
        field(&second, "WebIdentityToken").as_deref(),
        Some("rotated-token")
    );
    assert_eq!(
        first.header("authorization"),
        None,
        "web identity calls are unsigned"
    );
}

#[test]
fn web_identity_from_a_profile() {
    let dir = TempDir::new("webprofile");
    let token_file = dir.write("token", "profile-token");
    dir.write(
        "config",
        &format!("[profile pod]\nrole_arn = arn:aws:iam::1:role/p\nweb_identity_token_file = {token_file}\n"),
    );
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRoleWithWebIdentity",
        "ASIAPOD",
        Duration::from_secs(3600),
    )]);
    let creds = DefaultChain::new(env(&dir, &sts, &[]), Some("pod".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAPOD");
    let [request] = sts.requests().try_into().unwrap();
    assert_eq!(
        field(&request, "WebIdentityToken").as_deref(),
        Some("profile-token")
    );
}

#[test]
fn sts_is_called_in_the_clients_region() {
    let dir = TempDir::new("region");
    dir.write(
        "config",
        &format!("{BASE}[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\nregion = eu-west-1\n"),
    );
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "ASIAAPP",
        Duration::from_secs(3600),
    )]);
    let appflow = RecordingServer::start(vec![Reply::json(200, r#"{"connectorArn":"arn:x"}"#)]);
    let appflow_url = appflow.url();
    let vars = [("AWS_ENDPOINT_URL_APPFLOW", appflow_url.as_str())];
    // As with `aws --region eu-central-1 --profile app`: the region given
    // for the call is the one STS is asked in.
    let client = appflow_lite::ClientBuilder::from_environment(env(&dir, &sts, &vars))
        .profile("app")
        .region("eu-central-1")
        .build()
        .unwrap();
    client
        .register_connector()
        .connector_label("ab")
        .send()
        .unwrap();
    let [assume] = sts.requests().try_into().unwrap();
    assert!(
        assume
            .header("authorization")
            .unwrap()
            .contains("/eu-central-1/sts/aws4_request"),
        "{:?}",
        assume.header("authorization")
    );
    let [call] = appflow.requests().try_into().unwrap();
    assert!(
        call.header("authorization")
            .unwrap()
            .starts_with("AWS4-HMAC-SHA256 Credential=ASIAAPP/")
    );
}

fn fast_retries() -> appflow_lite::RetryConfig {
    appflow_lite::RetryConfig::STANDARD
        .with_backoff(Duration::from_millis(1), Duration::from_millis(1))
}

#[test]
fn an_endless_source_profile_chain_is_a_clear_error_not_a_stack_overflow() {
    let dir = TempDir::new("deep");
    // 10,000 roles, each the source of the one before; the last has keys.
    let mut config = String::with_capacity(10_000 * 80);
    for i in 0..10_000 {
        config.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::1:role/r{i}\nsource_profile = p{}\n",
            i + 1
        ));
    }
    config.push_str("[profile p10000]\naws_access_key_id = AKIDEND\naws_secret_access_key = s\n");
    dir.write("config", &config);
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "X",
        Duration::from_secs(3600),
    )]);
    let err = DefaultChain::new(env(&dir, &sts, &[]), Some("p0".into()))
        .provide_credentials()
        .unwrap_err();
    assert!(
        matches!(err, appflow_lite::Error::InvalidConfig(_)),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("source_profile chain from \"p0\" is longer than 64 profiles"),
        "{err}"
    );
    assert!(sts.requests().is_empty(), "refused before any call");
}

#[test]
fn a_chain_of_sixty_four_roles_still_works() {
    let dir = TempDir::new("long");
    let mut config = String::from(BASE);
    for i in 0..64 {
        let source = if i == 63 {
            "base".to_owned()
        } else {
            format!("r{}", i + 1)
        };
        config.push_str(&format!(
            "[profile r{i}]\nrole_arn = arn:aws:iam::1:role/r{i}\nsource_profile = {source}\n"
        ));
    }
    dir.write("config", &config);
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "ASIACHAIN",
        Duration::from_secs(3600),
    )]);
    let creds = DefaultChain::new(env(&dir, &sts, &[]), Some("r0".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIACHAIN");
    assert_eq!(sts.requests().len(), 64);
}

#[test]
fn sts_errors_that_quote_a_secret_are_masked() {
    let dir = TempDir::new("masked");
    let token_file = dir.write("token", "WEB-IDENTITY-TOKEN-VALUE");
    dir.write(
        "config",
        &format!(
            "{BASE}[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\n\
             [profile web]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {token_file}\n"
        ),
    );
    let echo = |what: &str| {
        Reply::Respond {
        status: 400,
        headers: vec![],
        body: format!(
            "<ErrorResponse><Error><Code>InvalidParameter</Code><Message>bad: {what}</Message></Error></ErrorResponse>"
        )
        .into_bytes(),
    }
    };
    let sts = RecordingServer::start(vec![echo("signed with base-secret-value-long")]);
    dir.write(
        "credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret-value-long\n",
    );
    let err = DefaultChain::new(env(&dir, &sts, &[]), Some("app".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(err.contains("InvalidParameter"), "{err}");
    assert!(!err.contains("base-secret-value-long"), "{err}");

    let sts = RecordingServer::start(vec![echo("token WEB-IDENTITY-TOKEN-VALUE expired")]);
    let err = DefaultChain::new(env(&dir, &sts, &[]), Some("web".into()))
        .provide_credentials()
        .unwrap_err()
        .to_string();
    assert!(err.contains("InvalidParameter"), "{err}");
    assert!(!err.contains("WEB-IDENTITY-TOKEN-VALUE"), "{err}");
}

#[test]
fn sts_calls_are_retried_on_throttling_and_server_errors_only() {
    let dir = TempDir::new("retries");
    dir.write(
        "config",
        &format!(
            "{BASE}[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\n"
        ),
    );
    let throttled = Reply::Respond {
        status: 400,
        headers: vec![],
        body: b"<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>".to_vec(),
    };
    let sts = RecordingServer::start(vec![
        Reply::json(503, ""),
        throttled,
        credentials_answer("AssumeRole", "ASIARETRIED", Duration::from_secs(3600)),
    ]);
    let creds = DefaultChain::new(env(&dir, &sts, &[]), Some("app".into()))
        .retry_config(fast_retries())
        .provide_credentials()
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIARETRIED");
    assert_eq!(sts.requests().len(), 3);

    // Three attempts in all by default, then the last answer is the error.
    let sts = RecordingServer::start(vec![Reply::json(500, "")]);
    let err = DefaultChain::new(env(&dir, &sts, &[]), Some("app".into()))
        .retry_config(fast_retries())
        .provide_credentials()
        .unwrap_err();
    assert!(err.to_string().contains("(500)"), "{err}");
    assert_eq!(sts.requests().len(), 3);

    // A refusal is final.
    let denied = Reply::Respond {
        status: 403,
        headers: vec![],
        body: b"<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>".to_vec(),
    };
    let sts = RecordingServer::start(vec![denied]);
    let _ = DefaultChain::new(env(&dir, &sts, &[]), Some("app".into()))
        .retry_config(fast_retries())
        .provide_credentials();
    assert_eq!(sts.requests().len(), 1);
}

#[test]
fn the_builders_proxy_setting_reaches_sts() {
    let dir = TempDir::new("proxy");
    dir.write(
        "config",
        &format!(
            "{BASE}[profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\n"
        ),
    );
    // Refuses whatever it is asked: only its log matters.
    let proxy = RecordingServer::start(vec![Reply::json(502, "{}")]);
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "ASIADIRECT",
        Duration::from_secs(3600),
    )]);
    let appflow = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"connectorArn":"arn:aws:appflow:us-east-1:1:connector/c"}"#,
    )]);
    let vars = [
        ("HTTP_PROXY", proxy.url()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_PROFILE", "app".to_owned()),
        ("AWS_ENDPOINT_URL_APPFLOW", appflow.url()),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let client = appflow_lite::ClientBuilder::from_environment(env(&dir, &sts, &vars))
        .proxy(None)
        .max_attempts(1)
        .build()
        .unwrap();
    client
        .register_connector()
        .connector_label("direct")
        .send()
        .unwrap();
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert_eq!(sts.requests().len(), 1);
    assert_eq!(appflow.requests().len(), 1);

    // And an explicit proxy carries STS too.
    let client = appflow_lite::ClientBuilder::from_environment(env(&dir, &sts, &vars[1..]))
        .proxy(Some(&proxy.url()))
        .max_attempts(1)
        .build()
        .unwrap();
    let result = client
        .register_connector()
        .connector_label("via-proxy")
        .send();
    assert!(
        matches!(result, Err(appflow_lite::Error::MissingCredentials(_))),
        "{result:?}"
    );
    assert!(
        proxy.requests().iter().any(|r| r.path == sts.host()),
        "{:?}",
        proxy.requests()
    );
}

#[test]
fn precedence_inside_and_between_sources() {
    let dir = TempDir::new("precedence");
    // One profile with static keys and a role: the role wins, signed with
    // its source's keys, as in the AWS CLI.
    dir.write(
        "config",
        &format!(
            "{BASE}[profile both]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = static\n\
             role_arn = arn:aws:iam::1:role/both\nsource_profile = base\n\
             [profile split]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = from-config\n"
        ),
    );
    // The credentials file wins over the config file for the same profile.
    dir.write(
        "credentials",
        "[split]\naws_access_key_id = AKIDCREDENTIALS\naws_secret_access_key = from-credentials\n",
    );
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRole",
        "ASIAROLE",
        Duration::from_secs(3600),
    )]);
    let both = DefaultChain::new(env(&dir, &sts, &[]), Some("both".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(both.access_key_id(), "ASIAROLE");
    assert_eq!(
        sigv4_check::verify(&sts.requests()[0], "base-secret", "sts"),
        Ok("AKIDBASE".into())
    );
    let split = DefaultChain::new(env(&dir, &sts, &[]), Some("split".into()))
        .provide_credentials()
        .unwrap();
    assert_eq!(
        (split.access_key_id(), split.secret_access_key()),
        ("AKIDCREDENTIALS", "from-credentials")
    );

    // Keys in the environment win over web identity in the environment;
    // without them, web identity is used.
    let token_file = dir.write("token", "jwt");
    let web = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
    ];
    let with_keys: Vec<_> = web
        .iter()
        .copied()
        .chain([
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ])
        .collect();
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRoleWithWebIdentity",
        "ASIAWEB",
        Duration::from_secs(3600),
    )]);
    let keys = DefaultChain::new(env(&dir, &sts, &with_keys), None)
        .provide_credentials()
        .unwrap();
    assert_eq!(keys.access_key_id(), "AKIDENV");
    assert!(sts.requests().is_empty());
    let web_only = DefaultChain::new(env(&dir, &sts, &web), None)
        .provide_credentials()
        .unwrap();
    assert_eq!(web_only.access_key_id(), "ASIAWEB");
}

#[cfg(target_os = "linux")]
#[test]
fn a_web_identity_token_file_that_is_a_fifo_is_refused_not_waited_on() {
    let dir = TempDir::new("fifo");
    dir.write("config", "");
    let fifo = dir.0.join("token");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo = fifo.to_string_lossy().into_owned();
    let sts = RecordingServer::start(vec![credentials_answer(
        "AssumeRoleWithWebIdentity",
        "ASIAWEB",
        Duration::from_secs(3600),
    )]);
    let vars = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", fifo.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
    ];
    // Without the check this blocks forever: no writer ever opens the FIFO.
    let err = DefaultChain::new(env(&dir, &sts, &vars), None)
        .provide_credentials()
        .unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(sts.requests().is_empty());
}

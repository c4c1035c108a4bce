//! `examples/appflow` as an AWS CLI user drives it: outputs, messages and
//! exit codes, against a local recording server.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use support::{RecordingServer, Reply};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-connector";

/// The tool, with an environment that holds only what each test sets: no
/// shared files, no container or instance metadata, no proxy or FIPS or
/// retry settings from the machine running the tests.
fn appflow() -> Command {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let mut command = Command::new(PATH.get_or_init(|| support::example("appflow")));
    command
        .env_clear()
        // `credential_process` helpers run through `sh`.
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_CONFIG_FILE", "/nonexistent/appflow-lite/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/appflow-lite/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "us-east-1");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command
        .output()
        .expect("the example was built by cargo test");
    (status.code().unwrap_or(-1), text(&stdout), text(&stderr))
}

#[test]
fn success_prints_the_output_as_the_aws_cli_does() {
    let server = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"connectorArn":"arn:aws:appflow:us-east-1:1:connector/c"}"#,
    )]);
    let (code, stdout, stderr) = run(appflow().args([
        "register-connector",
        "--connector-label",
        "my-conn",
        "--connector-provisioning-type",
        "LAMBDA",
        &format!("--connector-provisioning-config={{\"lambda\":{{\"lambdaArn\":\"{ARN}\"}}}}"),
        "--endpoint-url",
        &server.url(),
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "{\n    \"connectorArn\": \"arn:aws:appflow:us-east-1:1:connector/c\"\n}\n"
    );
    let [request] = server.requests().try_into().unwrap();
    let body = request.body_json();
    assert_eq!(
        body["connectorProvisioningConfig"]["lambda"]["lambdaArn"],
        ARN
    );
    assert_eq!(body["connectorProvisioningType"], "LAMBDA");
}

#[test]
fn cli_input_json_from_a_file_with_options_on_top() {
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let dir = std::env::temp_dir().join(format!("appflow-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("input.json");
    std::fs::write(
        &file,
        r#"{"connectorLabel":"from-file","description":"kept","clientToken":"t-1"}"#,
    )
    .unwrap();
    let (code, _, stderr) = run(appflow().args([
        "--endpoint-url",
        &server.url(),
        "register-connector",
        &format!("--cli-input-json=file://{}", file.display()),
        "--connector-label",
        "from-option",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let body = server.requests()[0].body_json();
    assert_eq!(
        (
            body["connectorLabel"].as_str(),
            body["description"].as_str(),
            body["clientToken"].as_str()
        ),
        (Some("from-option"), Some("kept"), Some("t-1"))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn service_errors_exit_254_with_the_aws_cli_sentence() {
    let server = RecordingServer::start(vec![
        Reply::json(409, r#"{"message":"label taken"}"#)
            .with_header("x-amzn-errortype", "ConflictException")
            .with_header("x-amzn-requestid", "rid-7"),
    ]);
    let (code, stdout, stderr) = run(appflow().args([
        "register-connector",
        "--connector-label",
        "my-conn",
        "--region",
        "eu-west-1",
        "--endpoint-url",
        &server.url(),
    ]));
    assert_eq!((code, stdout.as_str()), (254, ""));
    // Exactly AWS CLI v2's lines: no request id (the CLI shows none).
    assert_eq!(
        stderr,
        "\nAn error occurred (ConflictException) when calling the RegisterConnector operation: label taken\n"
    );
    let request = &server.requests()[0];
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("/eu-west-1/appflow/")
    );
}

#[test]
fn invalid_parameters_exit_252_and_send_nothing() {
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    for args in [
        vec!["register-connector", "--connector-label", "!"],
        vec![
            "register-connector",
            "--connector-provisioning-type",
            "DOCKER",
        ],
        vec![
            "register-connector",
            "--connector-provisioning-config",
            "{\"lambda\":{}}",
        ],
        vec![
            "register-connector",
            "--connector-provisioning-config",
            "not json",
        ],
        vec!["register-connector", "--no-such-option", "x"],
        vec!["no-such-operation"],
        vec![],
    ] {
        let (code, _, stderr) = run(appflow()
            .args(&args)
            .args(["--endpoint-url", &server.url()]));
        assert_eq!(code, 252, "{args:?}: {stderr}");
        assert!(!stderr.is_empty());
    }
    let (_, _, stderr) = run(appflow().args([
        "register-connector",
        "--connector-label",
        "!",
        "--endpoint-url",
        &server.url(),
    ]));
    assert!(stderr.contains("connectorLabel"), "{stderr}");
    assert!(server.requests().is_empty());
}

#[test]
fn connection_failures_exit_255_and_configuration_problems_253() {
    // Nothing ever listens on port 0, so the connection is always refused
    // (a port bound and dropped here could be taken by another process).
    let port = 0;
    let (code, _, stderr) = run(appflow().args([
        "register-connector",
        "--connector-label",
        "ab",
        "--endpoint-url",
        &format!("http://127.0.0.1:{port}"),
    ]));
    assert_eq!(code, 255, "{stderr}");
    assert!(stderr.contains("could not connect"), "{stderr}");

    let (code, _, stderr) = run(appflow().env_remove("AWS_ACCESS_KEY_ID").args([
        "register-connector",
        "--connector-label",
        "ab",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]));
    // AWS CLI v2's exit code for configuration and credential problems.
    assert_eq!(code, 253, "{stderr}");
    assert!(stderr.contains("Unable to locate credentials"), "{stderr}");

    let (code, _, stderr) = run(appflow().env_remove("AWS_REGION").args([
        "register-connector",
        "--connector-label",
        "ab",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(code, 253, "{stderr}");
    assert!(stderr.contains("must specify a region"), "{stderr}");

    let (code, _, stderr) = run(appflow().args([
        "register-connector",
        "--connector-label",
        "ab",
        "--profile",
        "nowhere",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]));
    // A missing profile is the AWS CLI's general error (ProfileNotFound).
    assert_eq!(code, 255, "{stderr}");
    assert!(
        stderr.contains("The config profile (nowhere) could not be found"),
        "{stderr}"
    );
}

#[test]
fn a_closed_stdout_ends_the_tool_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let connectors: Vec<_> = (0..5000)
        .map(|i| serde_json::json!({ "connectorLabel": format!("connector-{i}") }))
        .collect();
    let body = serde_json::json!({ "connectors": connectors }).to_string();
    let server = RecordingServer::start(vec![Reply::json(200, &body)]);
    let mut child = appflow()
        .args(["list-connectors", "--endpoint-url", &server.url()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -c 1`: read one byte, then close the pipe before the rest is
    // written (the output, ~150 KB, is far larger than the 64 KiB pipe buffer).
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(&first, b"{");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "no panic, no message");
}

#[test]
fn debug_masks_infor_nexus_keys() {
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let profile = serde_json::json!({
        "connectorProfileName": "nexus", "connectorType": "Infornexus", "connectionMode": "Public",
        "connectorProfileConfig": {
            "connectorProfileProperties": {"InforNexus": {"instanceUrl": "https://nexus.example"}},
            "connectorProfileCredentials": {"InforNexus": {
                "accessKeyId": "NEXUS-ACCESS-KEY-ID", "userId": "nexus-user",
                "secretAccessKey": "NEXUS-SECRET-ACCESS-KEY", "datakey": "NEXUS-DATAKEY-VALUE"
            }}
        }
    });
    let (code, _, stderr) = run(appflow().args([
        "create-connector-profile",
        "--debug",
        "--cli-input-json",
        &profile.to_string(),
        "--endpoint-url",
        &server.url(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("nexus-user"), "{stderr}");
    for secret in [
        "NEXUS-ACCESS-KEY-ID",
        "NEXUS-SECRET-ACCESS-KEY",
        "NEXUS-DATAKEY-VALUE",
    ] {
        assert!(!stderr.contains(secret), "{secret} shown: {stderr}");
    }
    // The server still gets them.
    let sent = server.requests()[0].body_json();
    assert_eq!(
        sent["connectorProfileConfig"]["connectorProfileCredentials"]["InforNexus"]["datakey"],
        "NEXUS-DATAKEY-VALUE"
    );
}

#[test]
fn help_is_printed_and_exits_0() {
    let (code, stdout, _) = run(appflow().arg("--help"));
    assert_eq!(code, 0);
    assert!(stdout.contains("register-connector"));
    let (code, stdout, _) = run(appflow().args(["register-connector", "--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("--connector-provisioning-config"));
}

#[test]
fn profile_option_reads_shared_files_and_credential_process() {
    let fake = fake_appflow::FakeAppFlow::start().unwrap();
    let dir = std::env::temp_dir().join(format!("appflow-cli-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let process_output = dir.join("creds.json");
    std::fs::write(
        &process_output,
        format!(
            r#"{{"Version":1,"AccessKeyId":"{}","SecretAccessKey":"{}"}}"#,
            fake_appflow::TEST_ACCESS_KEY_ID,
            fake_appflow::TEST_SECRET_ACCESS_KEY
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile keys]\nregion = eu-west-1\n[profile process]\nregion = eu-north-1\ncredential_process = cat {}\n",
            process_output.display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("credentials"),
        format!(
            "[keys]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            fake_appflow::TEST_ACCESS_KEY_ID,
            fake_appflow::TEST_SECRET_ACCESS_KEY
        ),
    )
    .unwrap();
    for (profile, region) in [("keys", "eu-west-1"), ("process", "eu-north-1")] {
        let (code, stdout, stderr) = run(appflow()
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_REGION")
            .env("AWS_CONFIG_FILE", dir.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
            .args([
                "register-connector",
                "--connector-label",
                &format!("via-{profile}"),
                "--profile",
                profile,
                "--endpoint-url",
                &fake.endpoint_url(),
            ]));
        assert_eq!(code, 0, "{profile}: {stderr}");
        assert!(
            stdout.contains(&format!(
                "arn:aws:appflow:{region}:123456789012:connector/via-{profile}"
            )),
            "{stdout}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn exhausted_retries_name_the_retries_like_the_aws_cli() {
    let server = RecordingServer::start(vec![
        Reply::json(429, r#"{"message":"Rate exceeded"}"#)
            .with_header("x-amzn-errortype", "ThrottlingException"),
    ]);
    let (code, _, stderr) = run(appflow().env("AWS_MAX_ATTEMPTS", "2").args([
        "register-connector",
        "--connector-label",
        "busy",
        "--endpoint-url",
        &server.url(),
    ]));
    assert_eq!(code, 254, "{stderr}");
    assert!(
        stderr.contains("An error occurred (ThrottlingException) when calling the RegisterConnector operation (reached max retries: 1): Rate exceeded"),
        "{stderr}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn aws_cli_switches_and_timeouts_are_understood() {
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let (code, _, stderr) = run(appflow().args([
        "--no-cli-pager",
        "register-connector",
        "--debug",
        "--connector-label",
        "sw",
        "--cli-connect-timeout",
        "5",
        "--cli-read-timeout",
        "0",
        "--output",
        "json",
        "--endpoint-url",
        &server.url(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(server.requests()[0].body_json()["connectorLabel"], "sw");
    // `--debug` shows the request as sent: method and URL, the signature,
    // the body.
    assert!(
        stderr.contains(&format!("POST {}/register-connector", server.url())),
        "{stderr}"
    );
    assert!(
        stderr.contains("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{stderr}"
    );
    assert!(stderr.contains(r#""connectorLabel":"sw""#), "{stderr}");
    let (code, _, stderr) =
        run(appflow().args(["register-connector", "--cli-read-timeout", "soon"]));
    assert_eq!(code, 252, "{stderr}");
}

#[test]
fn hostile_error_answers_are_masked_and_escaped() {
    let token = "IQoJb3JpZ2luX2VjEXAMPLE//////////token+/=";
    let message = format!(
        "The Canonical String for this request should have been\n'POST\n/register-connector\n\nx-amz-security-token:{token}\n'\u{1b}[2J\u{7}"
    );
    let body = serde_json::json!({ "message": message }).to_string();
    let server = RecordingServer::start(vec![
        Reply::json(403, &body)
            .with_header("x-amzn-errortype", "InvalidSignatureException")
            .with_header("x-amzn-RequestId", "req-1"),
    ]);
    let (code, stdout, stderr) = run(appflow()
        .env("AWS_SESSION_TOKEN", token)
        .args(["register-connector", "--connector-label", "ab"])
        .args(["--endpoint-url", &server.url()]));
    assert_eq!((code, stdout.as_str()), (254, ""), "{stderr}");
    assert!(!stderr.contains(token), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("An error occurred (InvalidSignatureException) when calling the RegisterConnector operation"),
        "{stderr}"
    );
    assert!(stderr.contains("x-amz-security-token:***"), "{stderr}");
    assert!(stderr.contains("\\u{1b}[2J\\u{7}"), "{stderr}");
}

#[test]
fn absurd_timeouts_are_refused_without_a_panic() {
    for (option, value) in [
        ("--cli-read-timeout", "1e20"),
        ("--cli-connect-timeout", "18446744073709551616"),
        ("--cli-read-timeout", "-1"),
        ("--cli-connect-timeout", "NaN"),
    ] {
        let (code, _, stderr) = run(appflow().args([
            "register-connector",
            "--connector-label",
            "ab",
            option,
            value,
        ]));
        assert_eq!(code, 252, "{option} {value}: {stderr}");
        assert!(stderr.contains("is not a number of seconds"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_endless_credential_process_is_stopped() {
    let dir = std::env::temp_dir().join(format!("appflow-cli-endless-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        "[profile stuck]\nregion = eu-west-1\ncredential_process = sleep 1000\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (code, _, stderr) = run(appflow()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("APPFLOW_LITE_CREDENTIAL_PROCESS_TIMEOUT", "1")
        .args([
            "register-connector",
            "--connector-label",
            "ab",
            "--profile",
            "stuck",
        ])
        .args(["--endpoint-url", "http://127.0.0.1:9"]));
    std::fs::remove_dir_all(dir).unwrap();
    assert_eq!(code, 253, "{stderr}");
    assert!(
        stderr.contains("did not finish within 1 s and was stopped"),
        "{stderr}"
    );
    // Stopped at its timeout, not after the helper's 1000 s.
    assert!(started.elapsed() < std::time::Duration::from_secs(300));
}

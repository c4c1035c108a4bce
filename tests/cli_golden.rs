//! The tool beside the AWS CLI: for the same answers, the same bytes on
//! stdout in every output format and `--query`; for the same shorthand and
//! ISO 8601 arguments, the same request. The expected side was recorded from
//! `aws` itself by `scripts/cli_golden.py` (see its docs for how YAML, which
//! only v2 prints, was made).

mod support;

use std::process::Command;

use serde_json::Value;
use support::{RecordingServer, Reply};

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cli_golden.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The tool against `server`, with a profile that sets nothing but the
/// region, as the recording's did (its `cli_timestamp_format = iso8601` is
/// the tool's default).
fn appflow(server: &RecordingServer, args: &[String], output: &str) -> (i32, String, String) {
    // Written once: the tests run in parallel, and a file rewritten while
    // a tool reads it would read short.
    static CONFIG: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("appflow-golden-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[default]\nregion = us-east-1\n").unwrap();
        config
    });
    let out = Command::new(tool())
        .env_clear()
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/appflow-lite")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(args)
        .args(["--endpoint-url", &server.url(), "--output", output])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn prints_what_the_aws_cli_prints_in_every_format() {
    let fixture = fixture();
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in fixture["reads"].as_array().unwrap() {
        let args = strings(&case["args"]);
        for (output, want) in case["stdout"].as_object().unwrap() {
            let replies = case["replies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| Reply::json(200, r.as_str().unwrap()))
                .collect();
            let server = RecordingServer::start(replies);
            let (code, got, stderr) = appflow(&server, &args, output);
            compared += 1;
            // One call, as the AWS CLI makes for AppFlow (no paginators).
            let calls = server.requests().len();
            if code != 0 || got != want.as_str().unwrap() || calls != 1 {
                failures.push(format!(
                    "{} --output {output} (exit {code}, {calls} calls) {stderr}\n--- aws\n{}--- appflow\n{got}",
                    case["name"],
                    want.as_str().unwrap()
                ));
            }
        }
    }
    assert!(compared >= 50, "only {compared} comparisons");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sends_what_the_aws_cli_sends_for_shorthand_and_iso_times() {
    let fixture = fixture();
    for case in fixture["writes"].as_array().unwrap() {
        let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
        let (code, _, stderr) = appflow(&server, &strings(&case["args"]), "json");
        assert_eq!(code, 0, "{}: {stderr}", case["name"]);
        let sent = &server.requests()[0];
        assert_eq!(
            sent.method,
            case["method"].as_str().unwrap(),
            "{}",
            case["name"]
        );
        assert_eq!(
            sent.path,
            case["path"].as_str().unwrap(),
            "{}",
            case["name"]
        );
        let body = match sent.body.is_empty() {
            true => Value::Null,
            false => {
                let mut body = sent.body_json();
                if let Some(body) = body.as_object_mut() {
                    body.remove("clientToken");
                }
                body
            }
        };
        assert_eq!(body, case["body"], "{}", case["name"]);
    }
}

/// The tool's path, built once for all the tests of this file.
fn tool() -> &'static std::path::Path {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| support::example("appflow"))
}

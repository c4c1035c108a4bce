//! Code written for `aws-sdk-appflow` ports by deleting `.await`: the
//! SDK-style program in `tests/fixtures/sdk_port/original.rs`, ported by the
//! README's steps, is `examples/ported.rs`, which runs against the fake.

mod support;

use std::process::Command;

const ORIGINAL: &str = include_str!("fixtures/sdk_port/original.rs");
const PORTED: &str = include_str!("../examples/ported.rs");

/// The README's porting steps, applied mechanically.
fn port(original: &str) -> String {
    let mut text: String = original
        .lines()
        .filter(|line| !line.starts_with("#[tokio::main"))
        .map(|line| format!("{line}\n"))
        .collect();
    text = text
        .replace("async fn", "fn")
        .replace("aws_sdk_appflow", "appflow_lite")
        .replace(
            "let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;\n    let client = Client::new(&config);",
            "let client = Client::from_env()?;",
        );
    // `.await`, with the line break or spaces before it.
    while let Some(at) = text.find(".await") {
        let start = text[..at].trim_end().len();
        text.replace_range(start..at + ".await".len(), "");
    }
    text
}

/// The text without whitespace and trailing commas: rustfmt may lay the
/// port out differently.
fn squashed(text: &str) -> String {
    let bare: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    bare.replace(",)", ")")
        .replace(",}", "}")
        .replace(",]", "]")
}

#[test]
fn the_ported_program_is_the_mechanical_port_of_the_sdk_one() {
    let ported = port(ORIGINAL);
    assert!(!ported.contains(".await") && !ported.contains("aws_sdk_appflow"));
    // Lint allowances and comments the port file adds are not part of the port.
    let kept: String = PORTED
        .lines()
        .filter(|l| !l.starts_with("#![allow(") && !l.starts_with("// "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        squashed(&ported),
        squashed(&kept),
        "examples/ported.rs is not the mechanical port of the original:\n{ported}"
    );
}

#[test]
fn the_ported_program_runs_against_the_fake() {
    let fake = fake_appflow::FakeAppFlow::start().unwrap();
    let credentials = fake_appflow::test_credentials();
    let output = Command::new(support::example("ported"))
        .env_clear()
        .env("AWS_ENDPOINT_URL", fake.endpoint_url())
        .env("AWS_ACCESS_KEY_ID", credentials.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", credentials.secret_access_key())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/appflow-lite/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/appflow-lite/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("cargo test builds the examples");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "registered arn:aws:appflow:us-east-1:123456789012:connector/port-demo",
        "conflict: ConflictException",
        "created arn:aws:appflow:us-east-1:123456789012:flow/port-demo-flow (Some(Active))",
        "tags [\"env\", \"team\"]",
        "flows 1",
        "connectors 1",
        "Salesforce of 24 connector types",
        "created at Some(true)",
        "done",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "{line:?} missing from:\n{stdout}"
        );
    }
    assert!(
        stdout.lines().any(|l| l.starts_with("message: ")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("execution status ")),
        "{stdout}"
    );
}

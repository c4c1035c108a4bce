//! `examples/sigv4`, the signing debugger: its output lands in tickets and
//! CI logs, so the session token is masked unless asked for.

mod support;

use std::process::Command;

const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+token/=";

fn debugger(extra: &[&str]) -> String {
    let request = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sigv4/get-vanilla/get-vanilla.req"
    );
    let output = Command::new(support::example("sigv4"))
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_SESSION_TOKEN", TOKEN)
        .args(["--region", "us-east-1", "--service", "service", request])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_session_token_is_masked_unless_asked_for() {
    let masked = debugger(&[]);
    assert!(!masked.contains(TOKEN), "{masked}");
    assert!(masked.contains("x-amz-security-token:***\n"), "{masked}");
    assert!(masked.contains("X-Amz-Security-Token: ***\n"), "{masked}");
    let shown = debugger(&["--show-secrets"]);
    assert!(
        shown.contains(&format!("x-amz-security-token:{TOKEN}\n")),
        "{shown}"
    );
    // Masking changes what is shown, never what is signed.
    let signature = |text: &str| text.split("Signature=").nth(1).map(str::to_owned);
    assert_eq!(signature(&masked), signature(&shown));
    assert!(
        !masked.contains("wJalrXUtnFEMI"),
        "the secret key is never printed"
    );
}

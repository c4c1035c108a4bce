//! `examples/appflow` over the whole API, against the fake AppFlow: every
//! operation through `--cli-input-json`, options from the model, paging
//! merged as the AWS CLI does, skeletons, help and `--debug`.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use fake_appflow::{FakeAppFlow, FakeHandle};
use serde_json::Value;

/// The tool with a cleared environment: only what the test sets, and the
/// fake's credentials.
fn appflow(fake: &FakeHandle) -> Command {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let mut command = Command::new(PATH.get_or_init(|| support::example("appflow")));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_CONFIG_FILE", "/nonexistent/appflow-lite/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/appflow-lite/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", fake_appflow::TEST_ACCESS_KEY_ID)
        .env(
            "AWS_SECRET_ACCESS_KEY",
            fake_appflow::TEST_SECRET_ACCESS_KEY,
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", fake.endpoint_url())
        .env("AWS_MAX_ATTEMPTS", "1");
    command
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the tool runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (status.code().unwrap_or(-1), text(&stdout), text(&stderr))
}

/// Runs a command that must succeed; its output as JSON (`null` when it
/// printed nothing, as for answers without members).
fn ok(command: &mut Command) -> Value {
    let (code, stdout, stderr) = run(command);
    assert_eq!(code, 0, "{stderr}");
    if stdout.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn every_operation_runs_from_cli_input_json() {
    let fake = FakeAppFlow::start().unwrap();
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/botocore/operation_requests.json")).unwrap();
    // Create before use, delete last: every operation is served.
    let implemented = [
        "RegisterConnector",
        "CreateConnectorProfile",
        "DescribeConnector",
        "DescribeConnectors",
        "ListConnectors",
        "UpdateConnectorRegistration",
        "UpdateConnectorProfile",
        "DescribeConnectorProfiles",
        "ListConnectorEntities",
        "DescribeConnectorEntity",
        "ResetConnectorMetadataCache",
        "CreateFlow",
        "DescribeFlow",
        "ListFlows",
        "UpdateFlow",
        "StartFlow",
        "DescribeFlowExecutionRecords",
        "CancelFlowExecutions",
        "StopFlow",
        "TagResource",
        "ListTagsForResource",
        "UntagResource",
        "DeleteFlow",
        "DeleteConnectorProfile",
        "UnregisterConnector",
    ];
    let mut order: Vec<&Value> = fixture["cases"].as_array().unwrap().iter().collect();
    // Create before use, delete last.
    order.sort_by_key(|c| {
        let op = c["operation"].as_str().unwrap();
        implemented
            .iter()
            .position(|i| *i == op)
            .unwrap_or(usize::MAX)
    });
    let mut seen = std::collections::BTreeSet::new();
    for case in order {
        let op = case["operation"].as_str().unwrap();
        let mut input = case["input"].clone();
        input.as_object_mut().unwrap().remove("nextToken");
        if input.get("resourceArn").is_some() {
            // The flow created above, in the tool's region.
            input["resourceArn"] = "arn:aws:appflow:us-east-1:123456789012:flow/my-flow".into();
        }
        let command = kebab(op);
        let (code, stdout, stderr) =
            run(appflow(&fake).args([&command, "--cli-input-json", &input.to_string()]));
        assert_eq!(code, 0, "{op}: {stderr}");
        // Empty for answers without members, as the AWS CLI prints them.
        if !stdout.is_empty() {
            serde_json::from_str::<Value>(&stdout)
                .unwrap_or_else(|e| panic!("{op}: {e}: {stdout}"));
        }
        seen.insert(op);
    }
    assert_eq!(seen.len(), 25);
    // The fake validated each request against the model and refused none.
    for request in fake.requests() {
        assert!(
            !matches!(
                request.outcome,
                fake_appflow::Outcome::Answered { status: 400, .. }
            ),
            "{} {}",
            request.method,
            request.path
        );
    }
}

fn kebab(op: &str) -> String {
    let mut out = String::new();
    for (i, c) in op.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn register(fake: &FakeHandle, labels: impl IntoIterator<Item = String>) {
    for label in labels {
        ok(appflow(fake).args(["register-connector", "--connector-label", &label]));
    }
}

#[test]
fn pages_are_merged_capped_and_resumed_as_the_aws_cli_does() {
    let fake = FakeAppFlow::start().unwrap();
    register(&fake, (0..7).map(|i| format!("conn-{i}")));
    let labels = |output: &Value| -> Vec<String> {
        output["connectors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["connectorLabel"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = fake.requests().len();
    // As the AWS CLI (botocore has no AppFlow paginator): one call, the
    // service's token printed.
    let one = ok(appflow(&fake).args(["list-connectors", "--max-results", "3"]));
    assert_eq!(labels(&one).len(), 3);
    assert!(one["nextToken"].is_string());
    assert_eq!(fake.requests().len() - before, 1);
    let before = fake.requests().len();
    let all = ok(appflow(&fake).args(["list-connectors", "--page-size", "3"]));
    assert_eq!(labels(&all).len(), 7);
    assert!(all.get("nextToken").is_none() && all.get("NextToken").is_none());
    assert_eq!(
        fake.requests().len() - before,
        3,
        "page size 3: three requests"
    );

    let first =
        ok(appflow(&fake).args(["list-connectors", "--max-results", "3", "--max-items", "4"]));
    assert_eq!(labels(&first), ["conn-0", "conn-1", "conn-2", "conn-3"]);
    let token = first["NextToken"].as_str().unwrap().to_owned();
    let rest = ok(appflow(&fake).args([
        "list-connectors",
        "--max-results",
        "3",
        "--starting-token",
        &token,
    ]));
    assert_eq!(labels(&rest), ["conn-4", "conn-5", "conn-6"]);
    assert!(rest.get("NextToken").is_none());

    let single =
        ok(appflow(&fake).args(["list-connectors", "--max-results", "3", "--no-paginate"]));
    assert_eq!(labels(&single).len(), 3);
    assert!(
        single["nextToken"].is_string(),
        "one page as sent, token kept"
    );
}

#[test]
fn options_come_from_the_model_lists_and_flags_included() {
    let fake = FakeAppFlow::start().unwrap();
    register(&fake, ["tagged".to_owned()]);
    let arn = "arn:aws:appflow:us-east-1:123456789012:connector/tagged";
    // An answer without members prints nothing, as in the AWS CLI.
    let (code, stdout, stderr) = run(appflow(&fake).args([
        "tag-resource",
        "--resource-arn",
        arn,
        "--tags",
        r#"{"a":"1","b":"2","c":"3"}"#,
    ]));
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    ok(appflow(&fake).args([
        "untag-resource",
        "--resource-arn",
        arn,
        "--tag-keys",
        "a",
        "b",
    ]));
    let tags = ok(appflow(&fake).args(["list-tags-for-resource", "--resource-arn", arn]));
    assert_eq!(tags, serde_json::json!({"tags": {"c": "3"}}));
    let untag = fake
        .requests()
        .into_iter()
        .find(|r| r.method == "DELETE")
        .unwrap();
    assert!(
        untag.path.ends_with("?tagKeys=a&tagKeys=b"),
        "{}",
        untag.path
    );

    ok(appflow(&fake).args([
        "unregister-connector",
        "--connector-label",
        "tagged",
        "--force-delete",
    ]));
    let unregister = fake
        .requests()
        .into_iter()
        .rfind(|r| r.path == "/unregister-connector")
        .unwrap();
    assert_eq!(unregister.body_json().unwrap()["forceDelete"], true);
    register(&fake, ["again".to_owned()]);
    ok(appflow(&fake).args([
        "unregister-connector",
        "--connector-label",
        "again",
        "--no-force-delete",
    ]));
    let unregister = fake
        .requests()
        .into_iter()
        .rfind(|r| r.path == "/unregister-connector")
        .unwrap();
    assert_eq!(unregister.body_json().unwrap()["forceDelete"], false);

    let (code, _, stderr) = run(appflow(&fake).args(["list-connectors", "--max-results", "many"]));
    assert_eq!(code, 252, "{stderr}");
    let (code, _, stderr) = run(appflow(&fake).args(["list-connectors", "--colour", "blue"]));
    assert!(code == 252 && stderr.contains("--colour"), "{stderr}");
}

#[test]
fn skeletons_have_every_member_and_read_back_as_input() {
    let fake = FakeAppFlow::start().unwrap();
    let skeleton = ok(appflow(&fake).args(["create-flow", "--generate-cli-skeleton"]));
    for member in [
        "flowName",
        "triggerConfig",
        "sourceFlowConfig",
        "destinationFlowConfigList",
        "tasks",
        "tags",
        "clientToken",
    ] {
        assert!(skeleton.get(member).is_some(), "{member}");
    }
    assert_eq!(skeleton["tasks"][0]["taskType"], "Arithmetic");
    assert!(skeleton["tags"]["KeyName"].is_string());
    // The skeleton parses as the operation's input (types right); the
    // placeholder values break constraints, so nothing is sent.
    let (code, _, stderr) =
        run(appflow(&fake).args(["create-flow", "--cli-input-json", &skeleton.to_string()]));
    assert_eq!(code, 252, "{stderr}");
    assert!(stderr.contains("Parameter validation failed"), "{stderr}");
    assert!(fake.requests().is_empty());
}

#[test]
fn help_lists_every_operation_and_each_operations_options() {
    let fake = FakeAppFlow::start().unwrap();
    let (code, stdout, _) = run(appflow(&fake).arg("help"));
    assert_eq!(code, 0);
    for command in [
        "cancel-flow-executions",
        "list-tags-for-resource",
        "update-connector-registration",
    ] {
        assert!(stdout.contains(command), "{command}");
    }
    assert!(stdout.matches("\n  ").count() >= 25, "{stdout}");
    let (code, stdout, _) = run(appflow(&fake).args(["untag-resource", "--help"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("--resource-arn VALUE\n      required; text; at most 512 characters, matching arn:aws:.*:.*:[0-9]+:.*"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "--tag-keys VALUE\n      required; one or more texts, or a JSON list; 0 to 50 items"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = run(appflow(&fake).args(["describe-flow-execution-records", "help"]));
    assert!(
        stdout.contains("--max-results VALUE\n      optional; a whole number; 1 to 100"),
        "{stdout}"
    );
    let (_, stdout, _) = run(appflow(&fake).args(["register-connector", "help"]));
    assert!(
        stdout.contains("--connector-provisioning-type VALUE\n      optional; one of: LAMBDA"),
        "{stdout}"
    );
}

#[test]
fn debug_prints_the_signed_request_with_secrets_masked() {
    let fake = FakeAppFlow::new()
        .credentials(
            appflow_lite::credentials::Credentials::new("ASIATEMP", "temp-secret")
                .with_session_token("SESSION-TOKEN-VALUE"),
        )
        .run()
        .unwrap();
    let profile = serde_json::json!({
        "connectorProfileName": "p", "connectorType": "Salesforce", "connectionMode": "Public",
        "connectorProfileConfig": {
            "connectorProfileProperties": {"Salesforce": {}},
            "connectorProfileCredentials": {"Salesforce": {"accessToken": "ACCESS-TOKEN-VALUE"}}
        }
    });
    let (code, _, stderr) = run(appflow(&fake)
        .env("AWS_ACCESS_KEY_ID", "ASIATEMP")
        .env("AWS_SECRET_ACCESS_KEY", "temp-secret")
        .env("AWS_SESSION_TOKEN", "SESSION-TOKEN-VALUE")
        .args([
            "create-connector-profile",
            "--debug",
            "--cli-input-json",
            &profile.to_string(),
        ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("POST http://127.0.0.1:"), "{stderr}");
    assert!(
        stderr.contains("Authorization: AWS4-HMAC-SHA256"),
        "{stderr}"
    );
    for secret in ["SESSION-TOKEN-VALUE", "ACCESS-TOKEN-VALUE", "temp-secret"] {
        assert!(!stderr.contains(secret), "{secret} shown: {stderr}");
    }
    // The request shown is the one sent: same client token.
    let shown = stderr
        .split("\"clientToken\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let sent = fake.requests()[0].body_json().unwrap();
    assert_eq!(sent["clientToken"], shown);
}

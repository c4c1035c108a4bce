//! `examples/appflow` with AWS CLI v2's habits: where the output format and
//! timestamp format come from, `--query` failures, skeletons, YAML input,
//! unsigned requests, `--version` and `--color`, with their exit codes.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{RecordingServer, Reply};

const CREATED: &str = r#"{"connectorArn":"arn:aws:appflow:us-east-1:1:connector/c"}"#;

/// A folder of this test's own for shared files.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("appflow-v2-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The tool with keys, a region and `config` as the shared config file.
fn appflow(server: &RecordingServer, config: &Path) -> Command {
    let mut command = Command::new(tool());
    command
        .env_clear()
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/appflow-lite")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["--endpoint-url", &server.url()]);
    command
}

fn run(command: &mut Command) -> (i32, String, String) {
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn config(name: &str, text: &str) -> PathBuf {
    let path = dir(name).join("config");
    std::fs::write(&path, text).unwrap();
    path
}

fn answers(n: usize, body: &str) -> RecordingServer {
    RecordingServer::start((0..n).map(|_| Reply::json(200, body)).collect())
}

#[test]
fn the_format_comes_from_the_option_then_the_variable_then_the_profile() {
    let server = answers(4, CREATED);
    let profile = config("format", "[default]\noutput = yaml\n");
    let register = ["register-connector", "--connector-label", "conn"];
    let (_, stdout, _) = run(appflow(&server, &profile).args(register));
    assert_eq!(
        stdout,
        "connectorArn: arn:aws:appflow:us-east-1:1:connector/c\n"
    );
    let (_, stdout, _) = run(appflow(&server, &profile)
        .env("AWS_DEFAULT_OUTPUT", "text")
        .args(register));
    assert_eq!(stdout, "arn:aws:appflow:us-east-1:1:connector/c\n");
    let (_, stdout, _) = run(appflow(&server, &profile)
        .env("AWS_DEFAULT_OUTPUT", "text")
        .args(register)
        .args(["--output", "json"]));
    assert_eq!(
        stdout,
        "{\n    \"connectorArn\": \"arn:aws:appflow:us-east-1:1:connector/c\"\n}\n"
    );
    let (code, _, stderr) = run(appflow(&server, &profile)
        .env("AWS_DEFAULT_OUTPUT", "xml")
        .args(register));
    assert_eq!(code, 252, "{stderr}");
    assert!(
        stderr.contains("json | text | table | yaml | yaml-stream"),
        "{stderr}"
    );
    assert_eq!(
        server.requests().len(),
        3,
        "the bad format was refused before sending"
    );
}

#[test]
fn times_print_as_iso_8601_unless_the_profile_says_wire() {
    let body = r#"{"connectors":[{"connectorLabel":"c","registeredAt":1700000000.5}]}"#;
    let server = answers(2, body);
    let iso = config("iso", "[default]\n");
    let (_, stdout, _) = run(appflow(&server, &iso).args(["list-connectors", "--output", "text"]));
    assert_eq!(stdout, "CONNECTORS\tc\t2023-11-14T22:13:20.500000+00:00\n");
    let wire = config("wire", "[default]\ncli_timestamp_format = wire\n");
    let (_, stdout, _) = run(appflow(&server, &wire).args(["list-connectors", "--output", "text"]));
    assert_eq!(stdout, "CONNECTORS\tc\t1700000000.5\n");
    let bad = config("bad-time", "[default]\ncli_timestamp_format = local\n");
    let (code, _, stderr) = run(appflow(&server, &bad).args(["list-connectors"]));
    assert_eq!(code, 253, "{stderr}");
    assert!(
        stderr.contains("valid values are: wire or iso8601"),
        "{stderr}"
    );
}

#[test]
fn a_bad_query_is_refused_before_sending_and_a_failing_one_exits_255() {
    let server = answers(1, CREATED);
    let none = config("query", "");
    let (code, stdout, stderr) = run(appflow(&server, &none).args([
        "register-connector",
        "--query",
        "connectorArn[",
        "--connector-label",
        "conn",
    ]));
    assert_eq!((code, stdout.as_str()), (252, ""), "{stderr}");
    assert!(
        stderr.contains("Bad value for --query connectorArn["),
        "{stderr}"
    );
    assert!(server.requests().is_empty());
    let (code, stdout, stderr) = run(appflow(&server, &none).args([
        "register-connector",
        "--query",
        "abs(connectorArn)",
        "--connector-label",
        "conn",
    ]));
    assert_eq!((code, stdout.as_str()), (255, ""), "{stderr}");
    assert!(stderr.contains("invalid type"), "{stderr}");
}

#[test]
fn skeletons_are_printed_without_a_call() {
    let server = answers(0, "{}");
    let none = config("skeleton", "");
    let (code, stdout, _) =
        run(appflow(&server, &none).args(["describe-flow", "--generate-cli-skeleton"]));
    assert_eq!(
        (code, stdout.as_str()),
        (0, "{\n    \"flowName\": \"\"\n}\n")
    );
    let (_, stdout, _) = run(appflow(&server, &none).args([
        "register-connector",
        "--generate-cli-skeleton",
        "yaml-input",
    ]));
    assert!(
        stdout.contains("connectorProvisioningType: LAMBDA  # Valid values are: LAMBDA.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("connectorProvisioningConfig:\n  lambda:\n    lambdaArn: ''\n"),
        "{stdout}"
    );
    // `output` checks the input first, as the AWS CLI does: its argument
    // parser still wants the required options.
    let (code, _, stderr) =
        run(appflow(&server, &none).args(["describe-flow", "--generate-cli-skeleton", "output"]));
    assert_eq!(code, 252);
    assert!(
        stderr.contains("appflow: [ERROR]: the following arguments are required: --flow-name"),
        "{stderr}"
    );
    let (code, stdout, _) = run(appflow(&server, &none).args([
        "describe-flow",
        "--flow-name",
        "f",
        "--generate-cli-skeleton",
        "output",
        "--query",
        "tasks[0].sourceFields",
    ]));
    assert_eq!((code, stdout.as_str()), (0, "[\n    \"String\"\n]\n"));
    assert!(server.requests().is_empty());
}

#[test]
fn yaml_input_is_read_as_the_input_and_options_win() {
    let server = answers(1, "{}");
    let dir = dir("yaml-input");
    let input = dir.join("input.yaml");
    std::fs::write(
        &input,
        "resourceArn: arn:aws:appflow:us-east-1:1:flow/f  # the flow\ntags:\n  team: data\n  count: '5'\n",
    )
    .unwrap();
    let none = config("yaml", "");
    let (code, _, stderr) = run(appflow(&server, &none).args([
        "tag-resource",
        "--cli-input-yaml",
        &format!("file://{}", input.display()),
        "--tags",
        "team=ops,count=5",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let sent = &server.requests()[0];
    assert_eq!(
        sent.path,
        "/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A1%3Aflow%2Ff"
    );
    assert_eq!(
        sent.body_json(),
        serde_json::json!({"tags": {"team": "ops", "count": "5"}})
    );
}

#[test]
fn shorthand_errors_name_the_option_and_exit_252() {
    let server = answers(0, "{}");
    let none = config("shorthand", "");
    let (code, _, stderr) = run(appflow(&server, &none).args([
        "tag-resource",
        "--resource-arn",
        "arn:aws:appflow:us-east-1:1:flow/f",
        "--tags",
        "team",
    ]));
    assert_eq!(code, 252);
    assert!(
        stderr.contains("Error parsing parameter '--tags': Expected: '=', received: 'EOF'"),
        "{stderr}"
    );
}

#[test]
fn no_sign_request_needs_no_credentials_and_signs_nothing() {
    let server = answers(1, CREATED);
    let none = config("unsigned", "");
    let (code, _, stderr) = run(appflow(&server, &none)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "register-connector",
            "--connector-label",
            "conn",
            "--no-sign-request",
        ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(server.requests()[0].header("authorization"), None);
}

#[test]
fn version_color_and_binary_format_are_understood() {
    let server = answers(1, CREATED);
    let none = config("flags", "");
    let (code, stdout, _) = run(appflow(&server, &none).arg("--version"));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(concat!("appflow/", env!("CARGO_PKG_VERSION"), " ")),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(appflow(&server, &none).args([
        "register-connector",
        "--connector-label",
        "conn",
        "--output",
        "table",
        "--color",
        "on",
        "--cli-binary-format",
        "raw-in-base64-out",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\x1b["), "{stdout}");
    let (code, _, stderr) =
        run(appflow(&server, &none).args(["list-flows", "--color", "sometimes"]));
    assert_eq!(code, 252);
    assert!(stderr.contains("on | off | auto"), "{stderr}");
}

#[test]
fn a_profile_named_but_missing_ends_the_run_as_the_aws_cli_does() {
    let server = answers(1, CREATED);
    let profiles = config("missing-profile", "[default]\nregion = us-east-1\n");
    for named in [
        ["--profile", "nosuch"].as_slice(),
        &["--profile", "default"][..0],
    ] {
        let mut command = appflow(&server, &profiles);
        command
            .args(["register-connector", "--connector-label", "conn"])
            .args(named);
        if named.is_empty() {
            command.env("AWS_PROFILE", "nosuch");
        }
        let (code, _, stderr) = run(&mut command);
        assert_eq!(code, 255, "{stderr}");
        assert!(
            stderr.contains("The config profile (nosuch) could not be found"),
            "{stderr}"
        );
    }
    assert!(server.requests().is_empty());
    // `default` is optional only while nobody names it.
    let none = config("no-default", "");
    let (code, _, stderr) =
        run(appflow(&server, &none).args(["register-connector", "--connector-label", "conn"]));
    assert_eq!(code, 0, "{stderr}");
}

/// The tool's path, built once for all the tests of this file.
fn tool() -> &'static std::path::Path {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| support::example("appflow"))
}

#[test]
fn input_errors_are_worded_as_the_aws_cli_words_them() {
    let server = answers(0, "{}");
    let none = config("wording", "");
    let error = |args: &[&str]| {
        let (code, stdout, stderr) = run(appflow(&server, &none).args(args));
        assert_eq!((code, stdout.as_str()), (252, ""), "{args:?}: {stderr}");
        stderr
    };
    // Required options missing: the argument parser's sentence, all of them
    // in the model's order, then where help is.
    let stderr = error(&["create-flow", "--flow-name", "f", "--description", "d"]);
    assert!(
        stderr.starts_with(
            "\nappflow: [ERROR]: the following arguments are required: \
             --trigger-config, --source-flow-config, --destination-flow-config-list, --tasks\n\n\
             usage: appflow"
        ),
        "{stderr}"
    );
    // Unknown options, with the values argparse cannot tell from them, after
    // the short usage; the required options are checked first.
    let stderr = error(&["describe-flow", "--flow-name", "f", "--bogus", "1", "--x=2"]);
    assert!(stderr.starts_with("\nusage: appflow"), "{stderr}");
    assert!(
        stderr.ends_with("\n\nUnknown options: --bogus, 1, --x=2\n"),
        "{stderr}"
    );
    let stderr = error(&["describe-flow", "--bogus"]);
    assert!(
        stderr.contains("the following arguments are required: --flow-name")
            && !stderr.contains("Unknown"),
        "{stderr}"
    );
    // Given as a whole input instead, botocore's words.
    let cases = [
        (
            vec!["describe-flow", "--cli-input-json", "{}"],
            "Missing required parameter in input: \"flowName\"",
        ),
        (
            vec![
                "register-connector",
                "--cli-input-json",
                r#"{"connectorLabel":"my-conn","connectorProvisioningType":"LAMBDA","connectorProvisioningConfig":{"lambda":{}}}"#,
            ],
            "Missing required parameter in connectorProvisioningConfig.lambda: \"lambdaArn\"",
        ),
        (
            vec![
                "describe-flow",
                "--flow-name",
                "f",
                "--cli-input-json",
                r#"{"flowNames":"x"}"#,
            ],
            "Unknown parameter in input: \"flowNames\", must be one of: flowName",
        ),
        (
            vec!["list-flows", "--max-results", "0"],
            "Invalid value for parameter maxResults, value: 0, valid min value: 1",
        ),
    ];
    for (args, expected) in &cases {
        let stderr = error(args);
        assert_eq!(
            stderr,
            format!("\nParameter validation failed:\n{expected}\n"),
            "{args:?}"
        );
    }
    assert!(server.requests().is_empty());
}

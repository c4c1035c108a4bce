//! `appflow`: the library as a small command-line tool that mirrors
//! `aws appflow`, so AWS CLI users need no manual.
//!
//! ```text
//! cargo run --example appflow -- register-connector --connector-label my-conn \
//!     --connector-provisioning-type LAMBDA \
//!     --connector-provisioning-config '{"lambda":{"lambdaArn":"arn:aws:lambda:us-east-1:123456789012:function:f"}}'
//! ```
//!
//! Exit codes follow the AWS CLI: 0 success, 252 bad parameters or input,
//! 254 an error answer from AppFlow, 255 anything else.

use std::process::ExitCode;
use std::time::Duration;

use appflow_lite::operation::register_connector::RegisterConnectorInput;
use appflow_lite::{Client, ClientBuilder, Error};
use serde::Serialize;

const USAGE: &str =
    "usage: appflow [--region REGION] [--endpoint-url URL] [--profile NAME] <operation> [options]

Operations:
  register-connector   Registers a custom connector.

Run `appflow <operation> --help` for the operation's options. Settings not
given come from the same variables and files as the AWS CLI's.";

const REGISTER_CONNECTOR_USAGE: &str = "usage: appflow register-connector [options]

  --connector-label TEXT                 the connector's name (unique in the account)
  --connector-provisioning-type TYPE     LAMBDA
  --connector-provisioning-config JSON   e.g. '{\"lambda\":{\"lambdaArn\":\"arn:aws:lambda:...\"}}'
  --description TEXT
  --client-token TEXT                    idempotency token (one is made if omitted)
  --cli-input-json JSON|file://PATH      the whole input as one JSON object;
                                         options given beside it win
Global options (before or after the operation):
  --region REGION  --endpoint-url URL  --profile NAME
  --cli-connect-timeout SECS  --cli-read-timeout SECS  (0: none)
  --no-cli-pager  --no-paginate  --debug  (accepted; they change nothing here)";

/// How a run ends: the AWS CLI's exit codes.
enum Failure {
    Usage(String),
    Call(Error),
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("{message}");
            ExitCode::from(252)
        }
        Err(Failure::Call(err)) => {
            let (code, message) = describe(&err);
            eprintln!("{message}");
            ExitCode::from(code)
        }
    }
}

/// Parsed command line: global options, the operation and its options.
#[derive(Default)]
struct CommandLine {
    region: Option<String>,
    endpoint_url: Option<String>,
    profile: Option<String>,
    operation: Option<String>,
    options: Vec<(String, String)>,
    help: bool,
    connect_timeout: Option<Option<Duration>>,
    read_timeout: Option<Option<Duration>>,
}

/// `--cli-*-timeout` values: seconds, 0 for none (as in the AWS CLI).
fn seconds(option: &str, value: &str) -> Result<Option<Duration>, Failure> {
    match value.parse::<f64>() {
        Ok(0.0) => Ok(None),
        Ok(s) if s > 0.0 && s.is_finite() => Ok(Some(Duration::from_secs_f64(s))),
        _ => Err(Failure::Usage(format!(
            "--{option}: {value:?} is not a number of seconds"
        ))),
    }
}

fn parse(args: Vec<String>) -> Result<CommandLine, Failure> {
    let mut line = CommandLine::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" || arg == "help" {
            line.help = true;
            continue;
        }
        // The AWS CLI's switches that take no value; pagers and prompts do
        // not exist here, so they change nothing.
        if matches!(
            arg.as_str(),
            "--no-cli-pager" | "--no-paginate" | "--no-cli-auto-prompt" | "--debug"
        ) {
            continue;
        }
        let Some(flag) = arg.strip_prefix("--") else {
            if line.operation.is_some() {
                return Err(Failure::Usage(format!(
                    "unexpected argument: {arg}\n\n{USAGE}"
                )));
            }
            line.operation = Some(arg);
            continue;
        };
        let (name, value) = match flag.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => {
                let value = args.next().ok_or_else(|| {
                    Failure::Usage(format!("argument --{flag}: expected one argument"))
                })?;
                (flag.to_owned(), value)
            }
        };
        match name.as_str() {
            "region" => line.region = Some(value),
            "endpoint-url" => line.endpoint_url = Some(value),
            "profile" => line.profile = Some(value),
            "cli-connect-timeout" => line.connect_timeout = Some(seconds(&name, &value)?),
            "cli-read-timeout" => line.read_timeout = Some(seconds(&name, &value)?),
            "output" if value == "json" => {}
            "output" => {
                return Err(Failure::Usage(format!(
                    "--output {value}: only json is supported"
                )));
            }
            _ => line.options.push((name, value)),
        }
    }
    Ok(line)
}

fn run(args: Vec<String>) -> Result<(), Failure> {
    let line = parse(args)?;
    match line.operation.as_deref() {
        None if line.help => {
            println!("{USAGE}");
            return Ok(());
        }
        None => return Err(Failure::Usage(USAGE.to_owned())),
        Some("register-connector") if line.help => {
            println!("{REGISTER_CONNECTOR_USAGE}");
            return Ok(());
        }
        Some("register-connector") => {}
        Some(other) => {
            return Err(Failure::Usage(format!(
                "unknown operation: {other}\n\n{USAGE}"
            )));
        }
    }
    let input = register_connector_input(&line.options)?;
    let client = client(&line).map_err(Failure::Call)?;
    let output = client
        .register_connector()
        .set_input(input)
        .send()
        .map_err(Failure::Call)?;
    print_json(&output);
    Ok(())
}

fn client(line: &CommandLine) -> Result<Client, Error> {
    let mut builder = ClientBuilder::from_env();
    if let Some(profile) = &line.profile {
        builder = builder.profile(profile);
    }
    if let Some(region) = &line.region {
        builder = builder.region(region);
    }
    if let Some(url) = &line.endpoint_url {
        builder = builder.endpoint_url(url);
    }
    if let Some(timeout) = line.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = line.read_timeout {
        builder = builder.attempt_timeout(timeout);
    }
    builder.build()
}

/// The input from `--cli-input-json` (if any), then each option on top.
fn register_connector_input(
    options: &[(String, String)],
) -> Result<RegisterConnectorInput, Failure> {
    let mut input: RegisterConnectorInput =
        match options.iter().find(|(name, _)| name == "cli-input-json") {
            Some((_, json)) => json_argument("cli-input-json", json)?,
            None => RegisterConnectorInput::default(),
        };
    for (name, value) in options {
        match name.as_str() {
            "cli-input-json" => {}
            "connector-label" => input.connector_label = Some(value.clone()),
            "description" => input.description = Some(value.clone()),
            "client-token" => input.client_token = Some(value.clone()),
            "connector-provisioning-type" => {
                input.connector_provisioning_type = Some(value.as_str().into())
            }
            "connector-provisioning-config" => {
                input.connector_provisioning_config =
                    Some(json_argument("connector-provisioning-config", value)?)
            }
            other => {
                return Err(Failure::Usage(format!(
                    "unknown option: --{other}\n\n{REGISTER_CONNECTOR_USAGE}"
                )));
            }
        }
    }
    Ok(input)
}

/// Parses a JSON argument, reading `file://PATH` first, as the AWS CLI does.
fn json_argument<T: serde::de::DeserializeOwned>(option: &str, value: &str) -> Result<T, Failure> {
    let text = match value.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            Failure::Usage(format!(
                "Error parsing parameter '--{option}': cannot read {path}: {e}"
            ))
        })?,
        None => value.to_owned(),
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("Error parsing parameter '--{option}': {e}")))
}

/// The AWS CLI prints outputs as JSON indented by four spaces.
fn print_json(value: &impl Serialize) {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer).expect("outputs serialise");
    println!("{}", String::from_utf8_lossy(&out));
}

fn service_message(service: &appflow_lite::ServiceError, retries: &str) -> String {
    let mut message = format!(
        "\nAn error occurred ({}) when calling the RegisterConnector operation{retries}: {}",
        service.code(),
        service.message().unwrap_or_default()
    );
    if let Some(id) = service.request_id() {
        message.push_str(&format!("\nRequest ID: {id}"));
    }
    message
}

/// The exit code and message for a failed call, worded as the AWS CLI words them.
fn describe(err: &Error) -> (u8, String) {
    match err {
        Error::Service(service) => (254, service_message(service, "")),
        // The AWS CLI names the retries in the same sentence.
        Error::RetriesExhausted { attempts, last, .. } if last.as_service_error().is_some() => {
            let service = last.as_service_error().expect("checked above");
            (
                254,
                service_message(
                    service,
                    &format!(" (reached max retries: {})", attempts - 1),
                ),
            )
        }
        Error::InvalidInput(invalid) => (252, format!("\nParameter validation failed:\n{invalid}")),
        Error::MissingCredentials(detail) => {
            (255, format!("\nUnable to locate credentials: {detail}"))
        }
        Error::MissingRegion => (
            255,
            "\nYou must specify a region. You can also set AWS_REGION or a profile's region."
                .into(),
        ),
        other => (255, format!("\n{other}")),
    }
}

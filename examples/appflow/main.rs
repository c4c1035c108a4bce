//! `appflow`: the library as a small command-line tool that mirrors
//! `aws appflow`, so AWS CLI users need no manual.
//!
//! ```text
//! cargo run --example appflow -- register-connector --connector-label my-conn \
//!     --connector-provisioning-type LAMBDA \
//!     --connector-provisioning-config '{"lambda":{"lambdaArn":"arn:aws:lambda:us-east-1:123456789012:function:f"}}'
//! cargo run --example appflow -- list-connectors --max-results 3
//! cargo run --example appflow -- untag-resource --resource-arn ARN --tag-keys k1 k2
//! ```
//!
//! Every operation takes each top-level member as an option, the whole input
//! as `--cli-input-json`, and prints its input skeleton with
//! `--generate-cli-skeleton`. Exit codes follow AWS CLI v2: 0 success, 252
//! bad parameters or input, 253 missing credentials or region and bad
//! configuration, 254 an error answer from AppFlow, 255 anything else.

mod operations;
mod ordered;
mod paging;

use std::process::ExitCode;
use std::time::Duration;

use appflow_lite::{Client, ClientBuilder, Error, Escaped, SignedRequest};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use operations::{OPERATIONS, SECRET_MEMBERS};
use ordered::Ordered;

/// One AppFlow operation as the tool knows it (the table is generated from
/// the model, see `operations.rs`).
pub(crate) struct Operation {
    name: &'static str,
    command: &'static str,
    summary: &'static str,
    members: &'static [Member],
    /// The members collecting results across pages, for paginated operations.
    pages: Option<&'static [&'static str]>,
    /// The input with every member, as compact JSON.
    skeleton: &'static str,
    send: fn(&Client, Value) -> Result<String, Failure>,
}

/// A top-level input member, offered as `--option`.
pub(crate) struct Member {
    name: &'static str,
    option: &'static str,
    kind: Kind,
    required: bool,
}

/// How an option's value is written on the command line. (Today's model
/// has no top-level double or timestamp member; the table may gain one.)
#[allow(dead_code)]
pub(crate) enum Kind {
    String,
    Enum(&'static [&'static str]),
    Integer,
    Double,
    /// `--flag` / `--no-flag`.
    Boolean,
    /// RFC 3339 text or epoch seconds.
    Timestamp,
    /// One or more values after the option.
    StringList,
    /// JSON text, or `file://PATH`.
    Json,
}

/// How a run ends: the AWS CLI's exit codes.
pub(crate) enum Failure {
    Usage(String),
    /// A failed call, and the operation's name for the message.
    Call(Error, &'static str),
}

/// Sends `input` (JSON) as operation input `I`; the output as compact JSON.
pub(crate) fn call<I: DeserializeOwned, O: Serialize, E>(
    input: Value,
    send: impl FnOnce(I) -> Result<O, Error<E>>,
) -> Result<String, Failure>
where
    Error: From<Error<E>>,
{
    let input = serde_json::from_value(input)
        .map_err(|e| Failure::Usage(format!("\nParameter validation failed:\n{e}")))?;
    let output = send(input).map_err(|e| Failure::Call(e.into(), ""))?;
    serde_json::to_string(&output).map_err(|e| Failure::Usage(e.to_string()))
}

const USAGE: &str = "usage: appflow [global options] <operation> [options]
       appflow <operation> --help

Run `appflow help` for the operations. Settings not given come from the same
variables and files as the AWS CLI's.

Global options (before or after the operation):
  --region REGION  --endpoint-url URL  --profile NAME  --output json
  --cli-connect-timeout SECS  --cli-read-timeout SECS  (0: none)
  --debug  (the signed request on stderr, secrets masked)
  --no-paginate  --max-items N  --starting-token TOKEN  --page-size N  (paginated operations)
  --no-cli-pager  --no-cli-auto-prompt  (accepted; they change nothing here)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            print_err(&message);
            ExitCode::from(252)
        }
        Err(Failure::Call(err, operation)) => {
            let (code, message) = describe(&err, operation);
            print_err(&message);
            ExitCode::from(code)
        }
    }
}

/// Prints a line of output. A reader that went away (`appflow ... | head -1`)
/// ends the tool quietly with success, as the AWS CLI ignores a closed pipe;
/// any other write failure is reported and ends it with 255.
fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            print_err(&format!("\ncannot write the output: {e}"));
            std::process::exit(255);
        }
    }
}

/// Prints a line on stderr; one that cannot be shown is dropped, never a panic.
fn print_err(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// The parsed command line.
#[derive(Default)]
struct CommandLine {
    region: Option<String>,
    endpoint_url: Option<String>,
    profile: Option<String>,
    operation: Option<&'static Operation>,
    /// Input members given as options, in the order given.
    members: Vec<(&'static Member, Value)>,
    cli_input_json: Option<String>,
    help: bool,
    skeleton: bool,
    debug: bool,
    paging: paging::Settings,
    page_size: Option<usize>,
    connect_timeout: Option<Option<Duration>>,
    read_timeout: Option<Option<Duration>>,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

/// `--cli-*-timeout` values: seconds, 0 for none (as in the AWS CLI). Up to
/// a day; more is surely a mistake.
fn seconds(option: &str, value: &str) -> Result<Option<Duration>, Failure> {
    match value.parse::<f64>() {
        Ok(0.0) => Ok(None),
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(Some(Duration::from_secs_f64(s))),
        _ => Err(usage(format!(
            "--{option}: {value:?} is not a number of seconds from 0 to 86400"
        ))),
    }
}

fn parse(args: Vec<String>) -> Result<CommandLine, Failure> {
    let mut line = CommandLine::default();
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" || arg == "help" {
            line.help = true;
            continue;
        }
        let Some(flag) = arg.strip_prefix("--") else {
            if line.operation.is_some() {
                return Err(usage(format!("unexpected argument: {arg}\n\n{USAGE}")));
            }
            let operation = OPERATIONS.iter().find(|op| op.command == arg);
            line.operation = Some(operation.ok_or_else(|| {
                usage(format!("unknown operation: {arg}\n\n{}", operation_list()))
            })?);
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (flag, None),
        };
        let value = |args: &mut std::iter::Peekable<std::vec::IntoIter<String>>| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| usage(format!("argument --{name}: expected one argument")))
        };
        match name {
            "no-cli-pager" | "no-cli-auto-prompt" => {}
            "debug" => line.debug = true,
            "generate-cli-skeleton" => line.skeleton = true,
            "no-paginate" => line.paging.no_paginate = true,
            "region" => line.region = Some(value(&mut args)?),
            "endpoint-url" => line.endpoint_url = Some(value(&mut args)?),
            "profile" => line.profile = Some(value(&mut args)?),
            "cli-input-json" => line.cli_input_json = Some(value(&mut args)?),
            "cli-connect-timeout" => {
                line.connect_timeout = Some(seconds(name, &value(&mut args)?)?)
            }
            "cli-read-timeout" => line.read_timeout = Some(seconds(name, &value(&mut args)?)?),
            "max-items" => line.paging.max_items = Some(count(name, &value(&mut args)?)?),
            // The AWS CLI's name for the page size of operations it pages.
            "page-size" => line.page_size = Some(count(name, &value(&mut args)?)?),
            "starting-token" => line.paging.starting_token = Some(value(&mut args)?),
            "output" => {
                let output = value(&mut args)?;
                if output != "json" {
                    return Err(usage(format!("--output {output}: only json is supported")));
                }
            }
            _ => {
                let member = line
                    .operation
                    .and_then(|op| find_member(op, name))
                    .ok_or_else(|| {
                        let op = line.operation.map_or("", |op| op.command);
                        usage(format!("unknown option: --{name} {op}\n\n{USAGE}"))
                    })?;
                let given = match member.kind {
                    Kind::Boolean => {
                        let on = !name.starts_with("no-") || name == member.option;
                        Value::Bool(on)
                    }
                    Kind::StringList => {
                        let mut items: Vec<Value> =
                            inline.clone().map(Value::String).into_iter().collect();
                        while let Some(next) = args.next_if(|a| !a.starts_with("--")) {
                            items.push(Value::String(next));
                        }
                        if items.is_empty() {
                            return Err(usage(format!(
                                "argument --{name}: expected at least one argument"
                            )));
                        }
                        Value::Array(items)
                    }
                    _ => option_value(member, &value(&mut args)?)?,
                };
                line.members.push((member, given));
            }
        }
    }
    Ok(line)
}

/// The member an option names: `--flow-name`, or `--no-x` for boolean `x`.
fn find_member(op: &Operation, option: &str) -> Option<&'static Member> {
    let members: &'static [Member] = op.members;
    members.iter().find(|m| m.option == option).or_else(|| {
        let name = option.strip_prefix("no-")?;
        members
            .iter()
            .find(|m| m.option == name && matches!(m.kind, Kind::Boolean))
    })
}

fn count(option: &str, value: &str) -> Result<usize, Failure> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            usage(format!(
                "--{option}: {value:?} is not a positive whole number"
            ))
        })
}

/// An option's text as the member's JSON value.
fn option_value(member: &Member, text: &str) -> Result<Value, Failure> {
    let bad = |what: &str| {
        usage(format!(
            "\nParameter validation failed:\nInvalid value for parameter {}: {text:?} is not {what}",
            member.name
        ))
    };
    Ok(match member.kind {
        Kind::String | Kind::Enum(_) => Value::String(text.to_owned()),
        Kind::Integer => Value::from(text.parse::<i64>().map_err(|_| bad("an integer"))?),
        Kind::Double => {
            let n = text.parse::<f64>().ok().filter(|n| n.is_finite());
            Value::from(n.ok_or_else(|| bad("a number"))?)
        }
        Kind::Timestamp => match text.parse::<i64>() {
            Ok(secs) => Value::from(secs),
            Err(_) => Value::String(text.to_owned()),
        },
        Kind::Boolean => Value::Bool(text != "false"),
        Kind::StringList => Value::Array(vec![Value::String(text.to_owned())]),
        Kind::Json => json_argument(member.option, text)?,
    })
}

/// Parses a JSON argument, reading `file://PATH` first, as the AWS CLI does.
fn json_argument(option: &str, value: &str) -> Result<Value, Failure> {
    let text = match value.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            usage(format!(
                "Error parsing parameter '--{option}': cannot read {path}: {e}"
            ))
        })?,
        None => value.to_owned(),
    };
    serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "Error parsing parameter '--{option}': Invalid JSON: {e}"
        ))
    })
}

fn operation_list() -> String {
    let mut text = String::from("Operations:\n");
    for op in OPERATIONS {
        text.push_str(&format!("  {:<34} {}\n", op.command, op.summary));
    }
    text
}

fn operation_help(op: &Operation) -> String {
    let mut text = format!(
        "usage: appflow {} [options]\n\n{}\n\n",
        op.command, op.summary
    );
    for m in op.members {
        let value = match m.kind {
            Kind::String => "TEXT".to_owned(),
            Kind::Enum(values) => values.join("|"),
            Kind::Integer => "N".to_owned(),
            Kind::Double => "NUMBER".to_owned(),
            Kind::Boolean => String::new(),
            Kind::Timestamp => "TIME".to_owned(),
            Kind::StringList => "TEXT [TEXT ...]".to_owned(),
            Kind::Json => "JSON|file://PATH".to_owned(),
        };
        let option = match m.kind {
            Kind::Boolean => format!("--{0} | --no-{0}", m.option),
            _ => format!("--{} {value}", m.option),
        };
        let required = if m.required { "  (required)" } else { "" };
        text.push_str(&format!("  {option}{required}\n"));
    }
    text.push_str(
        "  --cli-input-json JSON|file://PATH   the whole input; options given beside it win\n  --generate-cli-skeleton             print the input with every member\n",
    );
    if op.pages.is_some() {
        text.push_str("\nPages are fetched and merged unless --no-paginate; --max-results is the page size,\n--max-items caps what is printed, --starting-token resumes.\n");
    }
    text.push('\n');
    text.push_str(USAGE);
    text
}

fn run(args: Vec<String>) -> Result<(), Failure> {
    let line = parse(args)?;
    let Some(op) = line.operation else {
        if line.help {
            print_out(&format!("{USAGE}\n\n{}", operation_list()));
            return Ok(());
        }
        return Err(usage(USAGE));
    };
    if line.help {
        print_out(&operation_help(op));
        return Ok(());
    }
    if line.skeleton {
        match serde_json::from_str::<Ordered>(op.skeleton) {
            Ok(skeleton) => print_json(&skeleton),
            Err(e) => return Err(usage(format!("bad skeleton: {e}"))),
        }
        return Ok(());
    }
    let input = input(&line)?;
    let client = client(&line).map_err(|e| Failure::Call(e, op.name))?;
    let output = match op.pages {
        Some(result_keys) if !line.paging.no_paginate => {
            paging::fetch_all(&line.paging, result_keys, input, |page_input| {
                send(op, &client, page_input)
            })?
        }
        _ => send(op, &client, input)?,
    };
    // The AWS CLI prints nothing for an answer without members.
    if output != Ordered::Object(Vec::new()) {
        print_json(&output);
    }
    Ok(())
}

/// One request; its output as ordered JSON.
fn send(op: &Operation, client: &Client, input: Value) -> Result<Ordered, Failure> {
    let text = (op.send)(client, input).map_err(|failure| match failure {
        Failure::Call(err, _) => Failure::Call(err, op.name),
        usage => usage,
    })?;
    serde_json::from_str(&text).map_err(|e| usage(format!("unreadable output: {e}")))
}

/// The input: `--cli-input-json` (if any), then each option on top.
fn input(line: &CommandLine) -> Result<Value, Failure> {
    let mut object = match &line.cli_input_json {
        Some(json) => match json_argument("cli-input-json", json)? {
            Value::Object(object) => object,
            _ => {
                return Err(usage(
                    "Error parsing parameter '--cli-input-json': expected a JSON object",
                ));
            }
        },
        None => Map::new(),
    };
    for (member, value) in &line.members {
        object.insert(member.name.to_owned(), value.clone());
    }
    if let Some(size) = line.page_size {
        if line.operation.is_some_and(|op| op.pages.is_some()) {
            object.insert("maxResults".into(), Value::from(size));
        } else {
            return Err(usage("--page-size applies only to operations that page"));
        }
    }
    Ok(Value::Object(object))
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
    if line.debug {
        // Every attempt, exactly as sent.
        builder = builder.on_request(|request| print_err(&debug_text(request)));
    }
    builder.build()
}

/// The signed request for `--debug`: the session token and secret members
/// of the body masked.
fn debug_text(request: &SignedRequest) -> String {
    let mut text = format!("{} {}\n", request.method, request.url);
    for (name, value) in &request.headers {
        let shown = if name.eq_ignore_ascii_case("x-amz-security-token") {
            "** masked **"
        } else {
            value
        };
        text.push_str(&format!("{name}: {shown}\n"));
    }
    if !request.body.is_empty() {
        let body = match serde_json::from_slice::<Ordered>(&request.body) {
            Ok(mut body) => {
                body.mask(SECRET_MEMBERS);
                serde_json::to_string(&body).unwrap_or_default()
            }
            Err(_) => "(a body that is not JSON)".to_owned(),
        };
        text.push_str(&format!("\n{body}\n"));
    }
    text
}

/// The AWS CLI prints outputs as JSON indented by four spaces.
fn print_json(value: &Ordered) {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if value.serialize(&mut serializer).is_ok() {
        print_out(&String::from_utf8_lossy(&out));
    }
}

fn service_message(service: &appflow_lite::ServiceError, operation: &str, retries: &str) -> String {
    // The server's text, with control characters escaped for the terminal.
    let mut message = format!(
        "\nAn error occurred ({}) when calling the {operation} operation{retries}: {}",
        Escaped(service.code().as_str()),
        Escaped(service.message().unwrap_or_default())
    );
    if let Some(id) = service.request_id() {
        message.push_str(&format!("\nRequest ID: {}", Escaped(id)));
    }
    message
}

/// The exit code and message for a failed call, worded as the AWS CLI words them.
fn describe(err: &Error, operation: &str) -> (u8, String) {
    match err {
        // The AWS CLI names the retries in the same sentence.
        Error::Service(service) => {
            let retries = match service.attempts() {
                0 | 1 => String::new(),
                attempts => format!(" (reached max retries: {})", attempts - 1),
            };
            (254, service_message(service, operation, &retries))
        }
        Error::InvalidInput(invalid) => (252, format!("\nParameter validation failed:\n{invalid}")),
        // AWS CLI v2 ends configuration and credential problems with 253.
        Error::MissingCredentials(detail) => {
            (253, format!("\nUnable to locate credentials: {detail}"))
        }
        Error::InvalidConfig(detail) => (253, format!("\n{detail}")),
        Error::MissingRegion => (
            253,
            "\nYou must specify a region. You can also set AWS_REGION or a profile's region."
                .into(),
        ),
        other => (255, format!("\n{other}")),
    }
}

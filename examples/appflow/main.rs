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
//! It keeps AWS CLI v2's habits: each top-level member as an option (JSON,
//! shorthand syntax or `file://`), the whole input as `--cli-input-json` or
//! `--cli-input-yaml`, `--generate-cli-skeleton`, `--query` (JMESPath),
//! `--output json|text|table|yaml|yaml-stream`, ISO 8601 times, and v2's exit
//! codes: 0 success, 252 bad parameters or input, 253 missing credentials or
//! region and bad configuration, 254 an error answer from AppFlow, 255
//! anything else. Install it as `appflow` with `cargo install --path cli`.

mod answer;
mod cli;
mod format;
mod help;
mod input;
mod operations;
mod ordered;
mod paging;
mod query;
mod times;

use std::process::ExitCode;

use appflow_lite::config::Env;
use appflow_lite::{Client, ClientBuilder, Error, Escaped, SignedRequest};
use serde_json::Value;

use cli::{CommandLine, Skeleton};
use format::{Answer, Format, Output};
use operations::SECRET_MEMBERS;
use ordered::Ordered;
use times::TimestampFormat;

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
    /// A sample output, strings holding their member's name.
    output_skeleton: &'static str,
}

/// A top-level input member, offered as `--option`.
pub(crate) struct Member {
    name: &'static str,
    option: &'static str,
    kind: Kind,
    required: bool,
    /// The model's lengths, ranges and pattern, in a few words.
    limits: &'static str,
}

/// How an option's value is written on the command line. (Today's model
/// has no top-level double or timestamp member; the table may gain one.)
#[allow(dead_code)]
#[derive(PartialEq)]
pub(crate) enum Kind {
    String,
    Enum(&'static [&'static str]),
    Integer,
    Double,
    /// `--flag` / `--no-flag`.
    Boolean,
    /// ISO 8601 text or epoch seconds.
    Timestamp,
    /// One or more values after the option.
    StringList,
    /// A structure, map or list of them: JSON, shorthand or `file://PATH`.
    Json,
}

/// How a run ends, with the AWS CLI's exit codes.
pub(crate) enum Failure {
    /// 252: the command line or the input is wrong.
    Usage(String),
    /// 253: the configuration is wrong.
    Config(String),
    /// 255: anything else, such as a query that fails on the answer.
    Other(String),
    /// A failed call, and the operation's name for the message.
    Call(Error, &'static str),
}

fn main() -> ExitCode {
    let (code, message) = match run(std::env::args().skip(1).collect()) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => (252, message),
        Err(Failure::Config(message)) => (253, message),
        Err(Failure::Other(message)) => (255, message),
        Err(Failure::Call(err, operation)) => describe(&err, operation),
    };
    print_err(&message);
    ExitCode::from(code)
}

/// Prints output. A reader that went away (`appflow ... | head -1`) ends
/// the tool quietly with success, as the AWS CLI ignores a closed pipe; any
/// other write failure is reported and ends it with 255.
fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
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

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

/// `appflow/VERSION appflow-lite/VERSION OS/ARCH`, as `aws --version` names
/// itself, its engine and its platform.
fn version() -> String {
    let v = env!("CARGO_PKG_VERSION");
    format!(
        "appflow/{v} appflow-lite/{v} {}/{}\n",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// How answers are shown: `--output`, `--query`, the timestamp format and
/// colors, each found where AWS CLI v2 finds it.
struct Show {
    format: Format,
    query: Option<query::Query>,
    timestamps: TimestampFormat,
    color: bool,
}

impl Show {
    fn resolve(line: &CommandLine, env: &Env) -> Result<Show, Failure> {
        // A profile asked for by name must exist; the AWS CLI ends with
        // 255 then, before anything else.
        let missing = appflow_lite::config::missing_profile(env, line.profile.as_deref())
            .map_err(|e| Failure::Config(format!("\n{e}")))?;
        if let Some(name) = missing {
            return Err(Failure::Other(format!(
                "\nThe config profile ({name}) could not be found"
            )));
        }
        let profile = |key: &str| {
            appflow_lite::config::profile_setting(env, line.profile.as_deref(), key)
                .map_err(|e| Failure::Config(format!("\n{e}")))
        };
        let (name, from) = match (&line.output, env.get("AWS_DEFAULT_OUTPUT")) {
            (Some(name), _) => (name.clone(), "--output"),
            (None, Some(name)) => (name, "AWS_DEFAULT_OUTPUT"),
            (None, None) => (
                profile("output")?.unwrap_or_else(|| "json".into()),
                "the profile's output",
            ),
        };
        let format = Format::parse(&name).ok_or_else(|| {
            usage(format!(
                "argument --output: Invalid choice {name:?} (from {from}), valid choices are:\n\n{}",
                Format::NAMES.join(" | ")
            ))
        })?;
        let timestamps = match profile("cli_timestamp_format")? {
            None => TimestampFormat::Iso8601,
            Some(name) => TimestampFormat::parse(&name).ok_or_else(|| {
                Failure::Config(format!(
                    "\nUnknown cli_timestamp_format value: {name}, valid values are: wire or iso8601"
                ))
            })?,
        };
        let query = match &line.query {
            Some(text) => Some(
                query::Query::parse(text)
                    .map_err(|e| usage(format!("\nBad value for --query {text}: {}", e.detail)))?,
            ),
            None => None,
        };
        let color = match line.color.as_deref() {
            Some("on") => true,
            Some("off") => false,
            _ => std::io::IsTerminal::is_terminal(&std::io::stdout()),
        };
        Ok(Show {
            format,
            query,
            timestamps,
            color,
        })
    }

    /// The answer's text.
    fn render(&self, op: &Operation, answer: Answer) -> Result<String, Failure> {
        let output = Output {
            format: self.format,
            query: self.query.as_ref(),
            title: op.name,
            color: self.color,
        };
        output
            .render(&answer)
            .map_err(|e| Failure::Other(format!("\n{e}")))
    }
}

fn run(args: Vec<String>) -> Result<(), Failure> {
    let line = cli::parse(args)?;
    if line.version {
        print_out(&version());
        return Ok(());
    }
    let Some(op) = line.operation else {
        if line.help {
            print_out(&format!("{}\n\n{}", help::USAGE, help::operation_list()));
            return Ok(());
        }
        return Err(usage(help::USAGE));
    };
    if line.help {
        print_out(&format!("{}\n", help::operation_help(op)));
        return Ok(());
    }
    // `--generate-cli-skeleton input` makes every option optional.
    if !matches!(line.skeleton, Some(Skeleton::Input | Skeleton::YamlInput)) {
        require_options(&line, op)?;
    }
    if !line.unknown.is_empty() {
        return Err(usage(format!(
            "\n{}\nUnknown options: {}",
            help::SHORT_USAGE,
            line.unknown.join(", ")
        )));
    }
    let env = Env::real();
    match line.skeleton {
        Some(Skeleton::Input) => {
            print_out(&format!("{}\n", format::json(&skeleton(op.skeleton)?)));
            return Ok(());
        }
        Some(Skeleton::YamlInput) => {
            print_out(&yaml_skeleton(op)?);
            return Ok(());
        }
        Some(Skeleton::Output) => {
            // The input is checked as for a call; nothing is sent.
            let input = input::build(&line, op)?;
            check_required(op, &input)?;
            let show = Show::resolve(&line, &env)?;
            let sample = skeleton(op.output_skeleton)?;
            print_out(&show.render(op, Answer::One(sample))?);
            return Ok(());
        }
        None => {}
    }
    let show = Show::resolve(&line, &env)?;
    let input = input::build(&line, op)?;
    let client = client(&line).map_err(|e| Failure::Call(e, op.name))?;
    let answer = match op.pages {
        Some(result_keys) if line.paging.requested(line.page_size) => Answer::Paged(
            paging::fetch_all(&line.paging, result_keys, input, |page_input| {
                send(op, &client, page_input, show.timestamps)
            })?,
        ),
        _ => Answer::One(send(op, &client, input, show.timestamps)?),
    };
    print_out(&show.render(op, answer)?);
    Ok(())
}

/// A generated skeleton as ordered JSON.
fn skeleton(text: &str) -> Result<Ordered, Failure> {
    serde_json::from_str(text).map_err(|e| Failure::Other(format!("bad skeleton: {e}")))
}

/// The input skeleton as YAML, each top-level member with a comment that
/// says whether it is required and, for an enum, its values.
fn yaml_skeleton(op: &Operation) -> Result<String, Failure> {
    let mut text = String::new();
    format::yaml_in_order(&skeleton(op.skeleton)?, &mut text);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        let member = op.members.iter().find(|m| {
            line.strip_prefix(m.name)
                .is_some_and(|rest| rest.starts_with(':'))
        });
        if let Some(member) = member {
            let mut comment = Vec::new();
            if member.required {
                comment.push("[REQUIRED]".to_owned());
            }
            if let Kind::Enum(values) = member.kind {
                comment.push(format!("Valid values are: {}.", values.join(", ")));
            }
            if !comment.is_empty() {
                out.push_str(&format!("  # {}", comment.join(" ")));
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Without `--cli-input-json` or `--cli-input-yaml`, a required member must
/// be given as an option; AWS CLI v2's argument parser says so, in its words,
/// before anything is read.
fn require_options(line: &CommandLine, op: &Operation) -> Result<(), Failure> {
    if line.cli_input_json.is_some() || line.cli_input_yaml.is_some() {
        return Ok(());
    }
    let missing: Vec<String> = op
        .members
        .iter()
        .filter(|m| m.required && !line.members.iter().any(|(given, _)| given.name == m.name))
        .map(|m| format!("--{}", m.option))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(usage(format!(
        "\nappflow: [ERROR]: the following arguments are required: {}\n\n{}",
        missing.join(", "),
        help::SHORT_USAGE
    )))
}

/// Required top-level members must be there, as botocore checks before a
/// call (the library checks them too, but only when it sends).
fn check_required(op: &Operation, input: &Value) -> Result<(), Failure> {
    let missing: Vec<&str> = op
        .members
        .iter()
        .filter(|m| m.required && input.get(m.name).is_none())
        .map(|m| m.name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = missing
        .iter()
        .map(|name| format!("Missing required parameter in input: \"{name}\""))
        .collect();
    Err(usage(format!(
        "\nParameter validation failed:\n{}",
        lines.join("\n")
    )))
}

/// One request; its output as ordered JSON, timestamps shown as `times` says.
fn send(
    op: &Operation,
    client: &Client,
    input: Value,
    times: TimestampFormat,
) -> Result<Ordered, Failure> {
    let text = client
        .send_json(op.name, &input)
        .map_err(|e| Failure::Call(e, op.name))?;
    let answer: Ordered = serde_json::from_str(&text)
        .map_err(|e| Failure::Other(format!("unreadable output: {e}")))?;
    Ok(answer::read(answer, &skeleton(op.output_skeleton)?, times))
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
    if let Some(path) = &line.ca_bundle {
        builder = builder.ca_bundle(path);
    }
    if line.no_sign_request {
        builder = builder.no_credentials();
    }
    if line.no_verify_ssl {
        builder = builder.danger_accept_invalid_certs(true);
    }
    if line.debug {
        // Every attempt, exactly as sent.
        builder = builder.on_request(|request| print_err(&debug_text(request)));
    }
    let client = builder.build()?;
    if line.no_verify_ssl {
        if let Some(host) = client.endpoint().strip_prefix("https://") {
            // AWS CLI v2 warns the same way (through urllib3).
            print_err(&format!(
                "InsecureRequestWarning: Unverified HTTPS request is being made to host '{}'. Adding certificate verification is strongly advised.",
                host.split('/').next().unwrap_or(host)
            ));
        }
    }
    Ok(client)
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

fn service_message(service: &appflow_lite::ServiceError, operation: &str, retries: &str) -> String {
    // The server's text, with control characters escaped for the terminal.
    // Worded as the AWS CLI words it, which shows no request id.
    format!(
        "\nAn error occurred ({}) when calling the {operation} operation{retries}: {}",
        Escaped(service.code().as_str()),
        Escaped(service.message().unwrap_or_default())
    )
}

/// An input error in botocore's words, for the checks botocore makes too
/// (required and unknown members, lengths and values under their minimum);
/// the library's words for the rest, which the AWS CLI leaves to AppFlow.
fn botocore_wording(invalid: &appflow_lite::InvalidInput) -> String {
    use appflow_lite::Rule;
    let path = invalid.field();
    // A member's path ends in `.name`, or is `name` at the top; member names
    // have no dots, so the last one separates it from its structure.
    let (parent, name) = path.rsplit_once('.').unwrap_or(("input", path));
    match invalid.rule() {
        Rule::Required => format!("Missing required parameter in {parent}: \"{name}\""),
        Rule::UnknownMember { allowed } => format!(
            "Unknown parameter in {parent}: \"{name}\", must be one of: {}",
            allowed.join(", ")
        ),
        Rule::Length { min, actual, .. } | Rule::Count { min, actual, .. } if actual < min => {
            format!("Invalid length for parameter {path}, value: {actual}, valid min length: {min}")
        }
        Rule::Range { min, actual, .. } if actual < min => {
            format!("Invalid value for parameter {path}, value: {actual}, valid min value: {min}")
        }
        _ => invalid.to_string(),
    }
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
        Error::InvalidInput(invalid) => (
            252,
            format!(
                "\nParameter validation failed:\n{}",
                botocore_wording(invalid)
            ),
        ),
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

//! `help` and `<operation> help`: what each option takes, in our words.

use crate::operations::OPERATIONS;
use crate::{Kind, Operation};

/// What AWS CLI v2 prints after a command-line error: the form of a
/// command, and where help is.
pub(crate) const SHORT_USAGE: &str = "usage: appflow [global options] <operation> [options]
To see help text, you can run:

  appflow help
  appflow <operation> help
";

pub(crate) const USAGE: &str = "usage: appflow [global options] <operation> [options]
       appflow <operation> help

Settings not given come from the same variables and files as the AWS CLI's
(AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_APPFLOW, ~/.aws/config, ...).

Global options (before or after the operation):
  --region REGION            the region to call
  --endpoint-url URL         another endpoint (a fake AppFlow, a proxy)
  --profile NAME             a profile of the shared config files
  --output FORMAT            json | text | table | yaml | yaml-stream
                             (else AWS_DEFAULT_OUTPUT, the profile's output, json)
  --query EXPRESSION         a JMESPath expression applied to the answer
  --color on|off|auto        colors in table output (auto: when a terminal)
  --no-verify-ssl            accept any HTTPS certificate (unsafe; warns)
  --ca-bundle PATH           trust the certificates in this PEM file
  --no-sign-request          send requests unsigned, without credentials
  --cli-connect-timeout S    seconds to connect (0: no limit)
  --cli-read-timeout S       seconds for each attempt (0: no limit)
  --cli-binary-format F      base64 | raw-in-base64-out (no AppFlow member is binary)
  --debug                    each signed request on stderr, secrets masked
  --version                  the tool's version
  --no-paginate  --max-items N  --starting-token TOKEN  --page-size N
                             paging, for operations that page
  --no-cli-pager  --no-cli-auto-prompt   accepted; nothing to turn off here

Exit codes: 0 success, 252 bad command line or input, 253 configuration or
credentials, 254 an error answer from AppFlow, 255 anything else.";

pub(crate) fn operation_list() -> String {
    let mut text = String::from("Operations:\n");
    for op in OPERATIONS {
        text.push_str(&format!("  {:<34} {}\n", op.command, op.summary));
    }
    text
}

/// What an option's value is, in a few words.
fn describe_kind(kind: &Kind) -> String {
    match kind {
        Kind::String => "text".into(),
        Kind::Enum(values) => format!("one of: {}", values.join(", ")),
        Kind::Integer => "a whole number".into(),
        Kind::Double => "a number".into(),
        Kind::Boolean => "a switch".into(),
        Kind::Timestamp => "a time: ISO 8601 (2026-12-06T10:00:00Z) or epoch seconds".into(),
        Kind::StringList => "one or more texts, or a JSON list".into(),
        Kind::Json => "shorthand (key=value,...), JSON, or file://PATH".into(),
    }
}

pub(crate) fn operation_help(op: &Operation) -> String {
    let mut text = format!(
        "usage: appflow {} [options]\n\n{}\n\nOptions:\n",
        op.command, op.summary
    );
    for m in op.members {
        let option = match m.kind {
            Kind::Boolean => format!("--{0} | --no-{0}", m.option),
            _ => format!("--{} VALUE", m.option),
        };
        let required = if m.required { "required" } else { "optional" };
        text.push_str(&format!(
            "  {option}\n      {required}; {}",
            describe_kind(&m.kind)
        ));
        if !m.limits.is_empty() {
            text.push_str(&format!("; {}", m.limits));
        }
        text.push('\n');
    }
    text.push_str(
        "  --cli-input-json JSON | --cli-input-yaml YAML\n      optional; the whole input (file://PATH too); options given beside it win\n  --generate-cli-skeleton [input | yaml-input | output]\n      print the input (JSON or YAML) or a sample output, and call nothing\n",
    );
    if op.pages.is_some() {
        text.push_str("\nPages are fetched and merged unless --no-paginate; --page-size sets the page\nsize, --max-items caps what is printed, --starting-token resumes.\n");
    }
    text.push('\n');
    text.push_str(USAGE);
    text
}

//! The command line, read as AWS CLI v2 reads it: global options anywhere,
//! `--name value` or `--name=value`, the operation's members as options.

use std::time::Duration;

use serde_json::Value;

use crate::operations::OPERATIONS;
use crate::{Failure, Kind, Member, Operation, help, input, paging, usage};

/// What `--generate-cli-skeleton` asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Skeleton {
    Input,
    YamlInput,
    Output,
}

/// The parsed command line.
#[derive(Default)]
pub(crate) struct CommandLine {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub profile: Option<String>,
    pub operation: Option<&'static Operation>,
    /// Input members given as options, in the order given.
    pub members: Vec<(&'static Member, Value)>,
    pub cli_input_json: Option<String>,
    pub cli_input_yaml: Option<String>,
    pub help: bool,
    pub version: bool,
    pub skeleton: Option<Skeleton>,
    pub debug: bool,
    pub output: Option<String>,
    pub query: Option<String>,
    pub color: Option<String>,
    pub no_verify_ssl: bool,
    pub ca_bundle: Option<String>,
    pub no_sign_request: bool,
    pub paging: paging::Settings,
    pub page_size: Option<usize>,
    pub connect_timeout: Option<Option<Duration>>,
    pub read_timeout: Option<Option<Duration>>,
    /// Arguments no option takes, reported after the required options are
    /// checked, in AWS CLI v2's order.
    pub unknown: Vec<String>,
}

type Args = std::iter::Peekable<std::vec::IntoIter<String>>;

/// Checks a value against the choices an option takes.
fn choice(option: &str, value: String, choices: &[&str]) -> Result<String, Failure> {
    if choices.contains(&value.as_str()) {
        return Ok(value);
    }
    Err(usage(format!(
        "argument --{option}: Invalid choice, valid choices are:\n\n{}",
        choices.join(" | ")
    )))
}

pub(crate) fn parse(args: Vec<String>) -> Result<CommandLine, Failure> {
    let mut line = CommandLine::default();
    let mut args: Args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" || arg == "help" {
            line.help = true;
            continue;
        }
        let Some(flag) = arg.strip_prefix("--") else {
            if line.operation.is_some() {
                // No operation takes a bare argument: it is left over, as
                // argparse leaves the value of an option it does not know.
                line.unknown.push(arg);
                continue;
            }
            let operation = OPERATIONS.iter().find(|op| op.command == arg);
            line.operation = Some(operation.ok_or_else(|| {
                usage(format!(
                    "argument operation: Invalid choice, valid choices are:\n\n{}",
                    help::operation_list()
                ))
            })?);
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (flag, None),
        };
        let value = |args: &mut Args| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| usage(format!("argument --{name}: expected one argument")))
        };
        match name {
            "no-cli-pager" | "no-cli-auto-prompt" | "cli-auto-prompt" => {}
            "debug" => line.debug = true,
            "version" => line.version = true,
            "generate-cli-skeleton" => {
                // The value is optional: `input` when none follows.
                let given = inline.clone().or_else(|| {
                    args.next_if(|a| matches!(a.as_str(), "input" | "output" | "yaml-input"))
                });
                line.skeleton = Some(match given.as_deref() {
                    None | Some("input") => Skeleton::Input,
                    Some("yaml-input") => Skeleton::YamlInput,
                    Some("output") => Skeleton::Output,
                    Some(other) => {
                        choice(name, other.to_owned(), &["input", "output", "yaml-input"])?;
                        unreachable!("choice refuses anything else")
                    }
                });
            }
            "no-paginate" => line.paging.no_paginate = true,
            "no-verify-ssl" => line.no_verify_ssl = true,
            "no-sign-request" => line.no_sign_request = true,
            "region" => line.region = Some(value(&mut args)?),
            "endpoint-url" => line.endpoint_url = Some(value(&mut args)?),
            "profile" => line.profile = Some(value(&mut args)?),
            "ca-bundle" => line.ca_bundle = Some(value(&mut args)?),
            "query" => line.query = Some(value(&mut args)?),
            "output" => line.output = Some(value(&mut args)?),
            "color" => line.color = Some(choice(name, value(&mut args)?, &["on", "off", "auto"])?),
            // AppFlow has no binary members: the choice is checked, and
            // changes nothing.
            "cli-binary-format" => {
                choice(name, value(&mut args)?, &["base64", "raw-in-base64-out"])?;
            }
            "cli-input-json" => line.cli_input_json = Some(value(&mut args)?),
            "cli-input-yaml" => line.cli_input_yaml = Some(value(&mut args)?),
            "cli-connect-timeout" => {
                line.connect_timeout = Some(seconds(name, &value(&mut args)?)?)
            }
            "cli-read-timeout" => line.read_timeout = Some(seconds(name, &value(&mut args)?)?),
            "max-items" => line.paging.max_items = Some(count(name, &value(&mut args)?)?),
            // The AWS CLI's name for the page size of operations it pages.
            "page-size" => line.page_size = Some(count(name, &value(&mut args)?)?),
            "starting-token" => line.paging.starting_token = Some(value(&mut args)?),
            _ => {
                let op = line.operation;
                let Some(member) = op.and_then(|op| find_member(op, name)) else {
                    line.unknown.push(format!("--{flag}"));
                    continue;
                };
                let op = op.expect("a member belongs to an operation");
                let given = match member.kind {
                    Kind::Boolean => {
                        let on = !name.starts_with("no-") || name == member.option;
                        Value::Bool(on)
                    }
                    _ if input::takes_many(op, member) => {
                        let mut texts: Vec<String> = inline.clone().into_iter().collect();
                        while let Some(next) = args.next_if(|a| !a.starts_with("--")) {
                            texts.push(next);
                        }
                        if texts.is_empty() {
                            return Err(usage(format!(
                                "argument --{name}: expected at least one argument"
                            )));
                        }
                        input::complex_value(op, member, &texts)?
                    }
                    Kind::Json => input::complex_value(op, member, &[value(&mut args)?])?,
                    _ => scalar_value(member, &value(&mut args)?)?,
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
            .find(|m| m.option == name && m.kind == Kind::Boolean)
    })
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

/// A scalar option's text as the member's JSON value.
fn scalar_value(member: &Member, text: &str) -> Result<Value, Failure> {
    let text = input::argument_text(member.option, text)?;
    let bad = |what: &str| {
        usage(format!(
            "\nParameter validation failed:\nInvalid value for parameter {}: {text:?} is not {what}",
            member.name
        ))
    };
    Ok(match member.kind {
        Kind::Integer => Value::from(text.trim().parse::<i64>().map_err(|_| bad("an integer"))?),
        Kind::Double => {
            let n = text.trim().parse::<f64>().ok().filter(|n| n.is_finite());
            Value::from(n.ok_or_else(|| bad("a number"))?)
        }
        Kind::Boolean => Value::Bool(text != "false"),
        // Strings, enums and timestamps as given (times are read later,
        // with the rest of the input).
        _ => Value::String(text),
    })
}

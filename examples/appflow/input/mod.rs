//! The operation's input, built as the AWS CLI builds it: `--cli-input-json`
//! or `--cli-input-yaml` first, each option on top; an option's value read
//! from `file://PATH` when it says so, then as JSON when it looks like JSON,
//! else as shorthand syntax; timestamps given as text turned into epoch
//! seconds.

mod shorthand;
pub(crate) mod yaml;

use serde_json::{Map, Value};

use crate::cli::CommandLine;
use crate::{Failure, Kind, Member, Operation, usage};

/// An argument's text, read from the file it names with `file://`.
pub(crate) fn argument_text(option: &str, value: &str) -> Result<String, Failure> {
    let Some(path) = value.strip_prefix("file://") else {
        return Ok(value.to_owned());
    };
    std::fs::read_to_string(path).map_err(|e| {
        usage(format!(
            "Error parsing parameter '--{option}': Unable to load paramfile {value}: {e}"
        ))
    })
}

/// Parses JSON text given for `option`.
pub(crate) fn json(option: &str, text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| {
        usage(format!(
            "Error parsing parameter '--{option}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })
}

/// The member's skeleton in the operation's input skeleton: the shape that
/// shorthand values are typed after.
fn member_skeleton(op: &Operation, member: &Member) -> Value {
    serde_json::from_str::<Value>(op.skeleton)
        .ok()
        .and_then(|mut s| s.get_mut(member.name).map(Value::take))
        .unwrap_or(Value::Null)
}

/// Whether the member takes several arguments (`--tasks a=1 a=2`).
pub(crate) fn takes_many(op: &Operation, member: &Member) -> bool {
    match member.kind {
        Kind::StringList => true,
        Kind::Json => member_skeleton(op, member).is_array(),
        _ => false,
    }
}

/// The JSON value of a structure, list or map member from its arguments.
pub(crate) fn complex_value(
    op: &Operation,
    member: &Member,
    texts: &[String],
) -> Result<Value, Failure> {
    let option = member.option;
    let texts = texts
        .iter()
        .map(|t| argument_text(option, t))
        .collect::<Result<Vec<_>, _>>()?;
    let first = texts.first().map_or("", |t| t.trim_start());
    let skeleton = member_skeleton(op, member);
    // JSON when it looks like JSON, as the AWS CLI decides.
    if first.starts_with('[') || first.starts_with('{') {
        if texts.len() > 1 && !(skeleton.is_array() && first.starts_with('{')) {
            return Err(usage(format!(
                "Error parsing parameter '--{option}': give one JSON value, not {}",
                texts.len()
            )));
        }
        if skeleton.is_array() && first.starts_with('{') {
            // One JSON object per list item.
            let items = texts
                .iter()
                .map(|t| json(option, t))
                .collect::<Result<_, _>>()?;
            return Ok(Value::Array(items));
        }
        return json(option, first);
    }
    let bad = |e: String| usage(format!("Error parsing parameter '--{option}': {e}"));
    if member.kind == Kind::StringList {
        return Ok(Value::Array(texts.into_iter().map(Value::String).collect()));
    }
    let mut value = match &skeleton {
        Value::Array(_) => Value::Array(
            texts
                .iter()
                .map(|t| shorthand::parse(t))
                .collect::<Result<_, _>>()
                .map_err(bad)?,
        ),
        _ => shorthand::parse(first).map_err(bad)?,
    };
    shorthand::coerce(&mut value, &skeleton).map_err(bad)?;
    Ok(value)
}

/// The whole input of `line`'s operation.
pub(crate) fn build(line: &CommandLine, op: &Operation) -> Result<Value, Failure> {
    let mut object = match (&line.cli_input_json, &line.cli_input_yaml) {
        (Some(_), Some(_)) => {
            return Err(usage(
                "Only one --cli-input-json or --cli-input-yaml may be given",
            ));
        }
        (Some(text), None) => {
            let text = argument_text("cli-input-json", text)?;
            into_object("cli-input-json", json("cli-input-json", &text)?)?
        }
        (None, Some(text)) => {
            let text = argument_text("cli-input-yaml", text)?;
            let value = yaml::parse(&text)
                .map_err(|e| usage(format!("Error parsing parameter '--cli-input-yaml': {e}")))?;
            into_object("cli-input-yaml", value)?
        }
        (None, None) => Map::new(),
    };
    for (member, value) in &line.members {
        object.insert(member.name.to_owned(), value.clone());
    }
    if let Some(size) = line.page_size {
        if op.pages.is_none() {
            return Err(usage("--page-size applies only to operations that page"));
        }
        object.insert("maxResults".into(), Value::from(size));
    }
    let mut input = Value::Object(object);
    let skeleton = serde_json::from_str(op.skeleton).unwrap_or(Value::Null);
    read_times(&mut input, &skeleton);
    Ok(input)
}

/// Rewrites timestamps given as text (where the skeleton has the epoch)
/// into epoch seconds; anything that is not a time is left for validation
/// to refuse.
fn read_times(value: &mut Value, skeleton: &Value) {
    match (skeleton, value) {
        (Value::String(epoch), value) if epoch == crate::times::EPOCH => {
            if let Some(secs) = value.as_str().and_then(crate::times::parse_input) {
                *value = Value::from(secs);
            }
        }
        (Value::Array(item), Value::Array(items)) => {
            if let Some(item) = item.first() {
                items.iter_mut().for_each(|v| read_times(v, item));
            }
        }
        (Value::Object(shape), Value::Object(members)) => {
            let map_value = map_value_shape(shape);
            for (name, member) in members.iter_mut() {
                if let Some(shape) = map_value.or_else(|| shape.get(name)) {
                    read_times(member, shape);
                }
            }
        }
        _ => {}
    }
}

/// A map's value shape: skeletons write a map as its one `KeyName` entry.
pub(crate) fn map_value_shape(shape: &Map<String, Value>) -> Option<&Value> {
    match shape.get("KeyName") {
        Some(value) if shape.len() == 1 => Some(value),
        _ => None,
    }
}

fn into_object(option: &str, value: Value) -> Result<Map<String, Value>, Failure> {
    match value {
        Value::Object(object) => Ok(object),
        Value::Null => Ok(Map::new()),
        _ => Err(usage(format!(
            "Error parsing parameter '--{option}': expected an object of input members"
        ))),
    }
}

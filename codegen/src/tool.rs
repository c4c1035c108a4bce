//! The operation table of `examples/appflow`: each operation's command
//! name, options (one per top-level member), paging and input skeleton.

use std::fmt::Write;

use crate::model::{Kind, Model, kebab_name};
use crate::operations::{paging, summary};

pub fn write_table(model: &Model) -> String {
    let mut out = String::from(
        "use super::{Kind, Member, Operation};\n\n/// Every AppFlow operation, by command name.\npub(crate) const OPERATIONS: &[Operation] = &[\n",
    );
    for op in model.operation_names() {
        let input = model.input_of(op);
        let mut members = String::new();
        for m in model.members(input) {
            writeln!(
                members,
                "Member {{ name: {:?}, option: {:?}, kind: {}, required: {}, limits: {:?} }},",
                m.name,
                kebab_name(m.name),
                kind(model, m.target),
                m.required || m.location == Some("uri"),
                limits(model, m.target),
            )
            .unwrap();
        }
        let pages = match paging(model, op) {
            Some(paging) => format!(
                "Some(&[{}])",
                paging
                    .result_keys
                    .iter()
                    .map(|k| format!("{k:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "None".to_owned(),
        };
        let mut skeleton = String::new();
        write_skeleton(model, input, None, &mut skeleton);
        let mut output_skeleton = String::new();
        write_skeleton(model, model.output_of(op), Some(""), &mut output_skeleton);
        writeln!(
            out,
            "Operation {{\nname: {op:?},\ncommand: {command:?},\nsummary: {summary:?},\nmembers: &[\n{members}],\npages: {pages},\nskeleton: {skeleton},\noutput_skeleton: {output_skeleton},\n}},",
            command = kebab_name(op),
            summary = summary(op),
            skeleton = crate::shapes::raw_string(&skeleton),
            output_skeleton = crate::shapes::raw_string(&output_skeleton),
        )
        .unwrap();
    }
    out.push_str("];\n\n");
    let mut secrets = std::collections::BTreeSet::new();
    for name in model.shapes.keys() {
        if model.kind(name) == Kind::Structure {
            for m in model.members(name) {
                if m.secret {
                    secrets.insert(format!("{:?}", m.name));
                }
            }
        }
    }
    out.push_str(&format!(
        "/// Members whose values are secrets, masked in `--debug` output.\npub(crate) const SECRET_MEMBERS: &[&str] = &[{}];\n",
        secrets.into_iter().collect::<Vec<_>>().join(", ")
    ));
    out
}

fn kind(model: &Model, shape: &str) -> String {
    match model.kind(shape) {
        Kind::String if model.is_enum(shape) => {
            format!(
                "Kind::Enum(appflow_lite::types::{}::values())",
                crate::model::type_name(shape)
            )
        }
        Kind::String => "Kind::String".into(),
        Kind::Integer | Kind::Long => "Kind::Integer".into(),
        Kind::Double => "Kind::Double".into(),
        Kind::Boolean => "Kind::Boolean".into(),
        Kind::Timestamp => "Kind::Timestamp".into(),
        Kind::List if model.kind(model.list_member(shape)) == Kind::String => {
            "Kind::StringList".into()
        }
        _ => "Kind::Json".into(),
    }
}

/// A shape as `aws ... --generate-cli-skeleton` prints it (botocore's
/// `ArgumentGenerator`): empty strings, zeros, `true`, the first enum value,
/// one list item, one map entry named `KeyName`, the epoch. For an output
/// skeleton (`named` is `Some`), a string holds its member's name (a list
/// item, its shape's). Compact: the tool indents it when printing.
fn write_skeleton(model: &Model, shape: &str, named: Option<&str>, out: &mut String) {
    match model.kind(shape) {
        Kind::Structure => {
            let members: Vec<String> = model
                .members(shape)
                .iter()
                .map(|m| {
                    let mut value = String::new();
                    write_skeleton(model, m.target, named.map(|_| m.name), &mut value);
                    format!("{:?}:{value}", m.name)
                })
                .collect();
            write!(out, "{{{}}}", members.join(",")).unwrap();
        }
        Kind::List => {
            out.push('[');
            let item = model.list_member(shape);
            write_skeleton(model, item, named.map(|_| item), out);
            out.push(']');
        }
        Kind::Map => {
            out.push_str("{\"KeyName\":");
            write_skeleton(model, model.map_value(shape), named.map(|_| ""), out);
            out.push('}');
        }
        Kind::String => match named {
            Some(name) => write!(out, "{name:?}").unwrap(),
            None if model.is_enum(shape) => {
                write!(out, "{:?}", model.enum_values(shape)[0]).unwrap()
            }
            None => out.push_str("\"\""),
        },
        Kind::Integer | Kind::Long => out.push('0'),
        Kind::Double => out.push_str("0.0"),
        Kind::Boolean => out.push_str("true"),
        Kind::Timestamp => out.push_str("\"1970-01-01T00:00:00\""),
    }
}

/// What the model allows for a member, in a few words, for `help`:
/// lengths, ranges, item counts and the pattern.
fn limits(model: &Model, shape: &str) -> String {
    let s = model.shape(shape);
    let unit = match model.kind(shape) {
        Kind::String => " characters",
        Kind::List | Kind::Map => " items",
        _ => "",
    };
    let mut parts = Vec::new();
    match (s.min, s.max) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max}{unit}")),
        (Some(min), None) if min > 0 => parts.push(format!("at least {min}{unit}")),
        (None, Some(max)) => parts.push(format!("at most {max}{unit}")),
        _ => {}
    }
    if let Some(pattern) = &s.pattern {
        parts.push(format!("matching {pattern}"));
    }
    parts.join(", ")
}

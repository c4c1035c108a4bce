//! The operation table of `examples/appflow`: each operation's command
//! name, options (one per top-level member), paging and input skeleton.

use std::fmt::Write;

use crate::model::{Kind, Model, field_name, kebab_name};
use crate::operations::{paging, summary};

pub fn write_table(model: &Model) -> String {
    let mut out = String::from(
        "use appflow_lite::Client;\n\nuse super::{Kind, Member, Operation, call};\n\n/// Every AppFlow operation, by command name.\npub(crate) const OPERATIONS: &[Operation] = &[\n",
    );
    for op in model.operation_names() {
        let input = model.input_of(op);
        let mut members = String::new();
        for m in model.members(input) {
            writeln!(
                members,
                "Member {{ name: {:?}, option: {:?}, kind: {}, required: {} }},",
                m.name,
                kebab_name(m.name),
                kind(model, m.target),
                m.required || m.location == Some("uri")
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
        write_skeleton(model, input, &mut skeleton);
        writeln!(
            out,
            "Operation {{\nname: {op:?},\ncommand: {command:?},\nsummary: {summary:?},\nmembers: &[\n{members}],\npages: {pages},\nskeleton: {skeleton},\nsend: |client: &Client, input| call(input, |input| client.{method}().set_input(input).send_untyped()),\n}},",
            command = kebab_name(op),
            summary = summary(op),
            skeleton = crate::shapes::raw_string(&skeleton),
            method = field_name(op),
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

/// The input with every member, as `aws ... --generate-cli-skeleton` prints
/// it: empty strings, zeros, `true`, the first enum value, one list item,
/// one map entry named `KeyName`. Compact: the tool indents it when printing.
fn write_skeleton(model: &Model, shape: &str, out: &mut String) {
    match model.kind(shape) {
        Kind::Structure => {
            let members: Vec<String> = model
                .members(shape)
                .iter()
                .map(|m| {
                    let mut value = String::new();
                    write_skeleton(model, m.target, &mut value);
                    format!("{:?}:{value}", m.name)
                })
                .collect();
            write!(out, "{{{}}}", members.join(",")).unwrap();
        }
        Kind::List => {
            out.push('[');
            write_skeleton(model, model.list_member(shape), out);
            out.push(']');
        }
        Kind::Map => {
            out.push_str("{\"KeyName\":");
            write_skeleton(model, model.map_value(shape), out);
            out.push('}');
        }
        Kind::String if model.is_enum(shape) => {
            write!(out, "{:?}", model.enum_values(shape)[0]).unwrap()
        }
        Kind::String => out.push_str("\"\""),
        Kind::Integer | Kind::Long => out.push('0'),
        Kind::Double => out.push_str("0.0"),
        Kind::Boolean => out.push_str("true"),
        Kind::Timestamp => out.push_str("\"1970-01-01T00:00:00Z\""),
    }
}

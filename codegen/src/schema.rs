//! `src/schema/tables.rs`: every shape an operation sends, and every
//! operation's request layout, as data for the one walker in `src/schema/`.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::model::{Kind, Model, binding_pattern, snake_case};

/// The table file's text (unformatted).
pub fn write_tables(model: &Model) -> String {
    let ops = model.operation_names();
    let sent: BTreeSet<&str> = model.reachable(ops.iter().map(|op| model.input_of(op)));
    // Plain scalars share one entry per kind; every other shape has its own.
    let own: Vec<&str> = sent
        .iter()
        .copied()
        .filter(|name| !is_plain(model, name))
        .collect();

    let mut out = String::from(
        "//! AppFlow's operations and the shapes they send, as data: what\n//! [`super`] reads, checks and lays out. One entry per shape of the model\n//! (unconstrained strings, numbers, booleans and timestamps share the\n//! `ANY_` ones). Names, patterns and enum values are spans of [`TEXT`],\n//! shown in the comment above each entry.\n\nuse super::{Id, Member, Operation, Shape, Text};\n\n",
    );
    for op in &ops {
        let (method, uri) = model.http(op);
        writeln!(
            out,
            "pub(crate) static {}: Operation = Operation {{ name: {op:?}, method: {method:?}, uri: {uri:?}, input: {} }};",
            constant(op),
            constant(model.input_of(op))
        )
        .unwrap();
    }
    let all: String = ops.iter().map(|op| format!("&{},", constant(op))).collect();
    writeln!(
        out,
        "\n/// Every operation, in the model's order.\npub(crate) static OPERATIONS: [&Operation; {}] = [{all}];\n",
        ops.len()
    )
    .unwrap();

    // Only the shared entries some member uses.
    let used: BTreeSet<String> = own.iter().flat_map(|name| targets(model, name)).collect();
    let plain: Vec<&(&str, &str)> = PLAIN
        .iter()
        .filter(|(constant, _)| used.contains(*constant))
        .collect();
    let mut ids = String::new();
    let mut entries = String::new();
    let mut table = Table::default();
    for (id, name) in plain
        .iter()
        .map(|(constant, _)| *constant)
        .chain(own.iter().copied())
        .enumerate()
    {
        let constant = if is_plain_name(name) {
            name.to_owned()
        } else {
            constant(name)
        };
        writeln!(ids, "pub(crate) const {constant}: Id = {id};").unwrap();
        let (entry, note) = match PLAIN.iter().find(|(plain, _)| *plain == name) {
            Some((_, entry)) => ((*entry).to_owned(), String::new()),
            None => entry(model, name, &mut table),
        };
        writeln!(entries, "// {constant}{note}\n{entry},").unwrap();
    }
    let count = plain.len() + own.len();
    write!(
        out,
        "{ids}\n/// Every shape, by [`Id`].\npub(crate) static SHAPES: [Shape; {count}] = [\n{entries}];\n\n/// Every structure's members, in model order; a structure's entry says\n/// where its own start.\npub(crate) static MEMBERS: [Member; {}] = [\n{}];\n\n/// The member names, patterns and enum values the entries point into.\npub(crate) static TEXT: &str = concat!(\n{}\n);\n",
        table.member_count,
        table.members,
        table.text.iter().map(|piece| format!("{},", crate::shapes::raw_string(piece))).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    out
}

/// The members and text the entries point into, built as they are written.
#[derive(Default)]
struct Table {
    members: String,
    member_count: usize,
    /// Pieces of `TEXT`, each once.
    text: Vec<String>,
    length: usize,
}

impl Table {
    /// `Text(start, length)` for `piece`, added unless already there.
    fn text(&mut self, piece: &str) -> String {
        let mut start = 0;
        for known in &self.text {
            if known == piece {
                return format!("Text({start}, {})", piece.len());
            }
            start += known.len();
        }
        self.text.push(piece.to_owned());
        self.length += piece.len();
        assert!(
            self.length <= usize::from(u16::MAX),
            "TEXT outgrew u16 offsets"
        );
        format!("Text({start}, {})", piece.len())
    }
}

/// The entries a structure, list or map refers to.
fn targets(model: &Model, name: &str) -> Vec<String> {
    let names = match model.kind(name) {
        Kind::Structure => model.members(name).iter().map(|m| m.target).collect(),
        Kind::List => vec![model.list_member(name)],
        Kind::Map => vec![model.map_key(name), model.map_value(name)],
        _ => Vec::new(),
    };
    names.into_iter().map(|n| target(model, n)).collect()
}

/// The shared entries for unconstrained scalars.
const PLAIN: &[(&str, &str)] = &[
    (
        "ANY_STRING",
        "Shape::String { min: 0, max: u32::MAX, pattern: None }",
    ),
    ("ANY_BOOLEAN", "Shape::Boolean"),
    (
        "ANY_INTEGER",
        "Shape::Integer { min: i64::MIN, max: i64::MAX }",
    ),
    ("ANY_LONG", "Shape::Long { min: i64::MIN, max: i64::MAX }"),
    ("ANY_DOUBLE", "Shape::Double"),
    ("ANY_TIMESTAMP", "Shape::Timestamp"),
];

fn is_plain_name(name: &str) -> bool {
    PLAIN.iter().any(|(plain, _)| *plain == name)
}

/// A scalar with nothing to check beyond its JSON type.
fn is_plain(model: &Model, name: &str) -> bool {
    let shape = model.shape(name);
    let bounded = shape.min.is_some() || shape.max.is_some();
    match shape.kind {
        Kind::String => !bounded && binding_pattern(shape).is_none() && !model.is_enum(name),
        Kind::Integer | Kind::Long => !bounded,
        Kind::Boolean | Kind::Double | Kind::Timestamp => true,
        Kind::List | Kind::Map | Kind::Structure => false,
    }
}

/// The constant naming a shape's entry or an operation.
pub fn constant(name: &str) -> String {
    snake_case(name).to_uppercase()
}

/// The constant a member or item targets: its own entry, or a plain one.
fn target(model: &Model, name: &str) -> String {
    if !is_plain(model, name) {
        return constant(name);
    }
    match model.kind(name) {
        Kind::String => "ANY_STRING",
        Kind::Boolean => "ANY_BOOLEAN",
        Kind::Integer => "ANY_INTEGER",
        Kind::Long => "ANY_LONG",
        Kind::Double => "ANY_DOUBLE",
        Kind::Timestamp => "ANY_TIMESTAMP",
        other => panic!("{name} ({other:?}) is not a scalar"),
    }
    .to_owned()
}

/// A shape's entry, and a note for its comment (the text it points to).
fn entry(model: &Model, name: &str, table: &mut Table) -> (String, String) {
    let shape = model.shape(name);
    let min = |default: &str| shape.min.map_or(default.to_owned(), |m| m.to_string());
    let max = |default: &str| shape.max.map_or(default.to_owned(), |m| m.to_string());
    match model.kind(name) {
        Kind::Structure => {
            let members = model.members(name);
            let names: Vec<&str> = members.iter().map(|m| m.name).collect();
            let list: String = members
                .iter()
                .map(|m| {
                    let place = match (m.location, m.idempotency_token) {
                        (Some("uri"), _) => "label",
                        (Some("querystring"), _) => "query",
                        (Some("header"), _) => "header",
                        (None, true) => "token",
                        (None, false) => "body",
                        (Some(other), _) => panic!("unsupported location {other}"),
                    };
                    // Labels are always required.
                    let required = if m.required && place != "label" {
                        ".required()"
                    } else {
                        ""
                    };
                    format!("Member::{place}({}){required},", target(model, m.target))
                })
                .collect();
            let first = table.member_count;
            table.member_count += members.len();
            writeln!(
                table.members,
                "// {}: MEMBERS[{first}..{}]\n{list}",
                constant(name),
                table.member_count
            )
            .unwrap();
            let names = names.join(" ");
            (
                format!(
                    "Shape::Structure {{ names: {}, members: {first} }}",
                    table.text(&names)
                ),
                if names.is_empty() {
                    String::new()
                } else {
                    format!(": {names}")
                },
            )
        }
        Kind::List => (
            format!(
                "Shape::List {{ item: {}, min: {}, max: {} }}",
                target(model, model.list_member(name)),
                min("0"),
                max("u32::MAX")
            ),
            String::new(),
        ),
        Kind::Map => (
            format!(
                "Shape::Map {{ key: {}, value: {}, min: {}, max: {} }}",
                target(model, model.map_key(name)),
                target(model, model.map_value(name)),
                min("0"),
                max("u32::MAX")
            ),
            String::new(),
        ),
        Kind::String if model.is_enum(name) => {
            let values = model.enum_values(name);
            assert!(
                values.iter().all(|v| !v.contains(' ')),
                "{name}: an enum value with a space"
            );
            let values = values.join(" ");
            (
                format!("Shape::Enum({})", table.text(&values)),
                format!(": {values}"),
            )
        }
        Kind::String => {
            let pattern = binding_pattern(shape);
            (
                format!(
                    "Shape::String {{ min: {}, max: {}, pattern: {} }}",
                    min("0"),
                    max("u32::MAX"),
                    pattern.map_or("None".to_owned(), |p| format!("Some({})", table.text(p)))
                ),
                pattern.map_or(String::new(), |p| format!(": {p}")),
            )
        }
        Kind::Integer => (
            format!(
                "Shape::Integer {{ min: {}, max: {} }}",
                min("i64::MIN"),
                max("i64::MAX")
            ),
            String::new(),
        ),
        Kind::Long => (
            format!(
                "Shape::Long {{ min: {}, max: {} }}",
                min("i64::MIN"),
                max("i64::MAX")
            ),
            String::new(),
        ),
        other => panic!("{name} ({other:?}) has no constraints to describe"),
    }
}

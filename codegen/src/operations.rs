//! Rust for one operation: input, output, the request it makes, the
//! fluent builder `Client` hands out, and a paginator where it pages.

use std::fmt::Write;

use crate::model::{Kind, Model, field_name, type_name};
use crate::shapes::{Role, setters, write_structure};

/// What each operation does, in this crate's words.
pub fn summary(op: &str) -> &'static str {
    match op {
        "CancelFlowExecutions" => "Cancels running executions of a flow.",
        "CreateConnectorProfile" => {
            "Creates a connector profile: the connection settings and credentials a flow uses to reach an application."
        }
        "CreateFlow" => "Creates a flow, which moves data from a source to a destination.",
        "DeleteConnectorProfile" => "Deletes a connector profile.",
        "DeleteFlow" => "Deletes a flow.",
        "DescribeConnector" => "Describes one connector, built in or custom.",
        "DescribeConnectorEntity" => {
            "Describes the fields of one entity (an object such as an account) of a connector."
        }
        "DescribeConnectorProfiles" => "Describes connector profiles, a page at a time.",
        "DescribeConnectors" => "Describes the connectors of the given types, a page at a time.",
        "DescribeFlow" => "Describes a flow.",
        "DescribeFlowExecutionRecords" => "Reads a flow's past runs, a page at a time.",
        "ListConnectorEntities" => {
            "Lists the entities a connector can read or write, a page at a time."
        }
        "ListConnectors" => {
            "Lists the custom connectors registered in the account, a page at a time."
        }
        "ListFlows" => "Lists the account's flows, a page at a time.",
        "ListTagsForResource" => "Lists the tags of a flow, connector or connector profile.",
        "RegisterConnector" => "Registers a custom connector whose code runs in your account.",
        "ResetConnectorMetadataCache" => {
            "Drops the metadata AppFlow cached for a connector, so it is read afresh."
        }
        "StartFlow" => {
            "Runs an on-demand flow now, or activates a scheduled or event-triggered one."
        }
        "StopFlow" => "Deactivates a scheduled or event-triggered flow.",
        "TagResource" => "Adds tags to a flow, connector or connector profile.",
        "UnregisterConnector" => "Unregisters a custom connector.",
        "UntagResource" => "Removes tags from a flow, connector or connector profile.",
        "UpdateConnectorProfile" => "Changes a connector profile's settings or credentials.",
        "UpdateConnectorRegistration" => {
            "Updates a custom connector's registration, e.g. to a new Lambda function version."
        }
        "UpdateFlow" => "Changes a flow's source, destination, tasks or trigger.",
        other => panic!("no summary written for {other}: add one in codegen/src/operations.rs"),
    }
}

/// How an operation pages, when it does.
pub struct Paging<'m> {
    /// The one list of items, when there is exactly one.
    pub items: Option<(&'m str, String)>,
    /// Every member that collects results across pages.
    pub result_keys: Vec<&'m str>,
}

/// Operations with `nextToken` in and out page (botocore's paginator file
/// for AppFlow is empty, so this is read off the shapes).
pub fn paging<'m>(model: &'m Model, op: &str) -> Option<Paging<'m>> {
    let has_token = |shape: &str| model.members(shape).iter().any(|m| m.name == "nextToken");
    let output = model.output_of(op);
    if !has_token(model.input_of(op)) || !has_token(output) {
        return None;
    }
    let members = model.members(output);
    let result_keys: Vec<&str> = members
        .iter()
        .filter(|m| matches!(model.kind(m.target), Kind::List | Kind::Map))
        .map(|m| m.name)
        .collect();
    let lists: Vec<_> = members
        .iter()
        .filter(|m| model.kind(m.target) == Kind::List)
        .collect();
    let items = match lists.as_slice() {
        [one] => Some((one.name, model.rust_type(model.list_member(one.target)))),
        _ => None,
    };
    Some(Paging { items, result_keys })
}

pub fn write_operation(model: &Model, op: &str) -> String {
    let (method, uri) = model.http(op);
    let input_shape = model.input_of(op);
    let output_shape = model.output_of(op);
    let input = format!("{op}Input");
    let output = format!("{op}Output");
    let fn_name = field_name(op);
    let members = model.members(input_shape);
    let mut out = String::new();
    writeln!(
        out,
        "//! `{op}` (`{method} {uri}`): {}\n//!\n//! Its error answers are [`{op}Error`]'s cases.\n//! See [`{op}`](https://docs.aws.amazon.com/appflow/1.0/APIReference/API_{op}.html) in AWS's API reference.\n",
        lowercase_first(summary(op))
    )
    .unwrap();
    out.push_str(&imports(model, op, &[input_shape, output_shape]));
    out.push_str(&write_structure(model, input_shape, &input, Role::Input));
    out.push_str(&input_impl(op, &input));
    out.push_str(&write_structure(model, output_shape, &output, Role::Output));

    let errors: String = model
        .errors(op)
        .iter()
        .map(|e| format!("{e} => is_{},\n", field_name(e)))
        .collect();
    writeln!(
        out,
        r#"/// `{op}` as [`FluentBuilder`] sends it: its input, output and error types.
#[derive(Debug, Clone, Copy, Default)]
pub struct {op};

impl crate::error::sealed::Sealed for {op} {{}}

impl Operation for {op} {{
type Input = {input};
type Output = {output};
type Error = {op}Error;
fn into_call(input: {input}) -> Result<Call, Error> {{ input.into_call() }}
}}

crate::error::operation_error! {{
/// The error answers `{op}` has, as its model lists them, and `Unhandled`.
{op}Error {{
{errors}}}
}}

/// Sets `{op}`'s input and sends it.
pub type {op}FluentBuilder = FluentBuilder<{op}>;

impl Client {{
/// {summary} Set the input, then [`send`](FluentBuilder::send).
pub fn {fn_name}(&self) -> {op}FluentBuilder {{ FluentBuilder::new(self) }}
}}

impl FluentBuilder<{op}> {{"#,
        summary = summary(op),
    )
    .unwrap();
    for m in &members {
        out.push_str(&setters(model, m, "input"));
    }
    if let Some(paging) = paging(model, op) {
        writeln!(
            out,
            r#"
/// The pages of the answer, each fetched when the iterator reaches it.
/// Stops after a page without a `nextToken`, or with one already seen.
pub fn into_paginator(self) -> Paginator<{op}> {{ Paginator::new(self) }}
}}

impl Paged for {op} {{
fn set_token(input: &mut {input}, token: String) {{ input.next_token = Some(token); }}
fn token(output: &{output}) -> Option<&str> {{ output.next_token.as_deref() }}
fn set_page_size(input: &mut {input}, size: i32) {{ input.max_results = Some(size); }}
}}
"#
        )
        .unwrap();
        if let Some((list, item)) = &paging.items {
            let field = field_name(list);
            writeln!(
                out,
                r#"impl PagedItems for {op} {{
type Item = {item};
fn items(output: {output}) -> Vec<{item}> {{ output.{field}.unwrap_or_default() }}
}}
"#
            )
            .unwrap();
        }
    } else {
        out.push_str("}\n\n");
    }
    out
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `use` lines an operation file needs.
fn imports(model: &Model, op: &str, shapes: &[&str]) -> String {
    let mut types = std::collections::BTreeSet::new();
    let mut needs = Needs::default();
    for shape in shapes {
        for m in model.members(shape) {
            collect_types(model, m.target, &mut types, &mut needs);
        }
    }
    let mut out = String::new();
    if needs.map {
        out.push_str("use std::collections::HashMap;\n");
    }
    out.push('\n');
    if needs.time {
        out.push_str("use crate::primitives::DateTime;\n");
    }
    out.push_str("use crate::client::{Call, Client};\nuse crate::error::Error;\nuse crate::fluent::{FluentBuilder, Operation};\nuse crate::path::At;\nuse crate::validate::InvalidInput;\n");
    match paging(model, op) {
        Some(Paging { items: Some(_), .. }) => {
            out.push_str("use crate::paginator::{Paged, PagedItems, Paginator};\n")
        }
        Some(_) => out.push_str("use crate::paginator::{Paged, Paginator};\n"),
        None => {}
    }
    if !types.is_empty() {
        let list = types.into_iter().collect::<Vec<_>>().join(", ");
        writeln!(out, "use crate::types::{{{list}}};").unwrap();
    }
    out.push('\n');
    out
}

/// Standard types an operation file mentions besides its shapes.
#[derive(Default)]
struct Needs {
    map: bool,
    time: bool,
}

fn collect_types(
    model: &Model,
    shape: &str,
    types: &mut std::collections::BTreeSet<String>,
    needs: &mut Needs,
) {
    match model.kind(shape) {
        Kind::Structure => {
            types.insert(type_name(shape));
        }
        Kind::String if model.is_enum(shape) => {
            types.insert(type_name(shape));
        }
        Kind::Timestamp => needs.time = true,
        Kind::List => collect_types(model, model.list_member(shape), types, needs),
        Kind::Map => {
            needs.map = true;
            collect_types(model, model.map_key(shape), types, needs);
            collect_types(model, model.map_value(shape), types, needs);
        }
        _ => {}
    }
}

/// `validate` and `into_call`, both through the operation's entry in the
/// schema table: the request every attempt carries.
fn input_impl(op: &str, input: &str) -> String {
    let entry = crate::schema::constant(op);
    format!(
        r#"impl {input} {{
/// Checks every constraint of the model (lengths, patterns, ranges, enum values, required members), members in model order.
pub fn validate(&self) -> Result<(), InvalidInput> {{
crate::schema::validate(&crate::schema::{entry}, &crate::json::ToJson::to_json(self))
}}

/// Fills in what the client makes (idempotency tokens), validates, and
/// lays the input out as restJson1 says: the request every attempt carries.
fn into_call(self) -> Result<Call, Error> {{
crate::schema::request(&crate::schema::{entry}, crate::json::ToJson::to_json(&self))
}}
}}
"#
    )
}

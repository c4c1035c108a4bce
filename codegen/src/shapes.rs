//! Rust for the model's enums and structures: the type, its accessors,
//! builder, JSON conversion and validation.

use std::fmt::Write;

use crate::model::{Kind, Member, Model, binding_pattern, type_name, variant_name};

/// How a structure is exposed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A shared shape: private fields, accessors and a builder.
    Shape,
    /// An operation's input: public fields, set through the fluent builder.
    Input,
    /// An operation's output: private fields and accessors.
    Output,
}

/// A string enum with an `Unknown` arm.
pub fn write_enum(model: &Model, name: &str) -> String {
    let values = model.enum_values(name);
    let ty = type_name(name);
    let mut variants = String::new();
    let mut as_str = String::new();
    let mut from = String::new();
    for value in &values {
        let variant = variant_name(name, value);
        writeln!(variants, "/// `{value}`\n{variant},").unwrap();
        writeln!(as_str, "{ty}::{variant} => {value:?},").unwrap();
        writeln!(from, "Some({}) => {ty}::{variant},", from.lines().count()).unwrap();
    }
    let list = values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"
/// {human}: one of the values AppFlow's model lists, or one added since.
///
/// Match a value added since this crate was generated with `_`: it parses
/// to [`{ty}::Unknown`], which only parsing makes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum {ty} {{
{variants}
    /// A value this version of the crate does not know; see [`{ty}::as_str`].
    Unknown(crate::primitives::UnknownVariantValue),
}}

impl {ty} {{
    /// The wire value.
    pub fn as_str(&self) -> &str {{
        match self {{
{as_str}
            {ty}::Unknown(value) => value.as_str(),
        }}
    }}

    /// Every value the model lists, in its order.
    pub const fn values() -> &'static [&'static str] {{
        &[{list}]
    }}
}}

impl From<&str> for {ty} {{
    fn from(value: &str) -> Self {{
        match crate::json::position({ty}::values(), value) {{
{from}
            _ => {ty}::Unknown(crate::primitives::UnknownVariantValue::new(value)),
        }}
    }}
}}

crate::json::model_enum!({ty});
"#,
        human = humanize_type(name),
    )
}

/// A structure in the given role.
pub fn write_structure(model: &Model, name: &str, ty: &str, role: Role) -> String {
    let members = model.members(name);
    let mut out = String::new();
    let sensitive = members.iter().any(|m| m.secret);
    let derive_debug = if sensitive { "" } else { "Debug, " };
    let serde_note = if role == Role::Input {
        " Parse one from JSON (`serde_json`) to take input from a file, as `--cli-input-json` does."
    } else {
        ""
    };
    writeln!(
        out,
        "/// {}.{serde_note}\n///\n/// See [`{name}`](https://docs.aws.amazon.com/appflow/1.0/APIReference/API_{name}.html) in AWS's API reference.",
        struct_summary(name, ty, role)
    )
    .unwrap();
    writeln!(
        out,
        "#[derive({derive_debug}Clone, Default, PartialEq)]\n#[non_exhaustive]\npub struct {ty} {{"
    )
    .unwrap();
    for m in &members {
        let vis = if role == Role::Input {
            "pub "
        } else {
            "pub(crate) "
        };
        if role == Role::Input {
            writeln!(out, "/// {}", member_doc(model, m)).unwrap();
        }
        writeln!(
            out,
            "{vis}{}: Option<{}>,",
            m.field,
            model.rust_type(m.target)
        )
        .unwrap();
    }
    if role == Role::Output {
        out.push_str("pub(crate) request_id: Option<String>,\n");
    }
    out.push_str("}\n\n");
    if role == Role::Output {
        writeln!(out, "crate::fluent::request_id!({ty});\n").unwrap();
    }

    if role == Role::Shape || (role == Role::Output && !members.is_empty()) {
        writeln!(out, "impl {ty} {{").unwrap();
        if role == Role::Shape {
            writeln!(
                out,
                "/// A builder; required members are checked when a call is sent.\npub fn builder() -> {ty}Builder {{ {ty}Builder::default() }}\n"
            )
            .unwrap();
        }
        for m in &members {
            out.push_str(&accessor(model, m));
        }
        out.push_str("}\n\n");
    }
    if role == Role::Shape {
        writeln!(
            out,
            "/// Builds [`{ty}`].\n#[derive(Debug, Clone, Default)]\npub struct {ty}Builder {{ inner: {ty} }}\n\nimpl {ty}Builder {{"
        )
        .unwrap();
        for m in &members {
            out.push_str(&setters(model, m, "inner"));
        }
        let required: Vec<&Member> = members
            .iter()
            .filter(|m| is_required_value(model, m))
            .collect();
        if required.is_empty() {
            writeln!(
                out,
                "/// The {}.\npub fn build(self) -> {ty} {{ self.inner }}\n}}\n",
                lowercase_first(&humanize_type(name))
            )
            .unwrap();
        } else {
            let checks: String = required
                .iter()
                .map(|m| format!("({:?}, self.inner.{}.is_some()),", m.name, m.field))
                .collect();
            writeln!(
                out,
                "/// The {}, or an error naming a required member that was not set.\npub fn build(self) -> Result<{ty}, crate::error::BuildError> {{\ncrate::error::BuildError::require({ty:?}, &[{checks}])?;\nOk(self.inner)\n}}\n}}\n",
                lowercase_first(&humanize_type(name))
            )
            .unwrap();
        }
    }
    if sensitive {
        out.push_str(&debug_impl(ty, &members));
    }
    out.push_str(&to_json_impl(ty, &members));
    out.push_str(&from_json_impl(ty, &members));
    writeln!(out, "crate::json::serde_via_json!({ty});\n").unwrap();
    out
}

fn struct_summary(name: &str, ty: &str, role: Role) -> String {
    let op = ty.trim_end_matches("Input").trim_end_matches("Output");
    match role {
        Role::Input => format!("The input of `{op}`"),
        Role::Output => format!("What `{op}` returns"),
        Role::Shape => humanize_type(name),
    }
}

/// `SalesforceSourceProperties` -> "Salesforce source properties".
pub fn humanize_type(name: &str) -> String {
    let words: Vec<String> = crate::model::field_name(name)
        .trim_start_matches("r#")
        .split('_')
        .map(humanize_word)
        .collect();
    let mut text = words.join(" ");
    if let Some(first) = text.get(..1) {
        let upper = first.to_uppercase();
        text.replace_range(..1, &upper);
    }
    text
}

fn humanize_word(word: &str) -> String {
    match word {
        "arn" | "url" | "id" | "api" | "kms" | "iam" | "sso" | "vpc" | "oauth" | "jwt" | "sapo" => {
            word.to_uppercase()
        }
        "s3" => "S3".into(),
        _ => word.to_owned(),
    }
}

/// A member's doc line: what it is, then the model's constraints on it.
fn member_doc(model: &Model, m: &Member) -> String {
    let mut doc = if model.kind(m.target) == Kind::Boolean {
        format!("The `{}` flag.", m.name)
    } else {
        format!("The {}.", lowercase_first(&humanize_type(m.name)))
    };
    let shape = model.shape(m.target);
    let (min, max) = (shape.min, shape.max);
    let unit = match model.kind(m.target) {
        Kind::String => " characters",
        Kind::List | Kind::Map => " items",
        _ => "",
    };
    match (min, max) {
        (Some(min), Some(max)) if unit.is_empty() => write!(doc, " From {min} to {max}.").unwrap(),
        (Some(min), Some(max)) => write!(doc, " {min} to {max}{unit}.").unwrap(),
        (None, Some(max)) => write!(doc, " At most {max}{unit}.").unwrap(),
        (Some(min), None) => write!(doc, " At least {min}{unit}.").unwrap(),
        (None, None) => {}
    }
    if let Some(pattern) = binding_pattern(shape) {
        write!(doc, " Matches `{pattern}`.").unwrap();
    }
    if m.required {
        doc.push_str(" Required.");
    }
    if m.idempotency_token {
        doc.push_str(" An idempotency token: one is made when none is given, and every retry of the call reuses it.");
    }
    if m.secret {
        doc.push_str(" A secret: `Debug` hides it.");
    }
    doc
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms (`ARN`, `URL`) as they are.
        Some(first) if !chars.clone().next().is_some_and(|c| c.is_ascii_uppercase()) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

fn bare(field: &str) -> &str {
    field.trim_start_matches("r#")
}

/// Shapes AWS's Smithy model gives a default (`false`, `0.0`), which its JSON
/// form leaves out: the SDK reads their members as plain values, unset as
/// the default. (`JavaBoolean` members have none and stay optional.)
const DEFAULTED_SHAPES: &[&str] = &["Boolean", "Double"];

/// Whether the SDK treats a member as required: the model requires it and
/// it is not a structure (required structures stay optional in the SDK, so
/// a builder never demands one).
fn is_required_value(model: &Model, m: &Member) -> bool {
    m.required && model.kind(m.target) != Kind::Structure
}

fn accessor(model: &Model, m: &Member) -> String {
    let ty = model.rust_type(m.target);
    let f = &m.field;
    // Required members read as plain values, as in the SDK; an answer that
    // left one out reads as empty (the SDK's client-side error correction).
    let required = is_required_value(model, m).then(|| match model.kind(m.target) {
        Kind::String if !model.is_enum(m.target) => (
            "&str".to_owned(),
            format!("self.{f}.as_deref().unwrap_or_default()"),
        ),
        Kind::Boolean | Kind::Integer | Kind::Long | Kind::Double => {
            (ty.clone(), format!("self.{f}.unwrap_or_default()"))
        }
        Kind::Map => (
            format!("&{ty}"),
            format!(
                "static EMPTY: std::sync::OnceLock<{ty}> = std::sync::OnceLock::new(); self.{f}.as_ref().unwrap_or_else(|| EMPTY.get_or_init(Default::default))"
            ),
        ),
        Kind::String => (
            format!("&{ty}"),
            format!("self.{f}.as_ref().unwrap_or_else(|| {ty}::unset())"),
        ),
        _ => (String::new(), String::new()),
    });
    if let Some((ret, body)) = required.filter(|(ret, _)| !ret.is_empty()) {
        return format!(
            "/// {}\npub fn {f}(&self) -> {ret} {{ {body} }}\n\n",
            member_doc(model, m)
        );
    }
    if DEFAULTED_SHAPES.contains(&m.target) {
        return format!(
            "/// {}\npub fn {f}(&self) -> {ty} {{ self.{f}.unwrap_or_default() }}\n\n",
            member_doc(model, m)
        );
    }
    let (ret, body) = match model.kind(m.target) {
        Kind::String if !model.is_enum(m.target) => {
            ("Option<&str>".to_owned(), format!("self.{f}.as_deref()"))
        }
        Kind::List => (
            format!("&[{}]", model.rust_type(model.list_member(m.target))),
            format!("self.{f}.as_deref().unwrap_or_default()"),
        ),
        Kind::Boolean | Kind::Integer | Kind::Long | Kind::Double => {
            (format!("Option<{ty}>"), format!("self.{f}"))
        }
        _ => (format!("Option<&{ty}>"), format!("self.{f}.as_ref()")),
    };
    format!(
        "/// {}\npub fn {f}(&self) -> {ret} {{ {body} }}\n\n",
        member_doc(model, m)
    )
}

/// The setters of a member, on a builder whose shape is in `self.{target}`.
pub fn setters(model: &Model, m: &Member, target: &str) -> String {
    let f = &m.field;
    let name = bare(f);
    let ty = model.rust_type(m.target);
    let into = |t: &str| -> (String, &'static str) {
        if t == "String" {
            ("impl Into<String>".into(), ".into()")
        } else {
            (t.to_owned(), "")
        }
    };
    let doc = member_doc(model, m);
    let main = match model.kind(m.target) {
        Kind::List => {
            let (arg, conv) = into(&model.rust_type(model.list_member(m.target)));
            format!(
                "/// Adds one item to `{}`. {doc}\npub fn {f}(mut self, item: {arg}) -> Self {{ self.{target}.{f}.get_or_insert_with(Vec::new).push(item{conv}); self }}\n",
                m.name
            )
        }
        Kind::Map => {
            let key = model.rust_type(model.map_key(m.target));
            let (value_arg, value_conv) = into(&model.rust_type(model.map_value(m.target)));
            format!(
                "/// Adds one entry to `{}`. {doc}\npub fn {f}(mut self, key: impl Into<{key}>, value: {value_arg}) -> Self {{ self.{target}.{f}.get_or_insert_with(HashMap::new).insert(key.into(), value{value_conv}); self }}\n",
                m.name
            )
        }
        _ => {
            let (arg, conv) = into(&ty);
            format!(
                "/// {doc}\npub fn {f}(mut self, value: {arg}) -> Self {{ self.{target}.{f} = Some(value{conv}); self }}\n"
            )
        }
    };
    format!(
        "{main}\n/// Sets or clears `{}` as a whole.\npub fn set_{name}(mut self, value: Option<{ty}>) -> Self {{ self.{target}.{f} = value; self }}\n\n",
        m.name
    )
}

fn debug_impl(ty: &str, members: &[Member]) -> String {
    let mut fields = String::new();
    for m in members {
        let value = if m.secret {
            "&crate::json::REDACTED".to_owned()
        } else {
            format!("&self.{}", m.field)
        };
        writeln!(fields, ".field({:?}, {value})", bare(&m.field)).unwrap();
    }
    format!(
        "/// Secrets are shown as `*** Sensitive Data Redacted ***`.\nimpl std::fmt::Debug for {ty} {{\nfn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\nf.debug_struct({ty:?})\n{fields}.finish()\n}}\n}}\n\n"
    )
}

/// `ToJson`: every member, in the model's order.
fn to_json_impl(ty: &str, members: &[Member]) -> String {
    let mut puts = String::new();
    for m in members {
        writeln!(puts, "object.put({:?}, &self.{});", m.name, m.field).unwrap();
    }
    let mutable = if members.is_empty() { "" } else { "mut " };
    format!(
        "impl crate::json::ToJson for {ty} {{\n#[inline(never)]\nfn to_json(&self) -> crate::json::Json {{\nlet {mutable}object = crate::json::Object::new();\n{puts}object.build()\n}}\n}}\n\n"
    )
}

fn from_json_impl(ty: &str, members: &[Member]) -> String {
    let names = members
        .iter()
        .map(|m| format!("{:?}", m.name))
        .collect::<Vec<_>>()
        .join(", ");
    if members.is_empty() {
        return format!(
            r#"impl crate::json::FromJson for {ty} {{
#[inline(never)]
fn from_json(value: &serde_json::Value, at: At<'_>) -> Result<Self, crate::json::JsonError> {{
crate::json::read_object(value, at, &[], &mut |_, _, _| Ok(()))?;
Ok({ty}::default())
}}
}}

"#
        );
    }
    // `read_object` passes only indices of `names`.
    let set = if let [only] = members {
        format!(
            "|_, value, at| {{\nout.{} = crate::json::read(value, at)?;\nOk(())\n}}",
            only.field
        )
    } else {
        let mut arms = String::new();
        for (i, m) in members.iter().enumerate() {
            writeln!(
                arms,
                "{i} => out.{} = crate::json::read(value, at)?,",
                m.field
            )
            .unwrap();
        }
        format!("|index, value, at| {{\nmatch index {{\n{arms}_ => {{}}\n}}\nOk(())\n}}")
    };
    format!(
        r#"impl crate::json::FromJson for {ty} {{
#[inline(never)]
fn from_json(value: &serde_json::Value, at: At<'_>) -> Result<Self, crate::json::JsonError> {{
let mut out = {ty}::default();
crate::json::read_object(value, at, &[{names}], &mut {set})?;
Ok(out)
}}
}}

"#
    )
}

/// A Rust raw string literal holding `text`.
pub fn raw_string(text: &str) -> String {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

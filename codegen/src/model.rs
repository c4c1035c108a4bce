//! Reading AWS's model: shapes, their Rust names and types, constraints.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// AppFlow's model, read once into typed shapes and operations.
pub struct Model {
    pub shapes: BTreeMap<String, Shape>,
    pub operations: BTreeMap<String, Operation>,
}

/// What kind of value a shape describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Structure,
    List,
    Map,
    String,
    Boolean,
    Integer,
    Long,
    Double,
    Timestamp,
}

/// One shape of the model, with the traits the writers use.
pub struct Shape {
    pub kind: Kind,
    /// A string enum's values, in the model's order.
    pub enum_values: Vec<String>,
    /// A structure's members, in the model's order.
    pub members: Vec<MemberSpec>,
    pub required: BTreeSet<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub pattern: Option<String>,
    pub sensitive: bool,
    /// The HTTP status of an error answer (`ConflictException`: 409).
    pub error_status: Option<u64>,
    /// What a list holds, or a map's key and value.
    pub list_member: Option<String>,
    pub map_key: Option<String>,
    pub map_value: Option<String>,
}

/// A structure's member as the model states it.
pub struct MemberSpec {
    pub name: String,
    pub target: String,
    pub location: Option<String>,
    pub idempotency_token: bool,
}

/// One operation: its HTTP binding, input and output shapes, errors.
pub struct Operation {
    pub method: String,
    pub uri: String,
    pub input: String,
    pub output: String,
    pub errors: Vec<String>,
}

/// A member of a structure, as the writers need it.
pub struct Member<'m> {
    /// The name on the wire (`connectorLabel`).
    pub name: &'m str,
    /// The Rust field name (`connector_label`).
    pub field: String,
    /// The shape it targets.
    pub target: &'m str,
    pub required: bool,
    /// `uri`, `querystring` or `header`; `None` for the body.
    pub location: Option<&'m str>,
    pub idempotency_token: bool,
    /// A secret: hidden by `Debug` and masked by the tool's `--debug`.
    pub secret: bool,
}

/// `value[key]` as text, if it is text.
fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// `value[key]["shape"]`: the shape a reference names.
fn target(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(|r| text(r, "shape"))
}

impl Shape {
    fn read(name: &str, value: &Value, order: Option<&Vec<String>>) -> Shape {
        let kind = match value["type"].as_str().expect("shape type") {
            "structure" => Kind::Structure,
            "list" => Kind::List,
            "map" => Kind::Map,
            "string" => Kind::String,
            "boolean" => Kind::Boolean,
            "integer" => Kind::Integer,
            "long" => Kind::Long,
            "double" => Kind::Double,
            "timestamp" => Kind::Timestamp,
            other => panic!("unsupported shape type {other} ({name})"),
        };
        let strings = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let members = match (value["members"].as_object(), order) {
            (Some(members), Some(order)) => order
                .iter()
                .map(|member| {
                    let spec = &members[member];
                    MemberSpec {
                        name: member.clone(),
                        target: text(spec, "shape").expect("member shape"),
                        location: text(spec, "location"),
                        idempotency_token: spec["idempotencyToken"].as_bool().unwrap_or(false),
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        Shape {
            kind,
            enum_values: strings("enum"),
            members,
            required: strings("required").into_iter().collect(),
            min: value["min"].as_i64(),
            max: value["max"].as_i64(),
            pattern: text(value, "pattern"),
            sensitive: value["sensitive"].as_bool().unwrap_or(false),
            error_status: value["exception"].as_bool().unwrap_or(false).then(|| {
                value["error"]["httpStatusCode"]
                    .as_u64()
                    .expect("an error's status")
            }),
            list_member: target(value, "member"),
            map_key: target(value, "key"),
            map_value: target(value, "value"),
        }
    }
}

impl Model {
    pub fn load(service: &str) -> Model {
        let model: Value = serde_json::from_str(service).expect("the model is JSON");
        let orders = crate::order::member_orders(service);
        let shapes = model["shapes"]
            .as_object()
            .expect("shapes")
            .iter()
            .map(|(name, value)| (name.clone(), Shape::read(name, value, orders.get(name))))
            .collect();
        let operations = model["operations"]
            .as_object()
            .expect("operations")
            .iter()
            .map(|(name, op)| {
                let operation = Operation {
                    method: text(&op["http"], "method").expect("method"),
                    uri: text(&op["http"], "requestUri").expect("uri"),
                    input: target(op, "input").expect("input"),
                    output: target(op, "output").expect("output"),
                    errors: op["errors"]
                        .as_array()
                        .map(|e| e.iter().filter_map(|e| text(e, "shape")).collect())
                        .unwrap_or_default(),
                };
                (name.clone(), operation)
            })
            .collect();
        Model { shapes, operations }
    }

    pub fn shape(&self, name: &str) -> &Shape {
        &self.shapes[name]
    }

    pub fn kind(&self, name: &str) -> Kind {
        self.shape(name).kind
    }

    pub fn is_enum(&self, name: &str) -> bool {
        !self.shape(name).enum_values.is_empty()
    }

    pub fn enum_values(&self, name: &str) -> Vec<&str> {
        self.shape(name)
            .enum_values
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// What a list or map holds, through nesting; any other shape itself.
    fn element<'a>(&'a self, mut shape: &'a str) -> &'a str {
        loop {
            shape = match self.kind(shape) {
                Kind::List => self.list_member(shape),
                Kind::Map => self.map_value(shape),
                _ => return shape,
            };
        }
    }

    /// The module named after an owner: the shape it holds, snake-cased
    /// (`DestinationFlowConfigList` -> `destination_flow_config`).
    fn owner_module(&self, owner: &str) -> String {
        snake_case(self.element(owner))
    }

    /// Whether the shape is an error answer (`ConflictException`).
    pub fn is_exception(&self, name: &str) -> bool {
        self.shape(name).error_status.is_some()
    }

    /// An error shape's HTTP status.
    pub fn http_status(&self, name: &str) -> u64 {
        self.shape(name)
            .error_status
            .expect("an error shape's status")
    }

    pub fn is_sensitive(&self, name: &str) -> bool {
        self.shape(name).sensitive || UNMARKED_SECRETS.contains(&name)
    }

    pub fn list_member(&self, name: &str) -> &str {
        self.shape(name)
            .list_member
            .as_deref()
            .expect("list member")
    }

    pub fn map_key(&self, name: &str) -> &str {
        self.shape(name).map_key.as_deref().expect("map key")
    }

    pub fn map_value(&self, name: &str) -> &str {
        self.shape(name).map_value.as_deref().expect("map value")
    }

    /// A structure's members in the model's order.
    pub fn members(&self, name: &str) -> Vec<Member<'_>> {
        let shape = self.shape(name);
        shape
            .members
            .iter()
            .map(|spec| Member {
                name: &spec.name,
                field: field_name(&spec.name),
                target: &spec.target,
                required: shape.required.contains(&spec.name),
                location: spec.location.as_deref(),
                idempotency_token: spec.idempotency_token,
                secret: self.contains_sensitive(&spec.target)
                    || UNMARKED_SECRET_MEMBERS.contains(&(name, spec.name.as_str())),
            })
            .collect()
    }

    /// Whether any part of the shape is sensitive (a secret to redact).
    pub fn contains_sensitive(&self, name: &str) -> bool {
        self.is_sensitive(name)
            || match self.kind(name) {
                Kind::List => self.contains_sensitive(self.list_member(name)),
                Kind::Map => {
                    self.contains_sensitive(self.map_key(name))
                        || self.contains_sensitive(self.map_value(name))
                }
                _ => false,
            }
    }

    /// The Rust type of a value of this shape.
    pub fn rust_type(&self, name: &str) -> String {
        match self.kind(name) {
            Kind::String if self.is_enum(name) => type_name(name),
            Kind::String => "String".into(),
            Kind::Boolean => "bool".into(),
            Kind::Integer => "i32".into(),
            Kind::Long => "i64".into(),
            Kind::Double => "f64".into(),
            Kind::Timestamp => "DateTime".into(),
            Kind::List => format!("Vec<{}>", self.rust_type(self.list_member(name))),
            Kind::Map => format!(
                "HashMap<{}, {}>",
                self.rust_type(self.map_key(name)),
                self.rust_type(self.map_value(name))
            ),
            Kind::Structure => type_name(name),
        }
    }

    /// Every shape reachable from `roots`.
    pub fn reachable<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = roots.into_iter().collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name) {
                continue;
            }
            match self.kind(name) {
                Kind::Structure => todo.extend(self.members(name).iter().map(|m| m.target)),
                Kind::List => todo.push(self.list_member(name)),
                Kind::Map => todo.extend([self.map_key(name), self.map_value(name)]),
                _ => {}
            }
        }
        seen
    }

    /// Operations by name, with their input and output shapes.
    pub fn operation_names(&self) -> Vec<&str> {
        self.operations.keys().map(String::as_str).collect()
    }

    pub fn input_of(&self, op: &str) -> &str {
        &self.operations[op].input
    }

    pub fn output_of(&self, op: &str) -> &str {
        &self.operations[op].output
    }

    pub fn http(&self, op: &str) -> (&str, &str) {
        let operation = &self.operations[op];
        (&operation.method, &operation.uri)
    }

    pub fn errors(&self, op: &str) -> Vec<&str> {
        self.operations[op]
            .errors
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// The shapes only operations' inputs and outputs are made of.
    pub fn is_operation_shape(&self, name: &str) -> bool {
        self.operation_names()
            .iter()
            .any(|op| self.input_of(op) == name || self.output_of(op) == name)
    }

    /// Structures and enums used by operations, by the module they go in:
    /// `connectors/<name>` for one connector's shapes, `<area>/<owner>` for
    /// the shapes of one part of the API (`flow/task`: everything a flow's
    /// `tasks` are made of), `common` for shapes several parts share.
    pub fn shape_groups(&self) -> BTreeMap<String, Vec<&str>> {
        let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        // The operation member each shape is first reached through, in
        // operation and member order: the owner that names its file.
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for op in self.operation_names() {
            let roots = [self.input_of(op), self.output_of(op)];
            for shape in self.reachable(roots) {
                users.entry(shape).or_default().insert(op_area(op));
            }
            for root in roots {
                for member in self.members(root) {
                    for shape in self.reachable([member.target]) {
                        owners.entry(shape).or_insert(member.target);
                    }
                }
            }
        }
        let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (shape, areas) in users {
            let generated = match self.kind(shape) {
                Kind::Structure => !self.is_operation_shape(shape),
                Kind::String => self.is_enum(shape),
                _ => false,
            };
            if !generated {
                continue;
            }
            let group = match connector_prefix(shape) {
                Some(prefix) => format!("connectors/{}", field_name(prefix)),
                None if areas.len() == 1 => {
                    let area = areas.into_iter().next().expect("one area");
                    match owners.get(shape) {
                        Some(owner) if area != "tagging" => {
                            let module = self.owner_module(owner);
                            // Not `connector_profile/connector_profile.rs`.
                            if module == area {
                                format!("{area}/{module}_detail")
                            } else {
                                format!("{area}/{module}")
                            }
                        }
                        _ => area.to_owned(),
                    }
                }
                None => "common".to_owned(),
            };
            groups.entry(group).or_default().push(shape);
        }
        // A part too big for one readable file is split once more, by the
        // owner's own members.
        let big: Vec<String> = groups
            .iter()
            .filter(|(group, shapes)| {
                !group.starts_with("connectors/")
                    && group.contains('/')
                    && shapes.len() > MAX_GROUP_SHAPES
            })
            .map(|(group, _)| group.clone())
            .collect();
        for group in big {
            let shapes = groups.remove(&group).expect("a group");
            let area = group.split('/').next().expect("an area").to_owned();
            let owner = self.element(owners[shapes[0]]);
            let mut sub_owners: BTreeMap<&str, &str> = BTreeMap::new();
            for member in self.members(owner) {
                for shape in self.reachable([member.target]) {
                    sub_owners.entry(shape).or_insert(member.target);
                }
            }
            for shape in shapes {
                let sub = sub_owners.get(shape).copied().unwrap_or(owner);
                groups
                    .entry(format!("{area}/{}", self.owner_module(sub)))
                    .or_default()
                    .push(shape);
            }
        }
        groups
    }
}

/// The most shapes one file of a part holds before it is split by owner.
const MAX_GROUP_SHAPES: usize = 10;

/// Credentials the model does not mark `sensitive` but that are secrets all
/// the same (an OAuth refresh token, an authorization code, API tokens):
/// `Debug` hides them too.
const UNMARKED_SECRETS: &[&str] = &["ApiToken", "ApplicationKey", "AuthCode", "RefreshToken"];

/// Secret members whose shape is shared with non-secrets, so only the member
/// (owner, name) can say: InforNexus's keys target `Key`, which is also
/// `AuthParameter.key`, a parameter's name.
const UNMARKED_SECRET_MEMBERS: &[(&str, &str)] = &[
    ("InforNexusConnectorProfileCredentials", "secretAccessKey"),
    ("InforNexusConnectorProfileCredentials", "datakey"),
];

/// The part of the API an operation belongs to, for grouping shapes.
fn op_area(op: &str) -> &'static str {
    if op.contains("ConnectorProfile") {
        "connector_profile"
    } else if op.contains("Flow") {
        "flow"
    } else if op.contains("Tag") {
        "tagging"
    } else {
        "connector"
    }
}

/// Connectors whose shapes get a file of their own under `types/connectors/`.
const CONNECTORS: &[&str] = &[
    "Amplitude",
    "CustomConnector",
    "CustomerProfiles",
    "Datadog",
    "Dynatrace",
    "EventBridge",
    "GoogleAnalytics",
    "Honeycode",
    "InforNexus",
    "LookoutMetrics",
    "Marketo",
    "Pardot",
    "Redshift",
    "SAPOData",
    "Salesforce",
    "ServiceNow",
    "Singular",
    "Slack",
    "Snowflake",
    "S3",
    "Trendmicro",
    "Upsolver",
    "Veeva",
    "Zendesk",
];

fn connector_prefix(shape: &str) -> Option<&'static str> {
    CONNECTORS.iter().copied().find(|prefix| {
        shape.starts_with(prefix)
            && shape[prefix.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
    })
}

/// The pattern of a string shape, unless it can never fail: an unanchored
/// pattern that is one repeated class (`[\s\w/!@#+=.-]*`, `.*`) matches the
/// empty string, so it matches somewhere in every value.
pub fn binding_pattern(shape: &Shape) -> Option<&str> {
    let pattern = shape.pattern.as_deref()?;
    let one_atom = pattern == ".*"
        || (pattern.starts_with('[')
            && pattern.ends_with("]*")
            && !pattern[1..pattern.len() - 2].contains(']'));
    (!one_atom).then_some(pattern)
}

/// `connectorLabel` -> `connector_label`, `oAuth2Defaults` -> `o_auth2_defaults`,
/// `type` -> `r#type`.
pub fn field_name(name: &str) -> String {
    let out = snake_case(name);
    match out.as_str() {
        "type" | "match" | "ref" | "self" | "mod" | "use" | "fn" | "struct" | "enum" | "impl" => {
            format!("r#{out}")
        }
        _ => out,
    }
}

/// `SAPODataSourceProperties` -> `sapo_data_source_properties`: a word ends
/// where a lowercase letter or digit meets an uppercase one, and before the
/// last capital of an acronym that starts a word (Smithy's `toSnakeCase`,
/// which the SDK's names come from).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `sapo_data` -> `SapoData`.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().expect("non-empty word").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
}

/// A shape's Rust type name, as the SDK writes it: the shape name through
/// snake case and back (`SAPODataMetadata` -> `SapoDataMetadata`).
pub fn type_name(name: &str) -> String {
    pascal_case(&snake_case(name))
}

/// Names the full Smithy model gives enum values and the JSON model this
/// generator reads has lost; every other value is named after itself.
const ENUM_VALUE_NAMES: &[(&str, &str, &str)] = &[("AggregationType", "SingleFile", "SINGLE_FILE")];

/// An enum value's variant name, as the SDK writes it. Smithy names a value
/// without a name of its own by upper-casing it (non-alphanumerics become
/// `_`), and the SDK Pascal-cases that name: `EQUAL_TO` -> `EqualTo`,
/// `Map_all` -> `MapAll`, `InProgress` -> `Inprogress`, `SAPOData` ->
/// `Sapodata`.
pub fn variant_name(shape: &str, value: &str) -> String {
    let name = ENUM_VALUE_NAMES
        .iter()
        .find(|(s, v, _)| *s == shape && *v == value)
        .map_or_else(
            || {
                value
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect::<String>()
                    .to_ascii_uppercase()
            },
            |(_, _, name)| (*name).to_owned(),
        );
    let out = pascal_case(&name.to_ascii_lowercase());
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{out}")
    } else {
        out
    }
}

/// `DescribeConnectorProfiles` -> `describe-connector-profiles`.
pub fn kebab_name(op: &str) -> String {
    field_name(op).replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_sdks() {
        assert_eq!(field_name("connectorLabel"), "connector_label");
        assert_eq!(field_name("oAuth2Defaults"), "o_auth2_defaults");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("SAPOData"), "sapo_data");
        assert_eq!(field_name("S3"), "s3");
        assert_eq!(
            type_name("SAPODataSourceProperties"),
            "SapoDataSourceProperties"
        );
        assert_eq!(type_name("ConnectorOAuthRequest"), "ConnectorOAuthRequest");
        assert_eq!(type_name("S3SourceProperties"), "S3SourceProperties");
        assert_eq!(variant_name("Operator", "EQUAL_TO"), "EqualTo");
        assert_eq!(variant_name("TaskType", "Map_all"), "MapAll");
        assert_eq!(variant_name("ConnectorType", "SAPOData"), "Sapodata");
        assert_eq!(variant_name("ExecutionStatus", "InProgress"), "Inprogress");
        assert_eq!(variant_name("AggregationType", "SingleFile"), "SingleFile");
        assert_eq!(
            variant_name("ConnectorProvisioningType", "LAMBDA"),
            "Lambda"
        );
        assert_eq!(kebab_name("ListTagsForResource"), "list-tags-for-resource");
    }

    #[test]
    fn only_patterns_that_can_fail_are_checked() {
        let p = |p: &str| {
            let value = serde_json::json!({ "type": "string", "pattern": p });
            Shape::read("S", &value, None)
        };
        assert_eq!(binding_pattern(&p(".*")), None);
        assert_eq!(binding_pattern(&p(r"[\s\w/!@#+=.-]*")), None);
        assert_eq!(binding_pattern(&p(r"\S+")), Some(r"\S+"));
        assert_eq!(
            binding_pattern(&p(r"^[a-zA-Z0-9_]*$")),
            Some(r"^[a-zA-Z0-9_]*$")
        );
    }
}

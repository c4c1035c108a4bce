//! AppFlow's model, read from AWS's own file when the fake starts: it routes
//! requests to operations and validates every input against the shapes.
//!
//! This is deliberately independent of the client's generated validation,
//! so a bug there (a member on the wrong side, a wrong type, a constraint
//! left out) is caught here instead of agreed with. Only the regular
//! expression engine is shared ([`appflow_lite::pattern`]); it is checked
//! against Python's `re` on its own (`tests/patterns.rs`).

use serde_json::{Map, Value};

const SERVICE: &str = include_str!("../model/service-2.json");

/// One operation: where it is served and what it takes.
#[derive(Debug)]
pub(crate) struct Operation {
    pub name: String,
    method: String,
    segments: Vec<Segment>,
    input: String,
}

#[derive(Debug)]
enum Segment {
    Literal(String),
    Label(String),
}

pub(crate) struct Model {
    shapes: Map<String, Value>,
    operations: Vec<Operation>,
    /// Each shape's pattern, parsed once (a pattern that does not parse
    /// is left out and matches nothing).
    patterns: std::collections::HashMap<String, appflow_lite::pattern::Pattern>,
}

impl Model {
    pub fn load() -> Model {
        let model: Value = serde_json::from_str(SERVICE).expect("the bundled model is JSON");
        let shapes = model["shapes"].as_object().cloned().unwrap_or_default();
        let operations = model["operations"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, op)| {
                let uri = op["http"]["requestUri"].as_str().unwrap_or("/");
                let segments = uri
                    .trim_start_matches('/')
                    .split('/')
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(label) => Segment::Label(label.to_owned()),
                            None => Segment::Literal(s.to_owned()),
                        },
                    )
                    .collect();
                Operation {
                    name: name.clone(),
                    method: op["http"]["method"].as_str().unwrap_or("POST").to_owned(),
                    segments,
                    input: op["input"]["shape"].as_str().unwrap_or_default().to_owned(),
                }
            })
            .collect();
        let patterns = shapes
            .iter()
            .filter_map(|(name, shape)| {
                let pattern = appflow_lite::pattern::Pattern::parse(shape["pattern"].as_str()?);
                Some((name.clone(), pattern.ok()?))
            })
            .collect();
        Model {
            shapes,
            operations,
            patterns,
        }
    }

    /// The operation served at `method path`, with its labels decoded.
    pub fn route(&self, method: &str, path: &str) -> Option<(&Operation, Vec<(String, String)>)> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        self.operations.iter().find_map(|op| {
            if op.method != method || op.segments.len() != parts.len() {
                return None;
            }
            let mut labels = Vec::new();
            for (segment, part) in op.segments.iter().zip(&parts) {
                match segment {
                    Segment::Literal(text) if text == part => {}
                    Segment::Label(name) if !part.is_empty() => {
                        labels.push((name.clone(), percent_decode(part)?))
                    }
                    _ => return None,
                }
            }
            Some((op, labels))
        })
    }

    /// The whole input of `op`: body members, then path labels and query
    /// parameters in their members. Rejects a body member that belongs in
    /// the path or query, and the reverse.
    pub fn input(
        &self,
        op: &Operation,
        labels: Vec<(String, String)>,
        query: &str,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, String> {
        let no_members = Map::new();
        let members = self.shapes[&op.input]["members"]
            .as_object()
            .unwrap_or(&no_members);
        let location = |name: &str| members.get(name).and_then(|m| m["location"].as_str());
        for name in body.keys() {
            if location(name).is_some() {
                return Err(format!(
                    "'{name}' must be sent in the {}, not the body",
                    location(name).unwrap_or_default()
                ));
            }
        }
        let mut input = body;
        for (name, value) in labels {
            input.insert(name, Value::String(value));
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (Some(key), Some(value)) = (percent_decode(key), percent_decode(value)) else {
                return Err(format!("bad percent-encoding in the query: {pair}"));
            };
            let Some((name, member)) = members
                .iter()
                .find(|(_, m)| m["location"] == "querystring" && m["locationName"] == key.as_str())
            else {
                return Err(format!("unknown query parameter '{key}'"));
            };
            let is_list =
                self.shapes[member["shape"].as_str().unwrap_or_default()]["type"] == "list";
            match input.get_mut(name) {
                Some(Value::Array(items)) if is_list => items.push(Value::String(value)),
                _ if is_list => {
                    input.insert(name.clone(), Value::Array(vec![Value::String(value)]));
                }
                _ => {
                    input.insert(name.clone(), Value::String(value));
                }
            }
        }
        Ok(input)
    }

    /// Checks `value` against shape `shape`: types, required members,
    /// lengths, ranges, enum values; unknown members and `null` are errors.
    pub fn validate(&self, shape_name: &str, value: &Value, path: &str) -> Result<(), String> {
        let shape = &self.shapes[shape_name];
        let kind = shape["type"].as_str().unwrap_or_default();
        let at = if path.is_empty() { "the input" } else { path };
        let wrong = |expected: &str| Err(format!("Value at '{at}' must be {expected}"));
        let bounds = |actual: usize, what: &str| -> Result<(), String> {
            if let Some(min) = shape["min"].as_u64() {
                if (actual as u64) < min {
                    return Err(format!(
                        "Value at '{at}' failed to satisfy constraint: Member must have {what} greater than or equal to {min}"
                    ));
                }
            }
            if let Some(max) = shape["max"].as_u64() {
                if (actual as u64) > max {
                    return Err(format!(
                        "Value at '{at}' failed to satisfy constraint: Member must have {what} less than or equal to {max}"
                    ));
                }
            }
            Ok(())
        };
        match (kind, value) {
            (_, Value::Null) => Err(format!(
                "Value null at '{at}': send no member rather than null"
            )),
            ("string", Value::String(text)) => {
                bounds(text.chars().count(), "length")?;
                if let Some(pattern) = shape["pattern"].as_str() {
                    let parsed = self.patterns.get(shape_name);
                    if !parsed.is_some_and(|p| p.search(text)) {
                        return Err(format!(
                            "Value at '{at}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
                        ));
                    }
                }
                if let Some(values) = shape["enum"].as_array() {
                    if !values.iter().any(|v| v == text) {
                        return Err(format!(
                            "Value '{text}' at '{at}' failed to satisfy constraint: Member must satisfy enum value set: {values:?}"
                        ));
                    }
                }
                Ok(())
            }
            ("boolean", Value::Bool(_)) => Ok(()),
            ("integer" | "long", Value::Number(n)) => {
                let Some(n) = n.as_i64() else {
                    return wrong("a whole number");
                };
                if kind == "integer" && i32::try_from(n).is_err() {
                    return wrong("a 32-bit integer");
                }
                if shape["min"].as_i64().is_some_and(|min| n < min)
                    || shape["max"].as_i64().is_some_and(|max| n > max)
                {
                    return Err(format!(
                        "Value '{n}' at '{at}' failed to satisfy constraint: Member must be between {} and {}",
                        shape["min"], shape["max"]
                    ));
                }
                Ok(())
            }
            ("double" | "timestamp", Value::Number(_)) => Ok(()),
            ("list", Value::Array(items)) => {
                bounds(items.len(), "length")?;
                let member = shape["member"]["shape"].as_str().unwrap_or_default();
                for (i, item) in items.iter().enumerate() {
                    self.validate(member, item, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            ("map", Value::Object(entries)) => {
                bounds(entries.len(), "length")?;
                let key = shape["key"]["shape"].as_str().unwrap_or_default();
                let value_shape = shape["value"]["shape"].as_str().unwrap_or_default();
                for (k, v) in entries {
                    let entry = format!("{path}.{k}");
                    self.validate(key, &Value::String(k.clone()), &entry)?;
                    self.validate(value_shape, v, &entry)?;
                }
                Ok(())
            }
            ("structure", Value::Object(members)) => {
                let none = Map::new();
                let spec = shape["members"].as_object().unwrap_or(&none);
                for required in shape["required"].as_array().into_iter().flatten() {
                    let name = required.as_str().unwrap_or_default();
                    if !members.contains_key(name) {
                        let full = if path.is_empty() {
                            name.to_owned()
                        } else {
                            format!("{path}.{name}")
                        };
                        return Err(format!(
                            "Value null at '{full}' failed to satisfy constraint: Member must not be null"
                        ));
                    }
                }
                for (name, value) in members {
                    let full = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    let Some(member) = spec.get(name) else {
                        return Err(format!("Unknown member '{full}'"));
                    };
                    self.validate(member["shape"].as_str().unwrap_or_default(), value, &full)?;
                }
                Ok(())
            }
            ("string", _) => wrong("a string"),
            ("boolean", _) => wrong("a boolean"),
            ("list", _) => wrong("an array"),
            ("map" | "structure", _) => wrong("an object"),
            _ => wrong("a number"),
        }
    }

    /// The member names of structure `shape`, or the values of enum `shape`.
    pub fn names_in(&self, shape: &str) -> Vec<String> {
        let shape = &self.shapes[shape];
        match (shape["members"].as_object(), shape["enum"].as_array()) {
            (Some(members), _) => members.keys().cloned().collect(),
            (None, Some(values)) => values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            (None, None) => Vec::new(),
        }
    }

    /// The operations' names, as the model spells them.
    #[cfg(test)]
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.iter().map(|op| op.name.as_str())
    }

    /// The input shape's name.
    pub fn input_shape<'a>(&self, op: &'a Operation) -> &'a str {
        &op.input
    }
}

/// `%XX`-decodes a path segment or query part; `None` if malformed or not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn routes_labels_and_queries_into_the_input() {
        let model = Model::load();
        let (op, labels) = model
            .route(
                "DELETE",
                "/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A1%3Aflow%2Fx",
            )
            .unwrap();
        assert_eq!(op.name, "UntagResource");
        let input = model
            .input(op, labels, "tagKeys=a&tagKeys=b%3Ac", Map::new())
            .unwrap();
        assert_eq!(
            Value::Object(input.clone()),
            json!({"resourceArn": "arn:aws:appflow:us-east-1:1:flow/x", "tagKeys": ["a", "b:c"]})
        );
        assert_eq!(
            model.validate("UntagResourceRequest", &Value::Object(input), ""),
            Ok(())
        );
        assert!(model.route("GET", "/tags/").is_none());
        assert!(model.route("PUT", "/register-connector").is_none());
        let body: Map<String, Value> = serde_json::from_value(json!({"tagKeys": ["a"]})).unwrap();
        let (op, labels) = model.route("DELETE", "/tags/x").unwrap();
        assert!(
            model
                .input(op, labels, "", body)
                .unwrap_err()
                .contains("querystring")
        );
    }

    #[test]
    fn catches_what_a_buggy_client_could_send() {
        let model = Model::load();
        let check = |value: Value| model.validate("RegisterConnectorRequest", &value, "");
        assert_eq!(check(json!({"connectorLabel": "x1"})), Ok(()));
        assert!(
            check(json!({"connectorLabel": "x"}))
                .unwrap_err()
                .contains("pattern")
        );
        assert!(
            check(json!({"connectorLabel": 1}))
                .unwrap_err()
                .contains("'connectorLabel' must be a string")
        );
        assert!(
            check(json!({"connectorLabel": "x".repeat(257)}))
                .unwrap_err()
                .contains("less than or equal to 256")
        );
        assert!(
            check(json!({"connectorProvisioningType": "CONTAINER"}))
                .unwrap_err()
                .contains("enum")
        );
        assert!(
            check(json!({"connectorProvisioningConfig": {"lambda": {}}}))
                .unwrap_err()
                .contains("connectorProvisioningConfig.lambda.lambdaArn")
        );
        assert!(
            check(json!({"labels": "x"}))
                .unwrap_err()
                .contains("Unknown member 'labels'")
        );
        assert!(
            check(json!({"description": null}))
                .unwrap_err()
                .contains("null")
        );
        let paged = |value: Value| model.validate("ListConnectorsRequest", &value, "");
        assert!(paged(json!({"maxResults": 0})).is_err());
        assert!(paged(json!({"maxResults": 1.5})).is_err());
        assert_eq!(paged(json!({"maxResults": 100, "nextToken": "t"})), Ok(()));
    }
}

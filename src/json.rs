//! The JSON side of restJson1 for the generated shapes: writing members in
//! the model's order (so bodies are byte-for-byte what botocore sends), and
//! reading with the member's path in every error.
//!
//! Shapes convert to and from `serde_json` values with plain generated
//! functions instead of derived `Serialize`/`Deserialize` impls: one small
//! non-generic function per shape keeps a binary that links all 200 shapes
//! small, and errors can name the member.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::path::At;
use crate::primitives::DateTime;

/// A JSON value whose objects keep their members in the order written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Int(i) => serializer.serialize_i64(*i),
            Json::Float(f) => serializer.serialize_f64(*f),
            Json::Str(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

/// Stands in for a secret in `Debug` output, as the AWS SDKs print it.
pub(crate) const REDACTED: Redacted = Redacted;

/// See [`REDACTED`].
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"*** Sensitive Data Redacted ***\"")
    }
}

/// An object under construction: unset members are left out.
#[derive(Default)]
pub(crate) struct Object(Vec<(String, Json)>);

impl Object {
    pub fn new() -> Object {
        Object::default()
    }

    /// Adds `name` when `value` is set. Never inlined: one copy per member
    /// type instead of one per member keeps a binary with every shape small.
    #[inline(never)]
    pub fn put<T: ToJson>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.0.push((name.to_owned(), value.to_json()));
        }
    }

    pub fn build(self) -> Json {
        Json::Object(self.0)
    }
}

/// Writes a value as the wire carries it.
pub(crate) trait ToJson {
    fn to_json(&self) -> Json;
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::Str(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

impl ToJson for i32 {
    fn to_json(&self) -> Json {
        Json::Int(i64::from(*self))
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Json {
        Json::Int(*self)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Json {
        Json::Float(*self)
    }
}

/// Epoch seconds: a whole number, or with its milliseconds as a fraction.
impl ToJson for DateTime {
    fn to_json(&self) -> Json {
        let millis = self.subsec_nanos() / 1_000_000;
        if millis == 0 {
            Json::Int(self.secs())
        } else {
            Json::Float(self.secs() as f64 + f64::from(millis) / 1000.0)
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(ToJson::to_json).collect())
    }
}

/// Written sorted by key, so the same map is always the same bytes.
impl<K: MapKey, V: ToJson> ToJson for HashMap<K, V> {
    fn to_json(&self) -> Json {
        Json::Object(
            sorted(self)
                .into_iter()
                .map(|(k, v)| (k.as_key().to_owned(), v.to_json()))
                .collect(),
        )
    }
}

/// A map's entries sorted by key, for deterministic bytes and errors.
pub(crate) fn sorted<K: MapKey, V>(map: &HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.as_key().cmp(b.0.as_key()));
    entries
}

/// A map key: a string, or an enum keyed by its wire value.
pub(crate) trait MapKey: Eq + Hash {
    fn as_key(&self) -> &str;
    fn from_key(key: &str) -> Self;
}

impl MapKey for String {
    fn as_key(&self) -> &str {
        self
    }
    fn from_key(key: &str) -> Self {
        key.to_owned()
    }
}

/// A value of the wrong JSON type, or an unknown member in strict input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub path: String,
    pub problem: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

/// The JSON type of `value`, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(value: &Value, expected: &str, at: At<'_>) -> JsonError {
    JsonError {
        path: at.to_string(),
        problem: format!("expected {expected}, found {}", kind(value)),
    }
}

/// The index of `value` in `values`: enum parsing shares this one search
/// instead of a string comparison chain per enum.
pub(crate) fn position(values: &[&str], value: &str) -> Option<usize> {
    values.iter().position(|known| *known == value)
}

/// Reads a value from the wire form.
pub trait FromJson: Sized {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError>;
}

/// Reads an optional member: absent and `null` are both unset. Never
/// inlined, for the same reason as [`Object::put`].
#[inline(never)]
pub(crate) fn read<T: FromJson>(value: &Value, at: At<'_>) -> Result<Option<T>, JsonError> {
    match value {
        Value::Null => Ok(None),
        value => T::from_json(value, at).map(Some),
    }
}

/// A structure's members, or an error when `value` is not an object.
pub(crate) fn members<'v>(
    value: &'v Value,
    at: At<'_>,
) -> Result<&'v serde_json::Map<String, Value>, JsonError> {
    value
        .as_object()
        .ok_or_else(|| wrong(value, "an object", at))
}

/// Reads a structure: walks its members once, and hands each member the
/// shape knows to `set` by its index in `names`. This loop is shared by
/// every shape; only the small `set` is generated per shape.
pub(crate) fn read_object(
    value: &Value,
    at: At<'_>,
    names: &[&str],
    set: &mut dyn FnMut(usize, &Value, At<'_>) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    for (name, member) in members(value, at)? {
        match position(names, name) {
            Some(index) => set(index, member, at.member(name))?,
            None => unknown(at, name, names)?,
        }
    }
    Ok(())
}

/// A member the shape does not have: an error in input a user gave (as in
/// the AWS CLI), skipped in a service answer (AWS adds members).
pub(crate) fn unknown(at: At<'_>, name: &str, expected: &[&str]) -> Result<(), JsonError> {
    if !at.strict {
        return Ok(());
    }
    let problem = format!(
        "unknown member {name:?}, must be one of: {}",
        expected.join(", ")
    );
    Err(JsonError {
        path: at.to_string(),
        problem,
    })
}

impl FromJson for String {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| wrong(value, "a string", at))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        value.as_bool().ok_or_else(|| wrong(value, "a boolean", at))
    }
}

impl FromJson for i32 {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        value
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(|| wrong(value, "a 32-bit integer", at))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        value
            .as_i64()
            .ok_or_else(|| wrong(value, "a 64-bit integer", at))
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        value.as_f64().ok_or_else(|| wrong(value, "a number", at))
    }
}

/// Epoch seconds, possibly fractional; user input may also give an RFC 3339
/// date-time, as the AWS CLI accepts.
impl FromJson for DateTime {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let time = match value {
            Value::Number(n) => n.as_f64().and_then(from_epoch_seconds),
            Value::String(text) if at.strict => crate::time::parse_rfc3339_nanos(text),
            _ => None,
        };
        time.ok_or_else(|| wrong(value, "a timestamp (epoch seconds)", at))
    }
}

fn from_epoch_seconds(secs: f64) -> Option<DateTime> {
    // Beyond ±10^11 s (year ~5000) is garbage.
    if !secs.is_finite() || secs.abs() > 1e11 {
        return None;
    }
    Some(DateTime::from_secs_f64(secs))
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let items = value
            .as_array()
            .ok_or_else(|| wrong(value, "an array", at))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(item, at.index(i)))
            .collect()
    }
}

impl<K: MapKey, V: FromJson> FromJson for HashMap<K, V> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        members(value, at)?
            .iter()
            .map(|(k, v)| Ok((K::from_key(k), V::from_json(v, at.key(k))?)))
            .collect()
    }
}

/// Implements `serde`'s traits for a generated shape through its JSON
/// functions, so users can read and write shapes with `serde_json` too
/// (input is read strictly: unknown members are an error).
macro_rules! serde_via_json {
    ($($shape:ty),* $(,)?) => {$(
        impl serde::Serialize for $shape {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::json::ToJson::to_json(self).serialize(serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $shape {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                <Self as crate::json::FromJson>::from_json(&value, crate::path::At::INPUT)
                    .map_err(serde::de::Error::custom)
            }
        }
    )*};
}
pub(crate) use serde_via_json;

/// Implements the traits every model enum shares: its wire text, JSON,
/// `serde`, and use as a map key.
macro_rules! model_enum {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::json::ToJson for $name {
            fn to_json(&self) -> crate::json::Json {
                crate::json::Json::Str(self.as_str().to_owned())
            }
        }

        impl crate::json::FromJson for $name {
            fn from_json(
                value: &serde_json::Value,
                at: crate::path::At<'_>,
            ) -> Result<Self, crate::json::JsonError> {
                String::from_json(value, at).map(|s| Self::from(s.as_str()))
            }
        }

        /// Never fails: a value this crate does not know is kept in
        /// `Unknown`.
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl $name {
            /// What a required member reads as when an answer left it out.
            #[allow(dead_code)]
            pub(crate) fn unset() -> &'static Self {
                static UNSET: $name = $name::Unknown(crate::primitives::UnknownVariantValue::EMPTY);
                &UNSET
            }

            /// `value` as one of the values the model lists, or an error
            /// naming it.
            pub fn try_parse(value: &str) -> Result<Self, crate::error::UnknownVariantError> {
                match Self::from(value) {
                    Self::Unknown(_) => Err(crate::error::UnknownVariantError::new(value)),
                    known => Ok(known),
                }
            }
        }

        impl crate::json::MapKey for $name {
            fn as_key(&self) -> &str {
                self.as_str()
            }
            fn from_key(key: &str) -> Self {
                Self::from(key)
            }
        }

        crate::json::serde_via_json!($name);
    };
}
pub(crate) use model_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_member_order_and_skip_unset_members() {
        let mut object = Object::new();
        object.put("zeta", &Some("z".to_owned()));
        object.put("unset", &None::<String>);
        object.put("alpha", &Some(vec![1i32, 2]));
        let text = serde_json::to_string(&object.build()).unwrap();
        assert_eq!(text, r#"{"zeta":"z","alpha":[1,2]}"#);
    }

    #[test]
    fn timestamps_are_epoch_seconds_with_optional_fraction() {
        let at = |secs: i64, millis: i64| DateTime::from_millis(secs * 1000 + millis);
        assert_eq!(at(1_700_000_000, 0).to_json(), Json::Int(1_700_000_000));
        assert_eq!(
            at(1_700_000_000, 500).to_json(),
            Json::Float(1_700_000_000.5)
        );
        let before = DateTime::from_millis(-1500);
        assert_eq!(before.to_json(), Json::Float(-1.5));
        let read = |v: Value| DateTime::from_json(&v, At::OUTPUT);
        assert_eq!(read(serde_json::json!(1.25)).unwrap(), at(1, 250));
        assert_eq!(read(serde_json::json!(-1.5)).unwrap(), before);
        assert!(read(serde_json::json!(1e300)).is_err());
        assert!(read(serde_json::json!("2020-01-01T00:00:00Z")).is_err());
        let strict = DateTime::from_json(&serde_json::json!("1970-01-01T00:00:02Z"), At::INPUT);
        assert_eq!(strict.unwrap(), at(2, 0));
    }

    #[test]
    fn maps_are_written_sorted_by_key() {
        let map: HashMap<String, i32> = (0..50).map(|i| (format!("k{i:02}"), i)).collect();
        let Json::Object(members) = map.to_json() else {
            panic!("an object")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }

    #[test]
    fn wrong_types_name_the_member() {
        let root = At::OUTPUT;
        let list = root.member("connectors");
        let err = Vec::<i32>::from_json(&serde_json::json!([1, "2"]), list).unwrap_err();
        assert_eq!(
            err.to_string(),
            "connectors[1]: expected a 32-bit integer, found a string"
        );
        let err = i32::from_json(&serde_json::json!(1u64 << 40), root.member("n")).unwrap_err();
        assert!(err.to_string().starts_with("n: expected a 32-bit integer"));
        assert_eq!(read::<String>(&Value::Null, root).unwrap(), None);
    }

    #[test]
    fn unknown_members_are_errors_only_in_user_input() {
        assert!(unknown(At::OUTPUT, "new", &["a"]).is_ok());
        let err = unknown(At::INPUT.member("config"), "lambdaARN", &["lambdaArn"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"config: unknown member "lambdaARN", must be one of: lambdaArn"#
        );
    }
}

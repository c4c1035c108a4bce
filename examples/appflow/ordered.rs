//! JSON that keeps its members in the order they came, so the tool prints
//! answers in the model's order, as the AWS CLI does (`serde_json::Value`
//! sorts them).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON value with ordered objects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    /// Sets (or adds, last) the member `name` of an object.
    pub fn set(&mut self, name: &str, value: Ordered) {
        if let Ordered::Object(members) = self {
            match members.iter_mut().find(|(n, _)| n == name) {
                Some((_, slot)) => *slot = value,
                None => members.push((name.to_owned(), value)),
            }
        }
    }

    /// Removes the member `name` of an object.
    pub fn remove(&mut self, name: &str) -> Option<Ordered> {
        let Ordered::Object(members) = self else {
            return None;
        };
        let index = members.iter().position(|(n, _)| n == name)?;
        Some(members.remove(index).1)
    }

    /// Replaces the values of members named in `secrets`, at any depth.
    pub fn mask(&mut self, secrets: &[&str]) {
        match self {
            Ordered::Array(items) => items.iter_mut().for_each(|i| i.mask(secrets)),
            Ordered::Object(members) => {
                for (name, value) in members {
                    if secrets.contains(&name.as_str()) {
                        *value = Ordered::String("** masked **".into());
                    } else {
                        value.mask(secrets);
                    }
                }
            }
            _ => {}
        }
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => serializer.serialize_unit(),
            Ordered::Bool(b) => serializer.serialize_bool(*b),
            Ordered::Number(n) => n.serialize(serializer),
            Ordered::String(s) => serializer.serialize_str(s),
            Ordered::Array(items) => serializer.collect_seq(items),
            Ordered::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Ordered, E> {
        Ok(Ordered::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Ordered, E> {
        Ok(Ordered::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Ordered, E> {
        Ok(Ordered::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Ordered, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Ordered::Null, Ordered::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Ordered, E> {
        Ok(Ordered::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Ordered, E> {
        Ok(Ordered::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut members = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, Ordered>()? {
            members.push((name, value));
        }
        Ok(Ordered::Object(members))
    }
}

//! The order of each structure's members in the model file: `serde_json`'s
//! `Map` sorts keys, but the wire and botocore keep the model's order.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// Member names in file order, by shape name.
pub fn member_orders(service: &str) -> BTreeMap<String, Vec<String>> {
    let mut de = serde_json::Deserializer::from_str(service);
    de.deserialize_map(Walk(Level::Model))
        .expect("the model is JSON")
}

/// Where in the model the visitor is.
#[derive(Clone, Copy)]
enum Level {
    Model,
    Shapes,
    Shape,
    Members,
}

struct Walk(Level);

type Orders = BTreeMap<String, Vec<String>>;

impl<'de> Visitor<'de> for Walk {
    type Value = Orders;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Orders, A::Error> {
        let mut orders = Orders::new();
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match (self.0, key.as_str()) {
                (Level::Model, "shapes") => orders = map.next_value_seed(Seed(Level::Shapes))?,
                (Level::Shapes, _) => {
                    let members = map.next_value_seed(Seed(Level::Shape))?;
                    if let Some(order) = members.into_values().next() {
                        orders.insert(key, order);
                    }
                }
                (Level::Shape, "members") => {
                    let members = map.next_value_seed(Seed(Level::Members))?;
                    orders.insert(
                        String::new(),
                        members.into_values().next().unwrap_or_default(),
                    );
                }
                (Level::Members, _) => {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Level::Members = self.0 {
            orders.insert(String::new(), keys);
        }
        Ok(orders)
    }
}

struct Seed(Level);

impl<'de> serde::de::DeserializeSeed<'de> for Seed {
    type Value = Orders;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Orders, D::Error> {
        deserializer.deserialize_map(Walk(self.0))
    }
}

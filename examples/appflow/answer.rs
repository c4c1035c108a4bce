//! An answer read as botocore reads it for the AWS CLI: structure members in
//! the model's order, members the model does not have and nulls dropped,
//! map entries in the order they came, lists item by item, timestamps shown
//! as the profile asks.

use crate::Ordered;
use crate::times::{self, TimestampFormat};

/// `value` read after `shape`, the operation's output skeleton (or a part).
pub(crate) fn read(value: Ordered, shape: &Ordered, times: TimestampFormat) -> Ordered {
    match (shape, value) {
        (Ordered::String(epoch), value) if epoch == times::EPOCH => times::show(value, times),
        (Ordered::Object(members), Ordered::Object(got)) => match map_value(members) {
            Some(item) => Ordered::Object(
                got.into_iter()
                    .map(|(key, value)| (key, read(value, item, times)))
                    .collect(),
            ),
            None => {
                let mut got = got;
                let mut out = Vec::new();
                for (name, shape) in members {
                    let Some(at) = got.iter().position(|(n, _)| n == name) else {
                        continue;
                    };
                    let (name, value) = got.swap_remove(at);
                    if value != Ordered::Null {
                        out.push((name, read(value, shape, times)));
                    }
                }
                Ordered::Object(out)
            }
        },
        (Ordered::Array(item), Ordered::Array(items)) => match item.first() {
            Some(item) => Ordered::Array(items.into_iter().map(|v| read(v, item, times)).collect()),
            None => Ordered::Array(items),
        },
        (_, value) => value,
    }
}

/// A map's value shape: skeletons write a map as its one `KeyName` entry.
fn map_value(members: &[(String, Ordered)]) -> Option<&Ordered> {
    match members {
        [(name, value)] if name == "KeyName" => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(text: &str) -> Ordered {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn keeps_the_models_order_and_the_maps_order() {
        let shape = ordered(
            r#"{"a":"","tags":{"KeyName":""},"items":[{"x":0,"y":""}],"at":"1970-01-01T00:00:00"}"#,
        );
        let got = ordered(
            r#"{"unknown":1,"items":[{"y":"b","x":1,"z":2}],"tags":{"z":"1","a":"2"},"a":null,"at":0.5}"#,
        );
        assert_eq!(
            read(got.clone(), &shape, TimestampFormat::Iso8601),
            ordered(
                r#"{"tags":{"z":"1","a":"2"},"items":[{"x":1,"y":"b"}],"at":"1970-01-01T00:00:00.500000+00:00"}"#
            )
        );
        assert_eq!(
            read(got, &shape, TimestampFormat::Wire),
            ordered(r#"{"tags":{"z":"1","a":"2"},"items":[{"x":1,"y":"b"}],"at":0.5}"#)
        );
    }
}

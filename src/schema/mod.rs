//! Every operation's input checked and laid out by one walker over a table.
//!
//! [`tables`] (generated from the model) describes each shape an operation
//! sends once, as data: a structure's members, a list's item, a string's
//! lengths and pattern. The walker here does the rest for all 25 operations:
//!
//! - [`read`] takes input given as JSON (the tool's, or
//!   [`Client::send_json`](crate::Client::send_json)'s) strictly, the way a
//!   typed input reads it: JSON types checked, unknown members refused, and
//!   the result written in the model's member order.
//! - [`check`] holds a value to the model's constraints (required members,
//!   lengths, patterns, ranges, enum values), members in model order.
//! - [`request`] fills in idempotency tokens, checks, and lays the input out
//!   as restJson1 says: labels in the path, query members, the JSON body.
//!
//! Typed inputs reach the same code through their JSON, so both doors send
//! the same bytes and refuse the same input with the same error.

mod tables;

pub(crate) use tables::*;

use serde_json::Value;

use crate::client::Call;
use crate::error::Error;
use crate::json::{FromJson, Json, ToJson};
use crate::path::At;
use crate::primitives::DateTime;
use crate::validate::{InvalidInput, Rule};

/// A shape's index in [`SHAPES`].
pub(crate) type Id = u16;

/// One operation's request layout.
pub(crate) struct Operation {
    /// The model's name, `CreateFlow`.
    pub name: &'static str,
    pub method: &'static str,
    /// The path, with `{member}` where a label goes.
    pub uri: &'static str,
    /// The input structure.
    pub input: Id,
}

/// What a value of one shape may be. Entries hold no pointers (text is a
/// [`Text`] span of [`TEXT`], members an index into [`MEMBERS`]), so the
/// table needs no relocations and costs its size and no more.
pub(crate) enum Shape {
    /// The member names in model order, separated by spaces, and where the
    /// same members start in [`MEMBERS`].
    Structure {
        names: Text,
        members: u16,
    },
    List {
        item: Id,
        min: u32,
        max: u32,
    },
    Map {
        key: Id,
        value: Id,
        min: u32,
        max: u32,
    },
    /// Lengths count Unicode scalar values; the pattern is not anchored.
    String {
        min: u32,
        max: u32,
        pattern: Option<Text>,
    },
    /// A string that must be one of these values (separated by spaces).
    Enum(Text),
    /// A 32-bit integer.
    Integer {
        min: i64,
        max: i64,
    },
    Long {
        min: i64,
        max: i64,
    },
    #[allow(dead_code)] // No input has a double today.
    Double,
    Boolean,
    /// Epoch seconds on the wire.
    Timestamp,
}

/// A span of [`TEXT`]: where it starts, and its length in bytes.
#[derive(Clone, Copy)]
pub(crate) struct Text(pub u16, pub u16);

impl Text {
    fn get(self) -> &'static str {
        &TEXT[usize::from(self.0)..][..usize::from(self.1)]
    }

    /// The words of a space-separated list (none for an empty one).
    fn words(self) -> std::str::SplitTerminator<'static, char> {
        self.get().split_terminator(' ')
    }
}

/// A structure's member: its shape, where it goes in a request, and
/// whether it must be set.
#[derive(Clone, Copy)]
pub(crate) struct Member {
    shape: Id,
    place: Place,
    required: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// In the JSON body.
    Body,
    /// In the body; the client makes one when the caller gives none.
    Token,
    /// In the path; must be set and not empty.
    Label,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

impl Member {
    const fn new(shape: Id, place: Place) -> Member {
        Member {
            shape,
            place,
            required: matches!(place, Place::Label),
        }
    }
    pub(crate) const fn body(shape: Id) -> Member {
        Member::new(shape, Place::Body)
    }
    pub(crate) const fn token(shape: Id) -> Member {
        Member::new(shape, Place::Token)
    }
    pub(crate) const fn label(shape: Id) -> Member {
        Member::new(shape, Place::Label)
    }
    pub(crate) const fn query(shape: Id) -> Member {
        Member::new(shape, Place::Query)
    }
    #[allow(dead_code)] // AppFlow's model has no header member today.
    pub(crate) const fn header(shape: Id) -> Member {
        Member::new(shape, Place::Header)
    }
    /// The same member, which must be set.
    pub(crate) const fn required(self) -> Member {
        Member {
            required: true,
            ..self
        }
    }

    fn in_body(self) -> bool {
        matches!(self.place, Place::Body | Place::Token)
    }
}

/// The operation the model names `name`.
pub(crate) fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().copied().find(|op| op.name == name)
}

/// Structure `id`'s members with their names, in model order.
fn members(id: Id) -> impl Iterator<Item = (&'static str, Member)> {
    let Shape::Structure { names, members } = SHAPES[usize::from(id)] else {
        unreachable!("only structures have members")
    };
    names
        .words()
        .zip(MEMBERS[usize::from(members)..].iter().copied())
}

/// Reads `value`, input a caller gave as JSON, as shape `id`.
pub(crate) fn read(id: Id, value: &Value, at: At<'_>) -> Result<Json, InvalidInput> {
    let wrong = |expected| {
        InvalidInput::new(
            at.to_string(),
            Rule::Type {
                expected,
                found: crate::json::kind(value),
            },
        )
    };
    Ok(match &SHAPES[usize::from(id)] {
        Shape::Structure { names, .. } => {
            let object = value.as_object().ok_or_else(|| wrong("an object"))?;
            let mut read_members = Vec::with_capacity(object.len());
            for (name, member_value) in object {
                let at = at.member(name);
                let Some((index, (name, member))) =
                    members(id).enumerate().find(|(_, (n, _))| n == name)
                else {
                    let allowed = names.words().collect();
                    return Err(InvalidInput::new(
                        at.to_string(),
                        Rule::UnknownMember { allowed },
                    ));
                };
                // `null` leaves a member unset, as in a typed input.
                if !member_value.is_null() {
                    read_members.push((index, name, read(member.shape, member_value, at)?));
                }
            }
            read_members.sort_unstable_by_key(|(index, ..)| *index);
            Json::Object(
                read_members
                    .into_iter()
                    .map(|(_, name, json)| (name.to_owned(), json))
                    .collect(),
            )
        }
        Shape::List { item, .. } => {
            let items = value.as_array().ok_or_else(|| wrong("an array"))?;
            Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item_value)| read(*item, item_value, at.index(i)))
                    .collect::<Result<_, _>>()?,
            )
        }
        Shape::Map { value: values, .. } => {
            let object = value.as_object().ok_or_else(|| wrong("an object"))?;
            let mut entries = object
                .iter()
                .map(|(key, v)| Ok((key.clone(), read(*values, v, at.key(key))?)))
                .collect::<Result<Vec<_>, InvalidInput>>()?;
            // Sorted, as a typed map is written.
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries)
        }
        Shape::String { .. } | Shape::Enum(_) => {
            Json::Str(value.as_str().ok_or_else(|| wrong("a string"))?.to_owned())
        }
        Shape::Integer { .. } => Json::Int(
            value
                .as_i64()
                .filter(|i| i32::try_from(*i).is_ok())
                .ok_or_else(|| wrong("a 32-bit integer"))?,
        ),
        Shape::Long { .. } => Json::Int(value.as_i64().ok_or_else(|| wrong("a 64-bit integer"))?),
        Shape::Double => Json::Float(value.as_f64().ok_or_else(|| wrong("a number"))?),
        Shape::Boolean => Json::Bool(value.as_bool().ok_or_else(|| wrong("a boolean"))?),
        // Through the typed reading, so both doors round a time alike.
        Shape::Timestamp => DateTime::from_json(value, at)
            .map_err(|_| wrong("a timestamp (epoch seconds or RFC 3339)"))?
            .to_json(),
    })
}

/// Holds `value`, written as the wire carries it, to shape `id`'s
/// constraints; the first broken one is the error.
pub(crate) fn check(id: Id, value: &Json, at: At<'_>) -> Result<(), InvalidInput> {
    let broken = |rule| Err(InvalidInput::new(at.to_string(), rule));
    match (&SHAPES[usize::from(id)], value) {
        (Shape::Structure { .. }, Json::Object(entries)) => check_members(id, entries, at),
        (Shape::List { item, min, max }, Json::Array(items)) => {
            count(items.len(), *min, *max, at)?;
            for (i, value) in items.iter().enumerate() {
                check(*item, value, at.index(i))?;
            }
            Ok(())
        }
        (
            Shape::Map {
                key,
                value: values,
                min,
                max,
            },
            Json::Object(entries),
        ) => {
            count(entries.len(), *min, *max, at)?;
            for (k, v) in entries {
                let at = at.key(k);
                check_string(*key, k, 0, at)?;
                check(*values, v, at)?;
            }
            Ok(())
        }
        (Shape::String { .. } | Shape::Enum(_), Json::Str(text)) => check_string(id, text, 0, at),
        (Shape::Integer { min, max } | Shape::Long { min, max }, Json::Int(actual)) => {
            if (*min..=*max).contains(actual) {
                Ok(())
            } else {
                broken(Rule::Range {
                    min: *min,
                    max: *max,
                    actual: *actual,
                })
            }
        }
        // Nothing else has constraints, and only the shape's own JSON type
        // reaches here (from `read`, or from a typed input).
        _ => Ok(()),
    }
}

/// A structure's members, `entries` holding those set.
fn check_members(id: Id, entries: &[(String, Json)], at: At<'_>) -> Result<(), InvalidInput> {
    for (name, member) in members(id) {
        let at = at.member(name);
        let value = entries.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        match (value, member.place) {
            (None, _) if member.required => {
                return Err(InvalidInput::new(at.to_string(), Rule::Required));
            }
            (None, _) => {}
            // An empty label would leave a hole in the path (`/tags/`).
            (Some(Json::Str(label)), Place::Label) => check_string(member.shape, label, 1, at)?,
            (Some(value), _) => check(member.shape, value, at)?,
        }
    }
    Ok(())
}

/// A string's (or a map key's) length, pattern or enum value; `least` raises
/// the model's minimum length (labels need one character).
fn check_string(id: Id, text: &str, least: u32, at: At<'_>) -> Result<(), InvalidInput> {
    let broken = |rule| Err(InvalidInput::new(at.to_string(), rule));
    match &SHAPES[usize::from(id)] {
        Shape::Enum(values) if !values.words().any(|value| value == text) => {
            broken(Rule::Enum(values.words().collect()))
        }
        Shape::String { min, max, pattern } => {
            let min = (*min).max(least);
            let actual = text.chars().count();
            if !(widen(min)..=widen(*max)).contains(&actual) {
                return broken(Rule::Length {
                    min: widen(min),
                    max: widen(*max),
                    actual,
                });
            }
            match pattern {
                Some(pattern) if !crate::pattern::search_model(pattern.get(), text) => {
                    broken(Rule::Pattern(pattern.get()))
                }
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// How many items a list or map holds.
fn count(actual: usize, min: u32, max: u32, at: At<'_>) -> Result<(), InvalidInput> {
    if (widen(min)..=widen(max)).contains(&actual) {
        Ok(())
    } else {
        Err(InvalidInput::new(
            at.to_string(),
            Rule::Count {
                min: widen(min),
                max: widen(max),
                actual,
            },
        ))
    }
}

/// A bound from the table as a count; `u32::MAX` there means none.
fn widen(bound: u32) -> usize {
    if bound == u32::MAX {
        usize::MAX
    } else {
        bound as usize
    }
}

/// Checks `op`'s input, written as the wire carries it.
pub(crate) fn validate(op: &Operation, input: &Json) -> Result<(), InvalidInput> {
    check(op.input, input, At::INPUT)
}

/// The request `op` makes for `input` (written as the wire carries it, in
/// model order): tokens filled in, constraints checked, then labels in the
/// path, query members in the query string, the rest in the JSON body.
pub(crate) fn request(op: &Operation, input: Json) -> Result<Call, Error> {
    let Json::Object(mut entries) = input else {
        unreachable!("an input is written as an object")
    };
    fill_tokens(op, &mut entries)?;
    check_members(op.input, &entries, At::INPUT)?;

    let mut path = String::new();
    let mut rest = op.uri;
    while let Some((before, after)) = rest.split_once('{') {
        let (label, after) = after.split_once('}').expect("a closed label");
        path.push_str(before);
        if let Some((_, Json::Str(value))) = entries.iter().find(|(n, _)| n == label) {
            crate::protocol::push_label(&mut path, value);
        }
        rest = after;
    }
    path.push_str(rest);

    let mut query = String::new();
    let mut headers = Vec::new();
    let mut body = Vec::new();
    let mut has_body = false;
    let mut entries = entries.into_iter().peekable();
    for (name, member) in members(op.input) {
        has_body |= member.in_body();
        let Some((_, value)) = entries.next_if(|(n, _)| n == name) else {
            continue;
        };
        match (member.place, value) {
            (Place::Query, Json::Str(value)) => {
                crate::protocol::push_query(&mut query, name, &value)
            }
            (Place::Query, Json::Array(items)) => {
                for item in items {
                    if let Json::Str(value) = item {
                        crate::protocol::push_query(&mut query, name, &value);
                    }
                }
            }
            (Place::Header, Json::Str(value)) => headers.push((name, value)),
            (Place::Label, _) => {}
            (_, value) => body.push((name.to_owned(), value)),
        }
    }
    Ok(Call {
        method: op.method,
        path,
        query,
        headers,
        body: has_body.then(|| crate::protocol::json_body(&Json::Object(body))),
    })
}

/// Puts a fresh idempotency token wherever the caller left one out, in its
/// place in model order (the same token then goes with every retry).
fn fill_tokens(op: &Operation, entries: &mut Vec<(String, Json)>) -> Result<(), Error> {
    let mut at = 0;
    for (name, member) in members(op.input) {
        if entries.get(at).is_some_and(|(n, _)| n == name) {
            at += 1;
        } else if member.place == Place::Token {
            entries.insert(
                at,
                (name.to_owned(), Json::Str(crate::token::client_token()?)),
            );
            at += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_points_only_inside_itself() {
        let in_text = |text: Text| {
            let end = usize::from(text.0) + usize::from(text.1);
            assert!(end <= TEXT.len(), "a span past TEXT's end");
            assert!(TEXT.is_char_boundary(text.0.into()) && TEXT.is_char_boundary(end));
            assert!(!text.get().starts_with(' ') && !text.get().ends_with(' '));
        };
        let known = |id: Id| assert!(usize::from(id) < SHAPES.len(), "shape {id} is missing");
        for shape in &SHAPES {
            match *shape {
                Shape::Structure { names, members } => {
                    in_text(names);
                    let count = names.words().count();
                    assert!(usize::from(members) + count <= MEMBERS.len());
                }
                Shape::List { item, min, max } => {
                    known(item);
                    assert!(min <= max);
                }
                Shape::Map { key, value, .. } => {
                    known(key);
                    known(value);
                    assert!(matches!(
                        SHAPES[usize::from(key)],
                        Shape::String { .. } | Shape::Enum(_)
                    ));
                }
                Shape::String { pattern, min, max } => {
                    pattern.map(in_text);
                    assert!(min <= max);
                }
                Shape::Enum(values) => {
                    in_text(values);
                    assert!(values.words().count() > 0);
                }
                _ => {}
            }
        }
        for member in &MEMBERS {
            known(member.shape);
        }
        for op in OPERATIONS {
            assert!(matches!(
                SHAPES[usize::from(op.input)],
                Shape::Structure { .. }
            ));
            assert_eq!(operation(op.name).map(|o| o.uri), Some(op.uri));
        }
    }

    #[test]
    fn an_empty_structure_has_no_members() {
        assert_eq!(members(AMPLITUDE_CONNECTOR_PROFILE_PROPERTIES).count(), 0);
        let empty = Json::Object(Vec::new());
        let at = At::INPUT;
        assert!(check(AMPLITUDE_CONNECTOR_PROFILE_PROPERTIES, &empty, at).is_ok());
        let given = serde_json::json!({});
        assert_eq!(
            read(AMPLITUDE_CONNECTOR_PROFILE_PROPERTIES, &given, at),
            Ok(empty)
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let at = At::INPUT.member("description");
        let text = |n| Json::Str("é".repeat(n));
        assert!(check(DESCRIPTION, &text(1024), at).is_ok());
        let err = check(DESCRIPTION, &text(1025), at).unwrap_err();
        assert_eq!(
            err.rule(),
            &Rule::Length {
                min: 0,
                max: 1024,
                actual: 1025
            }
        );
        assert_eq!(
            err.to_string(),
            "description must be 0 to 1024 characters long, not 1025"
        );
    }

    #[test]
    fn an_empty_label_is_refused_before_it_leaves_a_hole_in_the_path() {
        let input = Json::Object(vec![("resourceArn".into(), Json::Str(String::new()))]);
        let err = request(&LIST_TAGS_FOR_RESOURCE, input).unwrap_err();
        let Error::InvalidInput(err) = err else {
            panic!("{err:?}")
        };
        assert_eq!(err.field(), "resourceArn");
        assert!(matches!(err.rule(), Rule::Length { min: 1, .. }));
    }

    #[test]
    fn labels_and_query_members_leave_the_body() {
        let arn = "arn:aws:appflow:us-east-1:123456789012:flow/my flow";
        let input = Json::Object(vec![
            ("resourceArn".into(), Json::Str(arn.into())),
            (
                "tagKeys".into(),
                Json::Array(vec![Json::Str("a:b".into()), Json::Str("c".into())]),
            ),
        ]);
        let call = request(&UNTAG_RESOURCE, input).unwrap();
        assert_eq!(call.method, "DELETE");
        assert_eq!(
            call.path,
            "/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A123456789012%3Aflow%2Fmy%20flow"
        );
        assert_eq!(call.query, "tagKeys=a%3Ab&tagKeys=c");
        assert!(call.body.is_none());

        // A body member beside a label: the body holds only it.
        let input = Json::Object(vec![
            ("resourceArn".into(), Json::Str(arn.into())),
            (
                "tags".into(),
                Json::Object(vec![("k".into(), Json::Str("v".into()))]),
            ),
        ]);
        let call = request(&TAG_RESOURCE, input).unwrap();
        assert_eq!(call.body.as_deref(), Some(&br#"{"tags":{"k":"v"}}"#[..]));
    }
}

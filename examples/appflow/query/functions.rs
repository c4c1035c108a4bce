//! The JMESPath built-in functions, with jmespath.py's argument checks.

use std::cmp::Ordering;

use serde_json::Number;

use super::eval::{eval, number};
use super::parse::Node;
use super::{Error, Ordered};

/// An argument: a value, or an `&expression` for the `*_by` functions and `map`.
enum Arg<'n> {
    Value(Ordered),
    Reference(&'n Node),
}

/// What an argument may be.
#[derive(Clone, Copy)]
enum Kind {
    Any,
    Number,
    String,
    Array,
    Object,
    Reference,
    Numbers,
    Strings,
    /// Numbers or strings, all alike (`max`, `min`, `sort`).
    Sortable,
    ArrayOrString,
    ArrayOrObjectOrString,
}

/// Calls `name` with `args` evaluated against `value`.
pub(super) fn call(name: &str, args: &[Node], value: &Ordered) -> Result<Ordered, Error> {
    use Kind::*;
    // The fixed kinds, and the kind of any further (variadic) arguments.
    let (kinds, rest): (&[Kind], Option<Kind>) = match name {
        "abs" | "ceil" | "floor" => (&[Number], None),
        "avg" | "sum" => (&[Numbers], None),
        "contains" => (&[ArrayOrString, Any], None),
        "ends_with" | "starts_with" => (&[String, String], None),
        "join" => (&[String, Strings], None),
        "keys" | "values" => (&[Object], None),
        "length" => (&[ArrayOrObjectOrString], None),
        "map" => (&[Reference, Array], None),
        "max" | "min" | "sort" => (&[Sortable], None),
        "max_by" | "min_by" | "sort_by" => (&[Array, Reference], None),
        "merge" => (&[Object], Some(Object)),
        "not_null" => (&[Any], Some(Any)),
        "reverse" => (&[ArrayOrString], None),
        "to_array" | "to_number" | "to_string" | "type" => (&[Any], None),
        _ => return Err(Error::unknown_function(name)),
    };
    let arity_ok = match rest {
        None => args.len() == kinds.len(),
        Some(_) => args.len() >= kinds.len(),
    };
    if !arity_ok {
        return Err(Error::arity(format!(
            "{name}() takes {} argument(s), {} given",
            kinds.len(),
            args.len()
        )));
    }
    let mut values = Vec::with_capacity(args.len());
    for (i, node) in args.iter().enumerate() {
        let kind = kinds.get(i).copied().or(rest).unwrap_or(Any);
        let arg = match node {
            Node::Reference(inner) => Arg::Reference(inner),
            node => Arg::Value(eval(node, value)?),
        };
        if !accepts(kind, &arg) {
            return Err(Error::invalid_type(format!(
                "{name}(): argument {} has the wrong type",
                i + 1
            )));
        }
        values.push(arg);
    }
    match name {
        "map" | "max_by" | "min_by" | "sort_by" => apply_reference(name, values),
        _ => apply(name, values),
    }
}

fn accepts(kind: Kind, arg: &Arg) -> bool {
    let value = match (kind, arg) {
        (Kind::Reference, Arg::Reference(_)) => return true,
        (_, Arg::Reference(_)) | (Kind::Reference, _) => return false,
        (_, Arg::Value(value)) => value,
    };
    match kind {
        Kind::Any => true,
        Kind::Number => matches!(value, Ordered::Number(_)),
        Kind::String => matches!(value, Ordered::String(_)),
        Kind::Array => matches!(value, Ordered::Array(_)),
        Kind::Object => matches!(value, Ordered::Object(_)),
        Kind::ArrayOrString => matches!(value, Ordered::Array(_) | Ordered::String(_)),
        Kind::ArrayOrObjectOrString => matches!(
            value,
            Ordered::Array(_) | Ordered::Object(_) | Ordered::String(_)
        ),
        Kind::Numbers => is_array_of(value, |v| matches!(v, Ordered::Number(_))),
        Kind::Strings => is_array_of(value, |v| matches!(v, Ordered::String(_))),
        Kind::Sortable => {
            is_array_of(value, |v| matches!(v, Ordered::Number(_)))
                || is_array_of(value, |v| matches!(v, Ordered::String(_)))
        }
        Kind::Reference => false,
    }
}

fn is_array_of(value: &Ordered, test: impl Fn(&Ordered) -> bool) -> bool {
    matches!(value, Ordered::Array(items) if items.iter().all(test))
}

fn apply(name: &str, args: Vec<Arg>) -> Result<Ordered, Error> {
    let mut args = args.into_iter();
    let mut next = || match args.next() {
        Some(Arg::Value(value)) => value,
        _ => Ordered::Null,
    };
    let first = next();
    Ok(match (name, first) {
        ("abs", Ordered::Number(n)) => Ordered::Number(match n.as_i64() {
            Some(i) => i
                .checked_abs()
                .map_or_else(|| float(number(&n).abs()), Number::from),
            None => float(number(&n).abs()),
        }),
        ("ceil", Ordered::Number(n)) => whole(number(&n).ceil()),
        ("floor", Ordered::Number(n)) => whole(number(&n).floor()),
        ("sum", Ordered::Array(items)) => sum(&items),
        ("avg", Ordered::Array(items)) if items.is_empty() => Ordered::Null,
        ("avg", Ordered::Array(items)) => {
            let total: f64 = items.iter().map(as_float).sum();
            Ordered::Number(float(total / items.len() as f64))
        }
        ("contains", Ordered::Array(items)) => {
            let search = next();
            Ordered::Bool(items.iter().any(|item| super::eval::equal(item, &search)))
        }
        ("contains", Ordered::String(text)) => {
            Ordered::Bool(matches!(next(), Ordered::String(s) if text.contains(&s)))
        }
        ("starts_with", Ordered::String(text)) => {
            Ordered::Bool(matches!(next(), Ordered::String(s) if text.starts_with(&s)))
        }
        ("ends_with", Ordered::String(text)) => {
            Ordered::Bool(matches!(next(), Ordered::String(s) if text.ends_with(&s)))
        }
        ("join", Ordered::String(glue)) => {
            let Ordered::Array(items) = next() else {
                return Ok(Ordered::Null);
            };
            let parts: Vec<&str> = items.iter().filter_map(as_str).collect();
            Ordered::String(parts.join(&glue))
        }
        ("keys", Ordered::Object(members)) => Ordered::Array(
            members
                .into_iter()
                .map(|(k, _)| Ordered::String(k))
                .collect(),
        ),
        ("values", Ordered::Object(members)) => {
            Ordered::Array(members.into_iter().map(|(_, v)| v).collect())
        }
        ("length", value) => Ordered::Number(Number::from(match value {
            Ordered::String(s) => s.chars().count(),
            Ordered::Array(items) => items.len(),
            Ordered::Object(members) => members.len(),
            _ => 0,
        })),
        ("max" | "min", Ordered::Array(items)) => {
            let want = if name == "max" {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<Ordered> = None;
            for item in items {
                if best.as_ref().is_none_or(|b| order(&item, b) == want) {
                    best = Some(item);
                }
            }
            best.unwrap_or(Ordered::Null)
        }
        ("sort", Ordered::Array(mut items)) => {
            items.sort_by(order);
            Ordered::Array(items)
        }
        ("merge", Ordered::Object(mut merged)) => {
            for more in std::iter::from_fn(|| match next() {
                Ordered::Object(more) => Some(more),
                _ => None,
            }) {
                for (key, value) in more {
                    match merged.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, slot)) => *slot = value,
                        None => merged.push((key, value)),
                    }
                }
            }
            Ordered::Object(merged)
        }
        ("not_null", first) => {
            let mut candidate = first;
            while candidate == Ordered::Null {
                match args.next() {
                    Some(Arg::Value(value)) => candidate = value,
                    _ => break,
                }
            }
            candidate
        }
        ("reverse", Ordered::String(s)) => Ordered::String(s.chars().rev().collect()),
        ("reverse", Ordered::Array(mut items)) => {
            items.reverse();
            Ordered::Array(items)
        }
        ("to_array", Ordered::Array(items)) => Ordered::Array(items),
        ("to_array", other) => Ordered::Array(vec![other]),
        ("to_string", Ordered::String(s)) => Ordered::String(s),
        ("to_string", other) => Ordered::String(python_json(&other)),
        ("to_number", Ordered::Number(n)) => Ordered::Number(n),
        ("to_number", Ordered::String(s)) => to_number(&s),
        ("to_number", _) => Ordered::Null,
        ("type", value) => Ordered::String(
            match value {
                Ordered::Null => "null",
                Ordered::Bool(_) => "boolean",
                Ordered::Number(_) => "number",
                Ordered::String(_) => "string",
                Ordered::Array(_) => "array",
                Ordered::Object(_) => "object",
            }
            .to_owned(),
        ),
        _ => Ordered::Null,
    })
}

/// `map`, `max_by`, `min_by` and `sort_by`: the functions that take an
/// `&expression`, already checked by [`call`].
fn apply_reference(name: &str, args: Vec<Arg>) -> Result<Ordered, Error> {
    let (mut key, mut items) = (None, Vec::new());
    for arg in args {
        match arg {
            Arg::Reference(node) => key = Some(node),
            Arg::Value(Ordered::Array(array)) => items = array,
            Arg::Value(_) => {}
        }
    }
    let Some(key) = key else {
        return Err(Error::invalid_type(format!(
            "{name}() needs an &expression"
        )));
    };
    if name == "map" {
        let mapped = items.iter().map(|item| eval(key, item));
        return Ok(Ordered::Array(mapped.collect::<Result<_, _>>()?));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        keyed.push((eval(key, &item)?, item));
    }
    let numbers = keyed.iter().all(|(k, _)| matches!(k, Ordered::Number(_)));
    let strings = keyed.iter().all(|(k, _)| matches!(k, Ordered::String(_)));
    if !numbers && !strings {
        return Err(Error::invalid_type(format!(
            "{name}(): the keys must be all numbers or all strings"
        )));
    }
    if name == "sort_by" {
        keyed.sort_by(|(a, _), (b, _)| order(a, b));
        return Ok(Ordered::Array(
            keyed.into_iter().map(|(_, item)| item).collect(),
        ));
    }
    let want = if name == "max_by" {
        Ordering::Greater
    } else {
        Ordering::Less
    };
    let mut best: Option<(Ordered, Ordered)> = None;
    for (k, item) in keyed {
        if best.as_ref().is_none_or(|(b, _)| order(&k, b) == want) {
            best = Some((k, item));
        }
    }
    Ok(best.map_or(Ordered::Null, |(_, item)| item))
}

/// Numbers by value, strings by code point.
fn order(a: &Ordered, b: &Ordered) -> Ordering {
    match (a, b) {
        (Ordered::Number(a), Ordered::Number(b)) => {
            number(a).partial_cmp(&number(b)).unwrap_or(Ordering::Equal)
        }
        (Ordered::String(a), Ordered::String(b)) => a.cmp(b),
        _ => Ordering::Equal,
    }
}

fn as_float(value: &Ordered) -> f64 {
    match value {
        Ordered::Number(n) => number(n),
        _ => 0.0,
    }
}

fn as_str(value: &Ordered) -> Option<&str> {
    match value {
        Ordered::String(s) => Some(s),
        _ => None,
    }
}

fn float(f: f64) -> Number {
    Number::from_f64(f).unwrap_or_else(|| Number::from(0))
}

/// `ceil` and `floor` give whole numbers, as Python's do.
fn whole(f: f64) -> Ordered {
    if f.abs() < 9.0e15 {
        Ordered::Number(Number::from(f as i64))
    } else {
        Ordered::Number(float(f))
    }
}

/// Whole numbers stay whole, as Python's `sum` keeps them.
fn sum(items: &[Ordered]) -> Ordered {
    let whole: Option<i64> = items.iter().try_fold(0i64, |total, item| match item {
        Ordered::Number(n) => total.checked_add(n.as_i64()?),
        _ => None,
    });
    match whole {
        Some(total) => Ordered::Number(Number::from(total)),
        None => Ordered::Number(float(items.iter().map(as_float).sum())),
    }
}

/// Python's `int(text)`, then `float(text)`; anything else is null.
fn to_number(text: &str) -> Ordered {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Ordered::Number(Number::from(i));
    }
    let looks_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    match text.parse::<f64>() {
        Ok(f) if looks_numeric && f.is_finite() => Ordered::Number(float(f)),
        _ => Ordered::Null,
    }
}

/// `json.dumps(value, separators=(',', ':'))` as jmespath.py's `to_string`
/// writes it: non-ASCII characters escaped.
fn python_json(value: &Ordered) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

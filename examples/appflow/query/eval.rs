//! An expression tree applied to a value, with jmespath.py's rules for
//! truth, equality and projections.

use std::cmp::Ordering;

use super::lex::Comparison;
use super::parse::Node;
use super::{Error, Ordered, functions};

/// `node` applied to `value`.
pub(super) fn eval(node: &Node, value: &Ordered) -> Result<Ordered, Error> {
    Ok(match node {
        Node::Current => value.clone(),
        Node::Literal(literal) => literal.clone(),
        Node::Field(name) => match value {
            Ordered::Object(members) => members
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Ordered::Null, |(_, v)| v.clone()),
            _ => Ordered::Null,
        },
        Node::Index(index) => match value {
            Ordered::Array(items) => {
                let at = if *index < 0 {
                    items.len().checked_sub(index.unsigned_abs() as usize)
                } else {
                    Some(*index as usize)
                };
                at.and_then(|at| items.get(at))
                    .cloned()
                    .unwrap_or(Ordered::Null)
            }
            _ => Ordered::Null,
        },
        Node::Slice(parts) => match value {
            Ordered::Array(items) => Ordered::Array(slice(items, *parts)?),
            _ => Ordered::Null,
        },
        Node::Subexpression(left, right) => match eval(left, value)? {
            Ordered::Null => Ordered::Null,
            base => eval(right, &base)?,
        },
        Node::Pipe(left, right) => eval(right, &eval(left, value)?)?,
        Node::Projection(left, right) => match eval(left, value)? {
            Ordered::Array(items) => project(items.iter(), right)?,
            _ => Ordered::Null,
        },
        Node::ValueProjection(left, right) => match eval(left, value)? {
            Ordered::Object(members) => project(members.iter().map(|(_, v)| v), right)?,
            _ => Ordered::Null,
        },
        Node::Filter(left, right, condition) => match eval(left, value)? {
            Ordered::Array(items) => {
                let mut kept = Vec::new();
                for item in &items {
                    if is_true(&eval(condition, item)?) {
                        kept.push(item);
                    }
                }
                project(kept.into_iter(), right)?
            }
            _ => Ordered::Null,
        },
        Node::Flatten(inner) => match eval(inner, value)? {
            Ordered::Array(items) => {
                let mut flat = Vec::new();
                for item in items {
                    match item {
                        Ordered::Array(inner) => flat.extend(inner),
                        other => flat.push(other),
                    }
                }
                Ordered::Array(flat)
            }
            _ => Ordered::Null,
        },
        Node::Or(left, right) => match eval(left, value)? {
            left if is_true(&left) => left,
            _ => eval(right, value)?,
        },
        Node::And(left, right) => match eval(left, value)? {
            left if !is_true(&left) => left,
            _ => eval(right, value)?,
        },
        Node::Not(inner) => Ordered::Bool(!is_true(&eval(inner, value)?)),
        Node::Compare(op, left, right) => compare(*op, &eval(left, value)?, &eval(right, value)?),
        Node::List(items) if *value != Ordered::Null => Ordered::Array(
            items
                .iter()
                .map(|item| eval(item, value))
                .collect::<Result<_, _>>()?,
        ),
        Node::Hash(pairs) if *value != Ordered::Null => {
            let mut members = Vec::with_capacity(pairs.len());
            for (key, item) in pairs {
                members.push((key.clone(), eval(item, value)?));
            }
            Ordered::Object(members)
        }
        Node::List(_) | Node::Hash(_) => Ordered::Null,
        Node::Function(name, args) => functions::call(name, args, value)?,
        Node::Reference(_) => {
            return Err(Error::invalid_type(
                "an &expression outside a function's arguments",
            ));
        }
    })
}

/// `right` on each item; null results are dropped.
fn project<'v>(items: impl Iterator<Item = &'v Ordered>, right: &Node) -> Result<Ordered, Error> {
    let mut out = Vec::new();
    for item in items {
        match eval(right, item)? {
            Ordered::Null => {}
            result => out.push(result),
        }
    }
    Ok(Ordered::Array(out))
}

/// Python's slice rules.
fn slice(items: &[Ordered], [start, stop, step]: [Option<i64>; 3]) -> Result<Vec<Ordered>, Error> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(Error::invalid_value("a slice step cannot be 0"));
    }
    let len = items.len() as i64;
    let bound = |given: Option<i64>, default: i64| match given {
        None => default,
        Some(i) if i < 0 => (len + i).max(if step < 0 { -1 } else { 0 }),
        Some(i) => i.min(if step < 0 { len - 1 } else { len }),
    };
    let (start, stop) = if step > 0 {
        (bound(start, 0), bound(stop, len))
    } else {
        (bound(start, len - 1), bound(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(items[i as usize].clone());
        i += step;
    }
    Ok(out)
}

/// JMESPath truth: empty lists, objects and strings, false and null are false.
pub(super) fn is_true(value: &Ordered) -> bool {
    match value {
        Ordered::Null | Ordered::Bool(false) => false,
        Ordered::String(s) => !s.is_empty(),
        Ordered::Array(items) => !items.is_empty(),
        Ordered::Object(members) => !members.is_empty(),
        _ => true,
    }
}

fn compare(op: Comparison, left: &Ordered, right: &Ordered) -> Ordered {
    match op {
        Comparison::Equal => Ordered::Bool(equal(left, right)),
        Comparison::NotEqual => Ordered::Bool(!equal(left, right)),
        _ => {
            let (Ordered::Number(l), Ordered::Number(r)) = (left, right) else {
                return Ordered::Null;
            };
            let order = number(l).partial_cmp(&number(r));
            Ordered::Bool(match op {
                Comparison::Less => order == Some(Ordering::Less),
                Comparison::LessOrEqual => matches!(order, Some(Ordering::Less | Ordering::Equal)),
                Comparison::Greater => order == Some(Ordering::Greater),
                _ => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
            })
        }
    }
}

/// Deep equality: numbers by value, objects whatever their order.
pub(super) fn equal(left: &Ordered, right: &Ordered) -> bool {
    match (left, right) {
        (Ordered::Number(l), Ordered::Number(r)) => number(l) == number(r),
        (Ordered::Array(l), Ordered::Array(r)) => {
            l.len() == r.len() && l.iter().zip(r).all(|(l, r)| equal(l, r))
        }
        (Ordered::Object(l), Ordered::Object(r)) => {
            l.len() == r.len()
                && l.iter()
                    .all(|(name, l)| r.iter().any(|(n, r)| n == name && equal(l, r)))
        }
        _ => left == right,
    }
}

/// A number as a float, for comparisons and arithmetic.
pub(super) fn number(n: &serde_json::Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

//! `--output text`: the AWS CLI's tab-separated layout (its `text.py`).
//! Scalars of an object go on one line in key order, prefixed by the
//! upper-cased name of the member that holds them; nested lists and
//! objects follow on their own lines.

use super::python_str;
use crate::Ordered;

/// `value` as the AWS CLI's text output writes it.
pub(crate) fn render(value: &Ordered, out: &mut String) {
    item(value, out, None, None);
}

fn is_scalar(value: &Ordered) -> bool {
    !matches!(value, Ordered::Array(_) | Ordered::Object(_))
}

fn item(value: &Ordered, out: &mut String, identifier: Option<&str>, keys: Option<&[String]>) {
    match value {
        Ordered::Object(members) => object(members, out, identifier, keys),
        Ordered::Array(items) => list(items, out, identifier),
        scalar => {
            out.push_str(&python_str(scalar));
            out.push('\n');
        }
    }
}

fn list(items: &[Ordered], out: &mut String, identifier: Option<&str>) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(|i| matches!(i, Ordered::Object(_))) {
        // One set of columns for all the objects, so their lines align.
        let mut keys: Vec<String> = Vec::new();
        for i in items {
            if let Ordered::Object(members) = i {
                for (name, value) in members {
                    if is_scalar(value) && !keys.contains(name) {
                        keys.push(name.clone());
                    }
                }
            }
        }
        keys.sort();
        for i in items {
            item(i, out, identifier, Some(&keys));
        }
    } else if items.iter().any(|i| matches!(i, Ordered::Array(_))) {
        let scalars: Vec<&Ordered> = items.iter().filter(|i| is_scalar(i)).collect();
        if !scalars.is_empty() {
            scalar_list(&scalars, out, identifier);
        }
        for i in items.iter().filter(|i| !is_scalar(i)) {
            item(i, out, identifier, None);
        }
    } else {
        scalar_list(&items.iter().collect::<Vec<_>>(), out, identifier);
    }
}

fn scalar_list(items: &[&Ordered], out: &mut String, identifier: Option<&str>) {
    match identifier {
        Some(identifier) => {
            for i in items {
                out.push_str(&format!("{}\t{}\n", upper(identifier), python_str(i)));
            }
        }
        None => {
            let texts: Vec<String> = items.iter().map(|i| python_str(i)).collect();
            out.push_str(&texts.join("\t"));
            out.push('\n');
        }
    }
}

fn object(
    members: &[(String, Ordered)],
    out: &mut String,
    identifier: Option<&str>,
    keys: Option<&[String]>,
) {
    let mut line: Vec<String> = Vec::new();
    let mut nested: Vec<(&str, &Ordered)> = Vec::new();
    let get = |key: &str| members.iter().find(|(n, _)| n == key).map(|(_, v)| v);
    match keys {
        None => {
            let mut sorted: Vec<&(String, Ordered)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, value) in sorted {
                if is_scalar(value) {
                    line.push(python_str(value));
                } else {
                    nested.push((name, value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                line.push(get(key).map(python_str).unwrap_or_default());
            }
            let mut rest: Vec<&(String, Ordered)> =
                members.iter().filter(|(n, _)| !keys.contains(n)).collect();
            rest.sort_by(|a, b| a.0.cmp(&b.0));
            nested.extend(rest.into_iter().map(|(n, v)| (n.as_str(), v)));
        }
    }
    if !line.is_empty() {
        if let Some(identifier) = identifier {
            line.insert(0, upper(identifier));
        }
        out.push_str(&line.join("\t"));
        out.push('\n');
    }
    for (name, value) in nested {
        item(value, out, Some(name), None);
    }
}

/// Python's `str.upper()` for the names AppFlow uses.
fn upper(text: &str) -> String {
    text.to_uppercase()
}

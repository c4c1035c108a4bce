//! `--output`: the answer written as the AWS CLI v2 writes it, in JSON,
//! text, table, YAML or a YAML stream, after `--query`.

mod table;
mod text;
mod wide;
mod yaml;

use crate::Ordered;
use crate::paging::Pages;
use crate::query::Query;

/// An output format, by its `--output` name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Format {
    Json,
    Text,
    Table,
    Yaml,
    YamlStream,
}

impl Format {
    /// The names `--output`, `AWS_DEFAULT_OUTPUT` and a profile's `output` take.
    pub const NAMES: &[&str] = &["json", "text", "table", "yaml", "yaml-stream"];

    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "json" => Format::Json,
            "text" => Format::Text,
            "table" => Format::Table,
            "yaml" => Format::Yaml,
            "yaml-stream" => Format::YamlStream,
            _ => return None,
        })
    }
}

/// What a call answered: one response, or the pages of a paginated one.
pub(crate) enum Answer {
    One(Ordered),
    Paged(Pages),
}

/// How to write an answer.
pub(crate) struct Output<'q> {
    pub format: Format,
    pub query: Option<&'q Query>,
    /// The operation's name: a table's title.
    pub title: &'static str,
    pub color: bool,
}

impl Output<'_> {
    /// The text to print (empty for nothing), or a `--query` that failed
    /// on this answer.
    pub fn render(&self, answer: &Answer) -> Result<String, crate::query::Error> {
        let mut out = String::new();
        match (self.format, answer) {
            // Text and YAML streams are written page by page, with the
            // query applied to each page, as the AWS CLI does.
            (Format::Text, Answer::Paged(pages)) => {
                for page in pages.each() {
                    text::render(&self.apply(page)?, &mut out);
                }
                if let Some(token) = &pages.resume {
                    let token =
                        Ordered::Object(vec![("NextToken".into(), Ordered::String(token.clone()))]);
                    let next = Ordered::Object(vec![("NextToken".into(), token)]);
                    text::render(&self.apply(next)?, &mut out);
                }
            }
            (Format::YamlStream, Answer::Paged(pages)) => {
                for page in pages.each() {
                    yaml::render(&Ordered::Array(vec![self.apply(page)?]), &mut out);
                }
            }
            (format, answer) => {
                let whole = match answer {
                    Answer::One(value) => value.clone(),
                    Answer::Paged(pages) => pages.merged(),
                };
                let value = self.apply(whole)?;
                let empty = value == Ordered::Object(Vec::new());
                match format {
                    _ if empty && format != Format::Text && format != Format::Table => {}
                    Format::Json => {
                        out.push_str(&json(&value));
                        out.push('\n');
                    }
                    Format::Text => text::render(&value, &mut out),
                    Format::Table => table::render(self.title, &value, self.color, &mut out),
                    Format::Yaml => yaml::render(&value, &mut out),
                    Format::YamlStream => yaml::render(&Ordered::Array(vec![value]), &mut out),
                }
            }
        }
        Ok(out)
    }

    fn apply(&self, value: Ordered) -> Result<Ordered, crate::query::Error> {
        match self.query {
            Some(query) => query.search(&value),
            None => Ok(value),
        }
    }
}

/// The YAML input skeleton: keys in the model's order.
pub(crate) fn yaml_in_order(value: &Ordered, out: &mut String) {
    yaml::render_in_order(value, out)
}

/// JSON as the AWS CLI prints it (`json.dump(..., indent=4,
/// ensure_ascii=False)`): four-space indents, text as it is, floats as
/// Python writes them (`1e+20`).
pub(crate) fn json(value: &Ordered) -> String {
    let mut out = String::new();
    write_json(value, 0, &mut out);
    out
}

fn write_json(value: &Ordered, depth: usize, out: &mut String) {
    let indent = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    };
    match value {
        Ordered::Number(n) if n.is_f64() => out.push_str(&python_float(n.as_f64().unwrap_or(0.0))),
        Ordered::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_json(item, depth + 1, out);
            }
            indent(out, depth);
            out.push(']');
        }
        Ordered::Object(members) if !members.is_empty() => {
            out.push('{');
            for (i, (name, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                out.push_str(&serde_json::to_string(name).unwrap_or_default());
                out.push_str(": ");
                write_json(item, depth + 1, out);
            }
            indent(out, depth);
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
    }
}

/// JMESPath's (and the table's) notion of empty.
fn truthy(value: &Ordered) -> bool {
    match value {
        Ordered::Null => false,
        Ordered::Bool(b) => *b,
        Ordered::String(s) => !s.is_empty(),
        Ordered::Array(items) => !items.is_empty(),
        Ordered::Object(members) => !members.is_empty(),
        Ordered::Number(n) => n.as_f64() != Some(0.0),
    }
}

/// Python's `str()` of a parsed JSON value, which the text and table
/// outputs print: `None`, `True`, `1.5`, and `repr` inside lists and objects.
pub(crate) fn python_str(value: &Ordered) -> String {
    match value {
        Ordered::String(s) => s.clone(),
        other => python_repr(other),
    }
}

fn python_repr(value: &Ordered) -> String {
    match value {
        Ordered::Null => "None".into(),
        Ordered::Bool(true) => "True".into(),
        Ordered::Bool(false) => "False".into(),
        Ordered::Number(n) if n.is_f64() => python_float(n.as_f64().unwrap_or(0.0)),
        Ordered::Number(n) => n.to_string(),
        Ordered::String(s) => {
            // Python quotes with ' unless the text has ' and no ".
            let quote = if s.contains('\'') && !s.contains('"') {
                '"'
            } else {
                '\''
            };
            let mut out = String::from(quote);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                        out.push_str(&format!("\\x{:02x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push(quote);
            out
        }
        Ordered::Array(items) => {
            let items: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Ordered::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        python_repr(&Ordered::String(k.clone())),
                        python_repr(v)
                    )
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        }
    }
}

/// Python's `repr(float)`: the shortest digits that read back, positional
/// from 1e-4 to 1e16, else `1.5e+20`.
pub(crate) fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` gives the same shortest digits: "1.2345e3".
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        return format!("{sign}{text}");
    }
    let mantissa = if digits.len() > 1 {
        format!("{}.{}", &digits[..1], &digits[1..])
    } else {
        digits
    };
    let exp_sign = if exponent < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.abs())
}

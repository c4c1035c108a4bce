//! `--cli-input-yaml`: the YAML that input files are written in (what
//! `--generate-cli-skeleton yaml-input` prints, edited by hand). Block
//! mappings and sequences, flow `{...}` and `[...]`, plain and quoted
//! scalars, literal (`|`) and folded (`>`) blocks, comments; scalars typed
//! by YAML 1.2's core schema, as the AWS CLI's safe loader types them.
//! Anchors, tags and multi-document streams are refused with a clear error.

use serde_json::{Map, Value};

/// Reads one YAML document.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| Line::new(i + 1, raw))
        .filter(|line| line.text != "---")
        .collect();
    if let Some(line) = lines
        .iter()
        .find(|l| l.text == "..." || l.text.starts_with("--- "))
    {
        return Err(format!("line {}: one YAML document only", line.number));
    }
    let mut reader = Reader { lines, at: 0 };
    if reader.lines.is_empty() {
        return Ok(Value::Null);
    }
    let indent = reader.lines[0].indent;
    let value = reader.node(indent)?;
    match reader.lines.get(reader.at) {
        Some(line) => Err(format!("line {}: unexpected indentation", line.number)),
        None => Ok(value),
    }
}

/// A line with content: its number, indentation and text without the
/// indentation (comments are removed later, where quotes are known).
struct Line<'t> {
    number: usize,
    indent: usize,
    text: &'t str,
    /// The raw line, for block scalars.
    raw: &'t str,
}

impl<'t> Line<'t> {
    fn new(number: usize, raw: &'t str) -> Option<Line<'t>> {
        let text = raw.trim_start_matches(' ');
        let content = strip_comment(text).trim_end();
        if content.is_empty() {
            return None;
        }
        Some(Line {
            number,
            indent: raw.len() - text.len(),
            text: content,
            raw,
        })
    }
}

/// `text` without a trailing `# comment` (a `#` after a blank, outside quotes).
fn strip_comment(text: &str) -> &str {
    let (mut quote, mut previous) = (None, ' ');
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '\'' || c == '"') && matches!(previous, ' ' | '[' | '{' | ',' | ':') => {
                quote = Some(c)
            }
            None if c == '#' && (previous == ' ' || previous == '\t') => return &text[..i],
            None => {}
        }
        previous = c;
    }
    text
}

struct Reader<'t> {
    lines: Vec<Line<'t>>,
    at: usize,
}

impl Reader<'_> {
    fn error<T>(&self, message: &str) -> Result<T, String> {
        let number = self.lines.get(self.at).map_or(0, |l| l.number);
        Err(format!("line {number}: {message}"))
    }

    /// The block node whose first line is the current one, at `indent`.
    fn node(&mut self, indent: usize) -> Result<Value, String> {
        let line = &self.lines[self.at];
        if line.text == "-" || line.text.starts_with("- ") {
            self.sequence(indent)
        } else if key_split(line.text).is_some() {
            self.mapping(indent)
        } else {
            let text = line.text;
            self.at += 1;
            scalar_or_flow(text).or_else(|e| self.error(&e))
        }
    }

    fn sequence(&mut self, indent: usize) -> Result<Value, String> {
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent != indent || !(line.text == "-" || line.text.starts_with("- ")) {
                break;
            }
            let rest = line.text[1..].trim_start();
            if rest.is_empty() {
                self.at += 1;
                items.push(self.nested(indent)?);
            } else {
                // "- key: value" opens a mapping at the item's column.
                let column = indent + (line.text.len() - rest.len());
                let (number, raw) = (line.number, line.raw);
                self.lines[self.at] = Line {
                    number,
                    indent: column,
                    text: rest,
                    raw,
                };
                items.push(self.node(column)?);
            }
        }
        Ok(Value::Array(items))
    }

    fn mapping(&mut self, indent: usize) -> Result<Value, String> {
        let mut members = Map::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent != indent {
                if line.indent > indent {
                    return self.error("unexpected indentation");
                }
                break;
            }
            let Some((key, rest)) = key_split(line.text) else {
                return self.error("expected `key: value`");
            };
            let key = match scalar_or_flow(key).or_else(|e| self.error(&e))? {
                Value::String(key) => key,
                other => other.to_string(),
            };
            if members.contains_key(&key) {
                return self.error(&format!("duplicate key {key:?}"));
            }
            self.at += 1;
            let value = match rest {
                "" => self.nested(indent)?,
                "|" | "|-" | "|+" | ">" | ">-" | ">+" => self.block_scalar(indent, rest),
                _ => scalar_or_flow(rest).or_else(|e| {
                    self.at -= 1;
                    self.error(&e)
                })?,
            };
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }

    /// The value under a key or dash with nothing after it: a deeper block,
    /// a sequence at the same column (under a key), or null.
    fn nested(&mut self, indent: usize) -> Result<Value, String> {
        match self.lines.get(self.at) {
            Some(next) if next.indent > indent => {
                let column = next.indent;
                self.node(column)
            }
            Some(next) if next.indent == indent && next.text.starts_with("- ") => {
                self.sequence(indent)
            }
            _ => Ok(Value::Null),
        }
    }

    /// A `|` or `>` block: the deeper lines that follow, blank ones included.
    fn block_scalar(&mut self, indent: usize, style: &str) -> Value {
        let mut texts = Vec::new();
        let mut column = None;
        while let Some(line) = self.lines.get(self.at) {
            if line.indent <= indent {
                break;
            }
            let column = *column.get_or_insert(line.indent);
            texts.push(line.raw.get(column..).unwrap_or("").trim_end());
            self.at += 1;
        }
        let mut text = if style.starts_with('>') {
            texts.join(" ")
        } else {
            texts.join("\n")
        };
        if !style.ends_with('-') && !texts.is_empty() {
            text.push('\n');
        }
        Value::String(text)
    }
}

/// Splits `key: value` (or `key:` at the end) outside quotes and brackets.
fn key_split(text: &str) -> Option<(&str, &str)> {
    if text.starts_with(['[', '{']) {
        return None;
    }
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '\'' || c == '"') && i == 0 => quote = Some(c),
            None if c == ':' => {
                let rest = &text[i + 1..];
                if rest.is_empty() || rest.starts_with(' ') {
                    return Some((text[..i].trim_end(), rest.trim()));
                }
            }
            None => {}
        }
    }
    None
}

/// A scalar or a flow collection on one line.
fn scalar_or_flow(text: &str) -> Result<Value, String> {
    let mut flow = Flow {
        chars: text.chars().collect(),
        at: 0,
    };
    let value = flow.value()?;
    flow.blanks();
    if flow.at < flow.chars.len() {
        return Err(format!("unexpected text after the value: {text:?}"));
    }
    Ok(value)
}

struct Flow {
    chars: Vec<char>,
    at: usize,
}

impl Flow {
    fn blanks(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.blanks();
        match self.chars.get(self.at) {
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.blanks();
                    if self.eat(']') {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.blanks();
                    if !self.eat(',') && self.chars.get(self.at) != Some(&']') {
                        return Err("expected `,` or `]` in a flow sequence".into());
                    }
                }
            }
            Some('{') => {
                self.at += 1;
                let mut members = Map::new();
                loop {
                    self.blanks();
                    if self.eat('}') {
                        return Ok(Value::Object(members));
                    }
                    let key = match self.value()? {
                        Value::String(key) => key,
                        other => other.to_string(),
                    };
                    self.blanks();
                    let value = if self.eat(':') {
                        self.value()?
                    } else {
                        Value::Null
                    };
                    members.insert(key, value);
                    self.blanks();
                    if !self.eat(',') && self.chars.get(self.at) != Some(&'}') {
                        return Err("expected `,` or `}` in a flow mapping".into());
                    }
                }
            }
            Some(&q @ ('\'' | '"')) => self.quoted(q).map(Value::String),
            Some('&' | '*' | '!') => Err("anchors, aliases and tags are not supported".into()),
            Some('|' | '>') => Err("a block scalar must end its line".into()),
            _ => {
                // A plain scalar ends at `, ` `]` `}` or `: ` inside a
                // flow collection; here the line's end.
                let start = self.at;
                while let Some(&c) = self.chars.get(self.at) {
                    let next = self.chars.get(self.at + 1).copied();
                    if matches!(c, ',' | ']' | '}')
                        || (c == ':' && next.is_none_or(char::is_whitespace))
                    {
                        break;
                    }
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                Ok(resolve(text.trim()))
            }
        }
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.chars.get(self.at) == Some(&c);
        self.at += usize::from(found);
        found
    }

    fn quoted(&mut self, quote: char) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.chars.get(self.at) else {
                return Err(format!("a {quote}-quoted value is not closed"));
            };
            self.at += 1;
            match c {
                '\'' if quote == '\'' => {
                    if self.eat('\'') {
                        out.push('\'');
                    } else {
                        return Ok(out);
                    }
                }
                '"' if quote == '"' => return Ok(out),
                '\\' if quote == '"' => {
                    let Some(&e) = self.chars.get(self.at) else {
                        return Err("a `\\` ends the value".into());
                    };
                    self.at += 1;
                    let hex = |flow: &mut Flow, n: usize| -> Result<char, String> {
                        let digits: String = flow.chars.iter().skip(flow.at).take(n).collect();
                        flow.at += n;
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| format!("bad escape \\{e}{digits}"))
                    };
                    out.push(match e {
                        'n' => '\n',
                        't' | '\t' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        'a' => '\x07',
                        'b' => '\x08',
                        'e' => '\x1b',
                        'f' => '\x0c',
                        'v' => '\x0b',
                        ' ' => ' ',
                        '/' => '/',
                        '"' => '"',
                        '\\' => '\\',
                        'N' => '\u{85}',
                        '_' => '\u{a0}',
                        'x' => hex(self, 2)?,
                        'u' => hex(self, 4)?,
                        'U' => hex(self, 8)?,
                        other => return Err(format!("unknown escape \\{other}")),
                    });
                }
                c => out.push(c),
            }
        }
    }
}

/// A plain scalar's value by YAML 1.2's core schema.
fn resolve(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Value::from(n);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Value::from(n);
        }
    }
    if let Some(octal) = text.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(octal, 8) {
            return Value::from(n);
        }
    }
    let is_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if is_float {
        if let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Value::Number(n);
        }
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_the_yaml_skeleton_looks_like() {
        let text = "flowName: my-flow  # [REQUIRED] the name\nkmsArn: ''\ntags:\n  team: data\n  '1': \"x: y\"\ntasks:\n- sourceFields:\n  - a\n  - b\n  taskType: Map\n  taskProperties: {k: v, n: 5}\nlimit: 10\nratio: 1.5\non: true\nnothing:\nlist: [1, two, \"3\"]\n";
        assert_eq!(
            parse(text).unwrap(),
            json!({
                "flowName": "my-flow", "kmsArn": "",
                "tags": {"team": "data", "1": "x: y"},
                "tasks": [{"sourceFields": ["a", "b"], "taskType": "Map", "taskProperties": {"k": "v", "n": 5}}],
                "limit": 10, "ratio": 1.5, "on": true, "nothing": null,
                "list": [1, "two", "3"]
            })
        );
    }

    #[test]
    fn reads_blocks_escapes_and_refuses_what_it_does_not_know() {
        assert_eq!(
            parse("a: |\n  x\n  y\nb: >-\n  p\n  q\n").unwrap(),
            json!({"a": "x\ny\n", "b": "p q"})
        );
        assert_eq!(
            parse("a: \"t\\tu\\u00e9\"\nb: 'it''s'\n").unwrap(),
            json!({"a": "t\tu\u{e9}", "b": "it's"})
        );
        assert!(parse("a: &x 1\nb: *x\n").unwrap_err().contains("anchors"));
        assert!(parse("a: 1\na: 2\n").unwrap_err().contains("duplicate key"));
        assert!(parse("a: 1\n   b: 2\n").unwrap_err().starts_with("line 2"));
        assert!(parse("a: [1, 2\n").is_err());
    }
}

//! The AWS CLI's shorthand syntax (`key=value,list=a,b,nested={k=v}`,
//! `[...]` lists, quoted values), parsed as its `shorthand.py` parses it, then
//! typed against the member's skeleton as its `BackCompatVisitor` types it:
//! numbers and booleans where the model has them, a lone value wrapped in a
//! list where the model has a list.

use serde_json::{Map, Value};

use super::map_value_shape;

/// Parses one shorthand argument into an object of strings, lists and objects.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
        text,
    };
    parser.parameter()
}

struct Parser<'t> {
    chars: Vec<char>,
    at: usize,
    text: &'t str,
}

/// Characters that may start an unquoted value.
fn starts_word(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// Characters that may follow in a first (or list, or hash) value: `=` is
/// allowed, `,`, `]` and `}` end it.
fn follows_first(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// Characters that may follow in a later comma-separated value: `=` ends
/// it (it starts the next key), `]` and `}` do not.
fn follows_second(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

impl Parser<'_> {
    fn error(&self, expected: &str) -> String {
        let actual = self
            .chars
            .get(self.at)
            .map_or("EOF".to_owned(), |c| c.to_string());
        format!(
            "Expected: '{expected}', received: '{actual}' for input:\n{}\n{}^",
            self.text,
            " ".repeat(self.at)
        )
    }

    fn current(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while self
            .current()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'))
        {
            self.at += 1;
        }
    }

    fn expect(&mut self, c: char, whitespace: bool) -> Result<(), String> {
        if whitespace {
            self.skip_whitespace();
        }
        if self.current() != Some(c) {
            return Err(self.error(&c.to_string()));
        }
        self.at += 1;
        if whitespace {
            self.skip_whitespace();
        }
        Ok(())
    }

    fn parameter(&mut self) -> Result<Value, String> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        while self.at < self.chars.len() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.contains_key(&key) {
                return Err(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often because there is a preceding \",\" instead of a space.",
                    self.text
                ));
            }
            params.insert(key, value);
        }
        Ok(Value::Object(params))
    }

    fn keyval(&mut self) -> Result<(String, Value), String> {
        let key = self.key();
        self.expect('=', true)?;
        Ok((key, self.values()?))
    }

    fn key(&mut self) -> String {
        let start = self.at;
        while self.current().is_some_and(is_key_char) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn values(&mut self) -> Result<Value, String> {
        match self.current() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Result<Value, String> {
        let first = self.first_value()?;
        self.skip_whitespace();
        if self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first.clone()];
        loop {
            // A value not followed by a comma (`c=...`) was the next key:
            // back to the comma before it, which `parameter` reads.
            let next = self.second_value().and_then(|value| {
                self.skip_whitespace();
                let last = self.current().is_none();
                if !last {
                    self.expect(',', true)?;
                }
                Ok((value, last))
            });
            match next {
                Ok((value, last)) => {
                    list.push(value);
                    if last {
                        break;
                    }
                }
                Err(e) if self.current().is_none() => return Err(e),
                Err(_) => {
                    while self.current() != Some(',') {
                        self.at -= 1;
                    }
                    break;
                }
            }
        }
        Ok(if list.len() == 1 {
            first
        } else {
            Value::Array(list)
        })
    }

    fn explicit_list(&mut self) -> Result<Value, String> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            if self.current().is_none() {
                return Err(self.error("]"));
            }
            values.push(self.explicit_value()?);
            self.skip_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.skip_whitespace();
            }
        }
        self.expect(']', false)?;
        Ok(Value::Array(values))
    }

    fn explicit_value(&mut self) -> Result<Value, String> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> Result<Value, String> {
        self.expect('{', true)?;
        let mut members = Map::new();
        while self.current() != Some('}') {
            if self.current().is_none() {
                return Err(self.error("}"));
            }
            let key = self.key();
            self.expect('=', true)?;
            let value = self.explicit_value()?;
            self.skip_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.skip_whitespace();
            }
            members.insert(key, value);
        }
        self.expect('}', false)?;
        Ok(Value::Object(members))
    }

    fn first_value(&mut self) -> Result<Value, String> {
        match self.current() {
            Some(quote @ ('\'' | '"')) => self.quoted(quote),
            // No value at all is an empty one.
            _ => Ok(Value::String(self.word(follows_first).unwrap_or_default())),
        }
    }

    fn second_value(&mut self) -> Result<Value, String> {
        match self.current() {
            Some(quote @ ('\'' | '"')) => self.quoted(quote),
            _ => self
                .word(follows_second)
                .map(Value::String)
                .ok_or_else(|| self.error("<second>")),
        }
    }

    /// An unquoted value: `\,` is a comma, trailing blanks are dropped.
    fn word(&mut self, follows: fn(char) -> bool) -> Option<String> {
        let start = self.at;
        let mut first = true;
        loop {
            let c = self.current();
            if c == Some('\\') && self.chars.get(self.at + 1) == Some(&',') {
                self.at += 2;
            } else if c.is_some_and(|c| if first { starts_word(c) } else { follows(c) }) {
                self.at += 1;
            } else {
                break;
            }
            first = false;
        }
        if self.at == start {
            return None;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        Some(text.replace("\\,", ",").trim_end().to_owned())
    }

    /// A quoted value: `\'` (or `\"`) is the quote, `\\` a backslash.
    fn quoted(&mut self, quote: char) -> Result<Value, String> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.current() {
                None => {
                    self.at = start;
                    let name = if quote == '"' {
                        "double quoted"
                    } else {
                        "singled quoted"
                    };
                    return Err(self.error(&format!("<{name}>")));
                }
                Some('\\') if self.chars.get(self.at + 1) == Some(&quote) => self.at += 2,
                Some(c) if c == quote => break,
                Some(_) => self.at += 1,
            }
        }
        let inner: String = self.chars[start + 1..self.at].iter().collect();
        self.at += 1;
        let escaped = format!("\\{quote}");
        Ok(Value::String(
            inner
                .replace(&escaped, &quote.to_string())
                .replace("\\\\", "\\"),
        ))
    }
}

/// Types `value` after `skeleton` (the member's shape as the input skeleton
/// writes it): integers and doubles parsed, `true`/`false` (any case) made
/// booleans, a lone value where a list belongs wrapped in one. Anything else
/// is left for validation to judge.
pub(crate) fn coerce(value: &mut Value, skeleton: &Value) -> Result<(), String> {
    match (skeleton, &mut *value) {
        (Value::Array(item), Value::Array(items)) => {
            if let Some(item) = item.first() {
                for v in items {
                    coerce(v, item)?;
                }
            }
        }
        // The AWS CLI wraps the value without typing it.
        (Value::Array(_), other) => *value = Value::Array(vec![other.take()]),
        (Value::Object(shape), Value::Object(members)) => {
            let map_value = map_value_shape(shape);
            for (name, member) in members.iter_mut() {
                let shape = map_value.or_else(|| shape.get(name));
                if let Some(shape) = shape {
                    coerce(member, shape)?;
                }
            }
        }
        (Value::Number(n), Value::String(text)) => {
            let bad = || format!("invalid literal for a number: {text:?}");
            *value = if n.is_f64() {
                let f: f64 = text.trim().parse().map_err(|_| bad())?;
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(bad)?
            } else {
                Value::from(text.trim().parse::<i64>().map_err(|_| bad())?)
            };
        }
        (Value::Bool(_), Value::String(text)) => {
            if text.eq_ignore_ascii_case("true") {
                *value = Value::Bool(true);
            } else if text.eq_ignore_ascii_case("false") {
                *value = Value::Bool(false);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_pairs_lists_hashes_and_quotes() {
        assert_eq!(parse("a=b,c=d").unwrap(), json!({"a": "b", "c": "d"}));
        assert_eq!(
            parse("a=b,c,d=e").unwrap(),
            json!({"a": ["b", "c"], "d": "e"})
        );
        assert_eq!(
            parse("a=[b, c],d={e=f,g=[h]}").unwrap(),
            json!({"a": ["b", "c"], "d": {"e": "f", "g": ["h"]}})
        );
        assert_eq!(
            parse(r#"a='x,y',b="q\"r""#).unwrap(),
            json!({"a": "x,y", "b": "q\"r"})
        );
        assert_eq!(parse(r"a=x\,y ,b=").unwrap(), json!({"a": "x,y", "b": ""}));
        assert_eq!(parse("a=k=v").unwrap(), json!({"a": "k=v"}));
        assert!(parse("a").unwrap_err().starts_with("Expected: '='"));
        assert!(
            parse("a=b,a=c")
                .unwrap_err()
                .contains("Second instance of key \"a\"")
        );
        assert!(parse("a=[b").is_err());
    }

    #[test]
    fn types_values_after_the_skeleton() {
        let skeleton = json!({"n": 0, "f": 0.0, "b": true, "l": [{"x": 0}], "m": {"KeyName": 0}});
        let mut value =
            json!({"n": "5", "f": "1.5", "b": "FALSE", "l": {"x": "2"}, "m": {"k": "3"}});
        coerce(&mut value, &skeleton).unwrap();
        // The lone item is wrapped, not typed, as the AWS CLI does.
        assert_eq!(
            value,
            json!({"n": 5, "f": 1.5, "b": false, "l": [{"x": "2"}], "m": {"k": 3}})
        );
        assert!(coerce(&mut json!({"n": "five"}), &skeleton).is_err());
    }
}

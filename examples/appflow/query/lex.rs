//! JMESPath text into tokens.

use super::{Error, Ordered};

/// One token, and where it starts (for messages).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Identifier(String),
    QuotedIdentifier(String),
    /// A `'raw string'` or a `` `JSON literal` ``.
    Literal(Ordered),
    Number(i64),
    Dot,
    Star,
    /// `[]`
    Flatten,
    /// `[?`
    Filter,
    LeftBracket,
    RightBracket,
    LeftBrace,
    RightBrace,
    LeftParen,
    RightParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    Current,
    Ampersand,
    Compare(Comparison),
    End,
}

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// Splits `text` into tokens, ending with [`Token::End`].
pub(super) fn tokens(text: &str) -> Result<Vec<Token>, Error> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let mut next_is = |want: char| chars.next_if(|&(_, c)| c == want).is_some();
        let token = match c {
            ' ' | '\t' | '\n' | '\r' => continue,
            '.' => Token::Dot,
            '*' => Token::Star,
            ']' => Token::RightBracket,
            '{' => Token::LeftBrace,
            '}' => Token::RightBrace,
            '(' => Token::LeftParen,
            ')' => Token::RightParen,
            ',' => Token::Comma,
            ':' => Token::Colon,
            '@' => Token::Current,
            '[' if next_is(']') => Token::Flatten,
            '[' if next_is('?') => Token::Filter,
            '[' => Token::LeftBracket,
            '|' if next_is('|') => Token::Or,
            '|' => Token::Pipe,
            '&' if next_is('&') => Token::And,
            '&' => Token::Ampersand,
            '!' if next_is('=') => Token::Compare(Comparison::NotEqual),
            '!' => Token::Not,
            '=' if next_is('=') => Token::Compare(Comparison::Equal),
            '<' if next_is('=') => Token::Compare(Comparison::LessOrEqual),
            '<' => Token::Compare(Comparison::Less),
            '>' if next_is('=') => Token::Compare(Comparison::GreaterOrEqual),
            '>' => Token::Compare(Comparison::Greater),
            '"' => {
                let raw = delimited(text, &mut chars, at, '"')?;
                let name = serde_json::from_str(&format!("\"{raw}\""))
                    .map_err(|_| Error::syntax(format!("bad quoted identifier at {at}")))?;
                Token::QuotedIdentifier(name)
            }
            '\'' => {
                let raw = delimited(text, &mut chars, at, '\'')?;
                Token::Literal(Ordered::String(raw.replace("\\'", "'")))
            }
            '`' => {
                let raw = delimited(text, &mut chars, at, '`')?.replace("\\`", "`");
                Token::Literal(json_literal(&raw, at)?)
            }
            '-' | '0'..='9' => {
                let mut end = at + c.len_utf8();
                while let Some((i, d)) = chars.next_if(|(_, d)| d.is_ascii_digit()) {
                    end = i + d.len_utf8();
                }
                let number = text[at..end]
                    .parse()
                    .map_err(|_| Error::syntax(format!("bad number at {at}")))?;
                Token::Number(number)
            }
            c if c == '_' || c.is_ascii_alphabetic() => {
                let mut end = at + 1;
                while let Some((i, _)) =
                    chars.next_if(|(_, d)| *d == '_' || d.is_ascii_alphanumeric())
                {
                    end = i + 1;
                }
                Token::Identifier(text[at..end].to_owned())
            }
            other => return Err(Error::syntax(format!("unexpected {other:?} at {at}"))),
        };
        out.push(token);
    }
    out.push(Token::End);
    Ok(out)
}

/// The text up to the closing `end` (a backslash escapes any character),
/// without the delimiters.
fn delimited<'t>(
    text: &'t str,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    start: usize,
    end: char,
) -> Result<&'t str, Error> {
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == end {
            return Ok(&text[start + 1..i]);
        }
    }
    Err(Error::syntax(format!("unclosed {end} from {start}")))
}

/// A `` `literal` ``: JSON, or (an old form jmespath.py still accepts) bare
/// text taken as a string.
fn json_literal(raw: &str, at: usize) -> Result<Ordered, Error> {
    serde_json::from_str(raw)
        .or_else(|_| serde_json::from_str(&format!("\"{}\"", raw.trim_start())))
        .map_err(|_| Error::syntax(format!("bad JSON literal at {at}")))
}

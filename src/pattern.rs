//! The matcher behind input validation, public for tools that check values
//! against AppFlow's model themselves (the fake AppFlow does).
//!
//! A small backtracking matcher for the regular expressions AppFlow's model
//! uses in `pattern` constraints, so no regex crate is needed.
//!
//! Supported: literals and escapes, `.`, classes (`[a-z\w+-=]`, negated,
//! `\s \S \w \W \d \D`, `\uXXXX` including surrogate pairs), groups with `|`,
//! the negative lookahead `(?!...)`, `^ $`, and greedy `* + ? {n} {m,} {m,n}`.
//!
//! Semantics are Java's (AppFlow validates with Java): `\w`, `\d` and `\s`
//! are ASCII only, `.` stops at line terminators, `$` also matches before a
//! final line terminator. Smithy patterns are not anchored: [`search`] finds
//! a match anywhere in the value.

/// Why a pattern could not be parsed: it uses syntax beyond the subset the
/// model needs (a test parses every pattern in the model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unsupported pattern: {}", self.0)
    }
}

impl std::error::Error for PatternError {}

#[derive(Debug, Clone)]
enum Node {
    Literal(char),
    Any,
    Class {
        negated: bool,
        items: Vec<Item>,
    },
    Group(Vec<Vec<Node>>),
    NotAhead(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: usize,
        max: Option<usize>,
    },
    Start,
    End,
}

#[derive(Debug, Clone, Copy)]
enum Item {
    Range(char, char),
    Set(Set),
}

#[derive(Debug, Clone, Copy)]
enum Set {
    Word(bool),
    Digit(bool),
    Space(bool),
}

impl Set {
    fn contains(self, c: char) -> bool {
        let (inside, negated) = match self {
            Set::Word(negated) => (c.is_ascii_alphanumeric() || c == '_', negated),
            Set::Digit(negated) => (c.is_ascii_digit(), negated),
            // Java's \s: space, \t, \n, \x0B, \f, \r.
            Set::Space(negated) => (
                matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'),
                negated,
            ),
        };
        inside != negated
    }
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A parsed pattern, to match many values against.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The whole pattern as one group, ready to match.
    root: [Node; 1],
}

impl Pattern {
    /// Parses `pattern`.
    pub fn parse(pattern: &str) -> Result<Pattern, PatternError> {
        let mut parser = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
        };
        let alternatives = parser.alternatives()?;
        if parser.pos != parser.chars.len() {
            return Err(parser.error("unbalanced `)`"));
        }
        Ok(Pattern {
            root: [Node::Group(alternatives)],
        })
    }

    /// Whether the pattern matches anywhere in `value`.
    pub fn search(&self, value: &str) -> bool {
        let input: Vec<char> = value.chars().collect();
        let matcher = Matcher { input: &input };
        (0..=input.len()).any(|start| matcher.run(&self.root, start, &mut |_| true))
    }
}

/// Whether `pattern` matches anywhere in `value`; a pattern that cannot be
/// parsed matches nothing.
pub fn search(pattern: &str, value: &str) -> bool {
    Pattern::parse(pattern).is_ok_and(|p| p.search(value))
}

/// [`search`] for the model's patterns, each parsed once per process: the
/// generated validation checks the same few dozen on every call.
pub(crate) fn search_model(pattern: &'static str, value: &str) -> bool {
    type Parsed = Option<std::sync::Arc<Pattern>>;
    static PARSED: std::sync::Mutex<Vec<(&'static str, Parsed)>> =
        std::sync::Mutex::new(Vec::new());
    let parsed = {
        // A poisoned lock only means a panic elsewhere; the list is intact.
        let mut parsed = PARSED.lock().unwrap_or_else(|e| e.into_inner());
        // The model's patterns are spans of one static text, each once:
        // the address tells them apart without comparing their text.
        match parsed.iter().find(|(text, _)| std::ptr::eq(*text, pattern)) {
            Some((_, found)) => found.clone(),
            None => {
                let found: Parsed = Pattern::parse(pattern).ok().map(std::sync::Arc::new);
                parsed.push((pattern, found.clone()));
                found
            }
        }
    };
    parsed.is_some_and(|p| p.search(value))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn error(&self, what: &str) -> PatternError {
        PatternError(format!("{what} at offset {}", self.pos))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<char, PatternError> {
        let c = self.peek().ok_or_else(|| self.error("unexpected end"))?;
        self.pos += 1;
        Ok(c)
    }

    fn eat(&mut self, expected: &str) -> bool {
        let wanted: Vec<char> = expected.chars().collect();
        if self.chars[self.pos..].starts_with(&wanted) {
            self.pos += wanted.len();
            true
        } else {
            false
        }
    }

    fn alternatives(&mut self) -> Result<Vec<Vec<Node>>, PatternError> {
        let mut alternatives = vec![self.sequence()?];
        while self.eat("|") {
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, PatternError> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            nodes.push(self.quantified(atom)?);
        }
        Ok(nodes)
    }

    fn atom(&mut self) -> Result<Node, PatternError> {
        match self.next()? {
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '.' => Ok(Node::Any),
            '[' => self.class(),
            '(' => {
                let lookahead = self.eat("?!");
                if !lookahead && self.peek() == Some('?') {
                    return Err(self.error("unsupported group kind"));
                }
                let alternatives = self.alternatives()?;
                if !self.eat(")") {
                    return Err(self.error("missing `)`"));
                }
                Ok(if lookahead {
                    Node::NotAhead(alternatives)
                } else {
                    Node::Group(alternatives)
                })
            }
            '\\' => Ok(match self.escape()? {
                Item::Set(set) => Node::Class {
                    negated: false,
                    items: vec![Item::Set(set)],
                },
                Item::Range(c, _) => Node::Literal(c),
            }),
            c @ ('*' | '+' | '?' | '{' | ')') => Err(self.error(&format!("unexpected `{c}`"))),
            c => Ok(Node::Literal(c)),
        }
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, PatternError> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.pos += 1;
                let min = self.number()?;
                let max = if self.eat(",") {
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number()?)
                    }
                } else {
                    Some(min)
                };
                if !self.eat("}") {
                    return Err(self.error("missing `}`"));
                }
                if max.is_some_and(|max| max < min) {
                    return Err(self.error("bounds out of order"));
                }
                return Ok(Node::Repeat {
                    node: Box::new(atom),
                    min,
                    max,
                });
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(self.peek(), Some('?' | '+')) {
            return Err(self.error("lazy and possessive quantifiers are not supported"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn number(&mut self) -> Result<usize, PatternError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        digits.parse().map_err(|_| self.error("expected a number"))
    }

    /// After `\`: a set (`\w`) or one character, as a one-character range.
    fn escape(&mut self) -> Result<Item, PatternError> {
        let c = self.next()?;
        let set = |set| Ok(Item::Set(set));
        let literal = |c| Ok(Item::Range(c, c));
        match c {
            'w' => set(Set::Word(false)),
            'W' => set(Set::Word(true)),
            'd' => set(Set::Digit(false)),
            'D' => set(Set::Digit(true)),
            's' => set(Set::Space(false)),
            'S' => set(Set::Space(true)),
            't' => literal('\t'),
            'n' => literal('\n'),
            'r' => literal('\r'),
            'f' => literal('\x0C'),
            'u' => literal(self.unicode_escape()?),
            c if c.is_ascii_alphanumeric() => Err(self.error(&format!("unsupported escape \\{c}"))),
            c => literal(c),
        }
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two
    /// escapes (Java's way of naming a character beyond U+FFFF).
    fn unicode_escape(&mut self) -> Result<char, PatternError> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high).ok_or_else(|| self.error("lone low surrogate"));
        }
        if !self.eat("\\u") {
            return Err(self.error("lone high surrogate"));
        }
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(self.error("bad surrogate pair"));
        }
        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        char::from_u32(code).ok_or_else(|| self.error("bad surrogate pair"))
    }

    fn hex4(&mut self) -> Result<u32, PatternError> {
        let end = self.pos + 4;
        let digits: String = self
            .chars
            .get(self.pos..end)
            .ok_or_else(|| self.error("short \\u escape"))?
            .iter()
            .collect();
        self.pos = end;
        u32::from_str_radix(&digits, 16).map_err(|_| self.error("bad \\u escape"))
    }

    /// After `[`: items up to the closing `]`.
    fn class(&mut self) -> Result<Node, PatternError> {
        let negated = self.eat("^");
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = match c {
                '\\' => self.escape()?,
                '[' => return Err(self.error("nested classes are not supported")),
                c => Item::Range(c, c),
            };
            // `a-z`: a range, unless `-` is last or follows a set.
            let is_range = matches!(item, Item::Range(..))
                && self.peek() == Some('-')
                && self.chars.get(self.pos + 1).is_some_and(|&c| c != ']');
            if !is_range {
                items.push(item);
                continue;
            }
            self.pos += 1;
            let high = match self.next()? {
                '\\' => self.escape()?,
                c => Item::Range(c, c),
            };
            match (item, high) {
                (Item::Range(low, _), Item::Range(high, _)) if low <= high => {
                    items.push(Item::Range(low, high))
                }
                _ => return Err(self.error("bad class range")),
            }
        }
        Ok(Node::Class { negated, items })
    }
}

struct Matcher<'a> {
    input: &'a [char],
}

impl Matcher<'_> {
    /// Matches `nodes` from `pos`, then asks `rest` whether the remainder
    /// matches from where they ended: backtracking by continuation.
    fn run(&self, nodes: &[Node], pos: usize, rest: &mut dyn FnMut(usize) -> bool) -> bool {
        let Some((node, tail)) = nodes.split_first() else {
            return rest(pos);
        };
        match node {
            Node::Start => pos == 0 && self.run(tail, pos, rest),
            Node::End => self.at_end(pos) && self.run(tail, pos, rest),
            Node::Group(alternatives) => alternatives
                .iter()
                .any(|alt| self.run(alt, pos, &mut |p| self.run(tail, p, rest))),
            Node::NotAhead(alternatives) => {
                !alternatives
                    .iter()
                    .any(|alt| self.run(alt, pos, &mut |_| true))
                    && self.run(tail, pos, rest)
            }
            Node::Repeat { node, min, max } if self.is_single(node) => {
                // One character at a time: count greedily, then give back.
                let mut count = 0;
                while max.is_none_or(|max| count < max) && self.single(node, pos + count) {
                    count += 1;
                }
                // Where a literal comes next, only the places that hold it
                // can continue: the others are not tried.
                let next = match tail.first() {
                    Some(Node::Literal(c)) => Some(*c),
                    _ => None,
                };
                (*min..=count).rev().any(|n| {
                    next.is_none_or(|c| self.input.get(pos + n) == Some(&c))
                        && self.run(tail, pos + n, rest)
                })
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max, 0, pos, tail, rest),
            single => self.single(single, pos) && self.run(tail, pos + 1, rest),
        }
    }

    /// A repeated group: greedy; past `min`, an iteration must consume input
    /// (or `(a?)*` would loop forever).
    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        node: &Node,
        min: usize,
        max: Option<usize>,
        done: usize,
        pos: usize,
        tail: &[Node],
        rest: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        let more = max.is_none_or(|max| done < max)
            && self.run(std::slice::from_ref(node), pos, &mut |p| {
                (p > pos || done < min) && self.repeat(node, min, max, done + 1, p, tail, rest)
            });
        more || (done >= min && self.run(tail, pos, rest))
    }

    fn at_end(&self, pos: usize) -> bool {
        pos == self.input.len()
            || (pos + 1 == self.input.len() && is_line_terminator(self.input[pos]))
            || (pos + 2 == self.input.len()
                && self.input[pos] == '\r'
                && self.input[pos + 1] == '\n')
    }

    fn is_single(&self, node: &Node) -> bool {
        matches!(node, Node::Literal(_) | Node::Any | Node::Class { .. })
    }

    fn single(&self, node: &Node, pos: usize) -> bool {
        let Some(&c) = self.input.get(pos) else {
            return false;
        };
        match node {
            Node::Literal(l) => c == *l,
            Node::Any => !is_line_terminator(c),
            Node::Class { negated, items } => {
                let inside = items.iter().any(|item| match *item {
                    Item::Range(low, high) => (low..=high).contains(&c),
                    Item::Set(set) => set.contains(c),
                });
                inside != *negated
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, matching: &[&str], not_matching: &[&str]) {
        let parsed = Pattern::parse(pattern).unwrap();
        for value in matching {
            assert!(parsed.search(value), "{pattern} should match {value:?}");
        }
        for value in not_matching {
            assert!(
                !parsed.search(value),
                "{pattern} should not match {value:?}"
            );
        }
    }

    #[test]
    fn model_patterns_are_parsed_once_and_answer_as_search_does() {
        const LABEL: &str = r"[a-zA-Z0-9][\w!@#.-]+";
        for _ in 0..3 {
            for value in ["my-conn", "a", "", " ab "] {
                assert_eq!(
                    search_model(LABEL, value),
                    search(LABEL, value),
                    "{value:?}"
                );
            }
        }
        // A pattern that does not parse matches nothing, every time.
        assert!(!search_model("(", "("));
        assert!(!search_model("(", "("));
    }

    #[test]
    fn unanchored_patterns_match_anywhere() {
        check(
            r"[a-zA-Z0-9][\w!@#.-]+",
            &["my-conn", "  ab  ", "é-a_b", "-a#"],
            &["", "a", "-_-", "a ", "é", "a b c"],
        );
        check(r"\S+", &["x", " x "], &["", " \t\n"]);
        check(r"[\w]+", &["_"], &["", "é", "-"]);
    }

    #[test]
    fn anchors_lookahead_and_ranges() {
        let tag_key = r"^(?!aws:)[a-zA-Z+-=._:/]+$";
        check(
            tag_key,
            &["team", "a:b", "aws", "Aws:x", "a=b"],
            &["aws:x", "", "a b", "é"],
        );
        check(
            r"^\d{3}$",
            &["200", "404\n"],
            &["20", "2000", "a200", "404\n\n"],
        );
        check(r"^[a-zA-Z0-9_]*$", &["", "abc_9"], &["a-b"]);
        check(
            r"^(https?)://[-a-zA-Z0-9+&@#/%?=~_|!:,.;]*[-a-zA-Z0-9+&@#/%=~_|]",
            &["https://example.com/x", "http://a"],
            &["ftp://a", "https://", " https://a"],
        );
        check(
            r"^$|com.amazonaws.vpce.[\w/!:@#.\-]+",
            &["", "x com.amazonaws.vpce.a"],
            &["com.amazonaws.vpce."],
        );
    }

    #[test]
    fn surrogate_pairs_name_supplementary_characters() {
        let p = Pattern::parse(r"^[\uD800\uDC00-\uDBFF\uDFFF]+$").unwrap();
        assert!(p.search("🚀𐀀"));
        assert!(!p.search("a"));
        let xml =
            Pattern::parse(r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$").unwrap();
        assert!(xml.search("tab\there 🚀"));
        assert!(!xml.search("bell\u{7}"));
    }

    #[test]
    fn dot_stops_at_line_terminators() {
        check(
            "arn:aws:.*:.*:[0-9]+:.*",
            &["arn:aws:l:r:1:f", "x\narn:aws:::1:"],
            &["arn:aws:l\n:r:1:f", "arn:aws:l:r:x:f"],
        );
    }

    #[test]
    fn repeated_groups_backtrack() {
        check("^(ab|a)+c$", &["abac", "aac", "abc"], &["c", "abab"]);
        check("^(a?){2,3}b$", &["b", "ab", "aab", "aaab"], &["aaaab"]);
    }

    #[test]
    fn unsupported_syntax_is_an_error() {
        for bad in [
            "(?=a)", "a**", "[a", "(a", "a)", r"\p{L}", "a{2,1}", "[z-a]",
        ] {
            assert!(Pattern::parse(bad).is_err(), "{bad}");
        }
    }
}

//! `--output yaml`: block YAML as the AWS CLI v2 writes it (ruamel.yaml's
//! safe dumper): keys sorted, sequences under a key not indented, a string
//! quoted only when plain text would read back as something else, long
//! values folded at 80 columns. A bare scalar is written as JSON, as v2 does.

use super::python_float;
use crate::Ordered;

/// The line width the dumper folds at.
const WIDTH: usize = 80;

/// `value` as one YAML document.
pub(crate) fn render(value: &Ordered, out: &mut String) {
    write(value, true, out)
}

/// `value` as one YAML document, keys in their order (ruamel.yaml's
/// round-trip dumper, which writes the YAML input skeleton).
pub(crate) fn render_in_order(value: &Ordered, out: &mut String) {
    write(value, false, out)
}

fn write(value: &Ordered, sort_keys: bool, out: &mut String) {
    if !matches!(value, Ordered::Array(_) | Ordered::Object(_)) {
        out.push_str(&serde_json::to_string(value).unwrap_or_default());
        out.push('\n');
        return;
    }
    let mut emitter = Emitter {
        out,
        column: 0,
        indent: 0,
        whitespace: true,
        indention: true,
        start: true,
        sort_keys,
    };
    emitter.node(value, 0, false);
    emitter.out.push('\n');
}

struct Emitter<'o> {
    out: &'o mut String,
    column: usize,
    /// Where a folded line continues.
    indent: usize,
    /// The last character written is a space or a line start.
    whitespace: bool,
    /// Only indentation has been written on this line.
    indention: bool,
    /// Nothing written yet: the first line needs no break.
    start: bool,
    sort_keys: bool,
}

/// A string's quoting.
#[derive(PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
}

impl Emitter<'_> {
    fn write(&mut self, text: &str) {
        self.column += text.chars().count();
        self.out.push_str(text);
        self.start = false;
    }

    fn line_break(&mut self) {
        self.out.push('\n');
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent;
        let needs_break =
            !self.indention || self.column > indent || (self.column == indent && !self.whitespace);
        if needs_break && !self.start {
            self.line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            let pad = " ".repeat(indent - self.column);
            self.column = indent;
            self.out.push_str(&pad);
        }
    }

    fn indicator(&mut self, indicator: &str, need_space: bool, indention: bool) {
        if need_space && !self.whitespace {
            self.write(" ");
        }
        self.write(indicator);
        self.whitespace = false;
        self.indention = self.indention && indention;
    }

    /// A node whose first line starts at `indent` (a key or a dash).
    fn node(&mut self, value: &Ordered, indent: usize, _inline: bool) {
        match value {
            Ordered::Object(members) if !members.is_empty() => {
                let mut sorted: Vec<&(String, Ordered)> = members.iter().collect();
                if self.sort_keys {
                    sorted.sort_by(|a, b| a.0.cmp(&b.0));
                }
                for (key, item) in sorted {
                    self.indent = indent;
                    self.write_indent();
                    self.scalar(&Ordered::String(key.clone()), true);
                    self.indicator(":", false, false);
                    self.value(item, indent + 2, indent);
                }
            }
            Ordered::Array(items) if !items.is_empty() => {
                for item in items {
                    self.indent = indent;
                    self.write_indent();
                    self.indicator("-", true, true);
                    self.value(item, indent + 2, indent + 2);
                }
            }
            empty => self.value(empty, indent + 2, indent),
        }
    }

    /// A value after `key:` or `-`: scalars and empty collections on the
    /// same line, others below (`sequence_at` is where a list's dashes go).
    fn value(&mut self, value: &Ordered, nested: usize, sequence_at: usize) {
        match value {
            Ordered::Object(members) if members.is_empty() => self.indicator("{}", true, false),
            Ordered::Array(items) if items.is_empty() => self.indicator("[]", true, false),
            Ordered::Object(_) => self.node(value, nested, false),
            Ordered::Array(_) => self.node(value, sequence_at, false),
            scalar => {
                self.indent = nested;
                self.scalar(scalar, false);
            }
        }
    }

    fn scalar(&mut self, value: &Ordered, simple_key: bool) {
        let text = match value {
            Ordered::Null => "null".to_owned(),
            Ordered::Bool(b) => b.to_string(),
            Ordered::Number(n) => match n.as_i64().or(None) {
                Some(i) if !n.is_f64() => i.to_string(),
                _ => match n.as_u64() {
                    Some(u) if !n.is_f64() => u.to_string(),
                    _ => python_float(n.as_f64().unwrap_or(0.0)).to_lowercase(),
                },
            },
            Ordered::String(s) => {
                let split = !simple_key;
                match style(s, simple_key) {
                    Style::Plain => self.plain(s, split),
                    Style::Single => self.single_quoted(s, split),
                    Style::Double => self.double_quoted(s, split),
                }
                return;
            }
            _ => return,
        };
        self.plain(&text, !simple_key);
    }

    fn plain(&mut self, text: &str, split: bool) {
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut start, mut end) = (false, 0, 0);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column >= WIDTH && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write(&chars[start..end].iter().collect::<String>());
                    }
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ') {
                let data: String = chars[start..end].iter().collect();
                if data.chars().count() + self.column > WIDTH && self.column > self.indent {
                    // A word longer than the line gets a line of its own.
                    self.write_indent();
                }
                self.write(&data);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
            }
            end += 1;
        }
    }

    fn single_quoted(&mut self, text: &str, split: bool) {
        self.indicator("'", true, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut start, mut end) = (false, 0, 0);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > WIDTH
                        && split
                        && start != 0
                        && end != chars.len()
                    {
                        self.write_indent();
                    } else {
                        self.write(&chars[start..end].iter().collect::<String>());
                    }
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || c == '\'') && start < end {
                self.write(&chars[start..end].iter().collect::<String>());
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
            }
            end += 1;
        }
        self.indicator("'", false, false);
    }

    fn double_quoted(&mut self, text: &str, split: bool) {
        self.indicator("\"", true, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut start, mut end) = (0, 0);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            if ch.is_none_or(needs_escape) {
                if start < end {
                    self.write(&chars[start..end].iter().collect::<String>());
                    start = end;
                }
                if let Some(c) = ch {
                    self.write(&escape(c));
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < chars.len()
                && (ch == Some(' ') || start >= end)
                && self.column + end.saturating_sub(start) > WIDTH
                && split
            {
                let need_backslash = needs_backslash(&chars, start, end);
                let mut data: String = chars[start.min(end)..end].iter().collect();
                if need_backslash {
                    data.push('\\');
                }
                if start < end {
                    start = end;
                }
                self.write(&data);
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if chars.get(start) == Some(&' ') {
                    if need_backslash {
                        self.write("\\");
                    } else {
                        start += 1;
                    }
                }
            }
            end += 1;
        }
        self.indicator("\"", false, false);
    }
}

/// Whether a fold at `end` needs a `\` so that reading it back keeps the
/// space (ruamel.yaml's rule).
fn needs_backslash(chars: &[char], start: usize, end: usize) -> bool {
    let Some(space) = chars[end..].iter().position(|&c| c == ' ').map(|p| p + end) else {
        return true;
    };
    let space = chars[end..space]
        .iter()
        .position(|&c| c == '\n')
        .map_or(space, |p| p + end);
    let after = chars.get(space + 1).copied();
    if chars[space] == '\n' && after != Some(' ') {
        return true;
    }
    let quoted = chars[end..space].iter().any(|&c| c == '"' || c == '\'');
    let double_space = end >= 1 && chars[end - 1] == ' ' && chars[end] == ' ';
    let Some(after) = after else { return true };
    !(!quoted && after != ' ' && after != '\n' && !double_space && start != end)
}

fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
    ) || !(('\x20'..='\x7e').contains(&c) || is_printable_unicode(c))
}

fn is_printable_unicode(c: char) -> bool {
    ('\u{A0}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || ('\u{10000}'..='\u{10FFFF}').contains(&c)
}

fn escape(c: char) -> String {
    let short = match c {
        '\0' => "0",
        '\x07' => "a",
        '\x08' => "b",
        '\t' => "t",
        '\n' => "n",
        '\x0b' => "v",
        '\x0c' => "f",
        '\r' => "r",
        '\x1b' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\u{85}' => "N",
        '\u{A0}' => "_",
        '\u{2028}' => "L",
        '\u{2029}' => "P",
        _ => "",
    };
    let code = c as u32;
    match short {
        "" if code <= 0xFF => format!("\\x{code:02X}"),
        "" if code <= 0xFFFF => format!("\\u{code:04X}"),
        "" => format!("\\U{code:08X}"),
        short => format!("\\{short}"),
    }
}

const BREAKS: &[char] = &['\n', '\u{85}', '\u{2028}', '\u{2029}'];
const BLANK: &[char] = &[
    '\0', ' ', '\t', '\r', '\n', '\u{85}', '\u{2028}', '\u{2029}',
];

/// The quoting ruamel.yaml picks for `text` (its `choose_scalar_style`).
fn style(text: &str, simple_key: bool) -> Style {
    let a = analyze(text);
    let plain_reads_as_string = !text.is_empty() && !resolves_to_other_type(text);
    if plain_reads_as_string && !(simple_key && (a.empty || a.multiline)) && a.block_plain {
        return Style::Plain;
    }
    if text.contains('\'') || text.contains('\n') {
        return Style::Double;
    }
    if a.single_quoted && !(simple_key && a.multiline) {
        Style::Single
    } else {
        Style::Double
    }
}

struct Analysis {
    empty: bool,
    multiline: bool,
    block_plain: bool,
    single_quoted: bool,
}

/// ruamel.yaml's `analyze_scalar`, for block context and YAML 1.2.
fn analyze(text: &str) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            block_plain: true,
            single_quoted: true,
        };
    }
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_blank = true;
    let mut followed_by_blank = chars.len() == 1 || BLANK.contains(&chars[1]);
    for (i, &ch) in chars.iter().enumerate() {
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if "?:".contains(ch) && followed_by_blank {
                block_indicators = true;
            }
            if ch == '-' && followed_by_blank {
                block_indicators = true;
            }
        } else if (ch == ':' && followed_by_blank) || (ch == '#' && preceded_by_blank) {
            block_indicators = true;
        }
        if BREAKS.contains(&ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || ('\x20'..='\x7e').contains(&ch))
            && !((ch == '\u{85}' || is_printable_unicode(ch)) && ch != '\u{FEFF}')
        {
            special = true;
        }
        if ch == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == chars.len() - 1;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if BREAKS.contains(&ch) {
            leading_break |= i == 0;
            trailing_break |= i == chars.len() - 1;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_blank = BLANK.contains(&ch);
        followed_by_blank = chars.get(i + 2).is_none_or(|c| BLANK.contains(c));
    }
    let mut block_plain = true;
    let mut single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        block_plain = false;
    }
    if break_space || special || space_break {
        block_plain = false;
        single_quoted = false;
    }
    if line_breaks || block_indicators {
        block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        block_plain,
        single_quoted,
    }
}

/// Whether plain `text` would read back as a boolean, number, null or date
/// (ruamel.yaml's YAML 1.2 implicit resolvers).
fn resolves_to_other_type(text: &str) -> bool {
    matches!(
        text,
        "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | "<<"
            | "="
            | "!"
            | "&"
            | "*"
    ) || is_int(text)
        || is_float(text)
        || is_timestamp(text)
}

fn unsigned(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

fn all_in(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(allowed)
}

fn is_int(text: &str) -> bool {
    let t = unsigned(text);
    if let Some(bits) = t.strip_prefix("0b") {
        if all_in(bits, |c| matches!(c, '0' | '1' | '_')) {
            return true;
        }
    }
    if let Some(hex) = t.strip_prefix("0x") {
        if all_in(hex, |c| c.is_ascii_hexdigit() || c == '_') {
            return true;
        }
    }
    if let Some(octal) = t.strip_prefix("0o") {
        if all_in(octal, |c| matches!(c, '0'..='7' | '_')) {
            return true;
        }
    }
    all_in(t, |c| c.is_ascii_digit() || c == '_')
}

fn is_float(text: &str) -> bool {
    let t = unsigned(text);
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let digits_ = |s: &str| s.chars().all(|c| c.is_ascii_digit() || c == '_');
    let exponent = |s: &str, sign_required: bool| -> bool {
        let Some(e) = s.strip_prefix(['e', 'E']) else {
            return false;
        };
        let (signed, rest) = match e.strip_prefix(['-', '+']) {
            Some(rest) => (true, rest),
            None => (false, e),
        };
        (signed || !sign_required) && all_in(rest, |c| c.is_ascii_digit())
    };
    let first_digit = t.starts_with(|c: char| c.is_ascii_digit());
    if let Some(dot) = t.find('.') {
        let (whole, rest) = (&t[..dot], &t[dot + 1..]);
        let frac_end = rest.find(['e', 'E']).unwrap_or(rest.len());
        let (frac, exp) = rest.split_at(frac_end);
        if whole.is_empty() {
            // `.5`, `.5e+3`
            return all_in(frac, |c| c.is_ascii_digit() || c == '_')
                && (exp.is_empty() || exponent(exp, true));
        }
        return first_digit
            && digits_(whole)
            && digits_(frac)
            && (exp.is_empty() || exponent(exp, false));
    }
    match t.find(['e', 'E']) {
        Some(e) => first_digit && digits_(&t[..e]) && exponent(&t[e..], false),
        None => false,
    }
}

fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if b.len() == 10
        && digits(&b[..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && b[7] == b'-'
        && digits(&b[8..])
    {
        return true;
    }
    // YYYY-M(M)-D(D) then T or blanks, H(H):MM:SS, a fraction, a zone.
    let mut rest = text;
    let take_digits = |rest: &mut &str, min: usize, max: usize| -> bool {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n < min || n > max {
            return false;
        }
        *rest = &rest[n..];
        true
    };
    let expect = |rest: &mut &str, c: char| -> bool {
        match rest.strip_prefix(c) {
            Some(r) => {
                *rest = r;
                true
            }
            None => false,
        }
    };
    // Three numbers of these widths, separated by `separator`.
    let fields = |rest: &mut &str, separator: char, widths: [(usize, usize); 3]| -> bool {
        widths.iter().enumerate().all(|(i, &(min, max))| {
            (i == 0 || expect(rest, separator)) && take_digits(rest, min, max)
        })
    };
    if !fields(&mut rest, '-', [(4, 4), (1, 2), (1, 2)]) {
        return false;
    }
    if let Some(r) = rest.strip_prefix(['T', 't']) {
        rest = r;
    } else {
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if blanks == 0 {
            return false;
        }
        rest = &rest[blanks..];
    }
    if !fields(&mut rest, ':', [(1, 2), (2, 2), (2, 2)]) {
        return false;
    }
    if let Some(r) = rest.strip_prefix('.') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    if rest.is_empty() {
        return true;
    }
    rest = rest.trim_start_matches([' ', '\t']);
    if rest == "Z" {
        return true;
    }
    let Some(zone) = rest.strip_prefix(['-', '+']) else {
        return false;
    };
    let mut zone = zone;
    if !take_digits(&mut zone, 1, 2) {
        return false;
    }
    zone.is_empty() || (expect(&mut zone, ':') && take_digits(&mut zone, 2, 2) && zone.is_empty())
}

//! `--output table`: the AWS CLI's boxed tables (its `formatter.py` builds
//! the sections, `table.py` draws them). Each object is a section titled by
//! the member that holds it; a list of objects is one section with a column
//! per scalar member; sections nest by indentation.

use super::python_str;
use crate::Ordered;

/// The width the AWS CLI assumes when its output is not a terminal; wider
/// tables are turned into two columns (name, value) per section.
const TERMINAL_WIDTH: usize = 80;

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    widths: Vec<usize>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) {
        self.track_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.track_widths(&row);
        self.rows.push(row);
    }

    fn track_widths(&mut self, cells: &[String]) {
        if self.widths.is_empty() {
            self.widths = cells.iter().map(|c| width(c)).collect();
        } else {
            for (w, cell) in self.widths.iter_mut().zip(cells) {
                *w = (*w).max(width(cell));
            }
        }
    }

    /// Column widths with `padding`, scaled to add up to `max_width`.
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.widths.iter().map(|w| w + padding).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() {
            return unscaled;
        }
        let scale = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| python_round(scale * w as f64))
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let columns: usize = self.widths.iter().map(|w| w + 4).sum::<usize>() + 2;
        (width(&self.title) + 2 + 2 * self.indent).max(columns + 2 * self.indent)
    }
}

/// Python's `round()`: halves to even.
fn python_round(x: f64) -> i64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r as i64 % 2 != 0 {
        (r - x.signum()) as i64
    } else {
        r as i64
    }
}

/// Columns taken: the AWS CLI counts wide, full-width and ambiguous East
/// Asian characters (accented Latin letters among them) twice.
fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    let c = c as u32;
    super::wide::WIDE
        .binary_search_by(|&(start, end)| {
            if end < c {
                std::cmp::Ordering::Less
            } else if start > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Colours of `--color on`, as the AWS CLI's table styler paints them.
struct Style {
    color: bool,
}

impl Style {
    fn element(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m\x1b[34m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn edge(&self) -> String {
        if self.color {
            "\x1b[2m\x1b[33m|\x1b[0m".to_owned()
        } else {
            "|".to_owned()
        }
    }
}

/// `value` as a table titled `title` (the operation's name); empty when the
/// value is empty, as the AWS CLI prints nothing then.
pub(crate) fn render(title: &str, value: &Ordered, color: bool, out: &mut String) {
    let mut builder = Builder::default();
    if !builder.table(Some(title), value, 0) {
        return;
    }
    draw(&mut builder.sections, &Style { color }, out);
}

#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
}

fn is_scalar(value: &Ordered) -> bool {
    !matches!(value, Ordered::Array(_) | Ordered::Object(_))
}

fn is_empty(value: &Ordered) -> bool {
    !super::truthy(value)
}

/// An object's scalar and other member names, each sorted.
fn split_keys(members: &[(String, Ordered)]) -> (Vec<String>, Vec<String>) {
    let (mut scalars, mut more) = (Vec::new(), Vec::new());
    for (name, value) in members {
        if is_scalar(value) {
            scalars.push(name.clone());
        } else {
            more.push(name.clone());
        }
    }
    scalars.sort();
    more.sort();
    (scalars, more)
}

fn get<'v>(members: &'v [(String, Ordered)], key: &str) -> Option<&'v Ordered> {
    members.iter().find(|(n, _)| n == key).map(|(_, v)| v)
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().expect("a section")
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_owned(),
            indent,
            ..Section::default()
        });
    }

    fn table(&mut self, title: Option<&str>, value: &Ordered, indent: usize) -> bool {
        if is_empty(value) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(title, indent);
        }
        match value {
            Ordered::Array(items) => match &items[0] {
                Ordered::Object(_) => self.list_of_objects(items, indent, title.unwrap_or("")),
                _ => {
                    for item in items {
                        match item {
                            Ordered::Array(cells) if cells.iter().all(is_scalar) => self
                                .current()
                                .add_row(cells.iter().map(python_str).collect()),
                            // Python iterates an object as its keys.
                            Ordered::Object(members) => self
                                .current()
                                .add_row(members.iter().map(|(k, _)| k.clone()).collect()),
                            item if is_scalar(item) => {
                                self.current().add_row(vec![python_str(item)])
                            }
                            item => {
                                self.table(None, item, 0);
                            }
                        }
                    }
                }
            },
            Ordered::Object(members) => self.object(members, indent),
            _ => {}
        }
        true
    }

    fn object(&mut self, members: &[(String, Ordered)], indent: usize) {
        let (headers, more) = split_keys(members);
        if headers.len() == 1 {
            let value = get(members, &headers[0])
                .map(python_str)
                .unwrap_or_default();
            self.current().add_row(vec![headers[0].clone(), value]);
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|h| get(members, h).map(python_str).unwrap_or_default())
                .collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for name in more {
            if let Some(value) = get(members, &name) {
                self.table(Some(&name), value, indent + 1);
            }
        }
    }

    fn list_of_objects(&mut self, items: &[Ordered], indent: usize, title: &str) {
        let (mut headers, mut more) = (Vec::new(), Vec::new());
        for item in items {
            if let Ordered::Object(members) = item {
                let (h, m) = split_keys(members);
                headers.extend(h);
                more.extend(m);
            }
        }
        for keys in [&mut headers, &mut more] {
            keys.sort();
            keys.dedup();
        }
        self.current().add_header(headers.clone());
        for (i, item) in items.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent);
                self.current().add_header(headers.clone());
            }
            let members: &[(String, Ordered)] = match item {
                Ordered::Object(members) => members,
                _ => &[],
            };
            let row = headers
                .iter()
                .map(|h| get(members, h).map(python_str).unwrap_or_default())
                .collect();
            self.current().add_row(row);
            for name in &more {
                if let Some(value) = get(members, name) {
                    self.table(Some(name), value, indent + 1);
                }
            }
        }
    }
}

fn draw(sections: &mut [Section], style: &Style, out: &mut String) {
    let mut max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    if max_width > TERMINAL_WIDTH {
        // Too wide: each one-row section becomes name/value rows.
        for section in sections.iter_mut() {
            if section.rows.len() == 1 && !section.headers.is_empty() {
                let mut vertical = Section {
                    title: std::mem::take(&mut section.title),
                    indent: section.indent,
                    ..Section::default()
                };
                let row = std::mem::take(&mut section.rows[0]);
                for (header, cell) in section.headers.iter().zip(row) {
                    vertical.add_row(vec![header.clone(), cell]);
                }
                *section = vertical;
            }
        }
        max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    }
    out.push_str(&"-".repeat(max_width));
    out.push('\n');
    for section in sections.iter() {
        let width = max_width - section.indent * 2;
        let mut lines = Vec::new();
        if !section.title.is_empty() {
            lines.push(center(&section.title, width, "|", "|"));
            if section.headers.is_empty() && section.rows.is_empty() {
                lines.push(format!("+{}+", "-".repeat(width - 2)));
            }
        }
        let widths = section.column_widths(4, width);
        if !section.headers.is_empty() {
            lines.push(line_break(&widths));
            let mut line = String::new();
            for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
                line.push_str(&center(header, *w, if i == 0 { "|" } else { "" }, "|"));
            }
            lines.push(line);
        }
        if !section.rows.is_empty() && !widths.is_empty() {
            lines.push(line_break(&widths));
            for row in &section.rows {
                let mut line = String::new();
                for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                    line.push_str(&align_left(
                        cell,
                        &style.element(cell),
                        *w,
                        if i == 0 { "|" } else { "" },
                    ));
                }
                lines.push(line);
            }
            lines.push(line_break(&widths));
        }
        let edge = style.edge().repeat(section.indent);
        for line in lines {
            out.push_str(&edge);
            out.push_str(&line);
            out.push_str(&edge);
            out.push('\n');
        }
    }
}

fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    // Signed, as in Python: a title wider than its box shifts the padding.
    let text_width = width(text) as i64;
    let start = (length / 2) as i64 - text_width / 2 - 1;
    let so_far = left.len() as i64 + start + text_width;
    let right_spaces = length as i64 - right.len() as i64 - so_far;
    format!(
        "{left}{}{text}{}{right}",
        " ".repeat(start.max(0) as usize),
        " ".repeat(right_spaces.max(0) as usize)
    )
}

fn align_left(text: &str, styled: &str, length: usize, left: &str) -> String {
    let text_width = width(text);
    let needed = text_width + 2 + left.len() + 1;
    let padding = if length >= needed { 2 } else { 0 };
    let so_far = left.len() + padding + text_width;
    let rest = length.saturating_sub(so_far + 1);
    format!("{left}{}{styled}{}|", " ".repeat(padding), " ".repeat(rest))
}

fn line_break(widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            line.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            line.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    line
}

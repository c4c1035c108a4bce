//! Pages fetched and merged as the AWS CLI does for operations with a
//! paginator: `--max-items` caps what is printed with a `NextToken` to
//! resume from, `--starting-token` resumes, `--page-size` sets the page.
//!
//! botocore has no paginator for AppFlow, so `aws appflow list-flows` makes
//! one call and prints the service's `nextToken`; the tool does the same
//! unless one of those three options asks for pages.

use std::collections::HashSet;

use serde_json::Value;

use crate::{Failure, Ordered, usage};

/// The paging options of one run.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    pub no_paginate: bool,
    pub max_items: Option<usize>,
    pub starting_token: Option<String>,
}

/// Where to resume: the service's token for a page, and how many of that
/// page's items were already printed. Written as the AWS CLI writes it:
/// base64 of `{"nextToken": ..., "boto_truncate_amount": ...}`.
#[derive(Debug, Default, PartialEq)]
struct Resume {
    token: Option<String>,
    skip: usize,
}

impl Settings {
    /// Whether the command line asks for pages (`--page-size` among them).
    pub fn requested(&self, page_size: Option<usize>) -> bool {
        !self.no_paginate
            && (self.max_items.is_some() || self.starting_token.is_some() || page_size.is_some())
    }
}

impl Resume {
    fn encode(&self) -> String {
        let mut object = serde_json::Map::new();
        if let Some(token) = &self.token {
            object.insert("nextToken".into(), Value::String(token.clone()));
        }
        if self.skip > 0 {
            object.insert("boto_truncate_amount".into(), Value::from(self.skip));
        }
        base64_encode(Value::Object(object).to_string().as_bytes())
    }

    /// A token this tool printed; anything else is taken as the service's own.
    fn decode(text: &str) -> Resume {
        let parsed = base64_decode(text).and_then(|bytes| {
            serde_json::from_slice::<serde_json::Map<String, Value>>(&bytes).ok()
        });
        match parsed {
            Some(object)
                if object
                    .keys()
                    .all(|k| k == "nextToken" || k == "boto_truncate_amount") =>
            {
                Resume {
                    token: object
                        .get("nextToken")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    skip: object
                        .get("boto_truncate_amount")
                        .and_then(Value::as_u64)
                        .map_or(0, |n| n as usize),
                }
            }
            _ => Resume {
                token: Some(text.to_owned()),
                skip: 0,
            },
        }
    }
}

/// The pages of one run, as printed: `--max-items` already applied.
#[derive(Debug)]
pub(crate) struct Pages {
    /// Each page without the service's `nextToken`.
    pub pages: Vec<Ordered>,
    /// The members that collect results across pages.
    pub result_keys: &'static [&'static str],
    /// Where to resume, when `--max-items` stopped before the end.
    pub resume: Option<String>,
}

impl Pages {
    /// The whole result: later pages' items appended to the first page's,
    /// and `NextToken` to resume from, as the AWS CLI builds it for JSON.
    pub fn merged(&self) -> Ordered {
        let mut pages = self.pages.iter().cloned();
        let mut merged = pages.next().unwrap_or(Ordered::Object(Vec::new()));
        for mut page in pages {
            for key in self.result_keys {
                let more = take_items(&mut page, key);
                let mut all = take_items(&mut merged, key);
                all.extend(more);
                put_items(&mut merged, key, all);
            }
        }
        if let Some(resume) = &self.resume {
            merged.set("NextToken", Ordered::String(resume.clone()));
        }
        merged
    }

    /// Page by page, as the AWS CLI's text output prints them: the first
    /// page whole, the others with their result members only.
    pub fn each(&self) -> impl Iterator<Item = Ordered> + '_ {
        self.pages.iter().enumerate().map(|(i, page)| {
            if i == 0 {
                return page.clone();
            }
            let mut page = page.clone();
            let mut only = Ordered::Object(Vec::new());
            for key in self.result_keys {
                if let Some(items) = page.remove(key) {
                    only.set(key, items);
                }
            }
            only
        })
    }
}

/// Fetches pages with `send` until the last (or `--max-items`).
pub(crate) fn fetch_all(
    settings: &Settings,
    result_keys: &'static [&'static str],
    input: Value,
    mut send: impl FnMut(Value) -> Result<Ordered, Failure>,
) -> Result<Pages, Failure> {
    let Value::Object(input) = input else {
        return Err(usage("the input must be a JSON object"));
    };
    let mut at = settings
        .starting_token
        .as_deref()
        .map(Resume::decode)
        .unwrap_or_default();
    let mut pages = Vec::new();
    let mut printed = 0;
    let mut seen = HashSet::new();
    let resume = loop {
        let mut page_input = input.clone();
        if let Some(token) = &at.token {
            page_input.insert("nextToken".into(), Value::String(token.clone()));
        }
        let mut page = send(Value::Object(page_input))?;
        let next = match page.remove("nextToken") {
            Some(Ordered::String(token)) if !token.is_empty() && seen.insert(token.clone()) => {
                Some(token)
            }
            _ => None,
        };
        // The first result key is the one counted, as botocore counts it.
        let mut items = take_items(&mut page, result_keys[0]);
        items.drain(..at.skip.min(items.len()));
        let room = settings.max_items.map_or(usize::MAX, |max| max - printed);
        let cut = (items.len() > room).then(|| Resume {
            token: at.token.clone(),
            skip: at.skip + room,
        });
        items.truncate(room);
        printed += items.len();
        put_items(&mut page, result_keys[0], items);
        pages.push(page);
        if cut.is_some() {
            break cut;
        }
        let Some(next) = next else { break None };
        if settings.max_items == Some(printed) {
            break Some(Resume {
                token: Some(next),
                skip: 0,
            });
        }
        at = Resume {
            token: Some(next),
            skip: 0,
        };
    };
    Ok(Pages {
        pages,
        result_keys,
        resume: resume.map(|r| r.encode()),
    })
}

/// A result member's items: a list's items, or a map's entries.
fn take_items(page: &mut Ordered, key: &str) -> Vec<(String, Ordered)> {
    match page.remove(key) {
        Some(Ordered::Array(items)) => items.into_iter().map(|i| (String::new(), i)).collect(),
        Some(Ordered::Object(entries)) => entries,
        _ => Vec::new(),
    }
}

fn put_items(page: &mut Ordered, key: &str, items: Vec<(String, Ordered)>) {
    let is_map = items.first().is_some_and(|(name, _)| !name.is_empty());
    let value = if is_map {
        Ordered::Object(items)
    } else {
        Ordered::Array(items.into_iter().map(|(_, item)| item).collect())
    };
    page.set(key, value);
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = acc << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

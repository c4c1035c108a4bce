//! The canonical request: path, query and headers in the form SigV4 hashes.
//!
//! Everything here writes into one caller-owned buffer, so building a canonical
//! request costs no allocation per header or path segment.

use std::borrow::Cow;

/// Headers the SDKs never sign: a proxy or the HTTP stack may change them on
/// the way, and `authorization` is what the signature goes into.
const UNSIGNED_HEADERS: [&str; 5] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
    "expect",
];

/// Appends `bytes` percent-encoded: everything outside RFC 3986's unreserved
/// set (and `/` when `keep_slash`) becomes `%XX` with uppercase hex.
pub(crate) fn push_encoded(out: &mut String, bytes: &[u8], keep_slash: bool) {
    if bytes.iter().all(|&b| is_kept(b, keep_slash)) {
        out.push_str(std::str::from_utf8(bytes).expect("unreserved bytes are ASCII"));
    } else {
        push_escaped(out, bytes, keep_slash);
    }
}

/// [`push_encoded`] for text: text that needs no escape is copied as it is,
/// without checking again that it is UTF-8.
fn push_encoded_str(out: &mut String, text: &str, keep_slash: bool) {
    if text.bytes().all(|b| is_kept(b, keep_slash)) {
        out.push_str(text);
    } else {
        push_escaped(out, text.as_bytes(), keep_slash);
    }
}

/// The escaping loop behind both: kept bytes as they are, others as `%XX`.
fn push_escaped(out: &mut String, bytes: &[u8], keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if is_kept(b, keep_slash) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
}

/// Whether `b` is written as it is: unreserved, or `/` when slashes are kept.
fn is_kept(b: u8, keep_slash: bool) -> bool {
    is_unreserved(b) || (keep_slash && b == b'/')
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends the canonical URI for `path` exactly as it goes on the wire.
///
/// Non-S3 services expect the wire path to be encoded *again*: a `%3A` already
/// in an ARN is signed as `%253A`. With `normalize`, `.`/`..` segments and
/// empty segments are removed first, the way botocore and the v4 suite do it.
pub(crate) fn push_path(out: &mut String, path: &str, normalize: bool) {
    if path.is_empty() {
        out.push('/');
        return;
    }
    if !normalize || is_normal(path) {
        push_encoded_str(out, path, true);
        return;
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            _ => kept.push(segment),
        }
    }
    if path.starts_with('/') {
        out.push('/');
    }
    for (i, segment) in kept.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_encoded(out, segment.as_bytes(), false);
    }
    if path.ends_with('/') && !kept.is_empty() {
        out.push('/');
    }
}

/// Whether normalising would leave `path` as it is: it starts with `/` and
/// has no empty, `.` or `..` segment (a trailing `/` aside).
fn is_normal(path: &str) -> bool {
    let Some(inner) = path.strip_prefix('/') else {
        return false;
    };
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    inner.is_empty() && path.len() == 1
        || !inner.is_empty() && inner.split('/').all(|s| !matches!(s, "" | "." | ".."))
}

/// Appends the canonical query string: each key and value decoded, encoded
/// again with the unreserved set (space is `%20`), sorted after encoding.
pub(crate) fn push_query(out: &mut String, query: &str) {
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(key), reencode(value))
        })
        .collect();
    pairs.sort_unstable();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
}

/// Decodes `%XX` escapes and encodes the result canonically; values that are
/// already canonical (the usual case) are borrowed.
fn reencode(component: &str) -> Cow<'_, str> {
    if component.bytes().all(is_unreserved) {
        return Cow::Borrowed(component);
    }
    let mut out = String::with_capacity(component.len() + 8);
    push_encoded(&mut out, &percent_decode(component.as_bytes()), false);
    Cow::Owned(out)
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is.
pub(crate) fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|v| v as u8)
}

/// One header as the signer sees it; the name keeps the caller's case.
pub(crate) type Header<'a> = (&'a str, &'a str);

/// Whether a caller's header takes part in the signature.
pub(crate) fn is_signable(name: &str) -> bool {
    !UNSIGNED_HEADERS
        .iter()
        .any(|unsigned| name.eq_ignore_ascii_case(unsigned))
}

/// Appends the canonical headers block, each line ending in `\n`.
///
/// `headers` must already be sorted by lowercase name (stable, so repeated
/// headers keep the order they were received in).
pub(crate) fn push_headers(out: &mut String, headers: &[Header<'_>]) {
    let mut previous: Option<&str> = None;
    for &(name, value) in headers {
        if previous.is_some_and(|p| p.eq_ignore_ascii_case(name)) {
            out.pop(); // the `\n` of the line this value joins
            out.push(',');
        } else {
            push_lowercase(out, name);
            out.push(':');
        }
        push_trimmed(out, value);
        out.push('\n');
        previous = Some(name);
    }
}

/// Appends the `;`-joined lowercase names of sorted `headers`, once each.
pub(crate) fn push_signed_headers(out: &mut String, headers: &[Header<'_>]) {
    let mut previous: Option<&str> = None;
    for &(name, _) in headers {
        if previous.is_some_and(|p| p.eq_ignore_ascii_case(name)) {
            continue;
        }
        if previous.is_some() {
            out.push(';');
        }
        push_lowercase(out, name);
        previous = Some(name);
    }
}

fn push_lowercase(out: &mut String, name: &str) {
    let start = out.len();
    out.push_str(name);
    out[start..].make_ascii_lowercase();
}

/// Appends `value` without leading or trailing blanks and with every inner
/// run of spaces or tabs folded to one space.
fn push_trimmed(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    // Most values have no blank at all, so one cheap pass settles them: tab
    // and space are both at most b' ', and a fold with no early exit becomes
    // a few vector instructions. The rest are looked at closely.
    let untidy = bytes.iter().fold(false, |blank, &b| blank | (b <= b' '))
        && (bytes.contains(&b'\t')
            || bytes.first() == Some(&b' ')
            || bytes.last() == Some(&b' ')
            || bytes.windows(2).any(|pair| pair == b"  "));
    if !untidy {
        out.push_str(value);
        return;
    }
    for (i, word) in value
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Orders headers by lowercase name without allocating lowercase copies.
pub(crate) fn sort_headers(headers: &mut [Header<'_>]) {
    headers.sort_by(|a, b| {
        let a = a.0.bytes().map(|c| c.to_ascii_lowercase());
        let b = b.0.bytes().map(|c| c.to_ascii_lowercase());
        a.cmp(b)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str, normalize: bool) -> String {
        let mut out = String::new();
        push_path(&mut out, p, normalize);
        out
    }

    fn query(q: &str) -> String {
        let mut out = String::new();
        push_query(&mut out, q);
        out
    }

    #[test]
    fn path_is_encoded_again_so_arns_double_encode() {
        assert_eq!(
            path("/functions/arn%3Aaws%3Alambda/x", true),
            "/functions/arn%253Aaws%253Alambda/x"
        );
        assert_eq!(path("/example space/", true), "/example%20space/");
        assert_eq!(path("/\u{1234}", true), "/%E1%88%B4");
        assert_eq!(path("/-._~az09AZ", true), "/-._~az09AZ");
    }

    #[test]
    fn path_normalisation_removes_dot_and_empty_segments() {
        assert_eq!(path("", true), "/");
        assert_eq!(path("/", true), "/");
        assert_eq!(path("//example//", true), "/example/");
        assert_eq!(path("/example/..", true), "/");
        assert_eq!(path("/example1/example2/../..", true), "/");
        assert_eq!(path("/./", true), "/");
        assert_eq!(path("/example/./x/.", true), "/example/x");
        assert_eq!(path("/../..", true), "/");
    }

    #[test]
    fn unnormalized_paths_are_only_encoded() {
        assert_eq!(path("//example//", false), "//example//");
        assert_eq!(path("/a/../b c", false), "/a/../b%20c");
    }

    #[test]
    fn query_is_decoded_encoded_then_sorted() {
        assert_eq!(query(""), "");
        assert_eq!(
            query("Param2=value2&Param1=value1"),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(
            query("Param1=value2&Param1=Value1"),
            "Param1=Value1&Param1=value2"
        );
        assert_eq!(
            query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
        );
        assert_eq!(query("a=b c&k=%3a%2F"), "a=b%20c&k=%3A%2F");
        assert_eq!(query("flag&x="), "flag=&x=");
        assert_eq!(query("p=%zz+1"), "p=%25zz%2B1");
    }

    #[test]
    fn headers_are_lowercased_trimmed_and_joined_in_order() {
        let mut headers = vec![
            ("My-Header1", "  value4  "),
            ("Host", "example.amazonaws.com"),
            ("my-header1", "\"a   b\tc\""),
            ("X-Amz-Date", "20150830T123600Z"),
            ("MY-HEADER1", "value1"),
        ];
        sort_headers(&mut headers);
        let (mut out, mut signed) = (String::new(), String::new());
        push_headers(&mut out, &headers);
        push_signed_headers(&mut signed, &headers);
        assert_eq!(
            out,
            "host:example.amazonaws.com\nmy-header1:value4,\"a b c\",value1\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(signed, "host;my-header1;x-amz-date");
    }

    #[test]
    fn unsigned_headers_are_recognised_in_any_case() {
        for name in [
            "Authorization",
            "USER-AGENT",
            "x-amzn-trace-id",
            "Transfer-Encoding",
            "Expect",
        ] {
            assert!(!is_signable(name), "{name}");
        }
        assert!(is_signable("content-type"));
    }
}

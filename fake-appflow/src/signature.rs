//! The fake's own SigV4 arithmetic, written apart from the client's signer
//! so that a bug there is caught here instead of agreed with.
//!
//! It works from the request as received, as AWS does: the path as sent,
//! encoded once more (non-S3 services sign `%3A` as `%253A`), the query
//! decoded and encoded again, the headers the client says it signed, and
//! the hash of the body that actually arrived.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// What a correct signature over one request is, with the texts AWS shows
/// in its `InvalidSignatureException` message.
#[derive(Clone, PartialEq, Eq)]
pub struct Expected {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, in lowercase hex.
    pub signature: String,
}

impl std::fmt::Debug for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The canonical request may hold a session token.
        f.debug_struct("Expected")
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// What the signer claimed: the scope and the headers it covered.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// `YYYYMMDDTHHMMSSZ`, from `X-Amz-Date`.
    pub amz_date: &'a str,
    /// The scope's region.
    pub region: &'a str,
    /// The scope's service.
    pub service: &'a str,
    /// `SignedHeaders`, `;`-separated lowercase names.
    pub signed_headers: &'a str,
}

/// Why no signature can be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `SignedHeaders` names a header the request does not carry.
    MissingHeader(String),
    /// `SignedHeaders` is not sorted, lowercase and free of repeats.
    UnsortedHeaders,
    /// `SignedHeaders` leaves out `host`.
    HostNotSigned,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::MissingHeader(name) => {
                write!(f, "'{name}' is in SignedHeaders but not in the request")
            }
            Refusal::UnsortedHeaders => {
                f.write_str("SignedHeaders must be lowercase, sorted and without repeats")
            }
            Refusal::HostNotSigned => f.write_str("'Host' must be a 'SignedHeader'"),
        }
    }
}

/// The signature `secret` gives `method target headers body` under `claim`.
///
/// With `normalize`, the path's empty, `.` and `..` segments are removed
/// first (what the v4 suite's `normalize` cases and some SDKs do).
/// Headers are looked up once each, so the cost is linear in their number.
pub fn expected(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
    secret: &str,
    claim: &Claim<'_>,
    normalize: bool,
) -> Result<Expected, Refusal> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let names: Vec<&str> = claim.signed_headers.split(';').collect();
    if names.windows(2).any(|pair| pair[0] >= pair[1])
        || names
            .iter()
            .any(|n| n.is_empty() || n.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(Refusal::UnsortedHeaders);
    }
    if !names.contains(&"host") {
        return Err(Refusal::HostNotSigned);
    }
    // One pass over the headers: the values of the signed ones, by name,
    // in the order they arrived.
    let mut values: BTreeMap<&str, Vec<&str>> = names.iter().map(|n| (*n, Vec::new())).collect();
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        if let Some(list) = values.get_mut(lower.as_str()) {
            list.push(value);
        }
    }

    let mut canonical = String::with_capacity(256 + target.len());
    canonical.push_str(method);
    canonical.push('\n');
    canonical_path(&mut canonical, path, normalize);
    canonical.push('\n');
    canonical_query(&mut canonical, query);
    canonical.push('\n');
    for (name, list) in &values {
        if list.is_empty() {
            return Err(Refusal::MissingHeader((*name).to_owned()));
        }
        canonical.push_str(name);
        canonical.push(':');
        let folded: Vec<String> = list.iter().map(|v| fold_blanks(v)).collect();
        canonical.push_str(&folded.join(","));
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(claim.signed_headers);
    canonical.push('\n');
    canonical.push_str(&hex::encode(Sha256::digest(body)));

    let date = claim.amz_date.get(..8).unwrap_or_default();
    let scope = format!("{date}/{}/{}/aws4_request", claim.region, claim.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        claim.amz_date,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = mac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in [claim.region, claim.service, "aws4_request"] {
        key = mac(&key, part.as_bytes());
    }
    Ok(Expected {
        signature: hex::encode(mac(&key, string_to_sign.as_bytes())),
        canonical_request: canonical,
        string_to_sign,
    })
}

fn mac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Bytes left as they are in a URI component: RFC 3986's unreserved set.
fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

fn encode_into(out: &mut String, bytes: &[u8]) {
    for &byte in bytes {
        if unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

fn canonical_path(out: &mut String, path: &str, normalize: bool) {
    let segments: Vec<&str> = if normalize {
        let mut kept = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    kept.pop();
                }
                other => kept.push(other),
            }
        }
        let trailing = path.ends_with('/') && !kept.is_empty();
        if trailing {
            kept.push("");
        }
        std::iter::once("").chain(kept).collect()
    } else if path.is_empty() {
        vec!["", ""]
    } else {
        path.split('/').collect()
    };
    if segments.len() == 1 {
        out.push('/');
        return;
    }
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_into(out, segment.as_bytes());
    }
}

fn canonical_query(out: &mut String, query: &str) {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(key), reencode(value))
        })
        .collect();
    pairs.sort();
    let joined: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    out.push_str(&joined.join("&"));
}

/// A query component decoded, then encoded with the unreserved set.
fn reencode(component: &str) -> String {
    let mut out = String::with_capacity(component.len());
    encode_into(&mut out, &percent_decoded(component));
    out
}

/// `%XX` sequences decoded; a `%` not followed by two hex digits stays.
fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Leading and trailing blanks dropped, inner runs folded to one space.
fn fold_blanks(value: &str) -> String {
    value
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(signed_headers: &str) -> Claim<'_> {
        Claim {
            amz_date: "20150830T123600Z",
            region: "us-east-1",
            service: "service",
            signed_headers,
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn paths_are_encoded_again_and_queries_sorted() {
        let h = headers(&[("Host", "h"), ("X-Amz-Date", "20150830T123600Z")]);
        let out = expected(
            "GET",
            "/tags/arn%3Aaws%3Aappflow/x y?b=2&a=%7E1",
            &h,
            b"",
            "s",
            &claim("host;x-amz-date"),
            false,
        )
        .unwrap();
        let lines: Vec<&str> = out.canonical_request.lines().collect();
        assert_eq!(lines[1], "/tags/arn%253Aaws%253Aappflow/x%20y");
        assert_eq!(lines[2], "a=~1&b=2");
    }

    #[test]
    fn repeated_headers_join_in_arrival_order_and_blanks_fold() {
        let h = headers(&[
            ("Host", "h"),
            ("My-Header", " b  c "),
            ("X-Amz-Date", "20150830T123600Z"),
            ("my-header", "a"),
        ]);
        let out = expected(
            "GET",
            "/",
            &h,
            b"",
            "s",
            &claim("host;my-header;x-amz-date"),
            false,
        )
        .unwrap();
        assert!(out.canonical_request.contains("\nmy-header:b c,a\n"));
    }

    #[test]
    fn claims_that_cannot_be_checked_are_refused() {
        let h = headers(&[("Host", "h")]);
        let refuse =
            |signed| expected("GET", "/", &h, b"", "s", &claim(signed), false).unwrap_err();
        assert_eq!(refuse("x-amz-date"), Refusal::HostNotSigned);
        assert_eq!(refuse("x-amz-date;host"), Refusal::UnsortedHeaders);
        assert_eq!(refuse("Host"), Refusal::UnsortedHeaders);
        assert_eq!(
            refuse("host;x-amz-date"),
            Refusal::MissingHeader("x-amz-date".into())
        );
    }

    #[test]
    fn normalising_removes_dot_and_empty_segments() {
        let mut out = String::new();
        canonical_path(&mut out, "/a/./b/../c//d/", true);
        assert_eq!(out, "/a/c/d/");
        out.clear();
        canonical_path(&mut out, "/a//b", false);
        assert_eq!(out, "/a//b");
        out.clear();
        canonical_path(&mut out, "/..", true);
        assert_eq!(out, "/");
    }
}

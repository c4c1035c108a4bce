//! AWS Signature Version 4, written by hand.
//!
//! Signing is pure: [`Signer::sign`] takes the request as it will go on the
//! wire, the credentials, a region, a service and the time, and returns the
//! headers to add. It never reads the clock, the environment or the network,
//! so the same inputs always give the same signature.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use appflow_lite::credentials::Credentials;
//! use appflow_lite::sigv4::{Payload, SignableRequest, Signer, SigningParams};
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
//! let request = SignableRequest::new(
//!     "GET",
//!     "/",
//!     &[("Host", "example.amazonaws.com")],
//!     Payload::Bytes(b""),
//! );
//! let signed = Signer::new()
//!     .sign(&request, &SigningParams::new(&creds, "us-east-1", "service", time))
//!     .unwrap();
//! assert_eq!(
//!     signed.signature(),
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! ```

mod canonical;
mod key;

use std::fmt;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
pub use crate::time::parse_amz_date;

/// Writes a time as SigV4 does, `YYYYMMDDTHHMMSSZ` (the `X-Amz-Date` form).
pub fn format_amz_date(time: SystemTime) -> String {
    ascii(&crate::time::amz_date(time)).to_owned()
}
use canonical::Header;
pub(crate) use canonical::push_encoded;
use key::KeyCache;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The body of a request, or its SHA-256 when the caller already has it.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// The exact body bytes; the signer hashes them once.
    Bytes(&'a [u8]),
    /// The lowercase hex SHA-256 of the body, computed elsewhere.
    Sha256Hex(&'a str),
}

/// A request exactly as it goes on the wire.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    method: &'a str,
    uri: &'a str,
    headers: &'a [(&'a str, &'a str)],
    payload: Payload<'a>,
}

impl<'a> SignableRequest<'a> {
    /// A request to sign.
    ///
    /// `uri` is either the request target (`/path?query`, already
    /// percent-encoded as it is sent) or an absolute `https://host/path?query`
    /// URL, from which `host` is taken when `headers` has none (a default port
    /// is dropped, as HTTP clients do in the `Host` header).
    pub fn new(
        method: &'a str,
        uri: &'a str,
        headers: &'a [(&'a str, &'a str)],
        payload: Payload<'a>,
    ) -> Self {
        SignableRequest {
            method,
            uri,
            headers,
            payload,
        }
    }

    /// Splits the URI into the authority's host (when absolute), the path and the query.
    fn parts(&self) -> (Option<&'a str>, &'a str, &'a str) {
        // A request target (the usual case) needs no scheme search.
        let absolute = if self.uri.starts_with('/') {
            None
        } else {
            split_scheme(self.uri)
        };
        let (host, target) = match absolute {
            Some((scheme, rest)) => {
                let end = rest.find(['/', '?']).unwrap_or(rest.len());
                let authority = &rest[..end];
                let authority = authority
                    .rsplit_once('@')
                    .map_or(authority, |(_, host)| host);
                let default_port = if scheme.eq_ignore_ascii_case("https") {
                    ":443"
                } else {
                    ":80"
                };
                (
                    Some(authority.strip_suffix(default_port).unwrap_or(authority)),
                    &rest[end..],
                )
            }
            None => (None, self.uri),
        };
        // One walk finds where the path ends; the query, if any, ends at `#`.
        let path_end = target.find(['?', '#']).unwrap_or(target.len());
        let (path, rest) = target.split_at(path_end);
        let query = match rest.strip_prefix('?') {
            Some(query) => query.split_once('#').map_or(query, |(before, _)| before),
            None => "",
        };
        (host, path, query)
    }
}

fn split_scheme(uri: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = uri.split_once("://")?;
    let is_scheme = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.');
    is_scheme.then_some((scheme, rest))
}

/// Who signs, for which region and service, at what time, and how.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    credentials: &'a Credentials,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
    normalize_path: bool,
    content_sha256_header: bool,
}

impl<'a> SigningParams<'a> {
    /// Parameters with the defaults every non-S3 service expects: paths
    /// normalised, no `x-amz-content-sha256` header.
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service: &'a str,
        time: SystemTime,
    ) -> Self {
        SigningParams {
            credentials,
            region,
            service,
            time,
            normalize_path: true,
            content_sha256_header: false,
        }
    }

    /// Whether to remove `.`, `..` and empty path segments before signing
    /// (on by default; S3 is the service that needs it off).
    pub fn normalize_path(mut self, normalize: bool) -> Self {
        self.normalize_path = normalize;
        self
    }

    /// Whether to add and sign an `x-amz-content-sha256` header holding the
    /// payload hash (off by default; S3-style services ask for it).
    pub fn content_sha256_header(mut self, add: bool) -> Self {
        self.content_sha256_header = add;
        self
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The request has no `Host` header and its URI is not absolute.
    MissingHost,
    /// A precomputed payload hash is not 64 lowercase hex digits.
    InvalidPayloadHash,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::MissingHost => {
                f.write_str("cannot sign: the request has no Host header and no absolute URL")
            }
            SigningError::InvalidPayloadHash => {
                f.write_str("cannot sign: the payload hash is not 64 lowercase hex digits")
            }
        }
    }
}

impl std::error::Error for SigningError {}

/// The result of signing: the headers to add, and the intermediate texts
/// that explain a `SignatureDoesNotMatch`.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// The canonical request, the string to sign and the `Authorization`
    /// value, back to back in one allocation.
    text: String,
    string_to_sign_at: usize,
    authorization_at: usize,
    amz_date: [u8; 16],
    session_token: Option<String>,
    content_sha256: Option<[u8; 64]>,
}

impl SigningOutput {
    /// The headers to add to the request, in this order: `X-Amz-Date`,
    /// `X-Amz-Security-Token` (with a session token),
    /// `X-Amz-Content-SHA256` (when asked for), then `Authorization`.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let date = Some(("X-Amz-Date", self.x_amz_date()));
        let token = self
            .session_token
            .as_deref()
            .map(|t| ("X-Amz-Security-Token", t));
        let content = self
            .content_sha256
            .as_ref()
            .map(|h| ("X-Amz-Content-SHA256", ascii(h)));
        let authorization = Some(("Authorization", self.authorization()));
        [date, token, content, authorization].into_iter().flatten()
    }

    /// The value of the `X-Amz-Date` header, `YYYYMMDDTHHMMSSZ`.
    pub fn x_amz_date(&self) -> &str {
        ascii(&self.amz_date)
    }

    /// The canonical request that was hashed, with the session token's
    /// value shown as `***` (it is a credential, and this text ends up in
    /// logs); [`canonical_request_with_secrets`](Self::canonical_request_with_secrets)
    /// gives it exactly.
    pub fn canonical_request(&self) -> std::borrow::Cow<'_, str> {
        let text = self.canonical_request_with_secrets();
        match self.session_token.as_deref().filter(|t| !t.is_empty()) {
            Some(token) if text.contains(token) => text.replace(token, "***").into(),
            _ => text.into(),
        }
    }

    /// The canonical request exactly as hashed, session token included.
    pub fn canonical_request_with_secrets(&self) -> &str {
        &self.text[..self.string_to_sign_at]
    }

    /// The string that was signed.
    pub fn string_to_sign(&self) -> &str {
        &self.text[self.string_to_sign_at..self.authorization_at]
    }

    /// The value of the `Authorization` header.
    pub fn authorization(&self) -> &str {
        &self.text[self.authorization_at..]
    }

    /// The signature, 64 lowercase hex digits.
    pub fn signature(&self) -> &str {
        &self.text[self.text.len() - 64..]
    }
}

impl fmt::Debug for SigningOutput {
    // The token is a credential; the rest is safe to show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("x_amz_date", &self.x_amz_date())
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("authorization", &self.authorization())
            .finish_non_exhaustive()
    }
}

/// Signs requests, remembering the derived key between calls.
///
/// One `Signer` is meant to live as long as a client and be shared by its
/// threads; it is cheap to create.
#[derive(Debug, Default)]
pub struct Signer {
    keys: KeyCache,
}

impl Signer {
    /// A signer with an empty key cache.
    pub fn new() -> Self {
        Signer::default()
    }

    /// Signs `request` and returns the headers to add.
    pub fn sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<SigningOutput, SigningError> {
        let amz_date = crate::time::amz_date(params.time);
        let amz_date_text = ascii(&amz_date);
        let date = &amz_date_text[..8];
        let (uri_host, path, query) = request.parts();
        let token = params.credentials.session_token();

        let mut payload_hex = [0u8; 64];
        let payload_hash = match request.payload {
            Payload::Bytes(body) => hex_into(&Sha256::digest(body).into(), &mut payload_hex),
            Payload::Sha256Hex(hash) if is_sha256_hex(hash) => hash,
            Payload::Sha256Hex(_) => return Err(SigningError::InvalidPayloadHash),
        };

        // The headers that take part, with those the signer sets itself
        // replaced. They live on the stack: a request signed here has four or
        // so, and a heap list cost a tenth of a cached signature.
        let mut inline = [("", ""); 8];
        let mut spilled = Vec::new();
        let room = request.headers.len() + 4;
        let slots: &mut [Header<'_>] = if room <= inline.len() {
            &mut inline
        } else {
            spilled.resize(room, ("", ""));
            &mut spilled
        };
        let mut count = 0;
        let mut push = |header| {
            slots[count] = header;
            count += 1;
        };
        let mut has_host = false;
        for &(name, value) in request.headers {
            let replaced = name.eq_ignore_ascii_case("x-amz-date")
                || (token.is_some() && name.eq_ignore_ascii_case("x-amz-security-token"))
                || (params.content_sha256_header
                    && name.eq_ignore_ascii_case("x-amz-content-sha256"));
            if !replaced && canonical::is_signable(name) {
                has_host |= name.eq_ignore_ascii_case("host");
                push((name, value));
            }
        }
        if !has_host {
            push(("host", uri_host.ok_or(SigningError::MissingHost)?));
        }
        push(("x-amz-date", amz_date_text));
        if let Some(token) = token {
            push(("x-amz-security-token", token));
        }
        if params.content_sha256_header {
            push(("x-amz-content-sha256", payload_hash));
        }
        let headers = &mut slots[..count];
        canonical::sort_headers(headers);

        // One buffer holds all three texts; size it so it never grows.
        let header_bytes: usize = headers.iter().map(|(n, v)| 2 * n.len() + v.len() + 2).sum();
        let scope_len = date.len() + params.region.len() + params.service.len() + 14;
        let key_id = params.credentials.access_key_id();
        let mut text = String::with_capacity(
            request.method.len()
                + 3 * (path.len() + query.len())
                + 2 * header_bytes
                + 2 * scope_len
                + key_id.len()
                + 300,
        );

        text.push_str(request.method);
        text.push('\n');
        canonical::push_path(&mut text, path, params.normalize_path);
        text.push('\n');
        canonical::push_query(&mut text, query);
        text.push('\n');
        canonical::push_headers(&mut text, headers);
        text.push('\n');
        let signed_headers_at = text.len();
        canonical::push_signed_headers(&mut text, headers);
        let signed_headers = signed_headers_at..text.len();
        text.push('\n');
        text.push_str(payload_hash);

        let request_hash = Sha256::digest(text.as_bytes());
        let string_to_sign_at = text.len();
        for part in [ALGORITHM, "\n", amz_date_text, "\n"] {
            text.push_str(part);
        }
        let scope_at = text.len();
        for part in [
            date,
            "/",
            params.region,
            "/",
            params.service,
            "/aws4_request",
        ] {
            text.push_str(part);
        }
        let scope = scope_at..text.len();
        text.push('\n');
        push_hex(&mut text, &request_hash.into());

        let date_key: &[u8; 8] = date.as_bytes().try_into().expect("an 8-byte date");
        let signature = self.keys.sign(
            params.credentials,
            date_key,
            params.region,
            params.service,
            &text.as_bytes()[string_to_sign_at..],
        );

        let authorization_at = text.len();
        text.push_str(ALGORITHM);
        text.push_str(" Credential=");
        text.push_str(key_id);
        text.push('/');
        text.extend_from_within(scope);
        text.push_str(", SignedHeaders=");
        text.extend_from_within(signed_headers);
        text.push_str(", Signature=");
        push_hex(&mut text, &signature);

        Ok(SigningOutput {
            text,
            string_to_sign_at,
            authorization_at,
            amz_date,
            session_token: token.map(str::to_owned),
            content_sha256: params.content_sha256_header.then(|| {
                let mut hex = [0u8; 64];
                hex.copy_from_slice(payload_hash.as_bytes());
                hex
            }),
        })
    }
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("ASCII by construction")
}

/// Appends a SHA-256 or HMAC-SHA256 as lowercase hex.
fn push_hex(out: &mut String, bytes: &[u8; 32]) {
    let mut hex = [0u8; 64];
    out.push_str(hex_into(bytes, &mut hex));
}

/// Writes a SHA-256 as lowercase hex into `out` and returns it as text.
///
/// By hand, two digits per table lookup over a fixed 32 bytes: about a
/// third of the `hex` crate's general iterator, on the signing hot path.
fn hex_into<'b>(bytes: &[u8; 32], out: &'b mut [u8; 64]) -> &'b str {
    for (i, &b) in bytes.iter().enumerate() {
        [out[2 * i], out[2 * i + 1]] = HEX_PAIRS[usize::from(b)];
    }
    std::str::from_utf8(out).expect("hex is ASCII")
}

/// The two lowercase hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [DIGITS[b >> 4], DIGITS[b & 0xF]];
        b += 1;
    }
    pairs
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const SUITE_TIME: u64 = 1_440_938_160; // 2015-08-30T12:36:00Z

    fn creds() -> Credentials {
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    }

    fn sign(
        uri: &str,
        headers: &[(&str, &str)],
        creds: &Credentials,
    ) -> Result<SigningOutput, SigningError> {
        let time = UNIX_EPOCH + Duration::from_secs(SUITE_TIME);
        let request = SignableRequest::new("GET", uri, headers, Payload::Bytes(b""));
        Signer::new().sign(
            &request,
            &SigningParams::new(creds, "us-east-1", "service", time),
        )
    }

    #[test]
    fn host_comes_from_an_absolute_url_without_its_default_port() {
        let vanilla = sign("/", &[("Host", "example.amazonaws.com")], &creds()).unwrap();
        for url in [
            "https://example.amazonaws.com/",
            "https://example.amazonaws.com:443/",
            "http://example.amazonaws.com:80",
        ] {
            let out = sign(url, &[], &creds()).unwrap();
            assert_eq!(out.signature(), vanilla.signature(), "{url}");
        }
        let custom = sign("http://127.0.0.1:8080/", &[], &creds()).unwrap();
        assert!(
            custom
                .canonical_request()
                .contains("\nhost:127.0.0.1:8080\n")
        );
    }

    #[test]
    fn headers_the_signer_sets_replace_the_callers() {
        let stale = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "20000101T000000Z"),
            ("User-Agent", "x/1"),
        ];
        let out = sign("/", &stale, &creds()).unwrap();
        assert_eq!(
            out.canonical_request(),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn session_token_is_signed_and_returned_but_not_debug_printed() {
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let out = sign(
            "/",
            &[("Host", "example.amazonaws.com")],
            &creds().with_session_token(token),
        )
        .unwrap();
        // The v4 suite's get-vanilla-with-session-token.
        assert_eq!(
            out.signature(),
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        );
        let names: Vec<&str> = out.headers().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"]
        );
        assert!(
            out.headers()
                .any(|(n, v)| n == "X-Amz-Security-Token" && v == token)
        );
        assert!(!format!("{out:?}").contains(token));
    }

    #[test]
    fn authorization_names_key_scope_headers_and_signature() {
        let out = sign("/", &[("Host", "example.amazonaws.com")], &creds()).unwrap();
        assert_eq!(
            out.authorization(),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn more_headers_than_the_stack_holds_sign_the_same_way() {
        // Nine headers plus x-amz-date: past the eight kept on the stack.
        let names = ["B", "a", "X-C", "d", "e", "f", "g", "h"];
        let mut headers: Vec<(&str, &str)> = names.iter().map(|&n| (n, " v  1 ")).collect();
        headers.push(("Host", "example.amazonaws.com"));
        let out = sign("/", &headers, &creds()).unwrap();
        assert_eq!(
            out.canonical_request(),
            "GET\n/\n\na:v 1\nb:v 1\nd:v 1\ne:v 1\nf:v 1\ng:v 1\nh:v 1\n\
             host:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-c:v 1\n\n\
             a;b;d;e;f;g;h;host;x-amz-date;x-c\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // The same request, headers in another order: the same signature.
        headers.reverse();
        assert_eq!(
            sign("/", &headers, &creds()).unwrap().signature(),
            out.signature()
        );
    }

    #[test]
    fn the_target_splits_into_path_and_query_without_the_fragment() {
        let parts = |uri| SignableRequest::new("GET", uri, &[], Payload::Bytes(b"")).parts();
        assert_eq!(parts("/p?a=1#f"), (None, "/p", "a=1"));
        assert_eq!(parts("/p#f?a=1"), (None, "/p", ""));
        assert_eq!(parts("/p"), (None, "/p", ""));
        assert_eq!(parts("https://h:443/p?q"), (Some("h"), "/p", "q"));
        assert_eq!(parts("http://h:8080?q"), (Some("h:8080"), "", "q"));
    }

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        let mut bytes = [0u8; 32];
        bytes[..4].copy_from_slice(&[0x00, 0x0f, 0xa0, 0xff]);
        let mut out = [0u8; 64];
        assert_eq!(&hex_into(&bytes, &mut out)[..8], "000fa0ff");
        assert_eq!(hex_into(&[0xab; 32], &mut out), "ab".repeat(32));
    }

    #[test]
    fn a_request_without_any_host_is_refused() {
        assert_eq!(sign("/", &[], &creds()), Err(SigningError::MissingHost));
    }
}

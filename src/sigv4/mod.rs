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

use hmac::Mac;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
pub use crate::time::parse_amz_date;
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
        let (host, target) = match split_scheme(self.uri) {
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
        let target = target.split_once('#').map_or(target, |(before, _)| before);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
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
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::MissingHost => {
                f.write_str("cannot sign: the request has no Host header and no absolute URL")
            }
        }
    }
}

impl std::error::Error for SigningError {}

/// The result of signing: the headers to add, and the intermediate texts
/// that explain a `SignatureDoesNotMatch`.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    headers: Vec<(&'static str, String)>,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
}

impl SigningOutput {
    /// The headers to add to the request, in this order: `X-Amz-Date`,
    /// `X-Amz-Security-Token` (with a session token),
    /// `X-Amz-Content-SHA256` (when asked for), then `Authorization`.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }

    /// The canonical request that was hashed.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string that was signed.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature, 64 lowercase hex digits.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The value of the `Authorization` header.
    pub fn authorization(&self) -> &str {
        self.headers.last().map_or("", |(_, value)| value.as_str())
    }
}

impl fmt::Debug for SigningOutput {
    // The token is a credential; the rest is safe to show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers()
            .map(|(name, value)| match name {
                "X-Amz-Security-Token" => (name, "** redacted **"),
                _ => (name, value),
            })
            .collect();
        f.debug_struct("SigningOutput")
            .field("headers", &headers)
            .field("canonical_request", &"..")
            .field("string_to_sign", &self.string_to_sign)
            .finish()
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
        let amz_date = std::str::from_utf8(&amz_date).expect("amz dates are ASCII");
        let date = &amz_date[..8];
        let (uri_host, path, query) = request.parts();

        let mut payload_hex = [0u8; 64];
        let payload_hash = match request.payload {
            Payload::Bytes(body) => hex_into(&Sha256::digest(body), &mut payload_hex),
            Payload::Sha256Hex(hash) => hash,
        };
        let token = params.credentials.session_token();

        // The headers that take part, with those the signer sets itself replaced.
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(request.headers.len() + 4);
        let mut has_host = false;
        for &(name, value) in request.headers {
            let replaced = name.eq_ignore_ascii_case("x-amz-date")
                || (token.is_some() && name.eq_ignore_ascii_case("x-amz-security-token"))
                || (params.content_sha256_header
                    && name.eq_ignore_ascii_case("x-amz-content-sha256"));
            if !replaced && canonical::is_signable(name) {
                has_host |= name.eq_ignore_ascii_case("host");
                headers.push((name, value));
            }
        }
        if !has_host {
            headers.push(("host", uri_host.ok_or(SigningError::MissingHost)?));
        }
        headers.push(("x-amz-date", amz_date));
        if let Some(token) = token {
            headers.push(("x-amz-security-token", token));
        }
        if params.content_sha256_header {
            headers.push(("x-amz-content-sha256", payload_hash));
        }
        canonical::sort_headers(&mut headers);

        let mut canonical_request =
            String::with_capacity(256 + path.len() + query.len() + 64 * headers.len());
        let mut signed_headers = String::with_capacity(64);
        canonical_request.push_str(request.method);
        canonical_request.push('\n');
        canonical::push_path(&mut canonical_request, path, params.normalize_path);
        canonical_request.push('\n');
        canonical::push_query(&mut canonical_request, query);
        canonical_request.push('\n');
        canonical::push_headers(&mut canonical_request, &mut signed_headers, &headers);
        canonical_request.push('\n');
        canonical_request.push_str(&signed_headers);
        canonical_request.push('\n');
        canonical_request.push_str(payload_hash);

        let mut request_hex = [0u8; 64];
        let request_hash = hex_into(
            &Sha256::digest(canonical_request.as_bytes()),
            &mut request_hex,
        );
        let scope_len = date.len() + params.region.len() + params.service.len() + 15;
        let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 18 + scope_len + 65);
        for part in [
            ALGORITHM,
            "\n",
            amz_date,
            "\n",
            date,
            "/",
            params.region,
            "/",
            params.service,
            "/aws4_request\n",
            request_hash,
        ] {
            string_to_sign.push_str(part);
        }

        let date_key: &[u8; 8] = date.as_bytes().try_into().expect("8-byte date");
        let mut mac = self
            .keys
            .mac(params.credentials, date_key, params.region, params.service);
        mac.update(string_to_sign.as_bytes());
        let mut signature_hex = [0u8; 64];
        let signature = hex_into(&mac.finalize().into_bytes(), &mut signature_hex).to_owned();

        let scope = &string_to_sign[ALGORITHM.len() + 18..ALGORITHM.len() + 18 + scope_len];
        let mut authorization = String::with_capacity(
            100 + params.credentials.access_key_id().len() + scope_len + signed_headers.len(),
        );
        for part in [
            ALGORITHM,
            " Credential=",
            params.credentials.access_key_id(),
            "/",
            scope,
            ", SignedHeaders=",
            &signed_headers,
            ", Signature=",
            &signature,
        ] {
            authorization.push_str(part);
        }

        let mut added = Vec::with_capacity(4);
        added.push(("X-Amz-Date", amz_date.to_owned()));
        if let Some(token) = token {
            added.push(("X-Amz-Security-Token", token.to_owned()));
        }
        if params.content_sha256_header {
            added.push(("X-Amz-Content-SHA256", payload_hash.to_owned()));
        }
        added.push(("Authorization", authorization));
        Ok(SigningOutput {
            headers: added,
            canonical_request,
            string_to_sign,
            signature,
        })
    }
}

/// Writes `bytes` as lowercase hex into `out` and returns it as text.
fn hex_into<'b>(bytes: &[u8], out: &'b mut [u8; 64]) -> &'b str {
    hex::encode_to_slice(bytes, out).expect("a SHA-256 is 32 bytes");
    std::str::from_utf8(out).expect("hex is ASCII")
}

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
    fn a_request_without_any_host_is_refused() {
        assert_eq!(sign("/", &[], &creds()), Err(SigningError::MissingHost));
    }
}

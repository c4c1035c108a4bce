//! AWS's restJson1 protocol: the request a call puts on the wire, and how an
//! answer turns into an output or a [`ServiceError`]. Pure functions on bytes.

use std::time::{Duration, SystemTime};

use crate::error::{Error, ErrorCode, ServiceError};
use crate::json::{FromJson, Json};
use crate::path::At;

/// A signed request, ready for the transport (or for inspection).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedRequest {
    /// The HTTP method.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// Every header the client sets, signature included. The transport adds
    /// `Host` and `Content-Length` from the URL and body.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body.
    pub body: Vec<u8>,
}

/// The session token is a credential: `Debug` redacts it.
impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| match *name {
                "X-Amz-Security-Token" => (*name, "** redacted **"),
                _ => (*name, value.as_str()),
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// An answer as the transport read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HttpResponse {
    pub status: u16,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body was longer than the client reads; `body` holds its start.
    pub truncated: bool,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Appends a path label: everything but RFC 3986's unreserved characters
/// is percent-encoded, `/` and `:` in an ARN included (botocore does the same).
pub(crate) fn push_label(path: &mut String, value: &str) {
    crate::sigv4::push_encoded(path, value.as_bytes(), false);
}

/// Appends `name=value` to a query string, both percent-encoded.
pub(crate) fn push_query(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    crate::sigv4::push_encoded(query, name.as_bytes(), false);
    query.push('=');
    crate::sigv4::push_encoded(query, value.as_bytes(), false);
}

/// A body as compact JSON.
pub(crate) fn json_body(body: &Json) -> Vec<u8> {
    // Writing a `Json` into memory cannot fail: its keys are strings.
    serde_json::to_vec(body).unwrap_or_default()
}

/// Reads a 2xx answer's JSON body; an empty body is an empty object.
pub(crate) fn parse_json_body(response: &HttpResponse) -> Result<serde_json::Value, Error> {
    serde_json::from_slice(whole_body(response)?)
        .map_err(|e| invalid_body(response, format!("the body is not JSON: {e}")))
}

/// A 2xx answer's body as JSON text, unparsed but checked: whole, UTF-8,
/// one JSON value (`{}` for an empty body, as restJson1 reads it).
pub(crate) fn json_text(response: &HttpResponse) -> Result<String, Error> {
    let body = whole_body(response)?;
    serde_json::from_slice::<serde::de::IgnoredAny>(body)
        .map_err(|e| invalid_body(response, format!("the body is not JSON: {e}")))?;
    String::from_utf8(body.to_vec())
        .map_err(|_| invalid_body(response, "the body is not UTF-8".to_owned()))
}

/// The body of a 2xx answer, if it was read whole; `{}` for a blank one.
fn whole_body(response: &HttpResponse) -> Result<&[u8], Error> {
    if response.truncated {
        let reason = format!("the body is larger than {} bytes", response.body.len());
        return Err(invalid_body(response, reason));
    }
    Ok(if response.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &response.body
    })
}

fn invalid_body(response: &HttpResponse, reason: String) -> Error {
    Error::InvalidResponse {
        status: response.status,
        reason,
    }
}

/// Reads an answer's JSON into the operation's output. Unknown members are
/// ignored (AWS adds them); a member of the wrong type is an error that
/// names it.
pub(crate) fn read_output<T: FromJson>(status: u16, body: &serde_json::Value) -> Result<T, Error> {
    T::from_json(body, At::OUTPUT).map_err(|e| Error::InvalidResponse {
        status,
        reason: format!("the body is not the expected JSON: {e}"),
    })
}

/// Both steps: a 2xx answer into the operation's output.
#[cfg(test)]
pub(crate) fn parse_output<T: FromJson>(response: &HttpResponse) -> Result<T, Error> {
    read_output(response.status, &parse_json_body(response)?)
}

/// The answer's request id (`x-amzn-requestid`, else `x-amz-request-id`).
pub(crate) fn request_id(response: &HttpResponse) -> Option<&str> {
    response
        .header("x-amzn-requestid")
        .or_else(|| response.header("x-amz-request-id"))
}

/// Turns an error answer into a [`ServiceError`], whatever its body holds.
///
/// The code comes from the `x-amzn-errortype` header, else the body's
/// `__type` or `code`; when none is there, from the status as the AWS CLI
/// does (`500`).
///
/// Secrets are masked first, in the raw body and so in the message: the
/// `known` ones (the request's secret key and session token), and any
/// `x-amz-security-token` value (AWS's signature errors quote the canonical
/// request, token included). A body that is not UTF-8 keeps its message,
/// with replacement characters.
pub(crate) fn parse_error(response: &HttpResponse, known: &[&str]) -> ServiceError {
    let body = mask_secrets(&response.body, known);
    let text = String::from_utf8_lossy(&body);
    let json: Option<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&text).ok();
    let field = |names: &[&str]| -> Option<String> {
        let object = json.as_ref()?;
        names
            .iter()
            .find_map(|name| object.get(*name)?.as_str().map(str::to_owned))
    };
    let raw_code = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| field(&["__type", "code", "Code"]))
        .filter(|code| !sanitize_code(code).is_empty());
    let code = match &raw_code {
        Some(raw) => ErrorCode::from(sanitize_code(raw)),
        None => ErrorCode::Unknown(response.status.to_string()),
    };
    let message = field(&["message", "Message", "errorMessage"]).or_else(|| {
        raw_code
            .is_none()
            .then(|| reason_phrase(response.status).to_owned())
            .filter(|m| !m.is_empty())
    });
    let request_id = request_id(response).map(str::to_owned);
    let retry_after = response
        .header("x-amz-retry-after")
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map(Duration::from_millis);
    ServiceError {
        status: response.status,
        code,
        message,
        request_id,
        body,
        server_time: server_time(response),
        retry_after,
        attempts: 1,
        quota_exhausted: false,
    }
}

/// `bytes` with every occurrence of a `known` secret, and every
/// `x-amz-security-token` value, replaced by `***`.
pub(crate) fn mask_secrets(bytes: &[u8], known: &[&str]) -> Vec<u8> {
    const MASK: &[u8] = b"***";
    const NAME: &[u8] = b"x-amz-security-token";
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    'scan: while i < bytes.len() {
        // Short strings are not secrets worth a false positive.
        for secret in known.iter().map(|s| s.as_bytes()).filter(|s| s.len() >= 8) {
            if bytes[i..].starts_with(secret) {
                out.extend_from_slice(MASK);
                i += secret.len();
                continue 'scan;
            }
        }
        if bytes.len() - i >= NAME.len() && bytes[i..i + NAME.len()].eq_ignore_ascii_case(NAME) {
            out.extend_from_slice(&bytes[i..i + NAME.len()]);
            i += NAME.len();
            // `: `, `=`, `":"` and the like, then the token's characters.
            while i < bytes.len() && matches!(bytes[i], b':' | b'=' | b' ' | b'"' | b'\'') {
                out.push(bytes[i]);
                i += 1;
            }
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || matches!(bytes[i], b'+' | b'/' | b'=' | b'%' | b'_' | b'-'))
            {
                i += 1;
            }
            if i > start {
                out.extend_from_slice(MASK);
            }
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The service's clock, from the `Date` header; an answer with an `Age`
/// header came from a cache and says nothing about the service's clock.
pub(crate) fn server_time(response: &HttpResponse) -> Option<SystemTime> {
    if response.header("age").is_some() {
        return None;
    }
    crate::time::parse_http_date(response.header("date")?)
}

/// `aws.protocoltests#FooError:http://internal...` is `FooError`.
fn sanitize_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    before_colon
        .rsplit('#')
        .next()
        .unwrap_or(before_colon)
        .trim()
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error answer parsed with no secrets known.
    fn parse_error(response: &HttpResponse) -> ServiceError {
        super::parse_error(response, &[])
    }

    #[test]
    fn x_amz_retry_after_is_read_as_milliseconds() {
        let response = HttpResponse {
            status: 429,
            headers: vec![("x-amz-retry-after".into(), "1500".into())],
            body: b"{}".to_vec(),
            truncated: false,
        };
        let error = parse_error(&response);
        assert_eq!(error.retry_after, Some(Duration::from_millis(1500)));
        // And the retry waits exactly that (under the cap), whatever the draw.
        let retry = crate::RetryConfig::STANDARD;
        assert_eq!(
            retry.backoff(1, 0.5, error.retry_after),
            Duration::from_millis(1500)
        );
    }

    #[test]
    fn secrets_quoted_by_a_signature_error_are_masked() {
        // AWS quotes the canonical request it expected, token included.
        let body = concat!(
            r#"{"message":"The request signature we calculated does not match.\n\n"#,
            r#"The Canonical String for this request should have been\n'POST\n/register-connector\n\n"#,
            r#"content-type:application/json\nhost:appflow.us-east-1.amazonaws.com\n"#,
            r#"x-amz-date:20261127T101112Z\nx-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLE+token/=\n\n'","#,
            r#""note":"X-Amz-Security-Token=Other%2Btoken and secret wJalrXUtnFEMI/K7MDENG"}"#
        );
        let r = response(
            403,
            &[("x-amzn-errortype", "InvalidSignatureException")],
            body,
        );
        let err = super::parse_error(&r, &["wJalrXUtnFEMI/K7MDENG", "short"]);
        for shown in [
            err.to_string(),
            format!("{err:?}"),
            String::from_utf8_lossy(err.raw_body()).into_owned(),
        ] {
            for secret in ["IQoJb3JpZ2luX2VjEXAMPLE", "Other%2Btoken", "wJalrXUtnFEMI"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
        }
        assert!(
            err.message()
                .unwrap()
                .contains("x-amz-security-token:***\n"),
            "{:?}",
            err.message()
        );
        assert_eq!(
            mask_secrets(b"nothing to hide, short", &["short"]),
            b"nothing to hide, short"
        );
    }

    #[test]
    fn a_message_that_is_not_utf8_is_kept_with_replacement_characters() {
        let mut r = response(400, &[("x-amzn-errortype", "ValidationException")], "");
        r.body = b"{\"message\":\"bad \xff byte\"}".to_vec();
        assert_eq!(parse_error(&r).message(), Some("bad \u{fffd} byte"));
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn code_is_sanitised_from_header_or_body() {
        for (raw, expected) in [
            ("ConflictException", "ConflictException"),
            (
                "ConflictException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                "ConflictException",
            ),
            (
                "com.amazonaws.appflow#ConflictException",
                "ConflictException",
            ),
            (
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/",
                "FooError",
            ),
            (" ThrottlingException ", "ThrottlingException"),
        ] {
            assert_eq!(sanitize_code(raw), expected);
        }
    }

    #[test]
    fn header_code_wins_over_body_code() {
        let r = response(
            409,
            &[("x-amzn-errortype", "ConflictException:http://x/")],
            r#"{"__type":"Other","message":"taken"}"#,
        );
        let err = parse_error(&r);
        assert_eq!(err.code(), &ErrorCode::ConflictException);
        assert_eq!(err.message(), Some("taken"));
    }

    #[test]
    fn body_code_is_read_from_type_or_code() {
        let a = parse_error(&response(
            429,
            &[],
            r#"{"__type":"com.amazonaws.appflow#ThrottlingException","Message":"slow"}"#,
        ));
        assert_eq!(
            (a.code(), a.message()),
            (&ErrorCode::ThrottlingException, Some("slow"))
        );
        let b = parse_error(&response(
            400,
            &[],
            r#"{"code":"ValidationException","message":"bad"}"#,
        ));
        assert_eq!(b.code(), &ErrorCode::ValidationException);
    }

    #[test]
    fn request_id_prefers_amzn_header() {
        let both = response(
            500,
            &[
                ("x-amz-request-id", "second"),
                ("x-amzn-RequestId", "first"),
            ],
            "",
        );
        assert_eq!(parse_error(&both).request_id(), Some("first"));
        let fallback = response(500, &[("x-amz-request-id", "second")], "");
        assert_eq!(parse_error(&fallback).request_id(), Some("second"));
    }

    #[test]
    fn bodies_that_are_not_json_still_give_an_error() {
        for body in [
            "",
            "<html>oops</html>",
            "{\"__type\": 12",
            "[1,2]",
            "null",
            "{\"message\": 5}",
        ] {
            let err = parse_error(&response(502, &[], body));
            assert_eq!(err.code(), &ErrorCode::Unknown("502".into()), "{body:?}");
            assert_eq!(err.status(), 502);
            assert_eq!(err.raw_body(), body.as_bytes());
        }
        let err = parse_error(&response(503, &[], ""));
        assert_eq!(
            err.to_string(),
            "503: Service Unavailable (HTTP 503, request id: none)"
        );
    }

    #[test]
    fn unknown_codes_stay_readable() {
        let err = parse_error(&response(
            400,
            &[("x-amzn-errortype", "BrandNewException")],
            "{}",
        ));
        assert_eq!(err.code(), &ErrorCode::Unknown("BrandNewException".into()));
        assert_eq!(err.code().as_str(), "BrandNewException");
    }

    #[test]
    fn outputs_ignore_unknown_members_and_reject_garbage() {
        type Out = crate::operation::register_connector::RegisterConnectorOutput;
        let ok: Out = parse_output(&response(
            200,
            &[],
            r#"{"connectorArn":"arn:x","later":[1]}"#,
        ))
        .unwrap();
        assert_eq!(ok.connector_arn(), Some("arn:x"));
        let empty: Out = parse_output(&response(200, &[], "")).unwrap();
        assert_eq!(empty.connector_arn(), None);
        for bad in ["{", "[]", "{\"connectorArn\":5}", "\u{0}"] {
            let err = parse_output::<Out>(&response(200, &[], bad)).unwrap_err();
            assert!(
                matches!(err, Error::InvalidResponse { status: 200, .. }),
                "{bad:?}: {err}"
            );
        }
        let wrong = parse_output::<Out>(&response(200, &[], r#"{"connectorArn":5}"#)).unwrap_err();
        assert!(
            wrong
                .to_string()
                .contains("connectorArn: expected a string, found a number"),
            "{wrong}"
        );
        let mut huge = response(200, &[], "{");
        huge.truncated = true;
        assert!(matches!(
            parse_output::<Out>(&huge),
            Err(Error::InvalidResponse { .. })
        ));
    }

    mod fuzz {
        use super::*;
        use crate::operation::register_connector::RegisterConnectorOutput;
        use proptest::prelude::*;

        fn any_response() -> impl Strategy<Value = HttpResponse> {
            let header = (
                prop::sample::select(vec![
                    "x-amzn-errortype",
                    "x-amzn-requestid",
                    "x-amz-request-id",
                    "date",
                    "age",
                    "x-amz-retry-after",
                    "other",
                ]),
                ".{0,40}",
            );
            (
                0u16..1000,
                prop::collection::vec(header, 0..6),
                prop::collection::vec(any::<u8>(), 0..300),
                any::<bool>(),
            )
                .prop_map(|(status, headers, body, truncated)| HttpResponse {
                    status,
                    headers: headers
                        .into_iter()
                        .map(|(n, v)| (n.to_owned(), v))
                        .collect(),
                    body,
                    truncated,
                })
        }

        /// JSON-shaped bodies: valid documents with wrong types, cut short.
        fn jsonish_body() -> impl Strategy<Value = Vec<u8>> {
            let value = prop_oneof![
                Just(serde_json::json!(null)),
                any::<i64>().prop_map(|n| serde_json::json!(n)),
                ".{0,20}".prop_map(|s| serde_json::json!(s)),
                Just(serde_json::json!([1, "two", {"three": 3}])),
            ];
            let key = prop::sample::select(vec![
                "connectorArn",
                "__type",
                "code",
                "message",
                "Message",
                "x",
            ]);
            (prop::collection::vec((key, value), 0..5), 0usize..200).prop_map(|(members, cut)| {
                let object: serde_json::Map<String, serde_json::Value> = members
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect();
                let mut bytes = serde_json::to_vec(&object).unwrap();
                bytes.truncate(cut.min(bytes.len()).max(bytes.len() / 2));
                bytes
            })
        }

        proptest! {
            #[test]
            fn any_error_answer_parses_without_panicking(response in any_response()) {
                let err = parse_error(&response);
                prop_assert_eq!(err.status(), response.status);
                prop_assert_eq!(err.raw_body(), &response.body[..]);
                prop_assert!(!err.to_string().is_empty());
            }

            #[test]
            fn any_success_body_parses_or_is_an_invalid_response(response in any_response()) {
                match parse_output::<RegisterConnectorOutput>(&response) {
                    Ok(_) => prop_assert!(!response.truncated),
                    Err(Error::InvalidResponse { status, .. }) => prop_assert_eq!(status, response.status),
                    Err(other) => prop_assert!(false, "unexpected error {other:?}"),
                }
            }

            #[test]
            fn truncated_and_mistyped_json_never_panics(body in jsonish_body(), status in 200u16..600) {
                let response = HttpResponse { status, headers: vec![], body, truncated: false };
                let _ = parse_output::<RegisterConnectorOutput>(&response);
                let err = parse_error(&response);
                prop_assert!(!err.code().as_str().is_empty());
            }
        }
    }
}

//! The crate's one error type, and the service errors AppFlow answers with.

use std::fmt;
use std::time::{Duration, SystemTime};

pub use crate::validate::{InvalidInput, Rule};

/// Everything a call can fail with. Match on it; `Display` gives one line.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks a constraint of the model; nothing was sent.
    InvalidInput(InvalidInput),
    /// No credentials were found; the text says where the client looked.
    MissingCredentials(String),
    /// No region was configured, and no endpoint URL was given either.
    MissingRegion,
    /// The settings do not make a valid request: the endpoint rules refused
    /// them (FIPS with a custom endpoint, say), or a value is malformed.
    InvalidConfig(String),
    /// The connection could not be made (DNS, refused, unreachable).
    Connect(String),
    /// The TLS handshake or certificate check failed.
    Tls(String),
    /// Reading or writing the connection failed, or it closed early.
    Io(std::io::Error),
    /// The call took longer than a configured timeout; the text says which.
    Timeout(String),
    /// The response could not be read or understood.
    InvalidResponse {
        /// The HTTP status, 0 when none was received.
        status: u16,
        /// What was wrong with it.
        reason: String,
    },
    /// AppFlow answered with an error (boxed: it is large, and rare).
    Service(Box<ServiceError>),
    /// Every attempt allowed failed with a retryable error (or the client's
    /// retry quota ran out); `last` is the last attempt's error.
    RetriesExhausted {
        /// How many attempts were made.
        attempts: u32,
        /// Whether the retry quota, not the attempt limit, stopped the call.
        quota_exhausted: bool,
        /// The last attempt's error.
        last: Box<Error>,
    },
}

impl Error {
    /// The service error, when AppFlow answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(err) => Some(err.as_ref()),
            Error::RetriesExhausted { last, .. } => last.as_service_error(),
            _ => None,
        }
    }

    /// The error code, when AppFlow answered with an error.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.as_service_error().map(ServiceError::code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(err) => write!(f, "invalid input: {err}"),
            Error::MissingCredentials(tried) => write!(f, "no AWS credentials found ({tried})"),
            Error::MissingRegion => f.write_str(
                "no AWS region configured: set AWS_REGION, a profile's region, or the builder's region",
            ),
            Error::InvalidConfig(reason) => write!(f, "invalid configuration: {reason}"),
            Error::Connect(reason) => write!(f, "could not connect: {reason}"),
            Error::Tls(reason) => write!(f, "TLS failed: {reason}"),
            Error::Io(err) => write!(f, "connection failed: {err}"),
            Error::Timeout(which) => write!(f, "timed out: {which}"),
            Error::InvalidResponse { status, reason } => write!(f, "unreadable response (HTTP {status}): {reason}"),
            Error::Service(err) => err.fmt(f),
            Error::RetriesExhausted { attempts, quota_exhausted, last } => {
                let why = if *quota_exhausted { " (retry quota exhausted)" } else { "" };
                write!(f, "gave up after {attempts} attempts{why}: {last}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidInput(err) => Some(err),
            Error::Io(err) => Some(err),
            Error::Service(err) => Some(err.as_ref()),
            Error::RetriesExhausted { last, .. } => Some(&**last),
            _ => None,
        }
    }
}

impl From<InvalidInput> for Error {
    fn from(err: InvalidInput) -> Self {
        Error::InvalidInput(err)
    }
}

/// An error answer from AppFlow: status, code, message, request id and the
/// raw body, nothing lost.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub(crate) status: u16,
    pub(crate) code: ErrorCode,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Vec<u8>,
    /// The answer's `Date`, for clock-skew correction.
    pub(crate) server_time: Option<SystemTime>,
    /// The answer's `x-amz-retry-after`.
    pub(crate) retry_after: Option<Duration>,
}

impl ServiceError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error code, typed.
    pub fn code(&self) -> &ErrorCode {
        &self.code
    }

    /// The service's message, if it sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id (`x-amzn-requestid`), to quote to AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response body exactly as received (bounded in size).
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

/// The body is shown as text, cut at 512 bytes: a huge answer must not
/// flood a log.
impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.body[..self.body.len().min(512)];
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field(
                "body",
                &format_args!(
                    "{:?} ({} bytes)",
                    String::from_utf8_lossy(shown),
                    self.body.len()
                ),
            )
            .finish_non_exhaustive()
    }
}

/// Code, message and request id come from the server: control characters
/// in them are escaped, so an answer cannot drive the terminal it is shown on.
impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            Escaped(self.code.as_str()),
            Escaped(self.message.as_deref().unwrap_or("(no message)"))
        )?;
        write!(
            f,
            " (HTTP {}, request id: {})",
            self.status,
            Escaped(self.request_id.as_deref().unwrap_or("none"))
        )
    }
}

/// Text from a server, shown with its control characters (ESC, BEL, CR,
/// the other C0 and C1 codes, DEL) escaped as `\u{..}`; line feeds and tabs
/// stay, as messages use them.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() && c != '\n' && c != '\t' {
                write!(f, "\\u{{{:x}}}", c as u32)?;
            } else {
                f.write_fmt(format_args!("{c}"))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// A value an enum's `try_parse` does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariantError {
    value: String,
}

impl UnknownVariantError {
    pub(crate) fn new(value: &str) -> UnknownVariantError {
        UnknownVariantError {
            value: value.to_owned(),
        }
    }
}

impl fmt::Display for UnknownVariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown enum value \"{}\"", Escaped(&self.value))
    }
}

impl std::error::Error for UnknownVariantError {}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident,)*) => {
        /// AppFlow's error codes. Codes this version does not know stay
        /// readable in [`Unknown`](ErrorCode::Unknown).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(clippy::enum_variant_names)] // the names are AWS's
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// Any other code, as sent (after `:` and `#` parts are stripped).
            Unknown(String),
        }

        impl ErrorCode {
            /// The code as AWS spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => stringify!($variant),)*
                    ErrorCode::Unknown(code) => code,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $(stringify!($variant) => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    /// The caller may not perform this action (HTTP 403).
    AccessDeniedException,
    /// The request conflicts with the current state, e.g. the label is taken (HTTP 409).
    ConflictException,
    /// The connector could not authenticate with its source (HTTP 401).
    ConnectorAuthenticationException,
    /// The connector's server reported an error (HTTP 400).
    ConnectorServerException,
    /// AppFlow failed internally; retrying may help (HTTP 500).
    InternalServerException,
    /// A resource the request names does not exist (HTTP 404).
    ResourceNotFoundException,
    /// An account quota would be exceeded (HTTP 402).
    ServiceQuotaExceededException,
    /// Too many requests; slow down and retry (HTTP 429).
    ThrottlingException,
    /// The flow cannot do what was asked, e.g. stop an on-demand flow (HTTP 400).
    UnsupportedOperationException,
    /// The service rejected the input (HTTP 400).
    ValidationException,
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_drive_the_terminal() {
        let err = ServiceError {
            status: 400,
            code: ErrorCode::Unknown("Bad\u{1b}[2JCode".into()),
            message: Some("line one\nbell\u{7} cr\r csi\u{9b} tab\tend".into()),
            request_id: Some("id\u{1b}]0;title\u{7}".into()),
            body: Vec::new(),
            server_time: None,
            retry_after: None,
        };
        let shown = err.to_string();
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{shown:?}"
        );
        assert_eq!(
            shown,
            "Bad\\u{1b}[2JCode: line one\nbell\\u{7} cr\\u{d} csi\\u{9b} tab\tend (HTTP 400, request id: id\\u{1b}]0;title\\u{7})"
        );
    }
}

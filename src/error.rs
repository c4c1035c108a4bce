//! The crate's error type, the service errors AppFlow answers with, and
//! each operation's typed view of them.
//!
//! A call's `send()` fails with `Error<OperationError>` (say
//! `Error<RegisterConnectorError>`): match its variants, or take the typed
//! service error with [`Error::as_service_error`] /
//! [`Error::into_service_error`]. `?` turns it into the plain [`Error`].

use std::fmt;
use std::time::{Duration, SystemTime};

pub use crate::validate::{InvalidInput, Rule};

/// Everything a call can fail with. Match on it; `Display` gives one line.
///
/// `E` is what an error answer from AppFlow becomes: the plain
/// [`ServiceError`], or an operation's typed error from `send()`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ServiceError> {
    /// The input breaks a constraint of the model; nothing was sent.
    InvalidInput(InvalidInput),
    /// No credentials were found; the text says where the client looked.
    MissingCredentials(String),
    /// No region was configured, and no endpoint URL was given either.
    MissingRegion,
    /// The settings do not make a valid request: the endpoint rules refused
    /// them (FIPS with a custom endpoint, say), or a value is malformed.
    InvalidConfig(String),
    /// The connection could not be made (DNS, refused, unreachable, proxy).
    Connect(ConnectError),
    /// The TLS handshake or certificate check failed.
    Tls(TlsError),
    /// Reading or writing the connection failed, or it closed early.
    Io(std::io::Error),
    /// The call took longer than a configured timeout.
    Timeout(TimeoutError),
    /// The response could not be read or understood.
    InvalidResponse {
        /// The HTTP status, 0 when none was received.
        status: u16,
        /// What was wrong with it.
        reason: String,
    },
    /// AppFlow answered with an error (boxed: it is large, and rare). This
    /// is the error whether or not retries came before it; the service
    /// error tells how many attempts were made.
    Service(Box<E>),
    /// Every attempt allowed failed without an answer (timeouts, refused
    /// connections), or the client's retry quota ran out; `last` is the last
    /// attempt's error.
    RetriesExhausted {
        /// How many attempts were made.
        attempts: u32,
        /// Whether the retry quota, not the attempt limit, stopped the call.
        quota_exhausted: bool,
        /// The last attempt's error.
        last: Box<Error<E>>,
    },
}

impl<E> Error<E> {
    /// The service error, when AppFlow answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Error::Service(err) => Some(err.as_ref()),
            Error::RetriesExhausted { last, .. } => last.as_service_error(),
            _ => None,
        }
    }

    /// The service error, typed; any other failure (a timeout, a refused
    /// connection, invalid input) becomes the operation error's `Unhandled`
    /// case, as in the SDK.
    pub fn into_service_error(self) -> E
    where
        E: OperationError,
        Error: From<Error<E>>,
    {
        match self {
            Error::Service(err) => *err,
            Error::RetriesExhausted { last, .. } if last.as_service_error().is_some() => {
                last.into_service_error()
            }
            other => E::unhandled(Error::from(other)),
        }
    }

    /// The same error with the service error turned by `f`.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        let mut f = Some(f);
        self.convert(&mut |e| match f.take() {
            Some(f) => Error::Service(Box::new(f(e))),
            // An error holds at most one service error.
            None => Error::InvalidConfig("a second service error".into()),
        })
    }

    /// Walks the variants once, turning the service error with `f`.
    fn convert<F>(self, f: &mut impl FnMut(E) -> Error<F>) -> Error<F> {
        match self {
            Error::InvalidInput(e) => Error::InvalidInput(e),
            Error::MissingCredentials(e) => Error::MissingCredentials(e),
            Error::MissingRegion => Error::MissingRegion,
            Error::InvalidConfig(e) => Error::InvalidConfig(e),
            Error::Connect(e) => Error::Connect(e),
            Error::Tls(e) => Error::Tls(e),
            Error::Io(e) => Error::Io(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::InvalidResponse { status, reason } => Error::InvalidResponse { status, reason },
            Error::Service(e) => f(*e),
            Error::RetriesExhausted {
                attempts,
                quota_exhausted,
                last,
            } => Error::RetriesExhausted {
                attempts,
                quota_exhausted,
                last: Box::new(last.convert(f)),
            },
        }
    }

    /// The plain error, the service error turned into one by `f`.
    pub(crate) fn erase(self, mut f: impl FnMut(E) -> Error) -> Error {
        self.convert(&mut f)
    }
}

impl Error {
    /// [`Error::InvalidConfig`], typed as the plain error (a bare variant
    /// path before `?` leaves the service error's type open).
    pub(crate) fn config(reason: impl Into<String>) -> Error {
        Error::InvalidConfig(reason.into())
    }

    /// [`Error::MissingCredentials`], typed as the plain error.
    pub(crate) fn missing_credentials(reason: impl Into<String>) -> Error {
        Error::MissingCredentials(reason.into())
    }

    /// This error with the service error typed for one operation.
    pub(crate) fn typed<E: From<ServiceError>>(self) -> Error<E> {
        self.map_service(E::from)
    }
}

impl<E: ProvideErrorMetadata> ProvideErrorMetadata for Error<E> {
    fn code(&self) -> Option<&str> {
        self.as_service_error().and_then(ProvideErrorMetadata::code)
    }

    fn message(&self) -> Option<&str> {
        self.as_service_error()
            .and_then(ProvideErrorMetadata::message)
    }

    fn meta(&self) -> &ServiceError {
        self.as_service_error()
            .map_or(&NO_SERVICE_ERROR, ProvideErrorMetadata::meta)
    }
}

/// What AppFlow answered, for any error that may hold an answer: the SDK's
/// `ProvideErrorMetadata`.
pub trait ProvideErrorMetadata {
    /// The error code AppFlow answered with (`ConflictException`), if any.
    fn code(&self) -> Option<&str>;
    /// AppFlow's message, if any.
    fn message(&self) -> Option<&str>;
    /// The whole answer: status, code, message, request id and raw body
    /// (empty when there was no answer).
    fn meta(&self) -> &ServiceError;
}

impl ProvideErrorMetadata for ServiceError {
    fn code(&self) -> Option<&str> {
        Some(self.code.as_str()).filter(|code| !code.is_empty())
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    fn meta(&self) -> &ServiceError {
        self
    }
}

/// The `meta()` of an error that holds no answer.
static NO_SERVICE_ERROR: ServiceError = ServiceError {
    status: 0,
    code: ErrorCode::Unknown(String::new()),
    message: None,
    request_id: None,
    body: Vec::new(),
    server_time: None,
    retry_after: None,
    attempts: 0,
    quota_exhausted: false,
};

/// An operation's typed service error (`RegisterConnectorError`, ...).
/// Sealed: the crate generates one per operation.
pub trait OperationError: From<ServiceError> + sealed::Sealed {
    /// The `Unhandled` case for a failure that is not an error answer this
    /// operation's model lists.
    fn unhandled(error: Error) -> Self;
}

pub(crate) mod sealed {
    /// Keeps [`OperationError`](super::OperationError) to this crate's types.
    pub trait Sealed {}
}

/// A failure an operation's model does not list: an error code it does not
/// name, or no answer at all. Match it with `_`; read it through
/// [`ProvideErrorMetadata`] or [`Unhandled::source_error`].
#[derive(Debug)]
pub struct Unhandled(UnhandledKind);

#[derive(Debug)]
enum UnhandledKind {
    Service(ServiceError),
    Other(Box<Error>),
}

impl Unhandled {
    pub(crate) fn service(error: ServiceError) -> Unhandled {
        Unhandled(UnhandledKind::Service(error))
    }

    pub(crate) fn other(error: Error) -> Unhandled {
        match error {
            Error::Service(service) => Unhandled::service(*service),
            other => Unhandled(UnhandledKind::Other(Box::new(other))),
        }
    }

    /// The failure as the crate's plain error.
    pub fn source_error(&self) -> Option<&Error> {
        match &self.0 {
            UnhandledKind::Service(_) => None,
            UnhandledKind::Other(error) => Some(error),
        }
    }

    /// Back to the plain error it was made from.
    pub(crate) fn into_error(self) -> Error {
        match self.0 {
            UnhandledKind::Service(service) => Error::Service(Box::new(service)),
            UnhandledKind::Other(error) => *error,
        }
    }

    pub(crate) fn meta(&self) -> &ServiceError {
        match &self.0 {
            UnhandledKind::Service(service) => service,
            UnhandledKind::Other(_) => &NO_SERVICE_ERROR,
        }
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            UnhandledKind::Service(service) => service.fmt(f),
            UnhandledKind::Other(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            UnhandledKind::Service(_) => None,
            UnhandledKind::Other(error) => Some(error.as_ref()),
        }
    }
}

/// Defines an AppFlow exception type (`ConflictException`, ...): the
/// service error, under the SDK's name.
macro_rules! exception {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            service: crate::ServiceError,
        }

        impl $name {
            /// AppFlow's message, if it sent one.
            pub fn message(&self) -> Option<&str> {
                self.service.message()
            }

            /// The request id, to quote to AWS support.
            pub fn request_id(&self) -> Option<&str> {
                self.service.request_id()
            }

            /// The whole answer: status, code, message, request id, raw body.
            pub fn meta(&self) -> &crate::ServiceError {
                &self.service
            }

            pub(crate) fn into_meta(self) -> crate::ServiceError {
                self.service
            }
        }

        impl From<crate::ServiceError> for $name {
            fn from(service: crate::ServiceError) -> Self {
                $name { service }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.service.fmt(f)
            }
        }

        impl std::error::Error for $name {}
    };
}
pub(crate) use exception;

/// Defines an operation's error: one case per error its model lists, and
/// `Unhandled`, with the SDK's `is_*` methods.
macro_rules! operation_error {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $is:ident,)* }) => {
        $(#[$doc])*
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("AppFlow answered `", stringify!($variant), "`.")]
                $variant(crate::types::error::$variant),
            )*
            /// Any other failure: a code this operation's model does not
            /// list, or no answer at all. Match it with `_`.
            Unhandled(crate::error::Unhandled),
        }

        impl $name {
            $(
                #[doc = concat!("Whether this is a `", stringify!($variant), "`.")]
                pub fn $is(&self) -> bool {
                    matches!(self, $name::$variant(_))
                }
            )*

            /// The whole answer: status, code, message, request id, raw body
            /// (empty when there was no answer).
            pub fn meta(&self) -> &crate::ServiceError {
                match self {
                    $($name::$variant(e) => e.meta(),)*
                    $name::Unhandled(e) => e.meta(),
                }
            }
        }

        impl From<crate::ServiceError> for $name {
            fn from(service: crate::ServiceError) -> Self {
                match service.code() {
                    $(crate::ErrorCode::$variant => $name::$variant(service.into()),)*
                    _ => $name::Unhandled(crate::error::Unhandled::service(service)),
                }
            }
        }

        impl crate::error::sealed::Sealed for $name {}

        impl crate::error::OperationError for $name {
            fn unhandled(error: crate::Error) -> Self {
                $name::Unhandled(crate::error::Unhandled::other(error))
            }
        }

        impl crate::error::ProvideErrorMetadata for $name {
            fn code(&self) -> Option<&str> {
                crate::error::ProvideErrorMetadata::code(self.meta())
            }
            fn message(&self) -> Option<&str> {
                self.meta().message()
            }
            fn meta(&self) -> &crate::ServiceError {
                $name::meta(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $($name::$variant(e) => e.fmt(f),)*
                    $name::Unhandled(e) => e.fmt(f),
                }
            }
        }

        impl std::error::Error for $name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    $name::Unhandled(e) => std::error::Error::source(e),
                    _ => None,
                }
            }
        }

        /// The typed error back as the crate's plain error.
        impl From<$name> for crate::Error {
            fn from(typed: $name) -> crate::Error {
                match typed {
                    $($name::$variant(e) => crate::Error::Service(Box::new(e.into_meta())),)*
                    $name::Unhandled(e) => e.into_error(),
                }
            }
        }

        /// `?` from a call's error into the crate's plain error.
        impl From<crate::Error<$name>> for crate::Error {
            fn from(error: crate::Error<$name>) -> crate::Error {
                error.erase(crate::Error::from)
            }
        }
    };
}
pub(crate) use operation_error;

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(err) => write!(f, "invalid input: {err}"),
            Error::MissingCredentials(tried) => write!(f, "no AWS credentials found ({tried})"),
            Error::MissingRegion => f.write_str(
                "no AWS region configured: set AWS_REGION, a profile's region, or the builder's region",
            ),
            Error::InvalidConfig(reason) => write!(f, "invalid configuration: {reason}"),
            Error::Connect(err) => write!(f, "could not connect: {err}"),
            Error::Tls(err) => write!(f, "TLS failed: {err}"),
            Error::Io(err) => write!(f, "connection failed: {err}"),
            Error::Timeout(err) => write!(f, "timed out: {err}"),
            // Status 0: no status line could be read at all.
            Error::InvalidResponse { status: 0, reason } => write!(f, "unreadable response: {reason}"),
            Error::InvalidResponse { status, reason } => write!(f, "unreadable response (HTTP {status}): {reason}"),
            Error::Service(err) => err.fmt(f),
            Error::RetriesExhausted { attempts, quota_exhausted, last } => {
                let why = if *quota_exhausted { " (retry quota exhausted)" } else { "" };
                write!(f, "gave up after {attempts} attempts{why}: {last}")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidInput(err) => Some(err),
            Error::Io(err) => Some(err),
            Error::Connect(err) => Some(err),
            Error::Tls(err) => Some(err),
            Error::Timeout(err) => Some(err),
            Error::Service(err) => Some(err.as_ref()),
            Error::RetriesExhausted { last, .. } => Some(&**last),
            _ => None,
        }
    }
}

impl<E> From<InvalidInput> for Error<E> {
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
    /// How many attempts the call made, this answer's included.
    pub(crate) attempts: u32,
    /// Whether the client's retry quota, not the attempt limit, ended it.
    pub(crate) quota_exhausted: bool,
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

    /// How many attempts the call made before giving up with this answer
    /// (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the client's retry quota (shared by its calls), rather than
    /// the attempt limit, stopped the retries.
    pub fn retry_quota_exhausted(&self) -> bool {
        self.quota_exhausted
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

/// Which deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting (TLS included) took longer than the connect timeout.
    Connect,
    /// The attempt, answer included, took longer than the attempt timeout.
    Attempt,
}

/// A timeout: which deadline passed, and what the client was doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    during: Option<&'static str>,
}

impl TimeoutError {
    pub(crate) fn new(kind: TimeoutKind, during: Option<&'static str>) -> TimeoutError {
        TimeoutError { kind, during }
    }

    /// Which deadline passed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "attempt timeout",
        })?;
        match self.during {
            Some(during) => write!(f, " while {during}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// Why a connection could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectErrorKind {
    /// The host name did not resolve.
    HostNotFound,
    /// The host refused or could not be reached.
    Refused,
    /// The proxy refused the tunnel.
    Proxy,
}

/// A connection that could not be made; the cause, when there is one, is
/// its [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct ConnectError {
    kind: ConnectErrorKind,
    detail: Option<String>,
    source: Option<std::io::Error>,
}

impl ConnectError {
    pub(crate) fn new(kind: ConnectErrorKind, detail: Option<String>) -> ConnectError {
        ConnectError {
            kind,
            detail,
            source: None,
        }
    }

    pub(crate) fn from_io(source: std::io::Error) -> ConnectError {
        ConnectError {
            kind: ConnectErrorKind::Refused,
            detail: None,
            source: Some(source),
        }
    }

    /// Why the connection failed.
    pub fn kind(&self) -> ConnectErrorKind {
        self.kind
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ConnectErrorKind::HostNotFound => "host not found",
            ConnectErrorKind::Refused => "connection failed",
            ConnectErrorKind::Proxy => "proxy",
        })?;
        if let Some(detail) = &self.detail {
            write!(f, ": {}", Escaped(detail))?;
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// A TLS handshake or certificate check that failed (not retried).
#[derive(Debug)]
pub struct TlsError {
    reason: String,
    source: Option<std::io::Error>,
}

impl TlsError {
    pub(crate) fn new(reason: String) -> TlsError {
        TlsError {
            reason,
            source: None,
        }
    }

    pub(crate) fn from_io(source: std::io::Error) -> TlsError {
        TlsError {
            reason: source.to_string(),
            source: Some(source),
        }
    }
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// A shape's builder was asked to build without a member the model
/// requires: the SDK's `BuildError`, from `Task::builder()...build()` and
/// the other builders of shapes with required members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
}

impl BuildError {
    /// Checks that each `(member, is_set)` is set, naming the first that is not.
    pub(crate) fn require(
        shape: &'static str,
        members: &[(&'static str, bool)],
    ) -> Result<(), BuildError> {
        match members.iter().find(|(_, set)| !set) {
            Some((member, _)) => Err(BuildError { shape, member }),
            None => Ok(()),
        }
    }

    /// The missing member, as the model names it (`taskType`).
    pub fn member(&self) -> &str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` was not set, but building `{}` requires it",
            self.member, self.shape
        )
    }
}

impl std::error::Error for BuildError {}

/// A missing required member is invalid input, as when `send()` finds it.
impl<E> From<BuildError> for Error<E> {
    fn from(error: BuildError) -> Self {
        Error::InvalidInput(InvalidInput::new(
            format!("{}.{}", error.shape, error.member),
            Rule::Required,
        ))
    }
}

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
    fn an_answer_without_a_status_line_names_no_status() {
        let shown = |status| {
            Error::<ServiceError>::InvalidResponse {
                status,
                reason: "bad".into(),
            }
            .to_string()
        };
        assert_eq!(shown(0), "unreadable response: bad");
        assert_eq!(shown(200), "unreadable response (HTTP 200): bad");
    }

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
            attempts: 1,
            quota_exhausted: false,
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

//! The AWS SDKs' "standard" retry mode: which failures are retried, how long
//! to wait (exponential backoff with full jitter), and the retry quota that
//! keeps many threads from hammering a dead endpoint.

use std::sync::Mutex;
use std::time::Duration;

use crate::error::{Error, ErrorCode};

/// How a client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts per call, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// The backoff before the first retry is drawn from zero to this; it
    /// doubles for each retry after.
    pub initial_backoff: Duration,
    /// No wait is longer than this, `x-amz-retry-after` included.
    pub max_backoff: Duration,
}

impl RetryConfig {
    /// The standard mode's defaults: 3 attempts, 1 s initial backoff, 20 s cap.
    pub const STANDARD: RetryConfig = RetryConfig {
        max_attempts: 3,
        initial_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(20),
    };

    /// The standard mode, as the SDK's `RetryConfig::standard()`.
    pub fn standard() -> RetryConfig {
        RetryConfig::STANDARD
    }

    /// No retries: one attempt per call.
    pub fn disabled() -> RetryConfig {
        RetryConfig::STANDARD.with_max_attempts(1)
    }

    /// This configuration with another number of attempts (at least 1).
    pub fn with_max_attempts(self, max_attempts: u32) -> RetryConfig {
        RetryConfig {
            max_attempts: max_attempts.max(1),
            ..self
        }
    }

    /// This configuration with another first backoff bound.
    pub fn with_initial_backoff(self, initial: Duration) -> RetryConfig {
        RetryConfig {
            initial_backoff: initial,
            ..self
        }
    }

    /// This configuration with another longest wait.
    pub fn with_max_backoff(self, max: Duration) -> RetryConfig {
        RetryConfig {
            max_backoff: max,
            ..self
        }
    }

    /// This configuration with other backoff bounds (tests shrink them).
    pub fn with_backoff(self, initial: Duration, max: Duration) -> RetryConfig {
        self.with_initial_backoff(initial).with_max_backoff(max)
    }

    /// How long to wait before retry number `retry` (1 for the first),
    /// given a uniform draw in [0, 1) and the service's `x-amz-retry-after`.
    pub(crate) fn backoff(&self, retry: u32, draw: f64, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_backoff);
        }
        let exponential =
            self.initial_backoff.as_secs_f64() * 2f64.powi(retry.saturating_sub(1).min(30) as i32);
        // No float arithmetic can panic here: an out-of-range wait is the cap.
        Duration::try_from_secs_f64(draw * exponential)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::STANDARD
    }
}

/// Whether, and at what price, a failure is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    No,
    /// A transient failure: quota cost 5.
    Transient,
    /// A timeout: quota cost 10, since the endpoint may be overloaded.
    Timeout,
}

const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504, 429];

/// Whether an error answer with this status and code is worth another try:
/// throttling, a transient code, or a transient status.
pub(crate) fn is_retryable_answer(status: u16, code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
        || TRANSIENT_CODES.contains(&code)
        || TRANSIENT_STATUSES.contains(&status)
}

/// Classifies a failed attempt.
pub(crate) fn classify(error: &Error) -> Retry {
    match error {
        Error::Timeout(_) => Retry::Timeout,
        Error::Connect(_) | Error::Io(_) => Retry::Transient,
        // No status: the connection closed or broke before an answer.
        Error::InvalidResponse { status: 0, .. } => Retry::Transient,
        Error::Service(service) => {
            if is_retryable_answer(service.status(), service.code().as_str()) {
                Retry::Transient
            } else {
                Retry::No
            }
        }
        _ => Retry::No,
    }
}

/// Whether the service refused the request because of the client's clock.
pub(crate) fn is_clock_skew(error: &Error) -> bool {
    let Error::Service(service) = error else {
        return false;
    };
    let message = service.message().unwrap_or_default();
    match service.code() {
        ErrorCode::Unknown(code) => match code.as_str() {
            "RequestTimeTooSkewed" | "RequestExpired" | "RequestInTheFuture" => true,
            "InvalidSignatureException" | "AuthFailure" | "SignatureDoesNotMatch" => {
                message.contains("Signature expired")
                    || message.contains("Signature not yet current")
                    || message.contains("skew")
            }
            _ => false,
        },
        _ => false,
    }
}

/// The retry quota: a token bucket shared by every call of a client.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    tokens: Mutex<u32>,
}

const INITIAL_TOKENS: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REFILL: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            tokens: Mutex::new(INITIAL_TOKENS),
        }
    }
}

impl RetryQuota {
    /// Takes the price of a retry, or says no when the bucket is too low.
    pub fn acquire(&self, retry: Retry) -> Option<u32> {
        let cost = match retry {
            Retry::No => return None,
            Retry::Transient => RETRY_COST,
            Retry::Timeout => TIMEOUT_RETRY_COST,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let left = tokens.checked_sub(cost)?;
        *tokens = left;
        Some(cost)
    }

    /// A call succeeded: as the SDKs' standard mode says, refund the cost
    /// of the retry that succeeded (`last_cost`, not everything its retries
    /// took), or add one token when the first attempt succeeded.
    pub fn release(&self, last_cost: Option<u32>) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let refill = last_cost.unwrap_or(SUCCESS_REFILL);
        *tokens = tokens.saturating_add(refill).min(INITIAL_TOKENS);
    }

    #[cfg(test)]
    fn available(&self) -> u32 {
        *self.tokens.lock().unwrap()
    }
}

/// A uniform draw in [0, 1) from the OS's generator (full jitter); falls back
/// to the maximum wait if randomness is unavailable.
pub(crate) fn jitter() -> f64 {
    let mut bytes = [0u8; 8];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.999,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;

    fn service(status: u16, code: &str, message: &str) -> Error {
        Error::Service(Box::new(ServiceError {
            status,
            code: ErrorCode::from(code),
            message: Some(message.into()),
            request_id: None,
            body: vec![],
            server_time: None,
            retry_after: None,
            attempts: 1,
            quota_exhausted: false,
        }))
    }

    #[test]
    fn retries_transient_failures_only() {
        for retried in [
            service(429, "ThrottlingException", ""),
            service(400, "Throttling", ""),
            service(400, "TooManyRequestsException", ""),
            service(503, "RequestLimitExceeded", ""),
            service(400, "RequestTimeout", ""),
            service(408, "RequestTimeoutException", ""),
            service(500, "InternalServerException", ""),
            service(502, "502", ""),
            service(504, "Unknown", ""),
            Error::Connect(crate::error::ConnectError::new(
                crate::error::ConnectErrorKind::Refused,
                None,
            )),
            Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
            Error::InvalidResponse {
                status: 0,
                reason: "closed".into(),
            },
        ] {
            assert_eq!(classify(&retried), Retry::Transient, "{retried}");
        }
        let timeout = crate::error::TimeoutError::new(crate::error::TimeoutKind::Attempt, None);
        assert_eq!(classify(&Error::Timeout(timeout)), Retry::Timeout);
        for never in [
            service(400, "ValidationException", ""),
            service(409, "ConflictException", ""),
            service(403, "AccessDeniedException", ""),
            service(404, "ResourceNotFoundException", ""),
            service(402, "ServiceQuotaExceededException", ""),
            service(401, "ConnectorAuthenticationException", ""),
            Error::InvalidResponse {
                status: 200,
                reason: "garbled".into(),
            },
            Error::MissingRegion,
        ] {
            assert_eq!(classify(&never), Retry::No, "{never}");
        }
    }

    #[test]
    fn recognises_clock_skew_errors() {
        assert!(is_clock_skew(&service(
            403,
            "InvalidSignatureException",
            "Signature expired: 20261126T100000Z is now earlier than ..."
        )));
        assert!(is_clock_skew(&service(
            403,
            "InvalidSignatureException",
            "Signature not yet current: ..."
        )));
        assert!(is_clock_skew(&service(403, "RequestTimeTooSkewed", "")));
        assert!(!is_clock_skew(&service(
            403,
            "InvalidSignatureException",
            "The request signature we calculated does not match"
        )));
        assert!(!is_clock_skew(&service(
            403,
            "AccessDeniedException",
            "Signature expired"
        )));
    }

    #[test]
    fn backoff_grows_with_full_jitter_and_is_capped() {
        let config = RetryConfig::STANDARD;
        assert_eq!(config.backoff(1, 0.5, None), Duration::from_millis(500));
        assert_eq!(config.backoff(2, 0.5, None), Duration::from_secs(1));
        assert_eq!(
            config.backoff(3, 0.999, None),
            Duration::from_secs_f64(3.996)
        );
        assert_eq!(config.backoff(10, 0.9, None), Duration::from_secs(20));
        assert_eq!(config.backoff(1, 0.0, None), Duration::ZERO);
        assert_eq!(
            config.backoff(1, 0.5, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            config.backoff(1, 0.5, Some(Duration::from_secs(300))),
            Duration::from_secs(20)
        );
        let draws: Vec<f64> = (0..100).map(|_| jitter()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(draws.iter().any(|d| *d != draws[0]));
    }

    #[test]
    fn absurd_backoff_settings_wait_the_cap_and_never_panic() {
        let huge = RetryConfig::STANDARD.with_backoff(Duration::MAX, Duration::MAX);
        assert_eq!(huge.backoff(30, 0.999, None), Duration::MAX);
        let capped = RetryConfig::STANDARD.with_backoff(Duration::MAX, Duration::from_secs(20));
        assert_eq!(capped.backoff(u32::MAX, 0.5, None), Duration::from_secs(20));
        assert_eq!(
            RetryConfig::STANDARD.backoff(1, f64::NAN, None),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn quota_drains_by_cost_and_refills_on_success() {
        let quota = RetryQuota::default();
        assert_eq!(quota.acquire(Retry::Transient), Some(5));
        assert_eq!(quota.acquire(Retry::Timeout), Some(10));
        assert_eq!(quota.available(), 485);
        // Success on the retry that cost 10: only that is refunded.
        quota.release(Some(10));
        assert_eq!(quota.available(), 495);
        // Success on a first attempt: one token.
        quota.release(None);
        assert_eq!(quota.available(), 496);
        for _ in 0..10 {
            quota.release(None);
        }
        assert_eq!(quota.available(), 500, "never above the initial 500");
        let granted = (0..200)
            .filter(|_| quota.acquire(Retry::Transient).is_some())
            .count();
        assert_eq!(granted, 100);
        assert_eq!(quota.acquire(Retry::No), None);
    }
}

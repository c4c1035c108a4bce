//! The only code that touches the network: one `ureq::Agent`, reused.

use std::io::Read;
use std::time::Duration;

use crate::error::{ConnectError, ConnectErrorKind, Error, TimeoutError, TimeoutKind, TlsError};
use crate::protocol::{HttpResponse, SignedRequest};
use crate::retry::RetryConfig;

/// The most of a successful answer the client reads. Most of AppFlow's
/// answers are a few KiB, but an entity's field list (`DescribeConnectorEntity`
/// on a wide Salesforce object) can pass 1 MiB. Reading stops one byte past
/// this and the call fails, so a broken proxy cannot exhaust memory.
pub(crate) const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// The most of an error answer the client reads: an error's code and message
/// fit in a few hundred bytes, and the rest is kept only to be shown.
pub(crate) const MAX_ERROR_BODY_BYTES: u64 = 1024 * 1024;

/// The `User-Agent` of every request the crate makes.
pub(crate) const USER_AGENT: &str = concat!("appflow-lite/", env!("CARGO_PKG_VERSION"));

/// What a client's builder set for the calls it makes on the user's behalf
/// (STS, SSO), so they go the way the client's own calls go.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallSettings {
    /// `Some(None)`: no proxy, whatever the environment says; `None`: the
    /// environment decides.
    pub proxy: Option<Option<String>>,
    /// Trusted instead of the bundled roots, over the environment's.
    pub ca_bundle: Option<std::path::PathBuf>,
    pub retry: RetryConfig,
}

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    resolver: std::sync::Arc<crate::resolver::CachingResolver>,
}

/// The certificates of a PEM bundle; anything else in it is skipped.
fn read_bundle(path: &std::path::Path) -> Result<Vec<ureq::tls::Certificate<'static>>, Error> {
    let shown = path.display();
    let pem = crate::config::file::read_regular(path)
        .map_err(|e| Error::config(format!("cannot read the CA bundle {shown}: {e}")))?;
    let certificates: Vec<_> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(certificate)) => Some(certificate),
            _ => None,
        })
        .collect();
    if certificates.is_empty() {
        return Err(Error::InvalidConfig(format!(
            "the CA bundle {shown} holds no PEM certificate"
        )));
    }
    Ok(certificates)
}

impl Transport {
    /// An agent with these timeouts, going through `proxy` (a URL) or, with
    /// `None`, straight to the endpoint, trusting the certificates in the PEM
    /// file `ca_bundle` instead of the bundled roots when one is given (as
    /// `AWS_CA_BUNDLE` does for the AWS CLI): the environment is never read
    /// here. `verify_tls: false` accepts any certificate.
    pub fn new(
        connect_timeout: Option<Duration>,
        attempt_timeout: Option<Duration>,
        user_agent: &str,
        proxy: Option<&str>,
        ca_bundle: Option<&std::path::Path>,
        verify_tls: bool,
    ) -> Result<Self, Error> {
        let mut tls = ureq::tls::TlsConfig::builder().disable_verification(!verify_tls);
        if let Some(path) = ca_bundle {
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&read_bundle(path)?));
        }
        let proxy = match proxy {
            Some(url) => Some(ureq::Proxy::new(url).map_err(|_| {
                Error::config(format!(
                    "the proxy URL {:?} is not valid",
                    crate::config::redact_url(url)
                ))
            })?),
            None => None,
        };
        let config = ureq::Agent::config_builder()
            .tls_config(tls.build())
            .proxy(proxy)
            // Error statuses are answers to read, not transport failures.
            .http_status_as_error(false)
            .timeout_connect(connect_timeout)
            .timeout_global(attempt_timeout)
            // AWS APIs do not redirect; a 3xx is returned and reported as is.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(user_agent)
            .build();
        let resolver = std::sync::Arc::new(crate::resolver::CachingResolver::default());
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::Connector::chain(
                ureq::unversioned::transport::DefaultConnector::default(),
                crate::quiet::Quiet,
            ),
            crate::resolver::Shared(resolver.clone()),
        );
        Ok(Transport { agent, resolver })
    }

    /// A transport for the credential services (STS, SSO) at `url`: the
    /// client's default timeouts; the proxy and CA bundle the client's
    /// builder set, else the environment's proxy for that URL and the CA
    /// bundle of the environment or profile (`ca_bundle`).
    pub fn for_credentials(
        env: &crate::config::Env,
        url: &str,
        ca_bundle: Option<&std::path::Path>,
        settings: &CallSettings,
    ) -> Result<Self, String> {
        let proxy = match &settings.proxy {
            Some(proxy) => proxy.clone(),
            None => env.proxy_for(url),
        };
        Transport::new(
            Some(crate::DEFAULT_CONNECT_TIMEOUT),
            Some(Duration::from_secs(30)),
            USER_AGENT,
            proxy.as_deref(),
            settings.ca_bundle.as_deref().or(ca_bundle),
            // Credentials travel here: always verified, whatever the
            // client's own calls accept.
            true,
        )
        .map_err(|e| e.to_string())
    }

    /// Sends `request` with the standard retry mode, as the SDKs call STS
    /// and SSO: a failed connection, a timeout, a 5xx or 429, or an answer
    /// whose error code (`code_of`) is a throttling or transient one is
    /// tried again, up to `retry.max_attempts` in all, with jittered
    /// exponential backoff. The last answer or error is returned.
    pub fn send_retrying(
        &self,
        request: &SignedRequest,
        retry: &RetryConfig,
        code_of: impl Fn(&HttpResponse) -> Option<String>,
    ) -> Result<HttpResponse, Error> {
        let mut attempt = 1;
        loop {
            let result = self.send(request);
            let retryable = match &result {
                Ok(answer) => {
                    !answer.is_success()
                        && crate::retry::is_retryable_answer(
                            answer.status,
                            code_of(answer).as_deref().unwrap_or_default(),
                        )
                }
                Err(error) => crate::retry::classify(error) != crate::retry::Retry::No,
            };
            if !retryable || attempt >= retry.max_attempts {
                return result;
            }
            std::thread::sleep(retry.backoff(attempt, crate::retry::jitter(), None));
            attempt += 1;
        }
    }

    /// How many host names this transport looked up (not from its cache).
    pub fn name_lookups(&self) -> usize {
        self.resolver.lookups()
    }

    /// Sends one attempt and reads the answer, whatever its status.
    pub fn send(&self, request: &SignedRequest) -> Result<HttpResponse, Error> {
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let http_request = builder
            .body(request.body.as_slice())
            .map_err(|e| Error::config(format!("cannot build the request: {e}")))?;
        let mut response = self.agent.run(http_request).map_err(|e| {
            let error = from_ureq(e);
            // The cached address may be the reason: look it up again next time.
            if matches!(error, Error::Connect(_) | Error::Timeout(_)) {
                self.resolver.forget(&request.url);
            }
            error
        })?;

        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = if (200..300).contains(&status) {
            MAX_BODY_BYTES
        } else {
            MAX_ERROR_BODY_BYTES
        };
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| from_io(e, "reading the response body"))?;
        let truncated = body.len() as u64 > limit;
        body.truncate(limit as usize);
        Ok(HttpResponse {
            status,
            headers,
            body,
            truncated,
        })
    }
}

fn from_io(err: std::io::Error, during: &'static str) -> Error {
    use std::io::ErrorKind;
    // ureq wraps its own errors in io::Error while a body is read.
    if let Some(ureq::Error::Timeout(which)) =
        err.get_ref().and_then(|e| e.downcast_ref::<ureq::Error>())
    {
        return Error::Timeout(TimeoutError::new(timeout_kind(*which), Some(during)));
    }
    match err.kind() {
        ErrorKind::TimedOut => {
            Error::Timeout(TimeoutError::new(TimeoutKind::Attempt, Some(during)))
        }
        ErrorKind::ConnectionRefused => Error::Connect(ConnectError::from_io(err)),
        // A refused certificate or handshake arrives from rustls through the
        // stream as `InvalidData`; this crate does not name rustls's types,
        // so it recognises rustls's wording. A TLS failure is not retried.
        ErrorKind::InvalidData if is_tls_failure(&err.to_string()) => {
            Error::Tls(TlsError::from_io(err))
        }
        _ => Error::Io(err),
    }
}

fn is_tls_failure(message: &str) -> bool {
    [
        "certificate",
        "Certificate",
        "handshake",
        "Handshake",
        "fatal alert",
        "AlertReceived",
    ]
    .iter()
    .any(|word| message.contains(word))
}

fn from_ureq(err: ureq::Error) -> Error {
    match err {
        ureq::Error::Timeout(which) => Error::Timeout(TimeoutError::new(timeout_kind(which), None)),
        ureq::Error::HostNotFound => {
            Error::Connect(ConnectError::new(ConnectErrorKind::HostNotFound, None))
        }
        ureq::Error::ConnectionFailed => {
            Error::Connect(ConnectError::new(ConnectErrorKind::Refused, None))
        }
        ureq::Error::Io(io) => from_io(io, "sending the request"),
        ureq::Error::Tls(reason) => Error::Tls(TlsError::new(reason.to_owned())),
        ureq::Error::Rustls(tls) => Error::Tls(TlsError::new(tls.to_string())),
        ureq::Error::BadUri(uri) => Error::InvalidConfig(format!("bad URL: {uri}")),
        ureq::Error::Http(http) => Error::InvalidConfig(format!("bad request: {http}")),
        ureq::Error::ConnectProxyFailed(reason) => Error::Connect(ConnectError::new(
            ConnectErrorKind::Proxy,
            Some(reason.to_string()),
        )),
        ureq::Error::InvalidProxyUrl => {
            Error::InvalidConfig("the proxy URL in the environment is invalid".into())
        }
        other => Error::InvalidResponse {
            status: 0,
            reason: other.to_string(),
        },
    }
}

fn timeout_kind(which: ureq::Timeout) -> TimeoutKind {
    match which {
        ureq::Timeout::Connect | ureq::Timeout::Resolve => TimeoutKind::Connect,
        _ => TimeoutKind::Attempt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_bundle_replaces_the_bundled_roots_rather_than_adding_to_them() {
        let bundle = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");
        let transport =
            Transport::new(None, None, USER_AGENT, None, Some(bundle.as_ref()), true).unwrap();
        match transport.agent.config().tls_config().root_certs() {
            // Exactly the bundle's one certificate: no Mozilla roots beside it.
            ureq::tls::RootCerts::Specific(certs) => assert_eq!(certs.len(), 1),
            other => panic!("{other:?}"),
        }
        let default = Transport::new(None, None, USER_AGENT, None, None, true).unwrap();
        assert!(matches!(
            default.agent.config().tls_config().root_certs(),
            ureq::tls::RootCerts::WebPki
        ));
    }
}

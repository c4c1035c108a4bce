//! The client: its settings, and the path every call takes
//! (sign, send, classify, parse).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use crate::config::endpoint::{EndpointParams, resolve_endpoint};
use crate::config::profile::ProfileFiles;
use crate::config::{self, Env, Settings};
use crate::credentials::{Credentials, DefaultChain, Imds, ProvideCredentials};
use crate::error::{Error, ServiceError};
use crate::fluent::SetRequestId;
use crate::json::FromJson;
use crate::protocol::{self, SignedRequest};
use crate::retry::{self, Retry, RetryConfig, RetryQuota};
use crate::sigv4::{Payload, SignableRequest, Signer, SigningParams};
use crate::transport::{CallSettings, Transport, USER_AGENT};

/// The name AppFlow's requests are signed for.
const SIGNING_NAME: &str = "appflow";

/// Connect timeout by default: the AWS SDK for Rust's 3.1 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// Time allowed for one attempt, answer included, by default (the AWS CLI's
/// read timeout): registering a connector can wait on its Lambda function.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// A blocking AppFlow client. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    /// `None`: requests go out unsigned ([`ClientBuilder::no_credentials`]).
    credentials: Option<Arc<dyn ProvideCredentials>>,
    region: String,
    endpoint: String,
    signer: Signer,
    clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
    retry: RetryConfig,
    quota: RetryQuota,
    /// Shown every signed request before it is sent (`--debug`).
    observer: Option<RequestObserver>,
    /// Why a client made by [`Client::from_conf`] cannot send: every call
    /// fails with it, as the SDK's calls fail on a bad configuration.
    unusable: Option<Unusable>,
    /// Seconds the service's clock is ahead of ours (negative: behind),
    /// learnt from a clock-skew refusal; zero once the clocks agree again.
    skew_secs: AtomicI64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with nothing set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured as the AWS CLI would be: region, endpoint and
    /// flags from `AWS_*` variables and then the selected profile in the
    /// shared files; credentials from the [`DefaultChain`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env().build()
    }

    /// A client from `config`, as the SDK's `Client::from_conf`. Never
    /// fails: a configuration that cannot work (no region, say) makes every
    /// call fail with the reason instead, as in the SDK. Use
    /// `ClientBuilder::build` to find out at once.
    pub fn from_conf(config: crate::Config) -> Client {
        match config.builder.build() {
            Ok(client) => client,
            Err(error) => Client::unusable(match error {
                Error::MissingRegion => Unusable::Region,
                other => Unusable::Config(other.to_string()),
            }),
        }
    }

    /// A client whose every call fails with `why`.
    fn unusable(why: Unusable) -> Client {
        let inner = Inner {
            transport: Transport::new(None, None, USER_AGENT, None, None, true)
                .expect("a transport without a CA bundle or proxy always builds"),
            credentials: Some(Arc::new(Unconfigured)),
            region: String::new(),
            endpoint: String::new(),
            signer: Signer::new(),
            clock: Arc::new(SystemTime::now),
            retry: RetryConfig::STANDARD,
            quota: RetryQuota::default(),
            observer: None,
            unusable: Some(why),
            skew_secs: AtomicI64::new(0),
        };
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The error a [`Client::from_conf`] client that cannot send answers.
    fn check_usable(&self) -> Result<(), Error> {
        match &self.inner.unusable {
            None => Ok(()),
            Some(Unusable::Region) => Err(Error::MissingRegion),
            Some(Unusable::Config(why)) => Err(Error::config(why.clone())),
        }
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// How many host names the client has looked up, answers from its
    /// ~30 s cache aside: for tests that prove calls make no lookup.
    #[doc(hidden)]
    pub fn name_lookups(&self) -> usize {
        self.inner.transport.name_lookups()
    }

    /// How calls are retried.
    pub fn retry_config(&self) -> RetryConfig {
        self.inner.retry
    }

    /// Signs `call` for `credentials` at `time` (or leaves it unsigned,
    /// without credentials), then adds `extra` headers unsigned (the
    /// `amz-sdk-*` ones, which botocore also adds after signing): the exact
    /// request the transport will send.
    pub(crate) fn sign(
        &self,
        call: &Call,
        credentials: Option<&Credentials>,
        time: SystemTime,
        extra: &[(&'static str, String)],
    ) -> Result<SignedRequest, Error> {
        let mut url = format!("{}{}", self.inner.endpoint, call.path);
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&call.query);
        }
        let (host, target) = host_and_path(&url);
        // restJson1: a request without a body has no Content-Type either.
        let content_type = call.body.as_ref().map(|_| "application/json");
        let mut signable = Vec::with_capacity(2 + call.headers.len());
        if let Some(content_type) = content_type {
            signable.push(("content-type", content_type));
        }
        signable.push(("host", host.as_str()));
        signable.extend(
            call.headers
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        let body = call.body.as_deref().unwrap_or_default();
        let signed = match credentials {
            Some(credentials) => {
                let request =
                    SignableRequest::new(call.method, target, &signable, Payload::Bytes(body));
                let params =
                    SigningParams::new(credentials, &self.inner.region, SIGNING_NAME, time);
                let signed = self.inner.signer.sign(&request, &params);
                Some(signed.map_err(|e| Error::config(e.to_string()))?)
            }
            None => None,
        };

        let mut headers = Vec::with_capacity(8 + call.headers.len());
        if let Some(content_type) = content_type {
            headers.push(("Content-Type", content_type.to_owned()));
        }
        headers.push(("User-Agent", USER_AGENT.to_owned()));
        headers.extend(call.headers.iter().cloned());
        headers.extend(extra.iter().cloned());
        if let Some(signed) = &signed {
            headers.extend(
                signed
                    .headers()
                    .map(|(name, value)| (name, value.to_owned())),
            );
        }
        Ok(SignedRequest {
            method: call.method,
            url,
            headers,
            body: body.to_vec(),
        })
    }

    /// Signs `call` at `time` as attempt `attempt` of the call
    /// `invocation_id`: byte for byte what `send` puts on the wire then.
    pub(crate) fn sign_attempt(
        &self,
        call: &Call,
        time: SystemTime,
        invocation_id: &str,
        attempt: u32,
    ) -> Result<SignedRequest, Error> {
        self.check_usable()?;
        let credentials = self.credentials()?;
        let headers = sdk_headers(invocation_id, attempt, self.inner.retry.max_attempts);
        self.sign(call, credentials.as_ref(), time, &headers)
    }

    /// Credentials for the next request; none for an anonymous client.
    pub(crate) fn credentials(&self) -> Result<Option<Credentials>, Error> {
        let provider = self.inner.credentials.as_ref();
        provider.map(|p| p.provide_credentials()).transpose()
    }

    /// The current time, as the client's clock tells it.
    pub(crate) fn now(&self) -> SystemTime {
        (self.inner.clock)()
    }

    /// Sends the operation the model names `operation` (`CreateFlow`) with
    /// its input as JSON, members named as on the wire, and returns the
    /// answer's JSON text as it came: the door for tools that take input as
    /// JSON, such as `examples/appflow`.
    ///
    /// The input is read as strictly as a typed input (JSON types, unknown
    /// members) and checked against the same model constraints before
    /// anything is sent; requests are byte for byte what the typed builder
    /// sends for the same input.
    pub fn send_json(&self, operation: &str, input: &serde_json::Value) -> Result<String, Error> {
        let op = crate::schema::operation(operation).ok_or_else(|| {
            crate::validate::InvalidInput::new(operation, crate::validate::Rule::UnknownOperation)
        })?;
        let input = crate::schema::read(op.input, input, crate::path::At::INPUT)?;
        self.send_raw(&crate::schema::request(op, input)?)
    }

    /// Sends `call`, retrying as the standard mode says, and reads its
    /// output or its error. Every attempt is signed afresh and carries the
    /// same body, so the same client token.
    pub(crate) fn send<O: FromJson + SetRequestId>(&self, call: &Call) -> Result<O, Error> {
        // Only these lines are per output type: the retry loop below is
        // shared by every operation, which keeps a binary with all 25 small.
        let answer = self.send_call(call)?;
        let body = protocol::parse_json_body(&answer.response)?;
        let mut output: O = protocol::read_output(answer.response.status, &body)?;
        output.set_request_id(answer.request_id);
        Ok(output)
    }

    /// [`send`](Self::send), up to the answer's JSON text, as it came.
    pub(crate) fn send_raw(&self, call: &Call) -> Result<String, Error> {
        let response = self.send_call(call)?.response;
        protocol::json_text(&response)
    }

    /// [`send`](Self::send), up to a successful answer.
    fn send_call(&self, call: &Call) -> Result<JsonAnswer, Error> {
        self.check_usable()?;
        let invocation_id = crate::token::uuid_v4()
            .map_err(|e| -> Error { Error::Io(std::io::Error::other(e.to_string())) })?;
        let max = self.inner.retry.max_attempts;
        let (mut attempt, mut last_cost, mut skew_corrected) = (1, None, false);
        loop {
            let headers = sdk_headers(&invocation_id, attempt, max);
            let error = match self.attempt(call, &headers) {
                Ok(output) => {
                    self.inner.quota.release(last_cost);
                    return Ok(output);
                }
                Err(error) => error,
            };
            // A refusal for our clock is fixed by the learnt offset: one
            // corrected retry, outside the attempt count.
            if !skew_corrected && retry::is_clock_skew(&error) {
                if let Some(server) = error.as_service_error().and_then(|e| e.server_time) {
                    self.inner
                        .skew_secs
                        .store(seconds_between(self.now(), server), Ordering::Relaxed);
                    skew_corrected = true;
                    continue;
                }
            }
            let kind = retry::classify(&error);
            if kind == Retry::No {
                return Err(error);
            }
            if attempt >= max {
                // With retries off there is nothing to report but the error.
                return Err(if max == 1 {
                    error
                } else {
                    give_up(attempt, false, error)
                });
            }
            let Some(cost) = self.inner.quota.acquire(kind) else {
                return Err(give_up(attempt, true, error));
            };
            last_cost = Some(cost);
            let retry_after = error.as_service_error().and_then(|e| e.retry_after);
            std::thread::sleep(
                self.inner
                    .retry
                    .backoff(attempt, retry::jitter(), retry_after),
            );
            attempt += 1;
        }
    }

    /// One attempt: sign at the corrected time, send, classify.
    fn attempt(
        &self,
        call: &Call,
        headers: &[(&'static str, String)],
    ) -> Result<JsonAnswer, Error> {
        let credentials = self.credentials()?;
        let now = self.now();
        let time = crate::time::shifted(now, self.inner.skew_secs.load(Ordering::Relaxed));
        let request = self.sign(call, credentials.as_ref(), time, headers)?;
        if let Some(observe) = &self.inner.observer {
            observe(&request);
        }
        let response = self.inner.transport.send(&request)?;
        if let Some(server) = protocol::server_time(&response) {
            // Clocks that agree again within AWS's tolerance drop the offset.
            if seconds_between(now, server).unsigned_abs() < SKEW_TOLERANCE_SECS {
                self.inner.skew_secs.store(0, Ordering::Relaxed);
            }
        }
        if response.is_success() {
            Ok(JsonAnswer {
                request_id: protocol::request_id(&response).map(str::to_owned),
                response,
            })
        } else {
            let known = match &credentials {
                Some(credentials) => [
                    credentials.secret_access_key(),
                    credentials.session_token().unwrap_or_default(),
                ],
                None => ["", ""],
            };
            Err(Error::Service(Box::new(protocol::parse_error(
                &response, &known,
            ))))
        }
    }
}

/// Why a client cannot send.
enum Unusable {
    Region,
    Config(String),
}

/// A successful answer, not read yet.
struct JsonAnswer {
    request_id: Option<String>,
    response: crate::protocol::HttpResponse,
}

/// The longest timeout or backoff accepted: anything longer is a mistake.
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

/// A function shown each request just before it is sent.
type RequestObserver = Arc<dyn Fn(&SignedRequest) + Send + Sync>;

/// Below this difference a client clock needs no correction (AWS allows 5 minutes).
const SKEW_TOLERANCE_SECS: u64 = 4 * 60;

/// `to - from` in whole seconds, negative when `to` is earlier.
fn seconds_between(from: SystemTime, to: SystemTime) -> i64 {
    match to.duration_since(from) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    }
}

/// The headers that tie a call's attempts together, as the AWS SDKs send
/// (and sign) them: one id per call, and the attempt's number.
pub(crate) fn sdk_headers(
    invocation_id: &str,
    attempt: u32,
    max: u32,
) -> [(&'static str, String); 2] {
    [
        ("amz-sdk-invocation-id", invocation_id.to_owned()),
        ("amz-sdk-request", format!("attempt={attempt}; max={max}")),
    ]
}

/// The error a call ends with after `attempts`: an answer from AppFlow stays
/// the service error (so matching it does not depend on retries), counting
/// the attempts; anything else is wrapped to say retries ran out.
fn give_up(attempts: u32, quota_exhausted: bool, last: Error) -> Error {
    match last {
        Error::Service(mut service) => {
            service.attempts = attempts;
            service.quota_exhausted = quota_exhausted;
            Error::Service(service)
        }
        last => Error::RetriesExhausted {
            attempts,
            quota_exhausted,
            last: Box::new(last),
        },
    }
}

/// One operation's request before signing, laid out as restJson1 says:
/// the one place a request's parts are built (by the operation modules).
#[derive(Debug, Clone)]
pub struct Call {
    pub method: &'static str,
    /// The path, labels already percent-encoded.
    pub path: String,
    /// The query string without `?`, already encoded; empty for none.
    pub query: String,
    /// Headers bound to input members.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body; `None` sends no body and no `Content-Type`.
    pub body: Option<Vec<u8>>,
}

/// Splits an `http(s)://authority/path` URL into the `host` header value
/// (lowercase, default port dropped, as HTTP clients send it) and the path.
fn host_and_path(url: &str) -> (String, &str) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let (authority, path) = rest
        .find('/')
        .map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = authority.strip_suffix(default_port).unwrap_or(authority);
    (host.to_ascii_lowercase(), path)
}

/// Builds a [`Client`].
///
/// [`Client::builder`] starts empty: only what is set here is used.
/// [`ClientBuilder::from_env`] starts from the environment and shared files,
/// and anything set here wins over them.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    env: Option<Env>,
    profile: Option<String>,
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    connect_timeout: Option<Option<Duration>>,
    attempt_timeout: Option<Option<Duration>>,
    clock: Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>,
    max_attempts: Option<u32>,
    retry: Option<RetryConfig>,
    observer: Option<RequestObserver>,
    proxy: Option<Option<String>>,
    ca_bundle: Option<std::path::PathBuf>,
    anonymous: bool,
    accept_invalid_certs: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field(
                "endpoint_url",
                &self.endpoint_url.as_deref().map(config::redact_url),
            )
            .field(
                "proxy",
                &self
                    .proxy
                    .as_ref()
                    .map(|p| p.as_deref().map(config::redact_url)),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder that reads the process's environment and shared files when
    /// built (see [`Client::from_env`]).
    pub fn from_env() -> ClientBuilder {
        ClientBuilder::from_environment(Env::real())
    }

    /// Like [`from_env`](Self::from_env), with variables from `env`.
    pub fn from_environment(env: Env) -> ClientBuilder {
        ClientBuilder {
            env: Some(env),
            ..ClientBuilder::default()
        }
    }

    /// The shared-files profile to use instead of `AWS_PROFILE` or `default`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The AWS region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Fixed credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Where credentials come from before each request.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Sends requests to this URL instead of AWS's (a local fake, a VPC
    /// endpoint). A path is kept as a prefix of every request's path.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses the FIPS endpoint.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Uses the dual-stack (IPv4 and IPv6) endpoint.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// Time allowed to connect, TLS included; `None` waits forever.
    /// Defaults to [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, from connecting to reading the whole
    /// answer; `None` waits forever. Defaults to [`DEFAULT_ATTEMPT_TIMEOUT`].
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Attempts per call, the first included (`AWS_MAX_ATTEMPTS`, the
    /// profile's `max_attempts`; 3 by default). 1 turns retries off.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// The whole retry configuration; [`max_attempts`](Self::max_attempts),
    /// when set, still wins for the attempt count.
    pub fn retry_config(mut self, config: RetryConfig) -> Self {
        self.retry = Some(config);
        self
    }

    /// The clock requests are signed with (tests freeze it).
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Sends requests through this HTTP proxy (`http://[user:password@]host:port`),
    /// or, with `None`, straight to the endpoint. Unset, [`Client::builder`]
    /// uses no proxy and [`ClientBuilder::from_env`] takes `HTTPS_PROXY` (for
    /// `https` endpoints) or `HTTP_PROXY`, unless `NO_PROXY` names the host.
    /// Instance and container metadata never go through a proxy.
    pub fn proxy(mut self, url: Option<&str>) -> Self {
        self.proxy = Some(url.map(str::to_owned));
        self
    }

    /// Trusts only the certificates in this PEM file for HTTPS, instead of
    /// the bundled roots (a corporate TLS proxy's CA, say), as
    /// `AWS_CA_BUNDLE` and the profile's `ca_bundle` do with
    /// [`ClientBuilder::from_env`].
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Sends every request unsigned, with no credentials looked up: the
    /// AWS CLI's `--no-sign-request` (aws-config's `no_credentials`). Only
    /// an endpoint that allows anonymous calls (a test server) accepts them.
    pub fn no_credentials(mut self) -> Self {
        self.anonymous = true;
        self
    }

    /// With `true`, HTTPS certificates are not checked at all: anyone on
    /// the path can read and change the traffic, credentials included. The
    /// AWS CLI's `--no-verify-ssl`, for a test endpoint with a self-signed
    /// certificate; prefer [`ca_bundle`](Self::ca_bundle).
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Calls `observe` with every request, each retry included, exactly as
    /// it is about to be sent (signature, `amz-sdk-*` headers, body): for
    /// logging and debugging. Its `Debug` hides the session token.
    pub fn on_request(mut self, observe: impl Fn(&SignedRequest) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observe));
        self
    }

    /// Checks the settings and resolves the endpoint. Credentials are asked
    /// for only when a request is sent.
    pub fn build(self) -> Result<Client, Error> {
        // The shared files are read once, for the settings and the chain.
        let files = match &self.env {
            Some(env) => Some(ProfileFiles::load(env).map_err(Error::config)?),
            None => None,
        };
        let settings = match (&self.env, &files) {
            (Some(env), Some(files)) => Settings::resolve(env, files, self.profile.as_deref())?,
            _ => Settings::default(),
        };
        let region = self.region.or(settings.region).or_else(|| {
            // Instance metadata is the last resort, as in the SDKs.
            let (env, files) = (self.env.as_ref()?, files.as_ref()?);
            let profile = files.profile(&env.profile_or_default(self.profile.as_deref()));
            Imds::new(env, profile).ok().flatten()?.region().ok()
        });
        let region = region.ok_or(Error::<ServiceError>::MissingRegion)?;
        match settings.retry_mode.as_deref() {
            // `legacy` and `adaptive` fall back to standard: adaptive's
            // client-side rate limiting is not implemented.
            None | Some("standard" | "legacy" | "adaptive") => {}
            Some(other) => {
                return Err(Error::InvalidConfig(format!(
                    "retry mode {other:?} is not one of standard, legacy, adaptive"
                )));
            }
        }
        let mut retry = self.retry.unwrap_or_default();
        // ureq adds timeouts to `Instant`s, and huge ones overflow it.
        for (what, limit) in [
            ("connect timeout", self.connect_timeout.flatten()),
            ("attempt timeout", self.attempt_timeout.flatten()),
            ("maximum backoff", Some(retry.max_backoff)),
        ] {
            if limit.is_some_and(|limit| limit > MAX_DURATION) {
                return Err(Error::InvalidConfig(format!(
                    "the {what} must be at most a day (or none), not {} s",
                    limit.unwrap_or_default().as_secs()
                )));
            }
        }
        if let Some(attempts) = self.max_attempts.or(settings.max_attempts) {
            retry.max_attempts = attempts.max(1);
        }
        let endpoint_url = self.endpoint_url.or(settings.endpoint_url);
        if !config::is_valid_region(&region) {
            return Err(Error::InvalidConfig(format!(
                "{region:?} is not a valid region name"
            )));
        }
        if let Some(url) = &endpoint_url {
            config::check_endpoint_url(url).map_err(Error::config)?;
        }
        let params = EndpointParams {
            region: Some(&region),
            use_fips: self.use_fips.or(settings.use_fips).unwrap_or(false),
            use_dual_stack: self
                .use_dual_stack
                .or(settings.use_dual_stack)
                .unwrap_or(false),
            endpoint: endpoint_url.as_deref(),
        };
        let endpoint = resolve_endpoint(&params).map_err(Error::config)?;
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        // What the builder set reaches the STS and SSO calls too.
        let calls = CallSettings {
            proxy: self.proxy.clone(),
            ca_bundle: self.ca_bundle.clone(),
            retry,
        };
        let proxy = match (self.proxy, &self.env) {
            (Some(proxy), _) => proxy,
            (None, Some(env)) => env.proxy_for(&endpoint),
            (None, None) => None,
        };
        let credentials: Arc<dyn ProvideCredentials> = match (self.credentials, self.env) {
            (Some(provider), _) => provider,
            (None, Some(env)) => Arc::new(DefaultChain::with_files(
                env,
                self.profile,
                files.unwrap_or_default(),
                region.clone(),
                calls,
            )),
            (None, None) => Arc::new(Unconfigured),
        };
        let transport = Transport::new(
            self.connect_timeout
                .unwrap_or(Some(DEFAULT_CONNECT_TIMEOUT)),
            self.attempt_timeout
                .unwrap_or(Some(DEFAULT_ATTEMPT_TIMEOUT)),
            USER_AGENT,
            proxy.as_deref(),
            self.ca_bundle.or(settings.ca_bundle).as_deref(),
            !self.accept_invalid_certs,
        )?;
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemTime::now));
        let inner = Inner {
            transport,
            credentials: (!self.anonymous).then_some(credentials),
            region,
            endpoint,
            signer: Signer::new(),
            clock,
            retry,
            quota: RetryQuota::default(),
            observer: self.observer,
            unusable: None,
            skew_secs: AtomicI64::new(0),
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

/// The credentials of a builder given none.
#[derive(Debug)]
struct Unconfigured;

impl ProvideCredentials for Unconfigured {
    fn provide_credentials(&self) -> Result<Credentials, Error> {
        Err(Error::MissingCredentials(
            "none were set on the builder; use ClientBuilder::from_env() for the default chain"
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_drops_default_ports_and_keeps_others() {
        assert_eq!(
            host_and_path("https://Appflow.us-east-1.amazonaws.com/register-connector"),
            (
                "appflow.us-east-1.amazonaws.com".into(),
                "/register-connector"
            )
        );
        assert_eq!(host_and_path("https://h:443/x"), ("h".into(), "/x"));
        assert_eq!(host_and_path("http://h:80/x"), ("h".into(), "/x"));
        assert_eq!(
            host_and_path("http://127.0.0.1:8080/p/x"),
            ("127.0.0.1:8080".into(), "/p/x")
        );
        assert_eq!(host_and_path("https://h:80/x"), ("h:80".into(), "/x"));
    }

    #[test]
    fn build_refuses_what_cannot_be_sent() {
        assert!(matches!(
            Client::builder().build(),
            Err(Error::MissingRegion)
        ));
        assert!(matches!(
            Client::builder().region("us east").build(),
            Err(Error::InvalidConfig(_))
        ));
        let fips_custom = Client::builder()
            .region("us-east-1")
            .endpoint_url("https://example.com")
            .use_fips(true)
            .build();
        match fips_custom {
            Err(Error::InvalidConfig(message)) => {
                assert!(message.contains("FIPS and custom endpoint"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let client = Client::builder()
            .region("us-east-1")
            .use_dual_stack(true)
            .build()
            .unwrap();
        assert_eq!(client.endpoint(), "https://appflow.us-east-1.api.aws");
        let local = Client::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:1/")
            .build()
            .unwrap();
        assert_eq!(local.endpoint(), "http://127.0.0.1:1");
    }

    #[test]
    fn absurd_durations_are_refused_not_panicked_on() {
        let base = || Client::builder().region("us-east-1");
        for builder in [
            base().attempt_timeout(Some(Duration::MAX)),
            base().connect_timeout(Some(Duration::from_secs(u64::MAX))),
            base().retry_config(
                RetryConfig::STANDARD.with_backoff(Duration::from_secs(1), Duration::MAX),
            ),
        ] {
            match builder.build() {
                Err(Error::InvalidConfig(message)) => {
                    assert!(message.contains("at most a day"), "{message}")
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(
            base()
                .attempt_timeout(None)
                .connect_timeout(Some(MAX_DURATION))
                .build()
                .is_ok()
        );
    }

    #[test]
    fn debug_output_hides_secrets() {
        let client = Client::builder()
            .region("us-east-1")
            .credentials(
                Credentials::new("AKIDEXAMPLE", "SECRET-KEY-VALUE")
                    .with_session_token("TOKEN-VALUE"),
            )
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(
            !shown.contains("SECRET-KEY-VALUE") && !shown.contains("TOKEN-VALUE"),
            "{shown}"
        );
    }
}

//! A fake Amazon AppFlow for tests and demos: the connector operations over
//! real HTTP on `127.0.0.1`, in memory, with AppFlow's checks and errors.
//!
//! It verifies every request's SigV4 signature, validates bodies against the
//! model, keeps labels unique and honours idempotency tokens, and can inject
//! throttling, internal errors and dropped connections.
//!
//! ```
//! let fake = fake_appflow::FakeAppFlow::start().unwrap();
//! let client = appflow_lite::Client::builder()
//!     .region("us-east-1")
//!     .endpoint_url(fake.endpoint_url())
//!     .credentials(fake_appflow::test_credentials())
//!     .build()
//!     .unwrap();
//! let output = client.register_connector().connector_label("my-conn").send().unwrap();
//! assert_eq!(output.connector_arn(), Some("arn:aws:appflow:us-east-1:123456789012:connector/my-conn"));
//! ```

mod auth;
mod clock;
mod faults;
mod http;
mod model;
mod service;
pub mod signature;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use appflow_lite::credentials::Credentials;

pub use faults::{Fault, Faults};
pub use http::HttpRequest;

/// The access key id the fake accepts unless told otherwise.
pub const TEST_ACCESS_KEY_ID: &str = "AKIAFAKEAPPFLOW00001";
/// Its secret.
pub const TEST_SECRET_ACCESS_KEY: &str = "fake/appflow/secret/key/for/local/tests00";
/// The account connectors are registered in unless told otherwise.
pub const TEST_ACCOUNT_ID: &str = "123456789012";

/// The credentials the fake accepts by default.
pub fn test_credentials() -> Credentials {
    Credentials::new(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)
}

/// A registered connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connector {
    /// Its label.
    pub label: String,
    /// Its ARN, `arn:aws:appflow:REGION:ACCOUNT:connector/LABEL`.
    pub arn: String,
    /// When it was registered, by the fake's clock.
    pub registered_at: SystemTime,
}

/// One request the fake received, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The method.
    pub method: String,
    /// The request target, as sent.
    pub path: String,
    /// The headers, as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The answer, or the dropped connection.
    pub outcome: Outcome,
}

impl LoggedRequest {
    /// The first value of header `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What the fake did with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It answered.
    Answered {
        /// The status.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// It closed the connection without answering.
    Dropped {
        /// Whether the request was processed first.
        processed: bool,
    },
}

/// Configures and starts a fake.
#[derive(Debug, Clone)]
pub struct FakeAppFlow {
    bind: String,
    keys: Vec<Credentials>,
    account_id: String,
    token_ttl: Duration,
    clock_offset_secs: i64,
    execution_time: Duration,
    faults: Faults,
    limits: http::Limits,
}

impl Default for FakeAppFlow {
    fn default() -> Self {
        FakeAppFlow {
            bind: "127.0.0.1:0".into(),
            keys: Vec::new(),
            account_id: TEST_ACCOUNT_ID.into(),
            token_ttl: Duration::from_secs(8 * 3600),
            clock_offset_secs: 0,
            execution_time: Duration::from_secs(5),
            faults: Faults::none(),
            limits: http::Limits::default(),
        }
    }
}

impl FakeAppFlow {
    /// A fake with the defaults: an ephemeral port on 127.0.0.1, the test
    /// credentials, account 123456789012, tokens kept 8 hours, no faults.
    pub fn new() -> FakeAppFlow {
        FakeAppFlow::default()
    }

    /// Starts a fake with the defaults.
    pub fn start() -> std::io::Result<FakeHandle> {
        FakeAppFlow::new().run()
    }

    /// Listens on this address instead (e.g. `127.0.0.1:8080`).
    pub fn bind(mut self, addr: impl Into<String>) -> Self {
        self.bind = addr.into();
        self
    }

    /// Accepts these credentials (call again for more); once any is given the
    /// test credentials are no longer accepted.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.keys.push(credentials);
        self
    }

    /// Registers connectors in this account.
    pub fn account_id(mut self, id: impl Into<String>) -> Self {
        self.account_id = id.into();
        self
    }

    /// How long a client token is remembered (AppFlow: 8 hours).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Runs the fake's clock this many seconds ahead (negative: behind), to
    /// test clock-skew handling.
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset_secs = seconds;
        self
    }

    /// How long a flow execution stays `InProgress` before it is
    /// `Successful`, by the fake's clock (5 s by default; see
    /// [`FakeHandle::advance_clock`]).
    pub fn execution_time(mut self, time: Duration) -> Self {
        self.execution_time = time;
        self
    }

    /// How long one request may take from its first byte (10 s by default);
    /// a slower one is answered 408 and its connection closed.
    pub fn request_deadline(mut self, deadline: Duration) -> Self {
        self.limits.request_deadline = deadline;
        self
    }

    /// How long an idle keep-alive connection stays open (60 s by default).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// Connections served at once (256 by default). At the cap the oldest
    /// idle connection is closed to make room; only when every one is in
    /// the middle of a request is a new one answered 503.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max;
        self
    }

    /// The largest request body accepted (2 MiB by default); a larger one
    /// is answered 413 before it is read.
    pub fn max_request_bytes(mut self, max: usize) -> Self {
        self.limits.max_body_bytes = max;
        self
    }

    /// Injects these faults.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Starts serving; the fake stops when the handle is dropped.
    pub fn run(self) -> std::io::Result<FakeHandle> {
        let keys = if self.keys.is_empty() {
            vec![test_credentials()]
        } else {
            self.keys
        };
        let settings = service::Settings {
            keys,
            account_id: self.account_id,
            token_ttl: self.token_ttl,
            clock_offset_secs: self.clock_offset_secs,
            execution_time: self.execution_time,
        };
        let service = Arc::new(service::Service::new(settings, self.faults));
        let handler = service.clone();
        let server = http::Server::start(
            &self.bind,
            Arc::new(move |request| handler.handle(request)),
            self.limits,
        )?;
        Ok(FakeHandle { server, service })
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeHandle {
    server: http::Server,
    service: Arc<service::Service>,
}

impl FakeHandle {
    /// The URL to give a client's `endpoint_url`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.service.log()
    }

    /// The registered connectors, by label.
    pub fn connectors(&self) -> Vec<Connector> {
        self.service.connectors()
    }

    /// Moves the fake's clock on, to finish executions without waiting.
    /// Signatures are checked against this clock too, so keep within
    /// AWS's five minutes of skew while clients sign with the real time.
    pub fn advance_clock(&self, by: Duration) {
        self.service.advance_clock(by);
    }

    /// Replaces the fault plan from the next request on.
    pub fn set_faults(&self, faults: Faults) {
        self.service.set_faults(faults);
    }
}

impl std::fmt::Debug for FakeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeHandle")
            .field("endpoint_url", &self.endpoint_url())
            .finish_non_exhaustive()
    }
}

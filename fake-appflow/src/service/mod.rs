//! AppFlow's operations, in memory, answering as AppFlow does. This module
//! takes a request through faults, the signature and the model's checks,
//! then routes it (one exhaustive match on the generated operation list)
//! to the module of the resource it acts on.

mod connector_types;
mod connectors;
mod entities;
mod flows;
mod operations;
mod profiles;
mod state;
mod tags;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use appflow_lite::credentials::Credentials;
use serde_json::{Map, Value, json};

use crate::faults::{Fault, Faults};
use crate::http::{Action, HttpRequest, HttpResponse};
use crate::model::Model;
use crate::{Connector, LoggedRequest, Outcome, auth, clock};
use connector_types::ConnectorTypes;
use operations::Op;
use state::State;

/// An error answer in AWS's restJson1 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorAnswer {
    status: u16,
    code: &'static str,
    message: String,
}

impl ErrorAnswer {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ErrorAnswer {
            status,
            code,
            message: message.into(),
        }
    }

    fn validation(message: impl Into<String>) -> Self {
        ErrorAnswer::new(400, "ValidationException", message)
    }

    fn not_found(message: impl Into<String>) -> Self {
        ErrorAnswer::new(404, "ResourceNotFoundException", message)
    }

    fn conflict(message: impl Into<String>) -> Self {
        ErrorAnswer::new(409, "ConflictException", message)
    }
}

/// Settings fixed when the fake starts.
pub(crate) struct Settings {
    pub keys: Vec<Credentials>,
    pub account_id: String,
    pub token_ttl: Duration,
    pub clock_offset_secs: i64,
    /// How long an execution runs before it succeeds, by the fake's clock.
    pub execution_time: Duration,
}

/// What a handler needs to know about the call besides its input.
pub(crate) struct Call<'a> {
    pub now: SystemTime,
    pub region: &'a str,
    pub account_id: &'a str,
    pub execution_time: Duration,
    pub types: &'a ConnectorTypes,
}

impl Call<'_> {
    /// `arn:aws:appflow:REGION:ACCOUNT:KIND/NAME`.
    fn arn(&self, kind: &str, name: &str) -> String {
        format!(
            "arn:aws:appflow:{}:{}:{kind}/{name}",
            self.region, self.account_id
        )
    }
}

pub(crate) struct Service {
    settings: Settings,
    model: Model,
    types: ConnectorTypes,
    state: Mutex<State>,
    faults: Mutex<Faults>,
    log: Mutex<RequestLog>,
    next_request_id: AtomicU64,
    /// Seconds the clock was moved on since start (`FakeHandle::advance_clock`).
    advanced_secs: AtomicI64,
}

/// The most recent requests, bounded in count and in bytes (headers and
/// bodies): the fake runs as a long-lived test double, and its log must
/// not grow without end.
#[derive(Default)]
struct RequestLog {
    entries: VecDeque<LoggedRequest>,
    bytes: usize,
}

/// Requests kept in the log, and the bytes they may hold together.
const LOG_ENTRIES: usize = 10_000;
const LOG_BYTES: usize = 32 * 1024 * 1024;
/// What a logged header costs beyond its text: two strings and a pair.
const HEADER_OVERHEAD: usize = 64;
/// Connectors, profiles and flows the fake holds, each (AWS has quotas too).
const MAX_RESOURCES: usize = 10_000;

fn logged_size(request: &LoggedRequest) -> usize {
    let headers: usize = request
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + HEADER_OVERHEAD)
        .sum();
    let answer = match &request.outcome {
        Outcome::Answered { body, .. } => body.len(),
        Outcome::Dropped { .. } => 0,
    };
    request.body.len() + request.path.len() + headers + answer + 128
}

impl RequestLog {
    fn push(&mut self, request: LoggedRequest) {
        self.bytes += logged_size(&request);
        self.entries.push_back(request);
        while self.entries.len() > LOG_ENTRIES || (self.bytes > LOG_BYTES && self.entries.len() > 1)
        {
            if let Some(old) = self.entries.pop_front() {
                self.bytes -= logged_size(&old);
            }
        }
    }
}

/// Locks a mutex even if a handler panicked while holding it: the state is
/// plain data, and one bad request must not take the fake down.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Seconds since the epoch, as AppFlow writes its times.
fn epoch(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

fn text<'a>(input: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

fn flag(input: &Map<String, Value>, name: &str) -> bool {
    input.get(name).and_then(Value::as_bool).unwrap_or(false)
}

impl Service {
    pub fn new(settings: Settings, faults: Faults) -> Service {
        let model = Model::load();
        Service {
            settings,
            types: ConnectorTypes::from_model(&model),
            model,
            state: Mutex::default(),
            faults: Mutex::new(faults),
            log: Mutex::default(),
            next_request_id: AtomicU64::new(1),
            advanced_secs: AtomicI64::new(0),
        }
    }

    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
    }

    pub fn advance_clock(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        let _ = self
            .advanced_secs
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |s| {
                Some(s.saturating_add(secs))
            });
    }

    pub fn log(&self) -> Vec<LoggedRequest> {
        lock(&self.log).entries.iter().cloned().collect()
    }

    pub fn connectors(&self) -> Vec<Connector> {
        lock(&self.state)
            .connectors
            .values()
            .map(|r| r.connector.clone())
            .collect()
    }

    fn now(&self) -> SystemTime {
        let offset = self
            .settings
            .clock_offset_secs
            .saturating_add(self.advanced_secs.load(Ordering::SeqCst));
        clock::shifted(SystemTime::now(), offset)
    }

    /// Handles one request: faults first, then authentication, then the operation.
    pub fn handle(&self, request: HttpRequest) -> Action {
        let (call, attempt) = call_and_attempt(&request);
        let fault = lock(&self.faults).next(call, attempt);
        let (action, outcome) = match fault {
            Some(Fault::DropBeforeProcessing) => {
                (Action::Drop, Outcome::Dropped { processed: false })
            }
            Some(Fault::Throttle) => self.answer(Err(ErrorAnswer::new(
                429,
                "ThrottlingException",
                "Rate exceeded",
            ))),
            Some(Fault::InternalError) => self.answer(Err(ErrorAnswer::new(
                500,
                "InternalServerException",
                "An internal error occurred",
            ))),
            Some(Fault::DropAfterProcessing) => {
                let _ = self.process(&request);
                (Action::Drop, Outcome::Dropped { processed: true })
            }
            None => self.answer(self.process(&request)),
        };
        let body = profiles::redacted(&request.target, request.body);
        lock(&self.log).push(LoggedRequest {
            method: request.method,
            path: request.target,
            headers: request.headers,
            body,
            outcome,
        });
        action
    }

    fn answer(&self, result: Result<Value, ErrorAnswer>) -> (Action, Outcome) {
        let id = self.next_request_id.fetch_add(1, Ordering::SeqCst);
        let mut headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            (
                "x-amzn-RequestId".to_owned(),
                format!("fake-{id:08}-0000-4000-8000-000000000000"),
            ),
            ("Date".to_owned(), clock::http_date(self.now())),
        ];
        let (status, body) = match result {
            Ok(value) => (200, value),
            Err(error) => {
                headers.push(("x-amzn-ErrorType".to_owned(), error.code.to_owned()));
                (error.status, json!({ "message": error.message }))
            }
        };
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let outcome = Outcome::Answered {
            status,
            body: body.clone(),
        };
        (
            Action::Respond(HttpResponse {
                status,
                headers,
                body,
            }),
            outcome,
        )
    }

    fn process(&self, request: &HttpRequest) -> Result<Value, ErrorAnswer> {
        let now = self.now();
        let signed = auth::verify(request, &self.settings.keys, now)?;
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((&request.target, ""));
        let routed = self
            .model
            .route(&request.method, path)
            .and_then(|(op, labels)| Some((op, Op::named(&op.name)?, labels)));
        let Some((operation, op, labels)) = routed else {
            return Err(ErrorAnswer::new(
                404,
                "UnknownOperationException",
                format!("no operation at {} {path}", request.method),
            ));
        };
        let body = parse_body(request, matches!(request.method.as_str(), "GET" | "DELETE"))?;
        let input = self
            .model
            .input(operation, labels, query, body)
            .map_err(ErrorAnswer::validation)?;
        self.model
            .validate(
                self.model.input_shape(operation),
                &Value::Object(input.clone()),
                "",
            )
            .map_err(|e| ErrorAnswer::validation(format!("1 validation error detected: {e}")))?;
        let call = Call {
            now,
            region: &signed.region,
            account_id: &self.settings.account_id,
            execution_time: self.settings.execution_time,
            types: &self.types,
        };
        self.idempotent(op, input, |state, input| route(op, state, &call, input))
    }

    /// Runs `run` once per client token: a repeat with the same input gets
    /// the first answer, one with a different input a conflict.
    fn idempotent(
        &self,
        op: Op,
        mut input: Map<String, Value>,
        run: impl FnOnce(&mut State, &Map<String, Value>) -> Result<Value, ErrorAnswer>,
    ) -> Result<Value, ErrorAnswer> {
        let now = self.now();
        let mut state = lock(&self.state);
        let Some(token) = input
            .remove("clientToken")
            .and_then(|t| t.as_str().map(str::to_owned))
        else {
            return run(&mut state, &input);
        };
        // serde_json's maps are sorted, so equal inputs write equal text.
        let written = serde_json::to_string(&input).unwrap_or_default();
        if let Some(used) = state.tokens.get(op, &token, now, self.settings.token_ttl) {
            return if used.input == written {
                Ok(used.answer.clone())
            } else {
                Err(ErrorAnswer::conflict(format!(
                    "client token {token} was already used with a different request"
                )))
            };
        }
        let answer = run(&mut state, &input)?;
        state
            .tokens
            .remember(op, token, written, answer.clone(), now);
        Ok(answer)
    }
}

/// The one place operations are routed: exhaustive over the model's list.
fn route(
    op: Op,
    state: &mut State,
    call: &Call<'_>,
    input: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    match op {
        Op::RegisterConnector => connectors::register(state, call, input),
        Op::UpdateConnectorRegistration => connectors::update(state, input),
        Op::UnregisterConnector => connectors::unregister(state, input),
        Op::DescribeConnector => connectors::describe(state, call, input),
        Op::DescribeConnectors => connectors::describe_many(state, call, input),
        Op::ListConnectors => connectors::list(state, input),
        Op::CreateConnectorProfile => profiles::create(state, call, input),
        Op::UpdateConnectorProfile => profiles::update(state, call, input),
        Op::DeleteConnectorProfile => profiles::delete(state, input),
        Op::DescribeConnectorProfiles => profiles::describe(state, call, input),
        Op::ListConnectorEntities => entities::list(state, input),
        Op::DescribeConnectorEntity => entities::describe(state, input),
        Op::ResetConnectorMetadataCache => entities::reset_cache(state, input),
        Op::CreateFlow => flows::create(state, call, input),
        Op::UpdateFlow => flows::update(state, call, input),
        Op::DescribeFlow => flows::describe(state, call, input),
        Op::ListFlows => flows::list(state, call, input),
        Op::StartFlow => flows::start(state, call, input),
        Op::StopFlow => flows::stop(state, input),
        Op::DeleteFlow => flows::delete(state, call, input),
        Op::DescribeFlowExecutionRecords => flows::executions(state, call, input),
        Op::CancelFlowExecutions => flows::cancel(state, call, input),
        Op::TagResource => tags::tag(state, input),
        Op::UntagResource => tags::untag(state, input),
        Op::ListTagsForResource => tags::list(state, input),
    }
}

fn quota_exceeded(what: &str) -> ErrorAnswer {
    ErrorAnswer::new(
        402,
        "ServiceQuotaExceededException",
        format!("fake-appflow holds at most {MAX_RESOURCES} {what}"),
    )
}

/// What identifies a request's call across its retries (a hash of method,
/// path and body without the client token, which is random per call) and
/// which attempt it is (`amz-sdk-request: attempt=N; ...`, else 1).
fn call_and_attempt(request: &HttpRequest) -> (u64, u32) {
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(mut object)) => {
            object.remove("clientToken");
            serde_json::to_vec(&object).unwrap_or_default()
        }
        _ => request.body.clone(),
    };
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for byte in [request.method.as_bytes(), request.target.as_bytes(), &body].concat() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let attempt = request
        .header("amz-sdk-request")
        .and_then(|v| v.split(';').find_map(|p| p.trim().strip_prefix("attempt=")))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    (hash, attempt)
}

/// One page of `keys` (sorted, ascending): `maxResults` of them (100 by
/// default) after the key the `nextToken` names. Tokens are `KIND:KEY`, so
/// paging stays right when items are added or removed between pages.
fn page<'k>(
    keys: &[&'k String],
    input: &Map<String, Value>,
    kind: &str,
) -> Result<(Vec<&'k String>, Option<String>), ErrorAnswer> {
    page_of(keys, input, kind, 100, false)
}

/// [`page`], with a default page size, over keys sorted either way.
fn page_of<'k>(
    keys: &[&'k String],
    input: &Map<String, Value>,
    kind: &str,
    default_size: usize,
    descending: bool,
) -> Result<(Vec<&'k String>, Option<String>), ErrorAnswer> {
    let size = input
        .get("maxResults")
        .and_then(Value::as_u64)
        .map_or(default_size, |n| n as usize);
    let start = match text(input, "nextToken") {
        None => 0,
        Some(token) => {
            let after = token
                .strip_prefix(kind)
                .and_then(|t| t.strip_prefix(':'))
                .ok_or_else(|| ErrorAnswer::validation(format!("invalid nextToken {token:?}")))?;
            keys.iter()
                .position(|k| {
                    if descending {
                        k.as_str() < after
                    } else {
                        k.as_str() > after
                    }
                })
                .unwrap_or(keys.len())
        }
    };
    let page: Vec<&String> = keys[start..].iter().take(size).copied().collect();
    let next = (start + page.len() < keys.len())
        .then(|| page.last().map(|last| format!("{kind}:{last}")))
        .flatten();
    Ok((page, next))
}

fn with_token(mut answer: Value, next: Option<String>) -> Value {
    if let Some(token) = next {
        answer["nextToken"] = json!(token);
    }
    answer
}

/// The body as a JSON object. GET and DELETE requests carry none; a body
/// must come with `Content-Type: application/json`.
fn parse_body(request: &HttpRequest, bodiless: bool) -> Result<Map<String, Value>, ErrorAnswer> {
    if request.body.is_empty() {
        return Ok(Map::new());
    }
    let serialization = |message: String| ErrorAnswer::new(400, "SerializationException", message);
    if bodiless {
        return Err(serialization(format!(
            "a {} request carries no body",
            request.method
        )));
    }
    if !request
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/json"))
    {
        return Err(serialization(
            "a body needs Content-Type: application/json".into(),
        ));
    }
    match serde_json::from_slice(&request.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(serialization("the body must be a JSON object".into())),
        Err(e) => Err(serialization(format!("the body is not JSON: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(body: usize) -> LoggedRequest {
        LoggedRequest {
            method: "POST".into(),
            path: "/".into(),
            headers: Vec::new(),
            body: vec![b'x'; body],
            outcome: Outcome::Dropped { processed: false },
        }
    }

    #[test]
    fn the_request_log_is_a_bounded_ring() {
        let mut log = RequestLog::default();
        for _ in 0..LOG_ENTRIES + 5 {
            log.push(logged(1));
        }
        assert_eq!(log.entries.len(), LOG_ENTRIES);
        assert_eq!(log.bytes, LOG_ENTRIES * logged_size(&logged(1)));
        log.push(logged(LOG_BYTES));
        assert_eq!(log.entries.len(), 1, "the big one pushed out all others");
        assert_eq!(log.bytes, logged_size(&logged(LOG_BYTES)));
    }

    #[test]
    fn header_bytes_count_in_the_log() {
        // Heads of many empty-looking headers cost what they hold.
        let mut request = logged(0);
        request.headers = vec![("a".into(), String::new()); 2000];
        let mut log = RequestLog::default();
        let each = logged_size(&request);
        assert!(each >= 2000 * HEADER_OVERHEAD);
        for _ in 0..LOG_BYTES / each + 10 {
            log.push(request.clone());
        }
        assert!(log.bytes <= LOG_BYTES, "{} bytes", log.bytes);
        assert_eq!(log.entries.len(), LOG_BYTES / each);
    }

    #[test]
    fn every_operation_in_the_model_is_routed() {
        let model = Model::load();
        let names: Vec<&str> = model.operation_names().collect();
        assert_eq!(names.len(), Op::ALL.len());
        for op in Op::ALL {
            assert!(names.iter().any(|n| Op::named(n) == Some(op)), "{op:?}");
        }
    }

    #[test]
    fn a_poisoned_lock_does_not_take_the_fake_down() {
        let mutex = std::sync::Arc::new(Mutex::new(1));
        let poisoner = mutex.clone();
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.lock().unwrap();
            panic!("a handler panicked");
        })
        .join();
        assert!(mutex.is_poisoned());
        assert_eq!(*lock(&mutex), 1);
    }
}

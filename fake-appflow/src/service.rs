//! AppFlow's operations, in memory, answering as AppFlow does: the
//! connector life cycle, tagging, and flows. Every other operation is
//! checked (signature, body) and answered with a clear 501.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use appflow_lite::credentials::Credentials;
use serde_json::{Map, Value, json};

use crate::faults::{Fault, Faults};
use crate::http::{Action, HttpRequest, HttpResponse};
use crate::model::Model;
use crate::{Connector, LoggedRequest, Outcome, auth, clock};

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
}

pub(crate) struct Service {
    settings: Settings,
    model: Model,
    state: Mutex<State>,
    faults: Mutex<Faults>,
    log: Mutex<RequestLog>,
    next_request_id: AtomicU64,
}

/// The most recent requests, bounded in count and bytes: the fake runs as a
/// long-lived test double, and its log must not grow without end.
#[derive(Default)]
struct RequestLog {
    entries: VecDeque<LoggedRequest>,
    bytes: usize,
}

/// Requests kept in the log, and the body bytes they may hold together.
const LOG_ENTRIES: usize = 10_000;
const LOG_BYTES: usize = 64 * 1024 * 1024;
/// Connectors and flows the fake holds (AWS has quotas too); client tokens
/// remembered at once.
const MAX_RESOURCES: usize = 10_000;
const MAX_TOKENS: usize = 100_000;

impl RequestLog {
    fn push(&mut self, request: LoggedRequest) {
        self.bytes += request.body.len();
        self.entries.push_back(request);
        while self.entries.len() > LOG_ENTRIES || (self.bytes > LOG_BYTES && self.entries.len() > 1)
        {
            if let Some(old) = self.entries.pop_front() {
                self.bytes -= old.body.len();
            }
        }
    }
}

#[derive(Default)]
struct State {
    connectors: BTreeMap<String, ConnectorRecord>,
    flows: BTreeMap<String, FlowRecord>,
    /// Tags by resource ARN.
    tags: BTreeMap<String, Map<String, Value>>,
    /// Client tokens by operation and token.
    tokens: HashMap<(String, String), TokenUse>,
    executions: u64,
}

struct ConnectorRecord {
    connector: Connector,
    description: Option<Value>,
    provisioning_type: Option<Value>,
    provisioning_config: Option<Value>,
}

struct FlowRecord {
    arn: String,
    status: &'static str,
    /// The members of CreateFlow/UpdateFlow that describe the flow.
    definition: Map<String, Value>,
    created_at: SystemTime,
    updated_at: SystemTime,
    /// Execution ids and start times, oldest first.
    runs: Vec<(String, SystemTime)>,
}

/// What a client token was first used for, and the answer it got.
struct TokenUse {
    input: Map<String, Value>,
    answer: Value,
    at: SystemTime,
}

/// Locks a mutex even if a handler panicked while holding it: the state is
/// plain data, and one bad request must not take the fake down.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn epoch(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

fn text<'a>(input: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

/// The members of `input` named in `names`, in that order.
fn pick(input: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| Some((name.to_string(), input.get(*name)?.clone())))
        .collect()
}

const FLOW_DEFINITION: &[&str] = &[
    "description",
    "kmsArn",
    "triggerConfig",
    "sourceFlowConfig",
    "destinationFlowConfigList",
    "tasks",
    "metadataCatalogConfig",
];

impl Service {
    pub fn new(settings: Settings, faults: Faults) -> Service {
        Service {
            settings,
            model: Model::load(),
            state: Mutex::default(),
            faults: Mutex::new(faults),
            log: Mutex::default(),
            next_request_id: AtomicU64::new(1),
        }
    }

    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
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
        clock::shifted(SystemTime::now(), self.settings.clock_offset_secs)
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
        lock(&self.log).push(LoggedRequest {
            method: request.method,
            path: request.target,
            headers: request.headers,
            body: request.body,
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
        let signed = auth::verify(request, &self.settings.keys, self.now())?;
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((&request.target, ""));
        let Some((op, labels)) = self.model.route(&request.method, path) else {
            return Err(ErrorAnswer::new(
                404,
                "UnknownOperationException",
                format!("no operation at {} {path}", request.method),
            ));
        };
        let body = parse_body(request, matches!(request.method.as_str(), "GET" | "DELETE"))?;
        let input = self
            .model
            .input(op, labels, query, body)
            .map_err(ErrorAnswer::validation)?;
        self.model
            .validate(
                self.model.input_shape(op),
                &Value::Object(input.clone()),
                "",
            )
            .map_err(|e| ErrorAnswer::validation(format!("1 validation error detected: {e}")))?;
        let region = signed.region.as_str();
        match op.name.as_str() {
            "RegisterConnector" => self.idempotent(&op.name, input, |s, i| {
                self.register_connector(s, region, i)
            }),
            "UpdateConnectorRegistration" => {
                self.idempotent(&op.name, input, |s, i| self.update_connector(s, i))
            }
            "UnregisterConnector" => self.unregister_connector(&input),
            "DescribeConnector" => self.describe_connector(&input),
            "DescribeConnectors" => self.describe_connectors(&input),
            "ListConnectors" => self.list_connectors(&input),
            "TagResource" => self.tag_resource(&input),
            "UntagResource" => self.untag_resource(&input),
            "ListTagsForResource" => self.list_tags(&input),
            "CreateFlow" => self.idempotent(&op.name, input, |s, i| self.create_flow(s, region, i)),
            "UpdateFlow" => self.idempotent(&op.name, input, |s, i| self.update_flow(s, i)),
            "DescribeFlow" => self.describe_flow(&input),
            "ListFlows" => self.list_flows(&input),
            "StartFlow" => self.idempotent(&op.name, input, |s, i| self.start_flow(s, i)),
            "StopFlow" => self.stop_flow(&input),
            "DeleteFlow" => self.delete_flow(&input),
            "DescribeFlowExecutionRecords" => self.execution_records(&input),
            other => Err(ErrorAnswer::new(
                501,
                "NotImplementedException",
                format!(
                    "fake-appflow does not implement {other}; the request was signed and valid"
                ),
            )),
        }
    }

    /// Runs `run` once per client token: a repeat with the same input gets
    /// the first answer, one with a different input a conflict.
    fn idempotent(
        &self,
        op: &str,
        mut input: Map<String, Value>,
        run: impl FnOnce(&mut State, &Map<String, Value>) -> Result<Value, ErrorAnswer>,
    ) -> Result<Value, ErrorAnswer> {
        let now = self.now();
        let mut state = lock(&self.state);
        let token = input
            .remove("clientToken")
            .and_then(|t| t.as_str().map(str::to_owned));
        let ttl = self.settings.token_ttl;
        // Expired tokens are forgotten, so the table cannot grow forever.
        state
            .tokens
            .retain(|_, used| now.duration_since(used.at).unwrap_or_default() < ttl);
        if let Some(token) = &token {
            if let Some(used) = state.tokens.get(&(op.to_owned(), token.clone())) {
                return if used.input == input {
                    Ok(used.answer.clone())
                } else {
                    Err(ErrorAnswer::conflict(format!(
                        "client token {token} was already used with a different request"
                    )))
                };
            }
        }
        let answer = run(&mut state, &input)?;
        if let Some(token) = token {
            if state.tokens.len() >= MAX_TOKENS {
                // Full even after expiry: forget the oldest.
                let oldest = state
                    .tokens
                    .iter()
                    .min_by_key(|(_, used)| used.at)
                    .map(|(key, _)| key.clone());
                if let Some(oldest) = oldest {
                    state.tokens.remove(&oldest);
                }
            }
            state.tokens.insert(
                (op.to_owned(), token),
                TokenUse {
                    input,
                    answer: answer.clone(),
                    at: now,
                },
            );
        }
        Ok(answer)
    }

    fn register_connector(
        &self,
        state: &mut State,
        region: &str,
        input: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        // The ARN is made from the label, so the fake needs one although
        // the model does not require it.
        let label = text(input, "connectorLabel").ok_or_else(|| {
            ErrorAnswer::validation("1 validation error detected: Value null at 'connectorLabel' failed to satisfy constraint: Member must not be null")
        })?;
        if state.connectors.contains_key(label) {
            return Err(ErrorAnswer::conflict(format!(
                "a connector labelled {label} is already registered"
            )));
        }
        if state.connectors.len() >= MAX_RESOURCES {
            return Err(quota_exceeded("connectors"));
        }
        let arn = format!(
            "arn:aws:appflow:{region}:{}:connector/{label}",
            self.settings.account_id
        );
        state.connectors.insert(
            label.to_owned(),
            ConnectorRecord {
                connector: Connector {
                    label: label.to_owned(),
                    arn: arn.clone(),
                    registered_at: self.now(),
                },
                description: input.get("description").cloned(),
                provisioning_type: input.get("connectorProvisioningType").cloned(),
                provisioning_config: input.get("connectorProvisioningConfig").cloned(),
            },
        );
        Ok(json!({ "connectorArn": arn }))
    }

    fn update_connector(
        &self,
        state: &mut State,
        input: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let label = text(input, "connectorLabel").unwrap_or_default();
        let record = state
            .connectors
            .get_mut(label)
            .ok_or_else(|| ErrorAnswer::not_found(format!("no connector labelled {label}")))?;
        if let Some(description) = input.get("description") {
            record.description = Some(description.clone());
        }
        if let Some(config) = input.get("connectorProvisioningConfig") {
            record.provisioning_config = Some(config.clone());
        }
        Ok(json!({ "connectorArn": record.connector.arn }))
    }

    fn unregister_connector(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let label = text(input, "connectorLabel").unwrap_or_default();
        let mut state = lock(&self.state);
        let record = state
            .connectors
            .remove(label)
            .ok_or_else(|| ErrorAnswer::not_found(format!("no connector labelled {label}")))?;
        state.tags.remove(&record.connector.arn);
        Ok(json!({}))
    }

    fn detail(record: &ConnectorRecord) -> Value {
        let mut detail = Map::new();
        if let Some(description) = &record.description {
            detail.insert("connectorDescription".into(), description.clone());
        }
        detail.insert("connectorName".into(), json!(record.connector.label));
        detail.insert("connectorType".into(), json!("CustomConnector"));
        detail.insert("connectorLabel".into(), json!(record.connector.label));
        detail.insert(
            "registeredAt".into(),
            json!(epoch(record.connector.registered_at)),
        );
        detail.insert("registeredBy".into(), json!("fake-appflow"));
        if let Some(kind) = &record.provisioning_type {
            detail.insert("connectorProvisioningType".into(), kind.clone());
        }
        Value::Object(detail)
    }

    fn describe_connector(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let kind = text(input, "connectorType").unwrap_or_default();
        if kind != "CustomConnector" {
            return Ok(json!({ "connectorConfiguration": {
                "canUseAsSource": true, "canUseAsDestination": true, "connectorType": kind,
            }}));
        }
        let label = text(input, "connectorLabel").unwrap_or_default();
        let state = lock(&self.state);
        let record = state
            .connectors
            .get(label)
            .ok_or_else(|| ErrorAnswer::not_found(format!("no connector labelled {label:?}")))?;
        let mut config = Map::new();
        config.insert("canUseAsSource".into(), json!(true));
        config.insert("canUseAsDestination".into(), json!(true));
        config.insert("connectorType".into(), json!("CustomConnector"));
        config.insert("connectorLabel".into(), json!(label));
        if let Some(description) = &record.description {
            config.insert("connectorDescription".into(), description.clone());
        }
        config.insert("connectorArn".into(), json!(record.connector.arn));
        if let Some(kind) = &record.provisioning_type {
            config.insert("connectorProvisioningType".into(), kind.clone());
        }
        if let Some(provisioning) = &record.provisioning_config {
            config.insert("connectorProvisioningConfig".into(), provisioning.clone());
        }
        config.insert(
            "registeredAt".into(),
            json!(epoch(record.connector.registered_at)),
        );
        config.insert("registeredBy".into(), json!("fake-appflow"));
        Ok(json!({ "connectorConfiguration": config }))
    }

    fn list_connectors(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let state = lock(&self.state);
        let labels: Vec<&String> = state.connectors.keys().collect();
        let (page, next) = page(&labels, input, "connectors")?;
        let connectors: Vec<Value> = page
            .iter()
            .map(|l| Self::detail(&state.connectors[*l]))
            .collect();
        Ok(with_token(json!({ "connectors": connectors }), next))
    }

    fn describe_connectors(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let types: Vec<&str> = input
            .get("connectorTypes")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut configurations = Map::new();
        for kind in types.iter().filter(|t| **t != "CustomConnector") {
            configurations.insert(
                kind.to_string(),
                json!({ "connectorType": kind, "canUseAsSource": true }),
            );
        }
        let state = lock(&self.state);
        let labels: Vec<&String> = if types.is_empty() || types.contains(&"CustomConnector") {
            state.connectors.keys().collect()
        } else {
            Vec::new()
        };
        let (page, next) = page(&labels, input, "connectors")?;
        let connectors: Vec<Value> = page
            .iter()
            .map(|l| Self::detail(&state.connectors[*l]))
            .collect();
        Ok(with_token(
            json!({ "connectorConfigurations": configurations, "connectors": connectors }),
            next,
        ))
    }

    /// The ARN's tags, if it names a connector or flow the fake holds.
    fn known_arn(&self, state: &State, arn: &str) -> Result<(), ErrorAnswer> {
        let known = state.connectors.values().any(|c| c.connector.arn == arn)
            || state.flows.values().any(|f| f.arn == arn);
        if known {
            Ok(())
        } else {
            Err(ErrorAnswer::not_found(format!(
                "no resource with ARN {arn}"
            )))
        }
    }

    fn tag_resource(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let arn = text(input, "resourceArn").unwrap_or_default();
        let mut state = lock(&self.state);
        self.known_arn(&state, arn)?;
        let tags = state.tags.entry(arn.to_owned()).or_default();
        let mut merged = tags.clone();
        for (key, value) in input
            .get("tags")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            merged.insert(key.clone(), value.clone());
        }
        if merged.len() > 50 {
            return Err(ErrorAnswer::validation(
                "a resource can have at most 50 tags",
            ));
        }
        *tags = merged;
        Ok(json!({}))
    }

    fn untag_resource(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let arn = text(input, "resourceArn").unwrap_or_default();
        let mut state = lock(&self.state);
        self.known_arn(&state, arn)?;
        let tags = state.tags.entry(arn.to_owned()).or_default();
        for key in input
            .get("tagKeys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            tags.remove(key.as_str().unwrap_or_default());
        }
        Ok(json!({}))
    }

    fn list_tags(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let arn = text(input, "resourceArn").unwrap_or_default();
        let state = lock(&self.state);
        self.known_arn(&state, arn)?;
        let tags = state.tags.get(arn).cloned().unwrap_or_default();
        Ok(json!({ "tags": tags }))
    }

    fn trigger_type(definition: &Map<String, Value>) -> &str {
        definition
            .get("triggerConfig")
            .and_then(|t| t["triggerType"].as_str())
            .unwrap_or("OnDemand")
    }

    fn create_flow(
        &self,
        state: &mut State,
        region: &str,
        input: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let name = text(input, "flowName").unwrap_or_default();
        if state.flows.contains_key(name) {
            return Err(ErrorAnswer::conflict(format!(
                "a flow named {name} already exists"
            )));
        }
        let arn = format!(
            "arn:aws:appflow:{region}:{}:flow/{name}",
            self.settings.account_id
        );
        let definition = pick(input, FLOW_DEFINITION);
        // On-demand flows can run at once; others wait for StartFlow.
        let status = if Self::trigger_type(&definition) == "OnDemand" {
            "Active"
        } else {
            "Draft"
        };
        if let Some(Value::Object(tags)) = input.get("tags") {
            state.tags.insert(arn.clone(), tags.clone());
        }
        let now = self.now();
        state.flows.insert(
            name.to_owned(),
            FlowRecord {
                arn: arn.clone(),
                status,
                definition,
                created_at: now,
                updated_at: now,
                runs: Vec::new(),
            },
        );
        Ok(json!({ "flowArn": arn, "flowStatus": status }))
    }

    fn flow<'s>(
        state: &'s mut State,
        input: &Map<String, Value>,
    ) -> Result<&'s mut FlowRecord, ErrorAnswer> {
        let name = text(input, "flowName").unwrap_or_default();
        state
            .flows
            .get_mut(name)
            .ok_or_else(|| ErrorAnswer::not_found(format!("no flow named {name}")))
    }

    fn update_flow(
        &self,
        state: &mut State,
        input: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let now = self.now();
        let flow = Self::flow(state, input)?;
        flow.definition = pick(input, FLOW_DEFINITION);
        flow.updated_at = now;
        Ok(json!({ "flowStatus": flow.status }))
    }

    fn describe_flow(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let mut state = lock(&self.state);
        let flow = Self::flow(&mut state, input)?;
        let mut answer = Map::new();
        answer.insert("flowArn".into(), json!(flow.arn));
        answer.insert("flowName".into(), input["flowName"].clone());
        answer.insert("flowStatus".into(), json!(flow.status));
        answer.extend(flow.definition.clone());
        answer.insert("createdAt".into(), json!(epoch(flow.created_at)));
        answer.insert("lastUpdatedAt".into(), json!(epoch(flow.updated_at)));
        answer.insert("createdBy".into(), json!("fake-appflow"));
        let arn = flow.arn.clone();
        answer.insert(
            "tags".into(),
            Value::Object(state.tags.get(&arn).cloned().unwrap_or_default()),
        );
        Ok(Value::Object(answer))
    }

    fn list_flows(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let state = lock(&self.state);
        let names: Vec<&String> = state.flows.keys().collect();
        let (page, next) = page(&names, input, "flows")?;
        let flows: Vec<Value> = page
            .iter()
            .map(|name| {
                let flow = &state.flows[*name];
                let connector = |config: &str| {
                    flow.definition
                        .get(config)
                        .map(|c| {
                            if c.is_array() {
                                c[0]["connectorType"].clone()
                            } else {
                                c["connectorType"].clone()
                            }
                        })
                        .unwrap_or(Value::Null)
                };
                json!({
                    "flowArn": flow.arn,
                    "flowName": name,
                    "flowStatus": flow.status,
                    "sourceConnectorType": connector("sourceFlowConfig"),
                    "destinationConnectorType": connector("destinationFlowConfigList"),
                    "triggerType": Self::trigger_type(&flow.definition),
                    "createdAt": epoch(flow.created_at),
                    "lastUpdatedAt": epoch(flow.updated_at),
                })
            })
            .collect();
        Ok(with_token(json!({ "flows": flows }), next))
    }

    fn start_flow(
        &self,
        state: &mut State,
        input: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        state.executions += 1;
        let execution_id = format!("fake-execution-{:06}", state.executions);
        let now = self.now();
        let flow = Self::flow(state, input)?;
        flow.status = "Active";
        let mut answer = json!({ "flowArn": flow.arn, "flowStatus": flow.status });
        if Self::trigger_type(&flow.definition) == "OnDemand" {
            flow.runs.push((execution_id.clone(), now));
            answer["executionId"] = json!(execution_id);
        }
        Ok(answer)
    }

    fn stop_flow(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let mut state = lock(&self.state);
        let flow = Self::flow(&mut state, input)?;
        if Self::trigger_type(&flow.definition) == "OnDemand" {
            return Err(ErrorAnswer::new(
                400,
                "UnsupportedOperationException",
                "an on-demand flow cannot be stopped",
            ));
        }
        flow.status = "Suspended";
        Ok(json!({ "flowArn": flow.arn, "flowStatus": flow.status }))
    }

    fn delete_flow(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let mut state = lock(&self.state);
        let arn = Self::flow(&mut state, input)?.arn.clone();
        state
            .flows
            .remove(text(input, "flowName").unwrap_or_default());
        state.tags.remove(&arn);
        Ok(json!({}))
    }

    fn execution_records(&self, input: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        let mut state = lock(&self.state);
        let flow = Self::flow(&mut state, input)?;
        let ids: Vec<&String> = flow.runs.iter().map(|(id, _)| id).collect();
        let (page, next) = page(&ids, input, "executions")?;
        let records: Vec<Value> = page
            .iter()
            .map(|id| {
                let started = flow.runs.iter().find(|(run, _)| run == *id).map_or(0, |(_, at)| epoch(*at));
                json!({ "executionId": id, "executionStatus": "Successful", "startedAt": started, "lastUpdatedAt": started })
            })
            .collect();
        Ok(with_token(json!({ "flowExecutions": records }), next))
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

/// One page of `keys` (sorted): `maxResults` of them (100 by default)
/// after the key the `nextToken` names. Tokens are `KIND:KEY`, so paging
/// stays right when items are added or removed between pages.
fn page<'k>(
    keys: &[&'k String],
    input: &Map<String, Value>,
    kind: &str,
) -> Result<(Vec<&'k String>, Option<String>), ErrorAnswer> {
    let size = input
        .get("maxResults")
        .and_then(Value::as_u64)
        .unwrap_or(100) as usize;
    let start = match text(input, "nextToken") {
        None => 0,
        Some(token) => {
            let after = token
                .strip_prefix(kind)
                .and_then(|t| t.strip_prefix(':'))
                .ok_or_else(|| ErrorAnswer::validation(format!("invalid nextToken {token:?}")))?;
            keys.iter()
                .position(|k| k.as_str() > after)
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
        assert_eq!(log.bytes, LOG_ENTRIES);
        log.push(logged(LOG_BYTES));
        assert_eq!(log.entries.len(), 1, "the big one pushed out all others");
        assert_eq!(log.bytes, LOG_BYTES);
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

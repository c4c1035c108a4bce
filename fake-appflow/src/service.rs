//! AppFlow's connector operations, in memory, answering as AppFlow does.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use appflow_lite::credentials::Credentials;
use appflow_lite::operation::register_connector::RegisterConnectorInput;
use appflow_lite::sigv4::Signer;
use serde_json::{Map, Value, json};

use crate::faults::{Fault, Faults};
use crate::http::{Action, HttpRequest, HttpResponse};
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
    signer: Signer,
    state: Mutex<State>,
    faults: Mutex<Faults>,
    log: Mutex<Vec<LoggedRequest>>,
    next_request_id: AtomicU64,
}

#[derive(Default)]
struct State {
    connectors: BTreeMap<String, Connector>,
    tokens: HashMap<String, TokenUse>,
}

/// What a client token was first used for, and the answer it got.
struct TokenUse {
    input: Value,
    answer: Value,
    at: SystemTime,
}

impl Service {
    pub fn new(settings: Settings, faults: Faults) -> Service {
        Service {
            settings,
            signer: Signer::new(),
            state: Mutex::default(),
            faults: Mutex::new(faults),
            log: Mutex::default(),
            next_request_id: AtomicU64::new(1),
        }
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.lock().unwrap() = faults;
    }

    pub fn log(&self) -> Vec<LoggedRequest> {
        self.log.lock().unwrap().clone()
    }

    pub fn connectors(&self) -> Vec<Connector> {
        self.state
            .lock()
            .unwrap()
            .connectors
            .values()
            .cloned()
            .collect()
    }

    fn now(&self) -> SystemTime {
        clock::shifted(SystemTime::now(), self.settings.clock_offset_secs)
    }

    /// Handles one request: faults first, then authentication, then the operation.
    pub fn handle(&self, request: HttpRequest) -> Action {
        let fault = self.faults.lock().unwrap().next();
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
        self.log.lock().unwrap().push(LoggedRequest {
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
        let body = serde_json::to_vec(&body).expect("JSON values serialise");
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
        let signed = auth::verify(request, &self.settings.keys, self.now(), &self.signer)?;
        let path = request.target.split('?').next().unwrap_or_default();
        let body = parse_body(&request.body)?;
        match (request.method.as_str(), path) {
            ("POST", "/register-connector") => self.register_connector(&signed.region, body),
            ("POST", "/unregister-connector") => self.unregister_connector(body),
            ("POST", "/list-connectors") => Ok(self.list_connectors()),
            _ => Err(ErrorAnswer::new(
                404,
                "UnknownOperationException",
                format!("no operation at {} {path}", request.method),
            )),
        }
    }

    fn register_connector(
        &self,
        region: &str,
        body: Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let input = register_input(&body)?;
        let label = input.connector_label.clone().ok_or_else(|| {
            ErrorAnswer::validation("1 validation error detected: Value null at 'connectorLabel' failed to satisfy constraint: Member must not be null")
        })?;
        let now = self.now();
        let mut state = self.state.lock().unwrap();

        let mut fingerprint = body;
        let token = fingerprint
            .remove("clientToken")
            .and_then(|t| t.as_str().map(str::to_owned));
        let fingerprint = Value::Object(fingerprint);
        if let Some(token) = &token {
            match state.tokens.get(token) {
                Some(used)
                    if now.duration_since(used.at).unwrap_or_default()
                        < self.settings.token_ttl =>
                {
                    return if used.input == fingerprint {
                        Ok(used.answer.clone())
                    } else {
                        Err(ErrorAnswer::new(
                            409,
                            "ConflictException",
                            format!(
                                "client token {token} was already used with a different request"
                            ),
                        ))
                    };
                }
                Some(_) => {
                    state.tokens.remove(token);
                }
                None => {}
            }
        }
        if state.connectors.contains_key(&label) {
            return Err(ErrorAnswer::new(
                409,
                "ConflictException",
                format!("a connector labelled {label} is already registered"),
            ));
        }
        let arn = format!(
            "arn:aws:appflow:{region}:{}:connector/{label}",
            self.settings.account_id
        );
        state.connectors.insert(
            label.clone(),
            Connector {
                label,
                arn: arn.clone(),
                registered_at: now,
            },
        );
        let answer = json!({ "connectorArn": arn });
        if let Some(token) = token {
            state.tokens.insert(
                token,
                TokenUse {
                    input: fingerprint,
                    answer: answer.clone(),
                    at: now,
                },
            );
        }
        Ok(answer)
    }

    fn unregister_connector(&self, body: Map<String, Value>) -> Result<Value, ErrorAnswer> {
        check_members(
            &body,
            &[
                ("connectorLabel", Kind::String),
                ("forceDelete", Kind::Bool),
            ],
            "",
        )?;
        let label = body.get("connectorLabel").and_then(Value::as_str).ok_or_else(|| {
            ErrorAnswer::validation("1 validation error detected: Value null at 'connectorLabel' failed to satisfy constraint: Member must not be null")
        })?;
        match self.state.lock().unwrap().connectors.remove(label) {
            Some(_) => Ok(json!({})),
            None => Err(ErrorAnswer::new(
                404,
                "ResourceNotFoundException",
                format!("no connector labelled {label}"),
            )),
        }
    }

    fn list_connectors(&self) -> Value {
        let state = self.state.lock().unwrap();
        let connectors: Vec<Value> = state
            .connectors
            .values()
            .map(|c| {
                json!({
                    "connectorLabel": c.label,
                    "connectorType": "CustomConnector",
                    "connectorProvisioningType": "LAMBDA",
                    "registeredAt": c.registered_at.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs(),
                })
            })
            .collect();
        json!({ "connectors": connectors })
    }
}

fn parse_body(body: &[u8]) -> Result<Map<String, Value>, ErrorAnswer> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ErrorAnswer::new(
            400,
            "SerializationException",
            "the body must be a JSON object",
        )),
        Err(e) => Err(ErrorAnswer::new(
            400,
            "SerializationException",
            format!("the body is not JSON: {e}"),
        )),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    String,
    Bool,
    Object(&'static [(&'static str, Kind)]),
}

const LAMBDA_CONFIG: &[(&str, Kind)] = &[("lambdaArn", Kind::String)];
const PROVISIONING_CONFIG: &[(&str, Kind)] = &[("lambda", Kind::Object(LAMBDA_CONFIG))];
const REGISTER_CONNECTOR: &[(&str, Kind)] = &[
    ("connectorLabel", Kind::String),
    ("description", Kind::String),
    ("connectorProvisioningType", Kind::String),
    (
        "connectorProvisioningConfig",
        Kind::Object(PROVISIONING_CONFIG),
    ),
    ("clientToken", Kind::String),
];

/// Checks that `object` has only the shape's members, each of its type;
/// the error names the member by its path.
fn check_members(
    object: &Map<String, Value>,
    shape: &[(&str, Kind)],
    prefix: &str,
) -> Result<(), ErrorAnswer> {
    for (name, value) in object {
        let path = format!("{prefix}{name}");
        let Some((_, kind)) = shape.iter().find(|(member, _)| member == name) else {
            return Err(ErrorAnswer::validation(format!(
                "Unknown member '{path}' in the request"
            )));
        };
        let wrong = |expected: &str| {
            ErrorAnswer::validation(format!("Value at '{path}' must be {expected}"))
        };
        match (kind, value) {
            (_, Value::Null) => {}
            (Kind::String, Value::String(_)) | (Kind::Bool, Value::Bool(_)) => {}
            (Kind::Object(members), Value::Object(inner)) => {
                check_members(inner, members, &format!("{path}."))?
            }
            (Kind::String, _) => return Err(wrong("a string")),
            (Kind::Bool, _) => return Err(wrong("a boolean")),
            (Kind::Object(_), _) => return Err(wrong("an object")),
        }
    }
    Ok(())
}

/// The body as RegisterConnector's input, with the model's constraints checked.
fn register_input(body: &Map<String, Value>) -> Result<RegisterConnectorInput, ErrorAnswer> {
    check_members(body, REGISTER_CONNECTOR, "")?;
    let input: RegisterConnectorInput = serde_json::from_value(Value::Object(body.clone()))
        .map_err(|e| {
            ErrorAnswer::validation(format!("the request does not match the input shape: {e}"))
        })?;
    input.validate().map_err(|invalid| {
        ErrorAnswer::validation(format!(
            "1 validation error detected: Value at '{}' failed to satisfy constraint: {invalid}",
            invalid.field()
        ))
    })?;
    Ok(input)
}

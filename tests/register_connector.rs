//! RegisterConnector against local servers that record every byte: the exact
//! request, every documented error, and each way a call can fail.

mod support;

use std::time::{Duration, Instant, UNIX_EPOCH};

use appflow_lite::credentials::Credentials;
use appflow_lite::types::{
    ConnectorProvisioningConfig, ConnectorProvisioningType, LambdaConnectorProvisioningConfig,
};
use appflow_lite::{Client, Error, ErrorCode, Rule};
use support::{RecordingServer, Reply};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-connector";
const CREATED: &str =
    r#"{"connectorArn":"arn:aws:appflow:us-east-1:123456789012:connector/my-conn"}"#;

fn client_for(server: &RecordingServer, credentials: Credentials) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(credentials)
        .clock(|| UNIX_EPOCH + Duration::from_secs(1_764_150_000)) // 2025-11-26T09:40:00Z
        // One attempt: these tests look at single exchanges; tests/retries.rs retries.
        .max_attempts(1)
        .build()
        .unwrap()
}

fn client(server: &RecordingServer) -> Client {
    client_for(
        server,
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    )
}

fn lambda_config(arn: &str) -> ConnectorProvisioningConfig {
    ConnectorProvisioningConfig::builder()
        .lambda(
            LambdaConnectorProvisioningConfig::builder()
                .lambda_arn(arn)
                .build()
                .unwrap(),
        )
        .build()
}

fn register(
    client: &Client,
) -> Result<
    appflow_lite::operation::register_connector::RegisterConnectorOutput,
    Error<appflow_lite::operation::register_connector::RegisterConnectorError>,
> {
    client
        .register_connector()
        .connector_label("my-conn")
        .connector_provisioning_type(ConnectorProvisioningType::Lambda)
        .connector_provisioning_config(lambda_config(ARN))
        .client_token("token-1")
        .send()
}

#[test]
fn sends_the_exact_restjson1_request() {
    let server = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    let output = register(&client(&server)).unwrap();
    assert_eq!(
        output.connector_arn(),
        Some("arn:aws:appflow:us-east-1:123456789012:connector/my-conn")
    );

    let [request] = server.requests().try_into().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/register-connector")
    );
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        format!(
            r#"{{"connectorLabel":"my-conn","connectorProvisioningType":"LAMBDA","connectorProvisioningConfig":{{"lambda":{{"lambdaArn":"{ARN}"}}}},"clientToken":"token-1"}}"#
        )
    );
    let mut names: Vec<String> = request
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "accept",
            "amz-sdk-invocation-id",
            "amz-sdk-request",
            "authorization",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-amz-date"
        ]
    );
    assert_eq!(request.header("host"), Some(server.host().as_str()));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("appflow-lite/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(request.header("x-amz-date"), Some("20251126T094000Z"));
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=1"));
    assert_eq!(
        request.header("amz-sdk-invocation-id").map(str::len),
        Some(36)
    );
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251126/us-east-1/appflow/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date, Signature="
        ),
        "{authorization}"
    );
}

#[test]
fn session_tokens_are_sent_and_signed() {
    let server = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    let creds = Credentials::new("ASIAEXAMPLE", "secret")
        .with_session_token("FwoGZXIvYXdzEXAMPLE//token+/=");
    register(&client_for(&server, creds)).unwrap();
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(
        request.header("x-amz-security-token"),
        Some("FwoGZXIvYXdzEXAMPLE//token+/=")
    );
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("content-type;host;x-amz-date;x-amz-security-token,")
    );
}

#[test]
fn only_set_members_are_sent_and_a_token_is_made() {
    let server = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    client(&server)
        .register_connector()
        .connector_label("only-label")
        .description("Caf\u{e9} connector")
        .send()
        .unwrap();
    let [request] = server.requests().try_into().unwrap();
    let body = request.body_json();
    let object = body.as_object().unwrap();
    assert_eq!(object.len(), 3, "{body}");
    assert_eq!(body["connectorLabel"], "only-label");
    assert_eq!(body["description"], "Caf\u{e9} connector");
    let token = body["clientToken"].as_str().unwrap();
    assert_eq!((token.len(), &token[14..15]), (36, "4"), "{token}");
}

const ERRORS: [(&str, u16, ErrorCode); 9] = [
    (
        "AccessDeniedException",
        403,
        ErrorCode::AccessDeniedException,
    ),
    ("ConflictException", 409, ErrorCode::ConflictException),
    (
        "ConnectorAuthenticationException",
        401,
        ErrorCode::ConnectorAuthenticationException,
    ),
    (
        "ConnectorServerException",
        400,
        ErrorCode::ConnectorServerException,
    ),
    (
        "InternalServerException",
        500,
        ErrorCode::InternalServerException,
    ),
    (
        "ResourceNotFoundException",
        404,
        ErrorCode::ResourceNotFoundException,
    ),
    (
        "ServiceQuotaExceededException",
        402,
        ErrorCode::ServiceQuotaExceededException,
    ),
    ("ThrottlingException", 429, ErrorCode::ThrottlingException),
    ("ValidationException", 400, ErrorCode::ValidationException),
];

fn service_error(reply: Reply) -> appflow_lite::ServiceError {
    let server = RecordingServer::start(vec![reply]);
    match register(&client(&server)) {
        Err(Error::Service(err)) => err.meta().clone(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn each_documented_error_is_typed_from_the_header_form() {
    for (name, status, code) in ERRORS {
        let reply = Reply::json(status, r#"{"message":"it failed"}"#)
            .with_header(
                "x-amzn-errortype",
                &format!("{name}:http://internal.amazon.com/coral/com.amazonaws.appflow/"),
            )
            .with_header("x-amzn-requestid", "req-123");
        let err = service_error(reply);
        assert_eq!(
            (err.code(), err.status(), err.message(), err.request_id()),
            (&code, status, Some("it failed"), Some("req-123")),
            "{name}"
        );
        assert_eq!(
            err.to_string(),
            format!("{name}: it failed (HTTP {status}, request id: req-123)")
        );
    }
}

#[test]
fn each_documented_error_is_typed_from_the_body_form() {
    for (name, status, code) in ERRORS {
        let body =
            format!(r#"{{"__type":"com.amazonaws.appflow#{name}","Message":"from the body"}}"#);
        let err = service_error(
            Reply::json(status, &body).with_header("x-amz-request-id", "fallback-id"),
        );
        assert_eq!(
            (err.code(), err.message(), err.request_id()),
            (&code, Some("from the body"), Some("fallback-id")),
            "{name}"
        );
        assert_eq!(err.raw_body(), body.as_bytes());
        let err = service_error(Reply::json(status, &format!(r#"{{"code":"{name}"}}"#)));
        assert_eq!(err.code(), &code, "{name} in `code`");
    }
}

#[test]
fn unknown_codes_and_unreadable_bodies_are_kept_as_text() {
    let err = service_error(
        Reply::json(400, r#"{"message":"new"}"#)
            .with_header("x-amzn-errortype", "ShinyNewException"),
    );
    assert_eq!(err.code(), &ErrorCode::Unknown("ShinyNewException".into()));

    let html = service_error(Reply::Respond {
        status: 502,
        headers: vec![],
        body: b"<html>Bad gateway</html>".to_vec(),
    });
    assert_eq!(
        (html.code(), html.message()),
        (&ErrorCode::Unknown("502".into()), Some("Bad Gateway"))
    );
    assert_eq!(html.raw_body(), b"<html>Bad gateway</html>");

    let empty = service_error(Reply::Respond {
        status: 409,
        headers: vec![("x-amzn-errortype".into(), "ConflictException".into())],
        body: vec![],
    });
    assert_eq!(
        (empty.code(), empty.message()),
        (&ErrorCode::ConflictException, None)
    );
}

#[test]
fn huge_answers_are_bounded_and_never_panic() {
    let huge = vec![b'x'; 3 * 1024 * 1024];
    let err = service_error(Reply::Respond {
        status: 500,
        headers: vec![("x-amzn-errortype".into(), "InternalServerException".into())],
        body: huge.clone(),
    });
    assert_eq!(err.code(), &ErrorCode::InternalServerException);
    assert_eq!(err.raw_body().len(), 1024 * 1024);

    // A successful answer may be large (an entity's field list can pass
    // 1 MiB), but not without bound.
    let arn = "arn:aws:appflow:us-east-1:123456789012:connector/big";
    let large = format!(
        r#"{{"connectorArn":"{arn}","padding":"{}"}}"#,
        "x".repeat(3 << 20)
    );
    let too_large = format!(
        r#"{{"connectorArn":"{arn}","padding":"{}"}}"#,
        "x".repeat(17 << 20)
    );
    let server =
        RecordingServer::start(vec![Reply::json(200, &large), Reply::json(200, &too_large)]);
    let client = client(&server);
    let output = register(&client).expect("a 3 MiB answer is read");
    assert_eq!(output.connector_arn(), Some(arn));
    match register(&client) {
        Err(Error::InvalidResponse {
            status: 200,
            reason,
        }) => {
            assert!(reason.contains("larger than 16777216 bytes"), "{reason}")
        }
        other => panic!("a 17 MiB answer: {other:?}"),
    }
}

#[test]
fn garbled_success_bodies_are_invalid_responses() {
    for body in [
        "not json",
        "{\"connectorArn\": 42}",
        "{\"connectorArn\": \"arn",
    ] {
        let server = RecordingServer::start(vec![Reply::json(200, body)]);
        match register(&client(&server)) {
            Err(Error::InvalidResponse {
                status: 200,
                reason,
            }) => assert!(reason.contains("JSON"), "{reason}"),
            other => panic!("{body:?}: {other:?}"),
        }
    }
    let server = RecordingServer::start(vec![Reply::json(
        200,
        r#"{"connectorArn":"a","futureField":{"x":[1]}}"#,
    )]);
    assert_eq!(
        register(&client(&server)).unwrap().connector_arn(),
        Some("a")
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = RecordingServer::start(vec![Reply::Silence(Duration::from_secs(120))]);
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(Credentials::new("AKID", "SECRET"))
        .attempt_timeout(Some(Duration::from_millis(300)))
        .max_attempts(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = register(&client).unwrap_err();
    match &err {
        Error::Timeout(timeout) => {
            assert_eq!(timeout.kind(), appflow_lite::error::TimeoutKind::Attempt)
        }
        other => panic!("{other:?}"),
    }
    // The typed payload is the error's source.
    let source = std::error::Error::source(&err).expect("a source");
    assert!(
        source.to_string().starts_with("attempt timeout"),
        "{source}"
    );
    // 0.3 s expected; the bound has room for a busy machine and is still
    // far below the server's 120 s of silence.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn refused_connections_are_connect_errors() {
    // Nothing ever listens on port 0, so the connection is always refused
    // (a port bound and dropped here could be taken by another process).
    let port = 0;
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new("AKID", "SECRET"))
        .max_attempts(1)
        .build()
        .unwrap();
    let err = register(&client).unwrap_err();
    match &err {
        Error::Connect(connect) => {
            assert_eq!(
                connect.kind(),
                appflow_lite::error::ConnectErrorKind::Refused
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn call_errors_are_send_sync_static_errors() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>() {}
    is_error::<Error>();
    is_error::<Error<appflow_lite::operation::register_connector::RegisterConnectorError>>();
    is_error::<appflow_lite::operation::list_flows::ListFlowsError>();
    is_error::<appflow_lite::error::BuildError>();
}

#[test]
fn invalid_input_sends_nothing() {
    let server = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    let client = client(&server);
    let err = client
        .register_connector()
        .connector_label("x".repeat(300))
        .send()
        .unwrap_err();
    match err {
        Error::InvalidInput(invalid) => {
            assert_eq!(invalid.field(), "connectorLabel");
            assert!(matches!(
                invalid.rule(),
                Rule::Length {
                    max: 256,
                    actual: 300,
                    ..
                }
            ));
        }
        other => panic!("{other:?}"),
    }
    // The builder refuses a shape without a required member, as the SDK's
    // does; a shape read from JSON without it is refused before sending.
    let unbuilt = LambdaConnectorProvisioningConfig::builder()
        .build()
        .unwrap_err();
    assert_eq!(unbuilt.member(), "lambdaArn");
    assert_eq!(
        unbuilt.to_string(),
        "`lambdaArn` was not set, but building `LambdaConnectorProvisioningConfig` requires it"
    );
    let from_json: ConnectorProvisioningConfig = serde_json::from_str(r#"{"lambda":{}}"#).unwrap();
    let err = client
        .register_connector()
        .connector_provisioning_config(from_json)
        .send()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("connectorProvisioningConfig.lambda.lambdaArn is required"),
        "{err}"
    );
    assert!(server.requests().is_empty());
    assert_eq!(server.connections(), 0);
}

#[derive(Debug)]
struct NoCredentials;

impl appflow_lite::credentials::ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> Result<Credentials, Error> {
        Err(Error::MissingCredentials("nothing configured".into()))
    }
}

#[test]
fn missing_credentials_send_nothing() {
    let server = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials_provider(NoCredentials)
        .build()
        .unwrap();
    assert!(matches!(
        register(&client),
        Err(Error::MissingCredentials(_))
    ));
    assert!(server.requests().is_empty());
}

#[test]
fn the_connection_is_reused_across_calls() {
    let server = RecordingServer::start(vec![Reply::json(200, CREATED)]);
    let client = client(&server);
    for _ in 0..3 {
        register(&client).unwrap();
    }
    assert_eq!(server.requests().len(), 3);
    assert_eq!(server.connections(), 1);
}

/// A server that answers one connection with `raw` bytes and closes it.
fn raw_answer(raw: Vec<u8>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(&raw);
        }
    });
    url
}

#[test]
fn garbage_on_the_wire_is_an_error_not_a_panic() {
    let mut answers: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"garbage\r\n\r\n".to_vec(),
        b"HTTP/1.1 abc Whatever\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"connectorArn\":".to_vec(),
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n".to_vec(),
        b"HTTP/1.1 500 Oops\r\nno colon here\r\n\r\n".to_vec(),
        format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n", "a".repeat(200_000)).into_bytes(),
    ];
    // Pseudo-random bytes after a valid status line, from a fixed seed.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..8 {
        let mut bytes = b"HTTP/1.1 200 OK\r\n".to_vec();
        for _ in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.push(state as u8);
        }
        answers.push(bytes);
    }
    for raw in answers {
        let url = raw_answer(raw.clone());
        let client = Client::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials(Credentials::new("AKID", "SECRET"))
            .attempt_timeout(Some(Duration::from_secs(2)))
            .max_attempts(1)
            .build()
            .unwrap();
        let result = register(&client);
        assert!(
            result.is_err(),
            "{:?} gave {result:?}",
            String::from_utf8_lossy(&raw[..raw.len().min(80)])
        );
    }
}

#[test]
fn without_credentials_requests_go_unsigned() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"{"connectorArn":"arn"}"#)]);
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .no_credentials()
        .build()
        .unwrap();
    let output = client
        .register_connector()
        .connector_label("anonymous")
        .send()
        .unwrap();
    assert_eq!(output.connector_arn(), Some("arn"));
    let sent = &server.requests()[0];
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("x-amz-date"), None);
    assert_eq!(sent.body_json()["connectorLabel"], "anonymous");
}

#[test]
fn send_raw_gives_the_answer_as_it_came() {
    let answer = r#"{"zeta":1, "connectorArn":"arn", "extra":{"b":1,"a":2}}"#;
    let server = RecordingServer::start(vec![
        Reply::json(200, answer),
        Reply::json(200, answer),
        Reply::json(200, "{not json"),
    ]);
    let client = client(&server);
    let text = client
        .register_connector()
        .connector_label("raw")
        .send_raw()
        .unwrap();
    assert_eq!(text, answer);
    // The typed read of the same answer, with the plain error type.
    let typed = client
        .register_connector()
        .connector_label("raw")
        .send_untyped()
        .unwrap();
    assert_eq!(typed.connector_arn(), Some("arn"));
    let bad = client
        .register_connector()
        .connector_label("raw")
        .send_raw()
        .unwrap_err();
    assert!(
        matches!(
            bad,
            appflow_lite::Error::InvalidResponse { status: 200, .. }
        ),
        "{bad:?}"
    );
}

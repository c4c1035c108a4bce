//! The fake checks what AppFlow checks and answers as AppFlow answers.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use appflow_lite::credentials::Credentials;
use appflow_lite::{Client, Error, ErrorCode};
use fake_appflow::{FakeAppFlow, FakeHandle, Fault, Faults, Outcome, test_credentials};

fn client(fake: &FakeHandle, credentials: Credentials) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(fake.endpoint_url())
        .credentials(credentials)
        // One attempt per call: these tests watch each exchange.
        .max_attempts(1)
        .build()
        .unwrap()
}

fn code<E>(result: Result<impl std::fmt::Debug, Error<E>>) -> (u16, ErrorCode)
where
    Error: From<Error<E>>,
{
    match result.map_err(Error::from) {
        Err(Error::Service(err)) => (err.status(), err.code().clone()),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// Signs and sends a raw body, for requests the typed client cannot make.
fn send_raw(fake: &FakeHandle, path: &str, body: &str) -> (u16, String) {
    support::send_signed_as(fake, "POST", path, path, body)
}

#[test]
fn a_signer_that_encodes_the_path_once_is_caught() {
    // AppFlow signs the wire path encoded again (`%3A` as `%253A`). A
    // signer that skips that second encoding signs `/tags/arn%3A...` as
    // if the wire path were `/tags/arn:...`; the fake must refuse it.
    let fake = FakeAppFlow::start().unwrap();
    let wire = "/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A123456789012%3Aflow%2Fnone";
    let decoded = "/tags/arn:aws:appflow:us-east-1:123456789012:flow/none";
    let (status, answer) = support::send_signed_as(&fake, "GET", wire, decoded, "");
    assert_eq!(status, 403, "{answer}");
    assert!(answer.contains("InvalidSignatureException"), "{answer}");
    assert!(
        answer.contains("%253Aaws"),
        "says what it expected: {answer}"
    );
    // Signed correctly, the same request gets past the check.
    let (status, answer) = support::send_signed_as(&fake, "GET", wire, wire, "");
    assert_eq!(status, 404, "{answer}");
    assert!(answer.contains("ResourceNotFoundException"), "{answer}");
}

#[test]
fn registers_and_answers_with_the_arn() {
    let fake = FakeAppFlow::new().account_id("111122223333").run().unwrap();
    let out = client(&fake, test_credentials())
        .register_connector()
        .connector_label("first")
        .send()
        .unwrap();
    assert_eq!(
        out.connector_arn(),
        Some("arn:aws:appflow:us-east-1:111122223333:connector/first")
    );
    assert_eq!(fake.connectors().len(), 1);
    let logged = &fake.requests()[0];
    assert_eq!(
        (logged.method.as_str(), logged.path.as_str()),
        ("POST", "/register-connector")
    );
    assert!(matches!(
        logged.outcome,
        Outcome::Answered { status: 200, .. }
    ));
}

#[test]
fn a_bad_signature_is_refused() {
    let fake = FakeAppFlow::start().unwrap();
    let wrong_secret = Credentials::new(fake_appflow::TEST_ACCESS_KEY_ID, "not-the-secret");
    assert_eq!(
        code(
            client(&fake, wrong_secret)
                .register_connector()
                .connector_label("x1")
                .send()
        ),
        (403, "InvalidSignatureException".into())
    );
    let unknown_key = Credentials::new("AKIAUNKNOWN", "whatever");
    assert_eq!(
        code(
            client(&fake, unknown_key)
                .register_connector()
                .connector_label("x1")
                .send()
        ),
        (403, "UnrecognizedClientException".into())
    );
    assert!(fake.connectors().is_empty());

    let host = fake.endpoint_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream.write_all(b"POST /register-connector HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(
        answer.contains("x-amzn-ErrorType: MissingAuthenticationTokenException"),
        "{answer}"
    );
}

#[test]
fn session_tokens_must_match() {
    let creds = Credentials::new("ASIATEMP", "temp-secret").with_session_token("the-token");
    let fake = FakeAppFlow::new().credentials(creds.clone()).run().unwrap();
    client(&fake, creds)
        .register_connector()
        .connector_label("ok-1")
        .send()
        .unwrap();
    let other_token = Credentials::new("ASIATEMP", "temp-secret").with_session_token("other");
    assert_eq!(
        code(
            client(&fake, other_token)
                .register_connector()
                .connector_label("ok-2")
                .send()
        )
        .1,
        "UnrecognizedClientException".into()
    );
}

#[test]
fn bodies_are_validated_against_the_input_shape() {
    let fake = FakeAppFlow::start().unwrap();
    let (status, answer) = send_raw(
        &fake,
        "/register-connector",
        r#"{"connectorLabel":"ok-label","colour":"blue"}"#,
    );
    assert_eq!(status, 400);
    assert!(
        answer.contains("ValidationException") && answer.contains("colour"),
        "{answer}"
    );
    let (status, answer) = send_raw(&fake, "/register-connector", r#"{"connectorLabel":5}"#);
    assert_eq!(status, 400);
    assert!(answer.contains("connectorLabel"), "{answer}");
    let (status, answer) = send_raw(
        &fake,
        "/register-connector",
        r#"{"connectorLabel":"ok","connectorProvisioningConfig":{"lambda":{"lambdaArn":"nope"}}}"#,
    );
    assert_eq!(status, 400);
    assert!(
        answer.contains("connectorProvisioningConfig.lambda.lambdaArn"),
        "{answer}"
    );
    let (status, answer) = send_raw(&fake, "/register-connector", "{}");
    assert!(
        status == 400 && answer.contains("connectorLabel"),
        "{answer}"
    );
    assert!(fake.connectors().is_empty());
}

#[test]
fn labels_are_unique() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake, test_credentials());
    client
        .register_connector()
        .connector_label("dup")
        .send()
        .unwrap();
    assert_eq!(
        code(client.register_connector().connector_label("dup").send()),
        (409, ErrorCode::ConflictException)
    );
    assert_eq!(fake.connectors().len(), 1);
}

#[test]
fn a_repeated_token_returns_the_first_answer_and_a_conflicting_one_is_refused() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake, test_credentials());
    let first = client
        .register_connector()
        .connector_label("tok")
        .client_token("t-1")
        .send()
        .unwrap();
    let again = client
        .register_connector()
        .connector_label("tok")
        .client_token("t-1")
        .send()
        .unwrap();
    // The same answer; each has its own request id.
    assert_eq!(first.connector_arn(), again.connector_arn());
    assert!(first.connector_arn().is_some());
    let conflicting = client
        .register_connector()
        .connector_label("tok")
        .description("changed")
        .client_token("t-1")
        .send();
    assert_eq!(code(conflicting), (409, ErrorCode::ConflictException));
    assert_eq!(fake.connectors().len(), 1);
}

#[test]
fn tokens_expire() {
    let fake = FakeAppFlow::new()
        .token_ttl(Duration::from_millis(50))
        .run()
        .unwrap();
    let client = client(&fake, test_credentials());
    client
        .register_connector()
        .connector_label("exp")
        .client_token("t-9")
        .send()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // The token is forgotten, so the label's uniqueness decides.
    assert_eq!(
        code(
            client
                .register_connector()
                .connector_label("exp")
                .client_token("t-9")
                .send()
        )
        .1,
        ErrorCode::ConflictException
    );
}

#[test]
fn each_fault_kind_behaves_as_described() {
    let fake = FakeAppFlow::new()
        .faults(Faults::script([
            Some(Fault::Throttle),
            Some(Fault::InternalError),
            Some(Fault::DropBeforeProcessing),
            Some(Fault::DropAfterProcessing),
        ]))
        .run()
        .unwrap();
    let client = client(&fake, test_credentials());
    let send = |label: &str| client.register_connector().connector_label(label).send();
    assert_eq!(
        code(send("f-throttle")),
        (429, ErrorCode::ThrottlingException)
    );
    assert_eq!(
        code(send("f-internal")),
        (500, ErrorCode::InternalServerException)
    );
    assert!(matches!(
        send("f-before"),
        Err(Error::Io(_) | Error::InvalidResponse { .. })
    ));
    assert!(matches!(
        send("f-after"),
        Err(Error::Io(_) | Error::InvalidResponse { .. })
    ));
    send("f-fine").unwrap();

    let labels: Vec<String> = fake.connectors().into_iter().map(|c| c.label).collect();
    assert_eq!(labels, ["f-after", "f-fine"]);
    let outcomes: Vec<Outcome> = fake.requests().into_iter().map(|r| r.outcome).collect();
    assert!(matches!(outcomes[2], Outcome::Dropped { processed: false }));
    assert!(matches!(outcomes[3], Outcome::Dropped { processed: true }));
}

#[test]
fn a_clock_far_ahead_refuses_signatures_and_says_its_time() {
    let fake = FakeAppFlow::new().clock_offset(20 * 60).run().unwrap();
    let (status, answer) = send_raw(&fake, "/register-connector", r#"{"connectorLabel":"late"}"#);
    assert_eq!(status, 403);
    assert!(
        answer.contains("InvalidSignatureException") && answer.contains("Signature expired"),
        "{answer}"
    );
    assert!(answer.contains("\r\nDate: "), "{answer}");
}

#[test]
fn connectors_can_be_listed_and_unregistered() {
    let fake = FakeAppFlow::start().unwrap();
    client(&fake, test_credentials())
        .register_connector()
        .connector_label("gone")
        .send()
        .unwrap();
    let (status, answer) = send_raw(&fake, "/list-connectors", "{}");
    assert!(
        status == 200 && answer.contains("\"connectorLabel\":\"gone\""),
        "{answer}"
    );
    assert_eq!(
        send_raw(
            &fake,
            "/unregister-connector",
            r#"{"connectorLabel":"gone"}"#
        )
        .0,
        200
    );
    assert_eq!(
        send_raw(
            &fake,
            "/unregister-connector",
            r#"{"connectorLabel":"gone"}"#
        )
        .0,
        404
    );
    assert_eq!(send_raw(&fake, "/no-such-operation", "{}").0, 404);
}

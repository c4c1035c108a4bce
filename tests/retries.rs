//! Retries that never register twice: the standard retry mode under the fake
//! AppFlow's injected faults, a dead endpoint, a retry storm, and clock skew.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use appflow_lite::config::Env;
use appflow_lite::credentials::Credentials;
use appflow_lite::{Client, ClientBuilder, Error, ProvideErrorMetadata, RetryConfig};
use fake_appflow::{FakeAppFlow, FakeHandle, Fault, Faults, LoggedRequest, Outcome};
use support::{RecordingServer, Reply};

fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(20))
}

fn client_for(url: &str, retry: RetryConfig) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(fake_appflow::test_credentials())
        .retry_config(retry)
        .attempt_timeout(Some(Duration::from_secs(5)))
        .build()
        .unwrap()
}

/// The fake's log grouped by call (`amz-sdk-invocation-id`), in order.
fn calls(fake: &FakeHandle) -> HashMap<String, Vec<LoggedRequest>> {
    let mut calls: HashMap<String, Vec<LoggedRequest>> = HashMap::new();
    for request in fake.requests() {
        let id = request
            .header("amz-sdk-invocation-id")
            .expect("every attempt names its call")
            .to_owned();
        calls.entry(id).or_default().push(request);
    }
    calls
}

/// Registers `count` connectors from `threads` threads through `fake` and
/// checks that every call succeeded once, with one token across its retries.
///
/// This cannot fail by chance: the fakes below draw each request's fault
/// from the seed, the call and the attempt number (`Faults::per_call`), not
/// from the order in which threads happen to send, and meet a call with at
/// most 9 faults, so each call succeeds within its 10 attempts. How many
/// retries there are is therefore the same in every run.
fn register_many_through(fake: &FakeHandle, threads: usize, count: usize) -> usize {
    let client = Arc::new(client_for(&fake.endpoint_url(), fast_retries(10)));
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let client = client.clone();
            thread::spawn(move || {
                (t..count)
                    .step_by(threads)
                    .map(|i| {
                        let label = format!("conn-{i:03}");
                        let out = client.register_connector().connector_label(&label).send();
                        (label, out)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();

    for (label, result) in &results {
        let output = result.as_ref().unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            output.connector_arn(),
            Some(format!("arn:aws:appflow:us-east-1:123456789012:connector/{label}").as_str())
        );
    }
    let mut labels: Vec<String> = fake.connectors().into_iter().map(|c| c.label).collect();
    labels.sort();
    let expected: Vec<String> = (0..count).map(|i| format!("conn-{i:03}")).collect();
    assert_eq!(labels, expected, "each label registered exactly once");

    let calls = calls(fake);
    assert_eq!(calls.len(), count);
    let mut retried = 0;
    for attempts in calls.values() {
        let tokens: Vec<String> = attempts
            .iter()
            .map(|a| {
                a.body_json().unwrap()["clientToken"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert!(
            tokens.iter().all(|t| *t == tokens[0]),
            "one token per call: {tokens:?}"
        );
        for (n, attempt) in attempts.iter().enumerate() {
            assert_eq!(
                attempt.header("amz-sdk-request"),
                Some(format!("attempt={}; max=10", n + 1).as_str())
            );
            // As botocore sends them: present, not signed.
            assert!(
                attempt
                    .header("authorization")
                    .unwrap()
                    .contains("SignedHeaders=content-type;host;x-amz-date,")
            );
        }
        assert!(matches!(
            attempts.last().unwrap().outcome,
            Outcome::Answered { status: 200, .. }
        ));
        retried += attempts.len() - 1;
    }
    retried
}

#[test]
fn each_fault_kind_alone_never_registers_twice() {
    for (seed, fault) in [
        Fault::Throttle,
        Fault::InternalError,
        Fault::DropBeforeProcessing,
        Fault::DropAfterProcessing,
    ]
    .into_iter()
    .enumerate()
    {
        let fake = FakeAppFlow::new()
            .faults(Faults::seeded(seed as u64).rate(fault, 0.35).per_call(9))
            .run()
            .unwrap();
        let retried = register_many_through(&fake, 4, 40);
        assert!(
            retried >= 5,
            "{fault:?}: the faults should have forced retries, got {retried}"
        );
    }
}

#[test]
fn mixed_faults_never_register_twice() {
    let faults = Faults::seeded(42)
        .rate(Fault::Throttle, 0.08)
        .rate(Fault::InternalError, 0.08)
        .rate(Fault::DropBeforeProcessing, 0.08)
        .rate(Fault::DropAfterProcessing, 0.08)
        .per_call(9);
    let fake = FakeAppFlow::new().faults(faults).run().unwrap();
    let retried = register_many_through(&fake, 6, 60);
    assert!(retried >= 10, "{retried}");
}

#[test]
fn a_dropped_answer_after_processing_is_retried_into_the_first_answer() {
    let fake = FakeAppFlow::new()
        .faults(Faults::script([
            Some(Fault::DropAfterProcessing),
            Some(Fault::DropAfterProcessing),
        ]))
        .run()
        .unwrap();
    let client = client_for(&fake.endpoint_url(), fast_retries(3));
    let out = client
        .register_connector()
        .connector_label("fragile")
        .send()
        .unwrap();
    assert_eq!(
        out.connector_arn(),
        Some("arn:aws:appflow:us-east-1:123456789012:connector/fragile")
    );
    let log = fake.requests();
    assert_eq!(log.len(), 3);
    assert!(matches!(
        log[0].outcome,
        Outcome::Dropped { processed: true }
    ));
    assert!(matches!(
        log[2].outcome,
        Outcome::Answered { status: 200, .. }
    ));
    assert_eq!(
        log[0].body, log[2].body,
        "the retry sends the same body, token included"
    );
    assert_eq!(fake.connectors().len(), 1);
}

#[test]
fn a_dead_endpoint_gives_up_within_the_attempts_and_backoff_bound() {
    // Nothing ever listens on port 0, so the connection is always refused
    // (a port bound and dropped here could be taken by another process).
    let port = 0;
    // The code guarantees at most 1 s + 2 s of waiting over 3 attempts
    // (full jitter under the default backoff), and refused connections fail
    // at once. The bound below leaves 7 s of slack for a busy 2-core
    // machine: it catches a retry loop that runs away, not a slow scheduler.
    let client = client_for(&format!("http://127.0.0.1:{port}"), RetryConfig::default());
    let started = Instant::now();
    let err = client
        .register_connector()
        .connector_label("nobody-home")
        .send()
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    match &err {
        Error::RetriesExhausted {
            attempts: 3,
            quota_exhausted: false,
            last,
        } => assert!(matches!(**last, Error::Connect(_)), "{last}"),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("gave up after 3 attempts: could not connect"),
        "{err}"
    );
}

#[test]
fn the_retry_quota_stops_a_storm_from_many_threads() {
    let server = Arc::new(RecordingServer::start(vec![
        Reply::json(503, r#"{"message":"down"}"#)
            .with_header("x-amzn-errortype", "ServiceUnavailable"),
    ]));
    let client = Arc::new(client_for(&server.url(), fast_retries(10)));
    let (threads, calls_each) = (8, 25);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let client = client.clone();
            thread::spawn(move || {
                (0..calls_each)
                    .map(|i| {
                        Error::from(
                            client
                                .register_connector()
                                .connector_label(format!("storm-{i}"))
                                .send()
                                .unwrap_err(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let errors: Vec<Error> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let calls = threads * calls_each;
    // 500 tokens at 5 a retry allow 100 retries in all; without the quota
    // these calls would make 10 attempts each.
    let requests = server.requests().len();
    assert!(
        requests <= calls + 100,
        "{requests} requests for {calls} calls"
    );
    let stopped_by_quota = errors
        .iter()
        .filter(|e| {
            e.as_service_error()
                .is_some_and(|s| s.retry_quota_exhausted())
        })
        .count();
    assert!(
        stopped_by_quota >= calls - 20,
        "{stopped_by_quota} of {calls}"
    );
    for err in &errors {
        assert_eq!(
            err.as_service_error().map(|e| e.status()),
            Some(503),
            "the last service error is kept: {err}"
        );
    }
}

#[test]
fn never_retried_errors_are_answered_once() {
    for (status, code) in [
        (400, "ValidationException"),
        (409, "ConflictException"),
        (403, "AccessDeniedException"),
        (404, "ResourceNotFoundException"),
        (402, "ServiceQuotaExceededException"),
    ] {
        let server = RecordingServer::start(vec![
            Reply::json(status, "{}").with_header("x-amzn-errortype", code),
        ]);
        let err = client_for(&server.url(), fast_retries(5))
            .register_connector()
            .connector_label("once")
            .send()
            .unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert!(matches!(err, Error::Service(_)), "{err:?}");
        assert_eq!(server.requests().len(), 1, "{code}");
    }
}

#[test]
fn retries_carry_the_call_id_the_attempt_number_and_the_same_body() {
    let server = RecordingServer::start(vec![
        Reply::json(500, "{}").with_header("x-amzn-errortype", "InternalServerException"),
        Reply::json(429, "{}").with_header("x-amzn-errortype", "ThrottlingException"),
        Reply::json(200, r#"{"connectorArn":"arn:x"}"#),
    ]);
    let client = client_for(&server.url(), fast_retries(3));
    client
        .register_connector()
        .connector_label("steady")
        .send()
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let attempts: Vec<&str> = requests
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap())
        .collect();
    assert_eq!(
        attempts,
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    );
    assert!(
        requests
            .iter()
            .all(|r| r.header("amz-sdk-invocation-id")
                == requests[0].header("amz-sdk-invocation-id"))
    );
    assert!(requests.iter().all(|r| r.body == requests[0].body));
    // A second call is a new invocation.
    let server2 = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let other = client_for(&server2.url(), fast_retries(3));
    other
        .register_connector()
        .connector_label("steady")
        .send()
        .unwrap();
    assert_ne!(
        server2.requests()[0].header("amz-sdk-invocation-id"),
        requests[0].header("amz-sdk-invocation-id")
    );
}

#[test]
fn timeouts_are_retried() {
    let server = RecordingServer::start(vec![
        Reply::Silence(Duration::from_secs(2)),
        Reply::json(200, r#"{"connectorArn":"arn:y"}"#),
    ]);
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(server.url())
        .credentials(Credentials::new("AKID", "SECRET"))
        .retry_config(fast_retries(3))
        .attempt_timeout(Some(Duration::from_millis(250)))
        .build()
        .unwrap();
    assert_eq!(
        client
            .register_connector()
            .connector_label("slow")
            .send()
            .unwrap()
            .connector_arn(),
        Some("arn:y")
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn x_amz_retry_after_is_honoured() {
    let server = RecordingServer::start(vec![
        Reply::json(429, "{}")
            .with_header("x-amzn-errortype", "ThrottlingException")
            .with_header("x-amz-retry-after", "400"),
        Reply::json(200, "{}"),
    ]);
    // The wait is bounded by max_backoff, so allow a second here.
    let retry = RetryConfig::standard()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_secs(1));
    let client = client_for(&server.url(), retry);
    let started = Instant::now();
    client
        .register_connector()
        .connector_label("patient")
        .send()
        .unwrap();
    // A lower bound only: the exact reading (milliseconds, not seconds) is
    // proven without a clock in `protocol`'s unit tests.
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_service_clock_twenty_minutes_ahead_costs_one_corrected_retry() {
    let fake = FakeAppFlow::new().clock_offset(20 * 60).run().unwrap();
    let client = client_for(&fake.endpoint_url(), fast_retries(3));
    client
        .register_connector()
        .connector_label("skewed-1")
        .send()
        .unwrap();
    let log = fake.requests();
    assert_eq!(log.len(), 2);
    assert!(matches!(
        &log[0].outcome,
        Outcome::Answered { status: 403, .. }
    ));
    assert!(matches!(
        &log[1].outcome,
        Outcome::Answered { status: 200, .. }
    ));
    // The offset is kept: the next call is right the first time.
    client
        .register_connector()
        .connector_label("skewed-2")
        .send()
        .unwrap();
    assert_eq!(fake.requests().len(), 3);
}

fn http_date(time: SystemTime) -> String {
    // IMF-fixdate from the SigV4 form; clients do not check the weekday.
    let t = appflow_lite::sigv4::format_amz_date(time);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months[t[4..6].parse::<usize>().unwrap() - 1];
    format!(
        "Mon, {} {month} {} {}:{}:{} GMT",
        &t[6..8],
        &t[0..4],
        &t[9..11],
        &t[11..13],
        &t[13..15]
    )
}

#[test]
fn the_skew_offset_returns_to_zero_when_the_clocks_agree_again() {
    let ahead = http_date(SystemTime::now() + Duration::from_secs(20 * 60));
    let now = http_date(SystemTime::now());
    let expired = r#"{"message":"Signature expired: 20261126T100000Z is now earlier than 20261126T101500Z (20261126T102000Z - 5 min.)"}"#;
    let server = RecordingServer::start(vec![
        Reply::json(403, expired)
            .with_header("x-amzn-errortype", "InvalidSignatureException")
            .with_header("Date", &ahead),
        Reply::json(200, "{}").with_header("Date", &ahead),
        Reply::json(200, "{}").with_header("Date", &now),
        Reply::json(200, "{}").with_header("Date", &now),
    ]);
    let client = client_for(&server.url(), fast_retries(3));
    for label in ["a1", "a2", "a3"] {
        client
            .register_connector()
            .connector_label(label)
            .send()
            .unwrap();
    }
    let dates: Vec<SystemTime> = server
        .requests()
        .iter()
        .map(|r| appflow_lite::sigv4::parse_amz_date(r.header("x-amz-date").unwrap()).unwrap())
        .collect();
    let local = SystemTime::now();
    let minutes_ahead = |t: SystemTime| {
        t.duration_since(local)
            .map_or(0, |d| (d.as_secs() + 30) / 60)
    };
    assert_eq!(dates.len(), 4);
    assert_eq!(minutes_ahead(dates[0]), 0);
    assert_eq!(minutes_ahead(dates[1]), 20, "corrected");
    assert_eq!(minutes_ahead(dates[2]), 20, "kept for the next call");
    assert_eq!(
        minutes_ahead(dates[3]),
        0,
        "back to zero once the service's Date agrees"
    );
}

#[test]
fn a_cached_answer_with_an_age_header_does_not_move_the_clock() {
    let ahead = http_date(SystemTime::now() + Duration::from_secs(20 * 60));
    let server = RecordingServer::start(vec![
        Reply::json(403, r#"{"message":"Signature expired: x"}"#)
            .with_header("x-amzn-errortype", "InvalidSignatureException")
            .with_header("Date", &ahead)
            .with_header("Age", "30"),
    ]);
    let err = client_for(&server.url(), fast_retries(3))
        .register_connector()
        .connector_label("aged")
        .send()
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn attempts_and_mode_come_from_the_environment_and_profile() {
    let dir = std::env::temp_dir().join(format!("appflow-lite-retry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config"), "[default]\nregion = us-east-1\nmax_attempts = 7\n[profile bad]\nregion = us-east-1\nretry_mode = turbo\n").unwrap();
    let env = |extra: &[(&str, &str)]| {
        let mut vars = vec![
            (
                "AWS_CONFIG_FILE".to_owned(),
                dir.join("config").to_string_lossy().into_owned(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                dir.join("none").to_string_lossy().into_owned(),
            ),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_vars(vars)
    };
    let attempts = |builder: ClientBuilder| builder.build().unwrap().retry_config().max_attempts;
    assert_eq!(attempts(ClientBuilder::from_environment(env(&[]))), 7);
    assert_eq!(
        attempts(ClientBuilder::from_environment(env(&[
            ("AWS_MAX_ATTEMPTS", "10"),
            ("AWS_RETRY_MODE", "standard")
        ]))),
        10
    );
    assert_eq!(
        attempts(
            ClientBuilder::from_environment(env(&[("AWS_MAX_ATTEMPTS", "10")])).max_attempts(2)
        ),
        2
    );
    assert_eq!(
        attempts(ClientBuilder::from_environment(env(&[(
            "AWS_RETRY_MODE",
            "adaptive"
        )]))),
        7
    );
    assert_eq!(attempts(Client::builder().region("us-east-1")), 3);
    let bad = ClientBuilder::from_environment(env(&[("AWS_PROFILE", "bad")]))
        .build()
        .unwrap_err();
    assert!(bad.to_string().contains("retry mode \"turbo\""), "{bad}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_throttling_error_after_retries_matches_as_the_service_error() {
    let server = RecordingServer::start(vec![
        Reply::json(429, r#"{"message":"Rate exceeded"}"#)
            .with_header("x-amzn-errortype", "ThrottlingException"),
    ]);
    let err = client_for(&server.url(), fast_retries(3))
        .register_connector()
        .connector_label("throttled")
        .send()
        .unwrap_err();
    assert_eq!(server.requests().len(), 3);
    // The answer itself, not a wrapper: the same match works with or
    // without retries.
    match &err {
        Error::Service(typed) => {
            assert!(typed.is_throttling_exception(), "{typed:?}");
            assert_eq!(typed.meta().attempts(), 3);
            assert!(!typed.meta().retry_quota_exhausted());
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_throttling_exception())
    );
    assert_eq!(err.code(), Some("ThrottlingException"));
    use appflow_lite::operation::register_connector::RegisterConnectorError;
    assert!(matches!(
        err.into_service_error(),
        RegisterConnectorError::ThrottlingException(_)
    ));
}

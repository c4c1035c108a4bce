//! The SDK-shaped parts of the API: `Config`/`from_conf`, builders that own
//! their client, typed errors without an answer, `page_size`, request ids.

mod support;

use std::time::Duration;

use appflow_lite::config::{BehaviorVersion, Region, TimeoutConfig};
use appflow_lite::operation::list_flows::ListFlowsError;
use appflow_lite::{Client, Config, Error, ProvideErrorMetadata, RequestId, RetryConfig};
use support::{RecordingServer, Reply};

fn config(url: &str) -> Config {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(fake_appflow::test_credentials())
        .endpoint_url(url)
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_secs(5))
                .build(),
        )
        .behavior_version(BehaviorVersion::latest())
        .build()
}

#[test]
fn a_client_from_conf_sends_and_records_the_request_id() {
    let server = RecordingServer::start(vec![
        Reply::json(200, r#"{"flows":[]}"#).with_header("x-amzn-RequestId", "req-123"),
    ]);
    let client = Client::from_conf(config(&server.url()));
    let output = client.list_flows().send().unwrap();
    assert_eq!(output.request_id(), Some("req-123"));
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(request.path, "/list-flows");
}

#[test]
fn a_config_without_a_region_fails_each_call_with_the_reason() {
    let client = Client::from_conf(
        Config::builder()
            .credentials_provider(fake_appflow::test_credentials())
            .build(),
    );
    let err = client.list_flows().send().unwrap_err();
    assert!(matches!(err, Error::MissingRegion), "{err:?}");
}

#[test]
fn a_fluent_builder_owns_its_client_and_moves_to_a_thread() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"{"flows":[]}"#)]);
    let builder = Client::from_conf(config(&server.url()))
        .list_flows()
        .max_results(5);
    let sent = std::thread::spawn(move || builder.send().map(|out| out.flows().len()))
        .join()
        .unwrap();
    assert_eq!(sent.unwrap(), 0);
    assert_eq!(server.requests()[0].body_json()["maxResults"], 5);
}

#[test]
fn a_failure_without_an_answer_is_the_typed_errors_unhandled_case() {
    // Nothing ever listens on port 0: the connection is refused at once.
    let client = Client::from_conf(config("http://127.0.0.1:0"));
    let err = client.list_flows().send().unwrap_err();
    assert!(err.as_service_error().is_none());
    assert_eq!(err.code(), None);
    match err.into_service_error() {
        ListFlowsError::Unhandled(unhandled) => {
            assert!(
                matches!(unhandled.source_error(), Some(Error::Connect(_))),
                "{unhandled:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn page_size_sets_max_results_on_every_page() {
    let server = RecordingServer::start(vec![
        Reply::json(200, r#"{"flows":[{"flowName":"a"}],"nextToken":"t1"}"#),
        Reply::json(200, r#"{"flows":[{"flowName":"b"}]}"#),
    ]);
    let client = Client::from_conf(config(&server.url()));
    let names: Vec<String> = client
        .list_flows()
        .into_paginator()
        .page_size(1)
        .items()
        .send()
        .map(|flow| flow.map(|f| f.flow_name().unwrap_or_default().to_owned()))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["a", "b"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body_json()["maxResults"], 1);
    }
    assert_eq!(requests[1].body_json()["nextToken"], "t1");
}

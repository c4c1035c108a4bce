//! Every operation against the fake AppFlow, which checks signatures and
//! validates each request against the model file on its own; paginators
//! against the fake and against a server that repeats its token.

mod support;

use appflow_lite::ProvideErrorMetadata;
use appflow_lite::operation::list_connectors::ListConnectorsInput;
use appflow_lite::types::{
    ConnectorOperator, ConnectorType, DestinationConnectorProperties, DestinationFlowConfig,
    OperatorPropertiesKeys, S3ConnectorOperator, S3DestinationProperties, S3SourceProperties,
    SourceConnectorProperties, SourceFlowConfig, Task, TaskType, TriggerConfig, TriggerType,
};
use appflow_lite::{Client, Error, ErrorCode};
use fake_appflow::FakeAppFlow;
use serde_json::Value;
use support::{RecordingServer, Reply};

fn client(endpoint: &str) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(fake_appflow::test_credentials())
        .max_attempts(1)
        .build()
        .unwrap()
}

fn code<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Display>(
    result: Result<T, E>,
) -> ErrorCode {
    match result {
        Err(err) => err
            .code()
            .map(ErrorCode::from)
            .unwrap_or_else(|| panic!("{err}")),
        Ok(out) => panic!("expected an error, got {out:?}"),
    }
}

/// Sends `input` as operation `op` and returns the error code, if any.
fn send(client: &Client, op: &str, input: Value) -> Option<ErrorCode> {
    support::with_builder!(client, op, input, |builder| builder.send().err().map(|e| e
        .code()
        .map(ErrorCode::from)
        .unwrap_or_else(|| panic!("{op}: {e}"))))
}

#[test]
fn every_operation_passes_the_fakes_model_validation() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake.endpoint_url());
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/botocore/operation_requests.json")).unwrap();
    // In an order that builds what later calls need; the rest may find
    // nothing (404), but the fake must never refuse a request's shape.
    // Create before use, delete last.
    let order = [
        "RegisterConnector",
        "CreateConnectorProfile",
        "DescribeConnector",
        "DescribeConnectors",
        "ListConnectors",
        "UpdateConnectorRegistration",
        "UpdateConnectorProfile",
        "DescribeConnectorProfiles",
        "ListConnectorEntities",
        "DescribeConnectorEntity",
        "ResetConnectorMetadataCache",
        "CreateFlow",
        "DescribeFlow",
        "ListFlows",
        "UpdateFlow",
        "StartFlow",
        "DescribeFlowExecutionRecords",
        "CancelFlowExecutions",
        "StopFlow",
        "TagResource",
        "ListTagsForResource",
        "UntagResource",
        "DeleteFlow",
        "DeleteConnectorProfile",
        "UnregisterConnector",
    ];
    let cases = fixture["cases"].as_array().unwrap();
    for op in order {
        for case in cases.iter().filter(|c| c["operation"] == op) {
            let mut input = case["input"].clone();
            // The fixture's page tokens mean nothing to the fake.
            input.as_object_mut().unwrap().remove("nextToken");
            // The fixture's ARNs are in the fake's account and region.
            if op == "TagResource" {
                input["resourceArn"] =
                    "arn:aws:appflow:us-east-1:123456789012:connector/my-conn".into();
            }
            let outcome = send(&client, op, input);
            let allowed = match op {
                // Tags of a flow ARN in the fixture's account: found or not.
                "UntagResource" => {
                    matches!(outcome, None | Some(ErrorCode::ResourceNotFoundException))
                }
                _ => outcome.is_none(),
            };
            assert!(allowed, "{op}: {outcome:?}");
        }
    }
    for request in fake.requests() {
        assert!(
            !matches!(
                &request.outcome,
                fake_appflow::Outcome::Answered { status: 400, .. }
            ),
            "{} {} was refused: {:?}",
            request.method,
            request.path,
            request.outcome
        );
    }
}

#[test]
fn a_connector_lives_registers_describes_updates_tags_and_unregisters() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake.endpoint_url());
    let arn = client
        .register_connector()
        .connector_label("life")
        .description("first")
        .send()
        .unwrap()
        .connector_arn()
        .unwrap()
        .to_owned();
    let described = client
        .describe_connector()
        .connector_type(ConnectorType::Customconnector)
        .connector_label("life")
        .send()
        .unwrap();
    let config = described.connector_configuration().unwrap();
    assert_eq!(config.connector_arn(), Some(arn.as_str()));
    assert_eq!(config.connector_description(), Some("first"));
    assert!(config.registered_at().is_some());

    let updated = client
        .update_connector_registration()
        .connector_label("life")
        .description("second")
        .send()
        .unwrap();
    assert_eq!(updated.connector_arn(), Some(arn.as_str()));
    let listed = client.list_connectors().send().unwrap();
    assert_eq!(
        listed.connectors()[0].connector_description(),
        Some("second")
    );

    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "data")
        .tags("env", "test")
        .send()
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("env")
        .send()
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .unwrap();
    let tags: Vec<(&String, &String)> = tags.tags().unwrap().iter().collect();
    assert_eq!(tags, [(&"team".to_owned(), &"data".to_owned())]);
    // The ARN went on the wire percent-encoded, `:` and `/` included.
    let untag = fake
        .requests()
        .into_iter()
        .find(|r| r.method == "DELETE")
        .unwrap();
    assert_eq!(
        untag.path,
        "/tags/arn%3Aaws%3Aappflow%3Aus-east-1%3A123456789012%3Aconnector%2Flife?tagKeys=env"
    );
    assert_eq!(untag.header("content-type"), None);
    assert!(untag.body.is_empty());

    client
        .unregister_connector()
        .connector_label("life")
        .send()
        .unwrap();
    assert_eq!(
        code(client.list_tags_for_resource().resource_arn(&arn).send()),
        ErrorCode::ResourceNotFoundException
    );
}

fn s3_flow(client: &Client, name: &str, trigger: TriggerType) -> Result<String, Error> {
    let output = client
        .create_flow()
        .flow_name(name)
        .trigger_config(TriggerConfig::builder().trigger_type(trigger).build()?)
        .source_flow_config(
            SourceFlowConfig::builder()
                .connector_type(ConnectorType::S3)
                .source_connector_properties(
                    SourceConnectorProperties::builder()
                        .s3(S3SourceProperties::builder()
                            .bucket_name("in-bucket")
                            .build()?)
                        .build(),
                )
                .build()?,
        )
        .destination_flow_config_list(
            DestinationFlowConfig::builder()
                .connector_type(ConnectorType::S3)
                .destination_connector_properties(
                    DestinationConnectorProperties::builder()
                        .s3(S3DestinationProperties::builder()
                            .bucket_name("out-bucket")
                            .build()?)
                        .build(),
                )
                .build()?,
        )
        .tasks(
            Task::builder()
                .source_fields("id")
                .connector_operator(
                    ConnectorOperator::builder()
                        .s3(S3ConnectorOperator::Projection)
                        .build(),
                )
                .task_type(TaskType::Filter)
                .task_properties(OperatorPropertiesKeys::DataType, "string")
                .build()?,
        )
        .send()?;
    Ok(output.flow_arn().unwrap_or_default().to_owned())
}

#[test]
fn a_flow_is_created_described_run_and_deleted() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake.endpoint_url());
    let arn = s3_flow(&client, "nightly", TriggerType::Ondemand).unwrap();
    assert_eq!(arn, "arn:aws:appflow:us-east-1:123456789012:flow/nightly");
    assert_eq!(
        code(s3_flow(&client, "nightly", TriggerType::Ondemand)),
        ErrorCode::ConflictException
    );
    let described = client.describe_flow().flow_name("nightly").send().unwrap();
    assert_eq!(described.tasks()[0].task_type(), &TaskType::Filter);
    assert_eq!(
        described.tasks()[0].task_properties().unwrap()[&OperatorPropertiesKeys::DataType],
        "string"
    );
    let started = client.start_flow().flow_name("nightly").send().unwrap();
    let execution = started.execution_id().unwrap().to_owned();
    let records = client
        .describe_flow_execution_records()
        .flow_name("nightly")
        .send()
        .unwrap();
    assert_eq!(
        records.flow_executions()[0].execution_id(),
        Some(execution.as_str())
    );
    assert_eq!(
        code(client.stop_flow().flow_name("nightly").send()),
        ErrorCode::UnsupportedOperationException
    );
    let flows = client.list_flows().send().unwrap();
    assert_eq!(flows.flows()[0].flow_name(), Some("nightly"));
    // The run is still in progress: deleting needs force, as in AppFlow.
    assert_eq!(
        code(client.delete_flow().flow_name("nightly").send()),
        ErrorCode::ConflictException
    );
    client
        .delete_flow()
        .flow_name("nightly")
        .force_delete(true)
        .send()
        .unwrap();
    assert_eq!(
        code(client.describe_flow().flow_name("nightly").send()),
        ErrorCode::ResourceNotFoundException
    );
}

#[test]
fn seven_connectors_are_read_in_three_pages_of_three() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake.endpoint_url());
    for i in 0..7 {
        client
            .register_connector()
            .connector_label(format!("conn-{i}"))
            .send()
            .unwrap();
    }
    let before = fake.requests().len();
    let pages: Vec<_> = client
        .list_connectors()
        .max_results(3)
        .into_paginator()
        .collect::<Result<_, _>>()
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.connectors().len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    let requests = &fake.requests()[before..];
    assert_eq!(requests.len(), 3);
    let tokens: Vec<Option<String>> = requests
        .iter()
        .map(|r| {
            r.body_json().unwrap()["nextToken"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(tokens[0], None);
    assert!(tokens[1].is_some() && tokens[2].is_some() && tokens[1] != tokens[2]);

    let labels: Vec<String> = client
        .list_connectors()
        .max_results(3)
        .into_paginator()
        .items()
        .map(|c| c.unwrap().connector_label().unwrap().to_owned())
        .collect();
    assert_eq!(
        labels,
        (0..7).map(|i| format!("conn-{i}")).collect::<Vec<_>>()
    );
}

#[test]
fn a_paginator_is_lazy_and_stops_on_a_repeated_token() {
    let server = RecordingServer::start(vec![
        Reply::json(
            200,
            r#"{"connectors":[{"connectorLabel":"a"}],"nextToken":"t1"}"#,
        ),
        Reply::json(
            200,
            r#"{"connectors":[{"connectorLabel":"b"}],"nextToken":"t2"}"#,
        ),
        // A buggy service handing back an earlier token would loop forever.
        Reply::json(
            200,
            r#"{"connectors":[{"connectorLabel":"c"}],"nextToken":"t1"}"#,
        ),
        Reply::json(200, r#"{"connectors":[{"connectorLabel":"never"}]}"#),
    ]);
    let client = client(&server.url());
    let mut pages = client.list_connectors().into_paginator();
    assert_eq!(
        server.requests().len(),
        0,
        "nothing is sent before the first next()"
    );
    assert!(pages.next().unwrap().is_ok());
    assert_eq!(server.requests().len(), 1);
    assert_eq!(pages.count(), 2);
    let sent: Vec<Value> = server.requests().iter().map(|r| r.body_json()).collect();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[1]["nextToken"], "t1");
    assert_eq!(sent[2]["nextToken"], "t2");
}

#[test]
fn a_paginator_yields_an_error_once_and_stops() {
    let server = RecordingServer::start(vec![
        Reply::json(200, r#"{"connectors":[],"nextToken":"t1"}"#),
        Reply::json(400, r#"{"message":"bad token"}"#)
            .with_header("x-amzn-ErrorType", "ValidationException"),
    ]);
    let client = client(&server.url());
    let mut input = ListConnectorsInput::default();
    input.max_results = Some(2);
    let results: Vec<_> = client
        .list_connectors()
        .set_input(input)
        .into_paginator()
        .collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().unwrap_err().code(),
        Some("ValidationException")
    );
    assert_eq!(server.requests().len(), 2);
}

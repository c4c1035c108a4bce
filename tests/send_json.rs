//! `Client::send_json`, the door for input given as JSON: it sends what
//! botocore sends, and refuses what the typed builders refuse, with the same
//! error.

mod support;

use appflow_lite::{Client, Error, InvalidInput, Rule};
use serde_json::{Value, json};
use support::{RecordingServer, Reply};

const FIXTURE: &str = include_str!("fixtures/botocore/operation_requests.json");

fn client(endpoint: &str) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(appflow_lite::credentials::Credentials::new(
            "AKID", "SECRET",
        ))
        .max_attempts(1)
        .build()
        .unwrap()
}

fn invalid(result: Result<String, Error>) -> InvalidInput {
    match result {
        Err(Error::InvalidInput(invalid)) => invalid,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// The typed door's verdict on `input` for `op`: `None` when it passes.
fn typed_verdict(client: &Client, op: &str, input: Value) -> Option<InvalidInput> {
    support::with_builder!(client, op, input, |builder| builder
        .as_input()
        .validate()
        .err())
}

#[test]
fn every_operation_sends_botocores_method_path_and_body() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let client = client(&server.url());
    let cases = fixture["cases"].as_array().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let answer = client
            .send_json(case["operation"].as_str().unwrap(), &case["input"])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(answer, "{}", "{name}");

        let sent = server.requests().pop().unwrap();
        let expected = &case["expected"];
        let url = expected["url"].as_str().unwrap();
        let after_scheme = &url[url.find("://").unwrap() + 3..];
        let target = &after_scheme[after_scheme.find('/').unwrap()..];
        assert_eq!(sent.method, expected["method"].as_str().unwrap(), "{name}");
        assert_eq!(sent.path, target, "{name}");
        assert_eq!(
            String::from_utf8(sent.body).unwrap(),
            expected["body"].as_str().unwrap(),
            "{name}"
        );
    }
    assert_eq!(server.requests().len(), cases.len());
}

#[test]
fn a_missing_client_token_is_made_in_its_place_in_model_order() {
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let input = json!({
        "connectorLabel": "my-connector",
        "connectorProvisioningType": "LAMBDA",
        "description": "d",
    });
    client(&server.url())
        .send_json("RegisterConnector", &input)
        .unwrap();
    let body = String::from_utf8(server.requests()[0].body.clone()).unwrap();
    let (before, token) = body.split_once(r#","clientToken":""#).unwrap();
    assert_eq!(
        before,
        r#"{"connectorLabel":"my-connector","description":"d","connectorProvisioningType":"LAMBDA""#
    );
    // A UUID v4, then the end of the body.
    let token = token.strip_suffix(r#""}"#).unwrap();
    assert_eq!(token.len(), 36, "{token}");
    assert_eq!(token.as_bytes()[14], b'4', "{token}");
}

#[test]
fn both_doors_refuse_the_same_input_with_the_same_error() {
    // No server: nothing may be sent.
    let client = client("http://127.0.0.1:9");
    let cases = [
        ("DescribeFlow", json!({})),
        ("DescribeFlow", json!({"flowName": "!!"})),
        ("DescribeFlow", json!({"flowName": "x".repeat(257)})),
        ("ListFlows", json!({"maxResults": 0})),
        ("ListConnectors", json!({"maxResults": 101})),
        (
            "RegisterConnector",
            json!({"connectorProvisioningType": "SOAP"}),
        ),
        ("ListTagsForResource", json!({"resourceArn": ""})),
        (
            "UntagResource",
            json!({"resourceArn": "arn:aws:appflow:us-east-1:123456789012:flow/my-flow"}),
        ),
        (
            "UntagResource",
            json!({"resourceArn": "arn:aws:appflow:us-east-1:123456789012:flow/my-flow", "tagKeys": ["aws:x"]}),
        ),
        (
            "TagResource",
            json!({"resourceArn": "arn:aws:appflow:us-east-1:123456789012:flow/my-flow", "tags": {"k": "v".repeat(257)}}),
        ),
        (
            "DescribeConnectors",
            json!({"connectorTypes": ["Salesforce", "Telex"]}),
        ),
        (
            "CreateFlow",
            json!({
                "flowName": "my-flow",
                "triggerConfig": {"triggerType": "OnDemand"},
                "sourceFlowConfig": {"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "my-bucket"}}},
                "destinationFlowConfigList": [],
                "tasks": [{"sourceFields": [], "taskType": "Map", "taskProperties": {"NOT_A_KEY": "v"}}],
            }),
        ),
    ];
    for (op, input) in cases {
        let typed = typed_verdict(&client, op, input.clone())
            .unwrap_or_else(|| panic!("{op} {input}: the typed door let it through"));
        let untyped = invalid(client.send_json(op, &input));
        assert_eq!(untyped, typed, "{op} {input}");
    }
}

#[test]
fn json_types_and_unknown_members_are_refused_with_their_path() {
    let client = client("http://127.0.0.1:9");
    let cases = [
        (
            "DescribeFlow",
            json!({"flowName": 7}),
            "flowName must be a string, not a number",
        ),
        (
            "ListFlows",
            json!({"maxResults": 1u64 << 40}),
            "maxResults must be a 32-bit integer, not a number",
        ),
        (
            "DescribeFlow",
            json!(["flowName"]),
            "the input must be an object, not an array",
        ),
        (
            "RegisterConnector",
            json!({"connectorProvisioningConfig": {"lambda": {"lambdaARN": "x"}}}),
            "connectorProvisioningConfig.lambda.lambdaARN is not a member; the members here are: lambdaArn",
        ),
        (
            "CreateConnectorProfile",
            json!({"connectorProfileConfig": {"connectorProfileProperties": {"Amplitude": {"url": "x"}}}}),
            "connectorProfileConfig.connectorProfileProperties.Amplitude.url is not a member; this structure has none",
        ),
        (
            "CancelFlowExecutions",
            json!({"flowName": "my-flow", "executionIds": ["a", null]}),
            "executionIds[1] must be a string, not null",
        ),
        (
            "DescribeFlowExecutionRecords",
            json!({"flowName": "my-flow", "nextToken": {"t": 1}}),
            "nextToken must be a string, not an object",
        ),
    ];
    for (op, input, message) in cases {
        let err = invalid(client.send_json(op, &input));
        assert_eq!(err.to_string(), message, "{op} {input}");
    }
    let err = invalid(client.send_json("DescribeFlows", &json!({})));
    assert_eq!(err.rule(), &Rule::UnknownOperation);
    assert_eq!(err.to_string(), "DescribeFlows is not an AppFlow operation");
}

#[test]
fn null_members_are_unset_and_times_are_written_as_the_typed_door_writes_them() {
    let server = RecordingServer::start(vec![Reply::json(200, "{}")]);
    let client = client(&server.url());
    let input = json!({
        "flowName": "my-flow",
        "maxResults": null,
        "nextToken": null,
    });
    client
        .send_json("DescribeFlowExecutionRecords", &input)
        .unwrap();
    assert_eq!(server.requests()[0].body, br#"{"flowName":"my-flow"}"#);

    // A schedule's start time: RFC 3339 text or epoch seconds, sent as
    // epoch seconds with milliseconds, like a typed `DateTime`.
    let flow = |start: Value| {
        json!({
            "flowName": "my-flow",
            "triggerConfig": {"triggerType": "Scheduled", "triggerProperties": {"Scheduled": {
                "scheduleExpression": "rate(1hours)", "scheduleStartTime": start}}},
            "sourceFlowConfig": {"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "my-bucket"}}},
            "destinationFlowConfigList": [],
            "tasks": [],
        })
    };
    for (start, sent) in [
        (json!("2026-12-06T10:00:00.1234Z"), "1796551200.123"),
        (json!(1796551200), "1796551200"),
        (json!(1796551200.5), "1796551200.5"),
    ] {
        client
            .send_json("UpdateFlow", &flow(start.clone()))
            .unwrap();
        let body = server.requests().pop().unwrap().body;
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains(&format!(r#""scheduleStartTime":{sent}}}"#)),
            "{start}: {body}"
        );
    }
    let err = invalid(client.send_json("UpdateFlow", &flow(json!("yesterday"))));
    assert_eq!(
        err.to_string(),
        "triggerConfig.triggerProperties.Scheduled.scheduleStartTime must be a timestamp (epoch seconds or RFC 3339), not a string"
    );
}

/// Every place in `value` a mutation can reach: object members and list
/// items, as paths of keys and indices.
fn places(value: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                here.push(json!(name));
                out.push(here.clone());
                places(member, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                here.push(json!(i));
                out.push(here.clone());
                places(item, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

/// `value` with the thing at `path` replaced (or, with `None`, removed).
fn mutated(value: &Value, path: &[Value], with: Option<&Value>) -> Value {
    let mut value = value.clone();
    let mut parent = &mut value;
    for step in &path[..path.len() - 1] {
        parent = match step {
            Value::String(name) => &mut parent[name.as_str()],
            index => &mut parent[index.as_u64().unwrap() as usize],
        };
    }
    match (&path[path.len() - 1], parent, with) {
        (Value::String(name), Value::Object(members), Some(with)) => {
            members.insert(name.clone(), with.clone());
        }
        (Value::String(name), Value::Object(members), None) => {
            members.remove(name);
        }
        (index, Value::Array(items), Some(with)) => {
            items[index.as_u64().unwrap() as usize] = with.clone();
        }
        (index, Value::Array(items), None) => {
            items.remove(index.as_u64().unwrap() as usize);
        }
        _ => unreachable!("a place is in an object or a list"),
    }
    value
}

#[test]
fn every_mutation_of_botocores_inputs_gets_the_same_verdict_from_both_doors() {
    // Nothing listens on port 9: a valid input fails to connect instead.
    let client = client("http://127.0.0.1:9");
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let replacements = [
        json!(""),
        json!("x".repeat(2049)),
        json!("NOT_A_VALUE"),
        json!(0),
        json!(-1),
        json!(100_000),
        json!(1.5),
        json!(true),
        json!([]),
        json!({}),
        json!(null),
    ];
    let mut checked = 0;
    for case in fixture["cases"].as_array().unwrap() {
        let op = case["operation"].as_str().unwrap();
        let input = &case["input"];
        let mut all = Vec::new();
        places(input, &mut Vec::new(), &mut all);
        for path in &all {
            let removal = std::iter::once(None);
            for with in removal.chain(replacements.iter().map(Some)) {
                let input = mutated(input, path, with);
                let untyped = client.send_json(op, &input);
                let typed = support::try_with_builder!(&client, op, input.clone(), |builder| {
                    builder.map(|b| b.as_input().validate())
                });
                match (typed, untyped) {
                    // Both read it; then both judge it alike.
                    (Ok(Ok(())), Err(Error::InvalidInput(e))) => {
                        panic!("{op} {input}: only the JSON door refused it: {e}")
                    }
                    (Ok(Ok(())), _) => {}
                    (Ok(Err(typed)), untyped) => {
                        assert_eq!(invalid(untyped), typed, "{op} {input}")
                    }
                    // The typed door could not read it: the JSON door must
                    // refuse it as JSON of the wrong form.
                    (Err(read), untyped) => {
                        let err = invalid(untyped);
                        assert!(
                            matches!(err.rule(), Rule::Type { .. } | Rule::UnknownMember { .. }),
                            "{op} {input}: typed: {read}; JSON door: {err}"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} inputs checked");
}

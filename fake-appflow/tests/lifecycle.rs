//! All 25 operations through their life cycles, as any language's SDK
//! would send them (signed JSON over HTTP), each checked by what a later
//! describe or list shows.

mod support;

use std::time::Duration;

use fake_appflow::{FakeAppFlow, FakeHandle};
use serde_json::{Value, json};

/// The model's `requestUri` of each operation, by name.
fn route(op: &str) -> (&'static str, String) {
    let kebab: String = op
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let dash = (i > 0 && c.is_ascii_uppercase()).then_some('-');
            dash.into_iter()
                .chain(std::iter::once(c.to_ascii_lowercase()))
        })
        .collect();
    ("POST", format!("/{kebab}"))
}

/// Sends `input` to `method path`, signed; the status and the JSON answer.
fn send(fake: &FakeHandle, method: &str, path: &str, input: &Value) -> (u16, Value) {
    let (status, _, answer) = exchange(fake, method, path, input);
    (status, answer)
}

/// [`send`], with the error code of `x-amzn-ErrorType` (empty if none).
fn exchange(fake: &FakeHandle, method: &str, path: &str, input: &Value) -> (u16, String, Value) {
    let body = if method == "POST" {
        input.to_string()
    } else {
        String::new()
    };
    let (status, answer) = support::send_signed_as(fake, method, path, path, &body);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let code = head
        .lines()
        .find_map(|l| l.strip_prefix("x-amzn-ErrorType: "))
        .unwrap_or_default()
        .to_owned();
    (
        status,
        code,
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

/// Calls operation `op`, which must succeed.
fn ok(fake: &FakeHandle, op: &str, input: Value) -> Value {
    let (method, path) = route(op);
    let (status, answer) = send(fake, method, &path, &input);
    assert_eq!(status, 200, "{op} {input}: {answer}");
    answer
}

/// Calls operation `op`, which must fail with `status` and AWS's `code`.
fn fails(fake: &FakeHandle, op: &str, input: Value, status: u16, code: &str) -> String {
    let (method, path) = route(op);
    let (got, got_code, answer) = exchange(fake, method, &path, &input);
    let message = answer["message"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        (got, got_code.as_str()),
        (status, code),
        "{op} {input}: {message}"
    );
    message
}

fn salesforce_profile(name: &str, secret: &str) -> Value {
    json!({
        "connectorProfileName": name,
        "connectorType": "Salesforce",
        "connectionMode": "Public",
        "connectorProfileConfig": {
            "connectorProfileProperties": { "Salesforce": { "instanceUrl": "https://example.my.salesforce.com" } },
            "connectorProfileCredentials": { "Salesforce": { "accessToken": secret, "refreshToken": "refresh-secret" } }
        }
    })
}

fn flow(name: &str, trigger: &str, profile: &str) -> Value {
    json!({
        "flowName": name,
        "triggerConfig": { "triggerType": trigger },
        "sourceFlowConfig": {
            "connectorType": "Salesforce",
            "connectorProfileName": profile,
            "sourceConnectorProperties": { "Salesforce": { "object": "Account" } }
        },
        "destinationFlowConfigList": [{
            "connectorType": "S3",
            "destinationConnectorProperties": { "S3": { "bucketName": "out" } }
        }],
        "tasks": [{ "sourceFields": ["Id"], "connectorOperator": { "Salesforce": "PROJECTION" }, "taskType": "Filter" }]
    })
}

fn names(list: &Value, key: &str, member: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[member].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn connector_profiles_live_and_keep_their_credentials_to_themselves() {
    let fake = FakeAppFlow::start().unwrap();
    let arn = ok(
        &fake,
        "CreateConnectorProfile",
        salesforce_profile("sf", "top-secret"),
    )["connectorProfileArn"]
        .clone();
    assert_eq!(
        arn,
        "arn:aws:appflow:us-east-1:123456789012:connectorprofile/sf"
    );
    fails(
        &fake,
        "CreateConnectorProfile",
        salesforce_profile("sf", "x"),
        409,
        "ConflictException",
    );
    fails(
        &fake,
        "CreateConnectorProfile",
        salesforce_profile("bad", "invalid"),
        401,
        "ConnectorAuthenticationException",
    );
    let mut wrong_type = salesforce_profile("s3", "x");
    wrong_type["connectorType"] = json!("S3");
    fails(
        &fake,
        "CreateConnectorProfile",
        wrong_type,
        400,
        "ValidationException",
    );
    let mut custom = salesforce_profile("custom", "x");
    custom["connectorType"] = json!("CustomConnector");
    custom["connectorLabel"] = json!("unregistered");
    fails(
        &fake,
        "CreateConnectorProfile",
        custom,
        400,
        "ValidationException",
    );

    let mut zendesk = salesforce_profile("zd", "x");
    zendesk["connectorType"] = json!("Zendesk");
    zendesk["connectorProfileConfig"] = json!({
        "connectorProfileProperties": { "Zendesk": { "instanceUrl": "https://example.zendesk.com" } },
        "connectorProfileCredentials": { "Zendesk": { "clientId": "id", "clientSecret": "s" } }
    });
    ok(&fake, "CreateConnectorProfile", zendesk);

    // Filters and paging.
    let all = ok(&fake, "DescribeConnectorProfiles", json!({}));
    assert_eq!(
        names(&all, "connectorProfileDetails", "connectorProfileName"),
        ["sf", "zd"]
    );
    let by_type = ok(
        &fake,
        "DescribeConnectorProfiles",
        json!({ "connectorType": "Zendesk" }),
    );
    assert_eq!(
        names(&by_type, "connectorProfileDetails", "connectorProfileName"),
        ["zd"]
    );
    let by_name = ok(
        &fake,
        "DescribeConnectorProfiles",
        json!({ "connectorProfileNames": ["sf", "missing"] }),
    );
    assert_eq!(
        names(&by_name, "connectorProfileDetails", "connectorProfileName"),
        ["sf"]
    );
    let first = ok(
        &fake,
        "DescribeConnectorProfiles",
        json!({ "maxResults": 1 }),
    );
    assert_eq!(
        names(&first, "connectorProfileDetails", "connectorProfileName"),
        ["sf"]
    );
    let second = ok(
        &fake,
        "DescribeConnectorProfiles",
        json!({ "maxResults": 1, "nextToken": first["nextToken"] }),
    );
    assert_eq!(
        names(&second, "connectorProfileDetails", "connectorProfileName"),
        ["zd"]
    );
    assert!(second.get("nextToken").is_none());

    // Updates show; credentials never do, in answers or in the log.
    let mut update = salesforce_profile("sf", "new-secret");
    update.as_object_mut().unwrap().remove("connectorType");
    update["connectionMode"] = json!("Private");
    update["connectorProfileConfig"]["connectorProfileProperties"]["Salesforce"]["isSandboxEnvironment"] =
        json!(true);
    ok(&fake, "UpdateConnectorProfile", update);
    let sf = &ok(
        &fake,
        "DescribeConnectorProfiles",
        json!({ "connectorProfileNames": ["sf"] }),
    )["connectorProfileDetails"][0];
    assert_eq!(sf["connectionMode"], "Private");
    assert_eq!(
        sf["connectorProfileProperties"]["Salesforce"]["isSandboxEnvironment"],
        true
    );
    assert!(
        sf["credentialsArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:secretsmanager:")
    );
    for request in fake.requests() {
        let text = String::from_utf8_lossy(&request.body).into_owned();
        let answer = match &request.outcome {
            fake_appflow::Outcome::Answered { body, .. } => {
                String::from_utf8_lossy(body).into_owned()
            }
            _ => String::new(),
        };
        for secret in ["top-secret", "new-secret", "refresh-secret"] {
            assert!(!text.contains(secret), "logged: {text}");
            assert!(!answer.contains(secret), "answered: {answer}");
        }
    }
    fails(
        &fake,
        "UpdateConnectorProfile",
        json!({ "connectorProfileName": "nope", "connectionMode": "Public",
                "connectorProfileConfig": { "connectorProfileProperties": { "Salesforce": {} } } }),
        404,
        "ResourceNotFoundException",
    );

    // A profile in use stays unless forced.
    ok(&fake, "CreateFlow", flow("uses-sf", "OnDemand", "sf"));
    fails(
        &fake,
        "DeleteConnectorProfile",
        json!({ "connectorProfileName": "sf" }),
        409,
        "ConflictException",
    );
    ok(
        &fake,
        "DeleteConnectorProfile",
        json!({ "connectorProfileName": "sf", "forceDelete": true }),
    );
    ok(
        &fake,
        "DeleteConnectorProfile",
        json!({ "connectorProfileName": "zd" }),
    );
    let none = ok(&fake, "DescribeConnectorProfiles", json!({}));
    assert_eq!(none["connectorProfileDetails"], json!([]));
    fails(
        &fake,
        "DeleteConnectorProfile",
        json!({ "connectorProfileName": "zd" }),
        404,
        "ResourceNotFoundException",
    );
}

#[test]
fn custom_connectors_are_registered_used_by_profiles_and_unregistered() {
    let fake = FakeAppFlow::start().unwrap();
    ok(
        &fake,
        "RegisterConnector",
        json!({ "connectorLabel": "mine", "description": "v1", "connectorProvisioningType": "LAMBDA",
                "connectorProvisioningConfig": { "lambda": { "lambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:f" } } }),
    );
    ok(
        &fake,
        "UpdateConnectorRegistration",
        json!({ "connectorLabel": "mine", "description": "v2" }),
    );
    let described = ok(
        &fake,
        "DescribeConnector",
        json!({ "connectorType": "CustomConnector", "connectorLabel": "mine" }),
    );
    assert_eq!(
        described["connectorConfiguration"]["connectorDescription"],
        "v2"
    );
    let listed = ok(&fake, "ListConnectors", json!({}));
    assert_eq!(names(&listed, "connectors", "connectorLabel"), ["mine"]);
    let many = ok(
        &fake,
        "DescribeConnectors",
        json!({ "connectorTypes": ["S3", "CustomConnector"] }),
    );
    assert_eq!(names(&many, "connectors", "connectorLabel"), ["mine"]);
    assert_eq!(
        many["connectorConfigurations"]["S3"]["canUseAsDestination"],
        true
    );
    assert!(many["connectorConfigurations"].get("Salesforce").is_none());

    let mut profile = salesforce_profile("custom", "x");
    profile["connectorType"] = json!("CustomConnector");
    profile["connectorLabel"] = json!("mine");
    profile["connectorProfileConfig"] = json!({
        "connectorProfileProperties": { "CustomConnector": { "profileProperties": { "k": "v" } } },
        "connectorProfileCredentials": { "CustomConnector": { "authenticationType": "APIKEY", "apiKey": { "apiKey": "k" } } }
    });
    ok(&fake, "CreateConnectorProfile", profile);
    let by_label = ok(
        &fake,
        "DescribeConnectorProfiles",
        json!({ "connectorLabel": "mine" }),
    );
    assert_eq!(
        names(&by_label, "connectorProfileDetails", "connectorProfileName"),
        ["custom"]
    );
    // Entities of a custom connector come through its profile.
    let entities = ok(
        &fake,
        "ListConnectorEntities",
        json!({ "connectorProfileName": "custom" }),
    );
    assert_eq!(
        entities["connectorEntityMap"]["Objects"][0]["name"],
        "records"
    );

    fails(
        &fake,
        "UnregisterConnector",
        json!({ "connectorLabel": "mine" }),
        409,
        "ConflictException",
    );
    ok(
        &fake,
        "UnregisterConnector",
        json!({ "connectorLabel": "mine", "forceDelete": true }),
    );
    assert_eq!(
        ok(&fake, "ListConnectors", json!({}))["connectors"],
        json!([])
    );
    fails(
        &fake,
        "DescribeConnector",
        json!({ "connectorType": "CustomConnector", "connectorLabel": "mine" }),
        404,
        "ResourceNotFoundException",
    );
}

#[test]
fn entities_come_from_the_documented_catalog() {
    let fake = FakeAppFlow::start().unwrap();
    ok(
        &fake,
        "CreateConnectorProfile",
        salesforce_profile("sf", "x"),
    );
    let top = ok(
        &fake,
        "ListConnectorEntities",
        json!({ "connectorProfileName": "sf" }),
    );
    let objects = &top["connectorEntityMap"]["Objects"];
    assert_eq!(
        objects
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Account", "Contact", "Lead", "Opportunity"]
    );
    assert_eq!(objects[0]["hasNestedEntities"], true);
    let nested = ok(
        &fake,
        "ListConnectorEntities",
        json!({ "connectorType": "Salesforce", "entitiesPath": "Account" }),
    );
    assert_eq!(
        nested["connectorEntityMap"]["Account"][0]["name"],
        "Account/Contacts"
    );
    let paged = ok(
        &fake,
        "ListConnectorEntities",
        json!({ "connectorType": "Salesforce", "maxResults": 3 }),
    );
    assert_eq!(
        paged["connectorEntityMap"]["Objects"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let rest = ok(
        &fake,
        "ListConnectorEntities",
        json!({ "connectorType": "Salesforce", "maxResults": 3, "nextToken": paged["nextToken"] }),
    );
    assert_eq!(
        rest["connectorEntityMap"]["Objects"][0]["name"],
        "Opportunity"
    );

    let fields = ok(
        &fake,
        "DescribeConnectorEntity",
        json!({ "connectorProfileName": "sf", "connectorEntityName": "Account" }),
    );
    let fields = fields["connectorEntityFields"].as_array().unwrap();
    assert_eq!(fields[0]["identifier"], "Id");
    assert_eq!(fields[0]["isPrimaryKey"], true);
    fails(
        &fake,
        "DescribeConnectorEntity",
        json!({ "connectorProfileName": "sf", "connectorEntityName": "Nope" }),
        404,
        "ResourceNotFoundException",
    );
    fails(
        &fake,
        "DescribeConnectorEntity",
        json!({ "connectorProfileName": "sf", "connectorType": "Zendesk", "connectorEntityName": "tickets" }),
        400,
        "ValidationException",
    );
    ok(
        &fake,
        "ResetConnectorMetadataCache",
        json!({ "connectorProfileName": "sf", "connectorEntityName": "Account" }),
    );
    fails(
        &fake,
        "ResetConnectorMetadataCache",
        json!({ "connectorProfileName": "gone" }),
        404,
        "ResourceNotFoundException",
    );
    fails(
        &fake,
        "ResetConnectorMetadataCache",
        json!({ "connectorType": "Salesforce", "connectorEntityName": "Nope" }),
        404,
        "ResourceNotFoundException",
    );
}

#[test]
fn flows_check_references_run_cancel_stop_tag_and_delete() {
    let fake = FakeAppFlow::new()
        .execution_time(Duration::from_secs(60))
        .run()
        .unwrap();
    // What a flow names must exist, with the right type.
    fails(
        &fake,
        "CreateFlow",
        flow("fl", "OnDemand", "missing"),
        404,
        "ResourceNotFoundException",
    );
    let mut zendesk = salesforce_profile("zd", "x");
    zendesk["connectorType"] = json!("Zendesk");
    zendesk["connectorProfileConfig"] = json!({
        "connectorProfileProperties": { "Zendesk": { "instanceUrl": "https://example.zendesk.com" } }
    });
    ok(&fake, "CreateConnectorProfile", zendesk);
    fails(
        &fake,
        "CreateFlow",
        flow("fl", "OnDemand", "zd"),
        400,
        "ValidationException",
    );
    let mut no_profile = flow("fl", "OnDemand", "x");
    no_profile["sourceFlowConfig"]
        .as_object_mut()
        .unwrap()
        .remove("connectorProfileName");
    fails(&fake, "CreateFlow", no_profile, 400, "ValidationException");

    ok(
        &fake,
        "CreateConnectorProfile",
        salesforce_profile("sf", "x"),
    );
    let created = ok(&fake, "CreateFlow", flow("on-demand", "OnDemand", "sf"));
    assert_eq!(created["flowStatus"], "Active");
    let arn = created["flowArn"].as_str().unwrap().to_owned();
    fails(
        &fake,
        "CreateFlow",
        flow("on-demand", "OnDemand", "sf"),
        409,
        "ConflictException",
    );

    // Runs: InProgress, then Successful once the clock passes the
    // execution time; a canceled one stays Canceled.
    let first = ok(&fake, "StartFlow", json!({ "flowName": "on-demand" }))["executionId"].clone();
    let second = ok(&fake, "StartFlow", json!({ "flowName": "on-demand" }))["executionId"].clone();
    let records = ok(
        &fake,
        "DescribeFlowExecutionRecords",
        json!({ "flowName": "on-demand" }),
    );
    let runs = records["flowExecutions"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["executionId"], second, "newest first");
    assert_eq!(runs[0]["executionStatus"], "InProgress");
    assert_eq!(runs[0]["executionResult"]["recordsProcessed"], 0);
    let cancel = ok(
        &fake,
        "CancelFlowExecutions",
        json!({ "flowName": "on-demand", "executionIds": [second, "no-such-run"] }),
    );
    assert_eq!(cancel["invalidExecutions"], json!(["no-such-run"]));
    fails(
        &fake,
        "DeleteFlow",
        json!({ "flowName": "on-demand" }),
        409,
        "ConflictException",
    );
    fake.advance_clock(Duration::from_secs(61));
    let records = ok(
        &fake,
        "DescribeFlowExecutionRecords",
        json!({ "flowName": "on-demand", "maxResults": 1 }),
    );
    assert_eq!(records["flowExecutions"][0]["executionStatus"], "Canceled");
    let older = ok(
        &fake,
        "DescribeFlowExecutionRecords",
        json!({ "flowName": "on-demand", "maxResults": 1, "nextToken": records["nextToken"] }),
    );
    let run = &older["flowExecutions"][0];
    assert_eq!(run["executionId"], first);
    assert_eq!(run["executionStatus"], "Successful");
    assert_eq!(run["executionResult"]["recordsProcessed"], 100);
    assert_eq!(run["executionResult"]["bytesWritten"], 25_600);
    let cancel_done = ok(
        &fake,
        "CancelFlowExecutions",
        json!({ "flowName": "on-demand", "executionIds": [first] }),
    );
    assert_eq!(cancel_done["invalidExecutions"], json!([first]));
    let described = ok(&fake, "DescribeFlow", json!({ "flowName": "on-demand" }));
    assert_eq!(
        described["lastRunExecutionDetails"]["mostRecentExecutionStatus"],
        "Canceled"
    );
    assert_eq!(described["sourceFlowConfig"]["connectorProfileName"], "sf");
    fails(
        &fake,
        "StopFlow",
        json!({ "flowName": "on-demand" }),
        400,
        "UnsupportedOperationException",
    );

    // A scheduled flow: Draft, activated by StartFlow, suspended by StopFlow.
    let mut scheduled = flow("hourly", "Scheduled", "sf");
    scheduled["triggerConfig"]["triggerProperties"] =
        json!({ "Scheduled": { "scheduleExpression": "rate(1hours)" } });
    assert_eq!(
        ok(&fake, "CreateFlow", scheduled.clone())["flowStatus"],
        "Draft"
    );
    fails(
        &fake,
        "StopFlow",
        json!({ "flowName": "hourly" }),
        409,
        "ConflictException",
    );
    let started = ok(&fake, "StartFlow", json!({ "flowName": "hourly" }));
    assert_eq!(started["flowStatus"], "Active");
    assert!(started.get("executionId").is_none());
    fails(
        &fake,
        "StartFlow",
        json!({ "flowName": "hourly" }),
        409,
        "ConflictException",
    );
    assert_eq!(
        ok(&fake, "StopFlow", json!({ "flowName": "hourly" }))["flowStatus"],
        "Suspended"
    );
    scheduled["description"] = json!("every hour");
    ok(&fake, "UpdateFlow", scheduled);
    let listed = ok(&fake, "ListFlows", json!({}));
    assert_eq!(names(&listed, "flows", "flowName"), ["hourly", "on-demand"]);
    assert_eq!(listed["flows"][0]["flowStatus"], "Suspended");
    assert_eq!(listed["flows"][0]["description"], "every hour");
    assert_eq!(listed["flows"][0]["destinationConnectorType"], "S3");

    // Tags, on the flow's ARN (and through the path's encoded ARN).
    let encoded = arn.replace(':', "%3A").replace('/', "%2F");
    let tag_path = format!("/tags/{encoded}");
    let (status, _) = send(
        &fake,
        "POST",
        &tag_path,
        &json!({ "tags": { "team": "data", "env": "test" } }),
    );
    assert_eq!(status, 200);
    let (_, tags) = send(&fake, "GET", &tag_path, &json!({}));
    assert_eq!(tags["tags"], json!({ "team": "data", "env": "test" }));
    let (status, _) = send(
        &fake,
        "DELETE",
        &format!("{tag_path}?tagKeys=env"),
        &json!({}),
    );
    assert_eq!(status, 200);
    let (_, tags) = send(&fake, "GET", &tag_path, &json!({}));
    assert_eq!(tags["tags"], json!({ "team": "data" }));
    assert_eq!(
        ok(&fake, "DescribeFlow", json!({ "flowName": "on-demand" }))["tags"],
        json!({ "team": "data" })
    );

    // Deleting: the flow and its tags go.
    ok(&fake, "DeleteFlow", json!({ "flowName": "on-demand" }));
    fails(
        &fake,
        "DescribeFlow",
        json!({ "flowName": "on-demand" }),
        404,
        "ResourceNotFoundException",
    );
    let (status, _) = send(&fake, "GET", &tag_path, &json!({}));
    assert_eq!(status, 404);
    // The profile is free once nothing uses it.
    ok(&fake, "DeleteFlow", json!({ "flowName": "hourly" }));
    ok(
        &fake,
        "DeleteConnectorProfile",
        json!({ "connectorProfileName": "sf" }),
    );
}

#[test]
fn stored_resources_are_bounded_in_bytes() {
    let fake = FakeAppFlow::start().unwrap();
    ok(
        &fake,
        "CreateConnectorProfile",
        salesforce_profile("sf", "x"),
    );
    // Flows with ~0.9 MB of tasks each: the 32 MiB budget fills, then
    // creating more fails as AppFlow's quotas do, and deleting frees room.
    let mut big = flow("big-0", "OnDemand", "sf");
    let task = json!({ "sourceFields": ["x".repeat(2000)], "connectorOperator": { "Salesforce": "PROJECTION" }, "taskType": "Filter" });
    big["tasks"] = Value::Array(vec![task; 450]);
    let mut created = 0;
    let refused = loop {
        big["flowName"] = json!(format!("big-{created}"));
        let (method, path) = route("CreateFlow");
        let (status, answer) = send(&fake, method, &path, &big);
        if status != 200 {
            break (status, answer);
        }
        created += 1;
        assert!(created < 100, "the budget never filled");
    };
    assert_eq!(refused.0, 402, "{}", refused.1);
    assert!((30..=37).contains(&created), "{created} flows fit");
    ok(&fake, "DeleteFlow", json!({ "flowName": "big-0" }));
    big["flowName"] = json!("big-again");
    ok(&fake, "CreateFlow", big);
}

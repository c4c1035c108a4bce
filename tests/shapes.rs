//! The generated shapes: validation names the member and the rule, JSON
//! keeps the model's names and order, enums keep unknown values, secrets
//! stay out of `Debug`.

use appflow_lite::operation::create_flow::CreateFlowInput;
use appflow_lite::operation::list_connectors::ListConnectorsInput;
use appflow_lite::operation::register_connector::RegisterConnectorInput;
use appflow_lite::operation::tag_resource::TagResourceInput;
use appflow_lite::operation::untag_resource::UntagResourceInput;
use appflow_lite::types::{
    ConnectorProfileCredentials, ConnectorProvisioningConfig, ConnectorProvisioningType,
    LambdaConnectorProvisioningConfig, SalesforceConnectorProfileCredentials,
};
use appflow_lite::{Client, Error, Rule};
use serde_json::json;

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-connector";

fn input(value: serde_json::Value) -> RegisterConnectorInput {
    serde_json::from_value(value).unwrap()
}

fn violation<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    validate: fn(&T) -> Result<(), appflow_lite::InvalidInput>,
) -> (String, Rule) {
    let parsed: T = serde_json::from_value(value).unwrap();
    let err = validate(&parsed).unwrap_err();
    (err.field().to_owned(), err.rule().clone())
}

#[test]
fn register_connector_constraints_name_their_member_and_rule() {
    let check = |v| violation(v, RegisterConnectorInput::validate);
    assert_eq!(
        input(json!({"connectorLabel": "my-conn"})).validate(),
        Ok(())
    );
    assert_eq!(RegisterConnectorInput::default().validate(), Ok(()));
    assert_eq!(
        check(json!({"connectorLabel": "a".repeat(257)})),
        (
            "connectorLabel".into(),
            Rule::Length {
                min: 0,
                max: 256,
                actual: 257
            }
        )
    );
    assert_eq!(
        check(json!({"connectorLabel": "!"})),
        (
            "connectorLabel".into(),
            Rule::Pattern(r"[a-zA-Z0-9][\w!@#.-]+")
        )
    );
    assert_eq!(
        check(json!({"description": "é".repeat(2049)})).0,
        "description"
    );
    assert_eq!(
        check(json!({"connectorProvisioningType": "CONTAINER"})),
        (
            "connectorProvisioningType".into(),
            Rule::Enum(vec!["LAMBDA"])
        )
    );
    assert_eq!(
        check(json!({"connectorProvisioningConfig": {"lambda": {}}})),
        (
            "connectorProvisioningConfig.lambda.lambdaArn".into(),
            Rule::Required
        )
    );
    assert_eq!(
        check(json!({"connectorProvisioningConfig": {"lambda": {"lambdaArn": "arn:aws:lambda"}}}))
            .1,
        Rule::Pattern("arn:aws:.*:.*:[0-9]+:.*")
    );
    assert!(matches!(
        check(json!({"clientToken": ""})),
        (f, Rule::Length { min: 1, .. }) if f == "clientToken"
    ));
    assert_eq!(
        check(json!({"clientToken": "ééé"})),
        ("clientToken".into(), Rule::Pattern("[ -~]+"))
    );
    // `[\s\w/!@#+=.-]*` matches the empty string, so unanchored it matches
    // every value: only the description's length binds.
    assert_eq!(
        input(json!({"description": "emoji 🚀 and $%^&*"})).validate(),
        Ok(())
    );
}

#[test]
fn nested_lists_maps_ranges_and_labels_are_checked() {
    let flow = |tasks: serde_json::Value| {
        json!({
            "flowName": "my-flow",
            "triggerConfig": {"triggerType": "OnDemand"},
            "sourceFlowConfig": {"connectorType": "S3", "sourceConnectorProperties": {"S3": {"bucketName": "in-bucket"}}},
            "destinationFlowConfigList": [{"connectorType": "S3", "destinationConnectorProperties": {"S3": {"bucketName": "out-bucket"}}}],
            "tasks": tasks,
        })
    };
    let ok = flow(json!([{"sourceFields": ["a"], "taskType": "Filter"}]));
    assert_eq!(
        serde_json::from_value::<CreateFlowInput>(ok)
            .unwrap()
            .validate(),
        Ok(())
    );
    let (field, rule) = violation(
        flow(
            json!([{"sourceFields": ["a"], "taskType": "Filter"}, {"sourceFields": ["a", "x".repeat(2049)], "taskType": "Map"}]),
        ),
        CreateFlowInput::validate,
    );
    assert_eq!(field, "tasks[1].sourceFields[1]");
    assert!(matches!(rule, Rule::Length { max: 2048, .. }), "{rule:?}");
    assert_eq!(
        violation(
            flow(json!([{"sourceFields": ["a"]}])),
            CreateFlowInput::validate
        ),
        ("tasks[0].taskType".into(), Rule::Required)
    );

    assert_eq!(
        violation(
            json!({"resourceArn": "arn:aws:appflow:us-east-1:1:flow/f", "tags": {"aws:owner": "x"}}),
            TagResourceInput::validate
        ),
        (
            r#"tags["aws:owner"]"#.into(),
            Rule::Pattern(r"^(?!aws:)[a-zA-Z+-=._:/]+$")
        )
    );
    let keys: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
    assert_eq!(
        violation(
            json!({"resourceArn": "arn:aws:appflow:us-east-1:1:flow/f", "tagKeys": keys}),
            UntagResourceInput::validate
        ),
        (
            "tagKeys".into(),
            Rule::Count {
                min: 0,
                max: 50,
                actual: 51
            }
        )
    );
    // A path label may not be empty: `/tags/` would be another request.
    assert_eq!(
        violation(
            json!({"resourceArn": "", "tagKeys": ["k"]}),
            UntagResourceInput::validate
        )
        .1,
        Rule::Length {
            min: 1,
            max: 512,
            actual: 0
        }
    );
    assert_eq!(
        violation(json!({"maxResults": 0}), ListConnectorsInput::validate),
        (
            "maxResults".into(),
            Rule::Range {
                min: 1,
                max: 100,
                actual: 0
            }
        )
    );
}

#[test]
fn invalid_input_is_refused_before_anything_is_sent() {
    // Port 9 on 127.0.0.1 (discard) is never contacted: validation comes first.
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(appflow_lite::credentials::Credentials::new(
            "AKID", "secret",
        ))
        .build()
        .unwrap();
    let err = client
        .list_connectors()
        .max_results(1000)
        .send()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "invalid input: maxResults must be between 1 and 100, not 1000"
    );
}

#[test]
fn json_uses_the_models_names_and_order_and_rejects_unknown_members() {
    let config = ConnectorProvisioningConfig::builder()
        .lambda(
            LambdaConnectorProvisioningConfig::builder()
                .lambda_arn(ARN)
                .build()
                .unwrap(),
        )
        .build();
    assert_eq!(
        serde_json::to_string(&config).unwrap(),
        format!(r#"{{"lambda":{{"lambdaArn":"{ARN}"}}}}"#)
    );
    let err =
        serde_json::from_str::<ConnectorProvisioningConfig>(r#"{"lambda":{"lambdaARN":"x"}}"#)
            .unwrap_err()
            .to_string();
    assert!(
        err.contains("lambda: unknown member \"lambdaARN\", must be one of: lambdaArn"),
        "{err}"
    );
    let text = serde_json::to_string(&input(json!({
        "clientToken": "t", "connectorProvisioningType": "LAMBDA", "connectorLabel": "c"
    })))
    .unwrap();
    assert_eq!(
        text,
        r#"{"connectorLabel":"c","connectorProvisioningType":"LAMBDA","clientToken":"t"}"#
    );
}

#[test]
fn unknown_enum_values_survive_a_round_trip() {
    let parsed: ConnectorProvisioningType = serde_json::from_str("\"CONTAINER\"").unwrap();
    assert!(
        matches!(parsed, ConnectorProvisioningType::Unknown(_)),
        "{parsed:?}"
    );
    assert_eq!(parsed.as_str(), "CONTAINER");
    assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"CONTAINER\"");
    let known: ConnectorProvisioningType = serde_json::from_str("\"LAMBDA\"").unwrap();
    assert_eq!(known, ConnectorProvisioningType::Lambda);
    assert_eq!(known.as_str(), "LAMBDA");
    assert_eq!(
        ConnectorProvisioningType::from("LAMBDA"),
        ConnectorProvisioningType::Lambda
    );
}

#[test]
fn secrets_stay_out_of_debug() {
    let credentials = ConnectorProfileCredentials::builder()
        .salesforce(
            SalesforceConnectorProfileCredentials::builder()
                .access_token("ACCESS-TOKEN-VALUE")
                .refresh_token("REFRESH-TOKEN-VALUE")
                .build(),
        )
        .build();
    let shown = format!("{credentials:?}");
    assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
    assert!(
        !shown.contains("ACCESS-TOKEN-VALUE") && !shown.contains("REFRESH-TOKEN-VALUE"),
        "{shown}"
    );
    // The wire still carries them.
    assert!(
        serde_json::to_string(&credentials)
            .unwrap()
            .contains("ACCESS-TOKEN-VALUE")
    );
}

#[test]
fn infor_nexus_keys_are_secrets_but_a_parameter_key_is_not() {
    use appflow_lite::types::{AuthParameter, InforNexusConnectorProfileCredentials};
    let credentials = InforNexusConnectorProfileCredentials::builder()
        .access_key_id("NEXUS-ACCESS-KEY-ID")
        .user_id("nexus-user")
        .secret_access_key("NEXUS-SECRET-ACCESS-KEY")
        .datakey("NEXUS-DATAKEY-VALUE")
        .build();
    let shown = format!("{credentials:?}");
    for secret in [
        "NEXUS-ACCESS-KEY-ID",
        "NEXUS-SECRET-ACCESS-KEY",
        "NEXUS-DATAKEY-VALUE",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("nexus-user"), "{shown}");
    // `AuthParameter.key` targets the same shape (`Key`) and names a
    // parameter: it stays visible.
    let parameter = AuthParameter::builder().key("api_version").build();
    assert!(
        format!("{parameter:?}").contains("api_version"),
        "{parameter:?}"
    );
}

#[test]
fn enums_parse_compare_and_list_as_the_sdks_do() {
    use appflow_lite::types::{AggregationType, ConnectorType, ExecutionStatus, TriggerType};
    use std::cmp::Ordering;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    // The SDK's variant names, derived from the values.
    assert_eq!(
        "OnDemand".parse::<TriggerType>().unwrap(),
        TriggerType::Ondemand
    );
    assert_eq!(
        ExecutionStatus::from("InProgress"),
        ExecutionStatus::Inprogress
    );
    assert_eq!(ConnectorType::from("SAPOData"), ConnectorType::Sapodata);
    assert_eq!(
        AggregationType::from("SingleFile"),
        AggregationType::SingleFile
    );
    assert_eq!(ConnectorType::Sapodata.as_str(), "SAPOData");
    assert!(ConnectorType::values().contains(&"Salesforce"));
    assert_eq!(ConnectorType::values().len(), 24);
    // A known value never parses to the unknown case, so ==, Ord and Hash
    // agree whichever way a value was made.
    let hash = |v: &AggregationType| {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    };
    let parsed: AggregationType = serde_json::from_str("\"None\"").unwrap();
    assert_eq!(parsed, AggregationType::None);
    assert_eq!(parsed.cmp(&AggregationType::None), Ordering::Equal);
    assert_eq!(hash(&parsed), hash(&AggregationType::None));
    let new = AggregationType::from("Hourly");
    assert_ne!(new, AggregationType::None);
    assert_ne!(new.cmp(&AggregationType::None), Ordering::Equal);
    assert_eq!(new, AggregationType::from("Hourly"));
    assert_eq!(new.to_string(), "Hourly");
    assert!(AggregationType::try_parse("Hourly").is_err());
    assert_eq!(
        AggregationType::try_parse("None"),
        Ok(AggregationType::None)
    );
}

//! Every operation's request (method, URL with path and query, headers,
//! `amz-sdk-*` ones included, body, signature) equals what botocore sends
//! and signs for the same input.
//! Regenerate the fixture with `scripts/botocore_operation_requests.py`.

use appflow_lite::credentials::Credentials;
use appflow_lite::{Client, SignedRequest, sigv4};
use serde_json::Value;

mod support;

const FIXTURE: &str = include_str!("fixtures/botocore/operation_requests.json");

/// Signs `input` (JSON) as operation `op`'s input at `time`.
fn signed(
    client: &Client,
    op: &str,
    input: Value,
    time: std::time::SystemTime,
    invocation_id: &str,
) -> SignedRequest {
    support::with_builder!(client, op, input, |builder| builder
        .signed_attempt(time, invocation_id, 1)
        .unwrap())
}

#[test]
fn every_operation_request_equals_botocores() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    let operations: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations.len(), 25, "one case per operation at least");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut credentials =
            Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        if let Some(token) = case["session_token"].as_str() {
            credentials = credentials.with_session_token(token);
        }
        let client = Client::builder()
            .region(case["region"].as_str().unwrap())
            .credentials(credentials)
            .build()
            .unwrap();
        let time = sigv4::parse_amz_date(case["time"].as_str().unwrap()).unwrap();
        let request = signed(
            &client,
            case["operation"].as_str().unwrap(),
            case["input"].clone(),
            time,
            case["invocation_id"].as_str().unwrap(),
        );

        let expected = &case["expected"];
        assert_eq!(
            request.method,
            expected["method"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(request.url, expected["url"].as_str().unwrap(), "{name}");
        assert_eq!(
            String::from_utf8(request.body).unwrap(),
            expected["body"].as_str().unwrap(),
            "{name}"
        );
        // User-Agent is ours to choose and never signed; compare the rest,
        // the signature included.
        let mut ours: Vec<(String, String)> = request
            .headers
            .iter()
            .filter(|(n, _)| *n != "User-Agent")
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        let mut theirs: Vec<(String, String)> = expected["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_owned(),
                    pair[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "{name}");
    }
}

//! RegisterConnector requests must equal, header for header, what botocore
//! (AWS's Python SDK) signs and sends for the same bytes, `amz-sdk-*`
//! headers included; botocore's own client also
//! chose the same URL and an equivalent body. Regenerate the fixture with
//! `scripts/botocore_golden_requests.py`.

use appflow_lite::credentials::Credentials;
use appflow_lite::operation::register_connector::RegisterConnectorInput;
use appflow_lite::{Client, sigv4};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/botocore/register_connector_golden.json");

#[test]
fn signed_requests_equal_botocores() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut credentials =
            Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        if let Some(token) = case["session_token"].as_str() {
            credentials = credentials.with_session_token(token);
        }
        let client = Client::builder()
            .region(case["region"].as_str().unwrap())
            .use_fips(case["use_fips"].as_bool().unwrap())
            .use_dual_stack(case["use_dual_stack"].as_bool().unwrap())
            .credentials(credentials)
            .build()
            .unwrap();
        let input: RegisterConnectorInput = serde_json::from_value(case["input"].clone()).unwrap();
        let time = sigv4::parse_amz_date(case["time"].as_str().unwrap()).unwrap();
        let invocation_id = case["invocation_id"].as_str().unwrap();
        let request = client
            .register_connector()
            .set_input(input)
            .signed_attempt(time, invocation_id, 1)
            .unwrap();

        let expected = &case["expected"];
        assert_eq!(request.url, expected["url"].as_str().unwrap(), "{name}");
        assert_eq!(
            String::from_utf8(request.body).unwrap(),
            expected["body"].as_str().unwrap(),
            "{name}"
        );
        // User-Agent is ours to choose and never signed; compare the rest.
        let ours: Vec<(String, String)> = request
            .headers
            .iter()
            .filter(|(n, _)| *n != "User-Agent")
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        let theirs: Vec<(String, String)> = expected["headers"]
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
        let sorted = |mut headers: Vec<(String, String)>| {
            headers.sort();
            headers
        };
        assert_eq!(sorted(ours), sorted(theirs), "{name}");
    }
}

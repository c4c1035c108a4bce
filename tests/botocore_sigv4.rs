//! Random wire-like requests signed by botocore (AWS's Python SDK) must sign
//! identically here. Regenerate with `scripts/botocore_sigv4_fixtures.py`.

use appflow_lite::credentials::Credentials;
use appflow_lite::sigv4::{self, Payload, SignableRequest, Signer, SigningParams};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/botocore/sigv4_random.json");

#[test]
fn random_requests_sign_exactly_as_botocore_signs_them() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 300, "only {} cases", cases.len());
    let signer = Signer::new();

    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let text = |key: &str| case[key].as_str().unwrap();
        let mut creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        if let Some(token) = case["session_token"].as_str() {
            creds = creds.with_session_token(token);
        }
        let headers: Vec<(&str, &str)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (pair[0].as_str().unwrap(), pair[1].as_str().unwrap()))
            .collect();
        let time = sigv4::parse_amz_date(text("time")).unwrap();
        let request = SignableRequest::new(
            text("method"),
            text("target"),
            &headers,
            Payload::Bytes(text("body").as_bytes()),
        );
        let params = SigningParams::new(&creds, text("region"), text("service"), time);
        let out = signer.sign(&request, &params).unwrap();
        if out.canonical_request_with_secrets() != text("canonical_request") {
            failures.push(format!(
                "case {index} ({}): canonical request\n--- botocore\n{}\n--- ours\n{}",
                text("target"),
                text("canonical_request"),
                out.canonical_request_with_secrets()
            ));
        } else if out.string_to_sign() != text("string_to_sign")
            || out.authorization() != text("authorization")
        {
            failures.push(format!(
                "case {index}: authorization\n--- botocore\n{}\n--- ours\n{}",
                text("authorization"),
                out.authorization()
            ));
        }
    }
    let shown: Vec<&String> = failures.iter().take(5).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from botocore; first ones:\n{shown:#?}",
        failures.len(),
        cases.len()
    );
}

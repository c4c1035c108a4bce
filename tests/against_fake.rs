//! Client behaviour against the fake AppFlow, which verifies every signature
//! and enforces AppFlow's rules.

mod support;

use std::sync::Arc;
use std::thread;

use appflow_lite::Client;
use appflow_lite::ProvideErrorMetadata;
use appflow_lite::credentials::Credentials;
use fake_appflow::{FakeAppFlow, FakeHandle};

fn client(fake: &FakeHandle, region: &str, credentials: Credentials) -> Client {
    Client::builder()
        .region(region)
        .endpoint_url(fake.endpoint_url())
        .credentials(credentials)
        .build()
        .unwrap()
}

#[test]
fn signatures_for_regions_of_five_partitions_and_session_tokens_verify_at_the_fake() {
    let temporary = Credentials::new("ASIATEMPORARY", "temporary/secret+key=")
        .with_session_token("IQoJb3JpZ2luX2VjEXAMPLE//token+/=");
    let fake = FakeAppFlow::new()
        .credentials(fake_appflow::test_credentials())
        .credentials(temporary.clone())
        .run()
        .unwrap();
    for (i, region) in [
        "us-east-1",
        "eu-west-3",
        "cn-north-1",
        "us-gov-west-1",
        "us-isob-east-1",
    ]
    .iter()
    .enumerate()
    {
        let creds = if i % 2 == 0 {
            fake_appflow::test_credentials()
        } else {
            temporary.clone()
        };
        let out = client(&fake, region, creds)
            .register_connector()
            .connector_label(format!("conn-{i}"))
            .description("caf\u{e9} \u{1F680}")
            .send()
            .unwrap();
        assert_eq!(
            out.connector_arn(),
            Some(format!("arn:aws:appflow:{region}:123456789012:connector/conn-{i}").as_str())
        );
    }
    assert_eq!(fake.connectors().len(), 5);
}

#[test]
fn one_client_serves_many_threads() {
    let fake = FakeAppFlow::start().unwrap();
    let client = Arc::new(client(&fake, "us-east-1", fake_appflow::test_credentials()));
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let client = client.clone();
            thread::spawn(move || {
                for i in 0..10 {
                    client
                        .register_connector()
                        .connector_label(format!("t{t}-c{i}"))
                        .send()
                        .unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(fake.connectors().len(), 80);
}

#[test]
fn tokens_the_client_makes_are_unique_per_call() {
    let fake = FakeAppFlow::start().unwrap();
    let client = client(&fake, "us-east-1", fake_appflow::test_credentials());
    client
        .register_connector()
        .connector_label("same")
        .send()
        .unwrap();
    // A fresh token per call: the second call is a new registration, so the
    // label conflicts (it would be the first answer again if tokens repeated).
    let err = client
        .register_connector()
        .connector_label("same")
        .send()
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    let tokens: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| {
            r.body_json().unwrap()["clientToken"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_ne!(tokens[0], tokens[1]);
}

#[test]
fn the_quickstart_runs_on_a_fresh_machine() {
    let output = std::process::Command::new(support::example("quickstart"))
        .env_clear()
        .output()
        .expect("cargo test builds the examples");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(
            "connectorArn: arn:aws:appflow:us-east-1:123456789012:connector/my-first-connector"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("ConflictException (HTTP 409)"), "{stdout}");
    assert!(
        stdout.contains("Caught before sending: connectorProvisioningConfig.lambda.lambdaArn"),
        "{stdout}"
    );
}

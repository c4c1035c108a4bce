//! The README's first command: registers a connector against a fake AppFlow
//! started in-process, so it runs on a fresh machine with no AWS account.
//!
//! `cargo run --example quickstart`
//!
//! The client is the real one (signing, HTTP, errors); only the endpoint and
//! credentials point at the fake. For real AWS, use `Client::from_env()`.

use appflow_lite::types::{
    ConnectorProvisioningConfig, ConnectorProvisioningType, LambdaConnectorProvisioningConfig,
};
use appflow_lite::{Client, Error, ProvideErrorMetadata};

const LABEL: &str = "my-first-connector";
const LAMBDA_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-connector";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = fake_appflow::FakeAppFlow::start()?;
    println!(
        "Started a fake AppFlow at {} (no AWS account needed).\n",
        fake.endpoint_url()
    );

    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(fake.endpoint_url())
        .credentials(fake_appflow::test_credentials())
        .build()?;
    let register = |token: &str, arn: &str| {
        // The builder of a shape with required members checks them, as the
        // SDK's does.
        let lambda = LambdaConnectorProvisioningConfig::builder()
            .lambda_arn(arn)
            .build()?;
        client
            .register_connector()
            .connector_label(LABEL)
            .connector_provisioning_type(ConnectorProvisioningType::Lambda)
            .connector_provisioning_config(
                ConnectorProvisioningConfig::builder()
                    .lambda(lambda)
                    .build(),
            )
            .client_token(token)
            .send()
    };

    println!("1. Register connector {LABEL:?}");
    let first = register("token-1", LAMBDA_ARN)?;
    let arn = first.connector_arn().unwrap_or_default();
    println!("   connectorArn: {arn}\n");

    println!("2. Send the same call again with the same client token, as a retry would");
    let again = register("token-1", LAMBDA_ARN)?;
    println!(
        "   connectorArn: {}",
        again.connector_arn().unwrap_or_default()
    );
    // The same answer, but for the request id each answer has.
    if again.connector_arn() != first.connector_arn() {
        return Err("the repeated call should have returned the first answer".into());
    }
    println!("   Same ARN: the token made the retry safe, nothing was registered twice.\n");

    println!("3. Register the same label with a new token");
    match register("token-2", LAMBDA_ARN) {
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_conflict_exception()) =>
        {
            // Everything AppFlow answered: code, status, message, request id.
            let answer = err.meta();
            println!(
                "   {} (HTTP {}): {}",
                answer.code(),
                answer.status(),
                answer.message().unwrap_or_default()
            );
            println!("   request id: {}\n", answer.request_id().unwrap_or("none"));
        }
        other => return Err(format!("expected a ConflictException, got {other:?}").into()),
    }

    println!("4. Register with a malformed Lambda ARN");
    let requests_before = fake.requests().len();
    match register("token-3", "not-an-arn") {
        Err(Error::InvalidInput(invalid)) => println!("   Caught before sending: {invalid}"),
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }
    if fake.requests().len() != requests_before {
        return Err("invalid input must not reach the service".into());
    }
    println!("   The fake received {requests_before} requests in all; the last call sent none.\n");
    println!("Done. Point the same code at AWS with Client::from_env().");
    Ok(())
}

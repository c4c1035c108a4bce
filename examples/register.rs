//! The smallest useful program: register one connector with settings from
//! the environment, as the AWS CLI finds them. It calls only
//! `RegisterConnector`, so its size shows what the rest of the API costs a
//! program that does not use it (nothing).
//!
//! `cargo run --example register -- my-connector arn:aws:lambda:REGION:ACCOUNT:function:NAME`

use appflow_lite::types::{
    ConnectorProvisioningConfig, ConnectorProvisioningType, LambdaConnectorProvisioningConfig,
};

fn main() -> Result<(), appflow_lite::Error> {
    let mut args = std::env::args().skip(1);
    let (Some(label), Some(lambda_arn)) = (args.next(), args.next()) else {
        eprintln!("usage: register LABEL LAMBDA_ARN");
        std::process::exit(2);
    };
    let lambda = LambdaConnectorProvisioningConfig::builder()
        .lambda_arn(lambda_arn)
        .build();
    let output = appflow_lite::Client::from_env()?
        .register_connector()
        .connector_label(label)
        .connector_provisioning_type(ConnectorProvisioningType::Lambda)
        .connector_provisioning_config(
            ConnectorProvisioningConfig::builder()
                .lambda(lambda)
                .build(),
        )
        .send()?;
    println!("{}", output.connector_arn().unwrap_or_default());
    Ok(())
}

//! `examples/register` written on `aws-sdk-appflow`: register one connector
//! with settings from the environment, or with `--calls N`, register N
//! connectors (`LABEL-1` ... `LABEL-N`) on one client, so one kept-alive
//! connection, and print the calls per second.
//!
//! `cargo run --release -- [--calls N] LABEL LAMBDA_ARN`

use std::time::Instant;

use aws_sdk_appflow::types::{
    ConnectorProvisioningConfig, ConnectorProvisioningType, LambdaConnectorProvisioningConfig,
};

// A single-threaded runtime: the smallest a one-call tool needs, and the
// fairest to the SDK on memory.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let calls = match args.iter().position(|a| a == "--calls") {
        Some(i) => {
            let n = args.get(i + 1).and_then(|n| n.parse::<u32>().ok());
            args.drain(i..(i + 2).min(args.len()));
            n.filter(|n| *n > 0).unwrap_or_else(|| usage())
        }
        None => 0,
    };
    let [label, lambda_arn] = <[String; 2]>::try_from(args).unwrap_or_else(|_| usage());

    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_appflow::Client::new(&config);
    let register = |label: String| {
        let lambda = LambdaConnectorProvisioningConfig::builder()
            .lambda_arn(&lambda_arn)
            .build()
            .expect("lambdaArn is set");
        client
            .register_connector()
            .connector_label(label)
            .connector_provisioning_type(ConnectorProvisioningType::Lambda)
            .connector_provisioning_config(
                ConnectorProvisioningConfig::builder()
                    .lambda(lambda)
                    .build(),
            )
            .send()
    };
    if calls == 0 {
        match register(label).await {
            Ok(output) => println!("{}", output.connector_arn().unwrap_or_default()),
            Err(e) => fail(e),
        }
        return;
    }
    let start = Instant::now();
    for i in 1..=calls {
        if let Err(e) = register(format!("{label}-{i}")).await {
            fail(e);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{calls} calls in {seconds:.3} s: {:.1} calls per second",
        f64::from(calls) / seconds
    );
}

fn fail(error: impl std::error::Error) -> ! {
    eprintln!("{}", aws_sdk_appflow::error::DisplayErrorContext(error));
    std::process::exit(1);
}

fn usage() -> ! {
    eprintln!("usage: appflow-sdk-register [--calls N] LABEL LAMBDA_ARN");
    std::process::exit(2);
}

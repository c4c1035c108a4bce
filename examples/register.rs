//! The smallest useful program: register one connector with settings from
//! the environment, as the AWS CLI finds them. It calls only
//! `RegisterConnector`, so its size shows what the rest of the API costs a
//! program that does not use it (nothing).
//!
//! With `--calls N` it registers `LABEL-1` ... `LABEL-N` on one client (so
//! over one kept-alive connection) and prints the calls per second: the
//! throughput run of `benches/compare.sh`, which runs the same program
//! written on `aws-sdk-appflow` (`benches/sdk`) beside it.
//!
//! `cargo run --example register -- [--calls N] my-connector arn:aws:lambda:REGION:ACCOUNT:function:NAME`

use std::time::Instant;

use appflow_lite::types::{
    ConnectorProvisioningConfig, ConnectorProvisioningType, LambdaConnectorProvisioningConfig,
};

fn main() -> Result<(), appflow_lite::Error> {
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

    let client = appflow_lite::Client::from_env()?;
    let register = |label: String| {
        let lambda = LambdaConnectorProvisioningConfig::builder()
            .lambda_arn(&lambda_arn)
            .build()?;
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
        let output = register(label)?;
        println!("{}", output.connector_arn().unwrap_or_default());
        return Ok(());
    }
    let start = Instant::now();
    for i in 1..=calls {
        register(format!("{label}-{i}"))?;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{calls} calls in {seconds:.3} s: {:.1} calls per second",
        f64::from(calls) / seconds
    );
    Ok(())
}

fn usage() -> ! {
    eprintln!("usage: register [--calls N] LABEL LAMBDA_ARN");
    std::process::exit(2);
}

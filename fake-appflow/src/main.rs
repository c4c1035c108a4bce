//! Runs the fake AppFlow until interrupted.
//!
//! ```text
//! cargo run -p fake-appflow -- [--bind 127.0.0.1:0] [--account-id ID] [--clock-offset SECS]
//!     [--seed N] [--throttle-rate R] [--error-rate R] [--drop-before-rate R] [--drop-after-rate R]
//! ```
//!
//! It accepts the credentials in `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
//! (and `AWS_SESSION_TOKEN`) when set, else the crate's test credentials.

use std::process::ExitCode;

use appflow_lite::credentials::Credentials;
use fake_appflow::{FakeAppFlow, Fault, Faults};

const USAGE: &str = "usage: fake-appflow [--bind ADDR] [--account-id ID] [--clock-offset SECS] [--seed N]
                    [--throttle-rate R] [--error-rate R] [--drop-before-rate R] [--drop-after-rate R]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("fake-appflow: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut fake = FakeAppFlow::new();
    let mut seed = 0u64;
    let mut rates: Vec<(Fault, f64)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: {v:?} is not a number"))
        };
        match flag.as_str() {
            "--bind" => fake = fake.bind(value),
            "--account-id" => fake = fake.account_id(value),
            "--clock-offset" => {
                // A century either way is plenty to test clock skew.
                const LIMIT: i64 = 100 * 365 * 24 * 3600;
                let offset = value
                    .parse::<i64>()
                    .ok()
                    .filter(|o| o.abs() <= LIMIT)
                    .ok_or_else(|| {
                        format!(
                            "--clock-offset: {value:?} is not a number of seconds within ±{LIMIT}"
                        )
                    })?;
                fake = fake.clock_offset(offset)
            }
            "--seed" => seed = value.parse().map_err(|_| format!("--seed: {value:?}"))?,
            "--throttle-rate" => rates.push((Fault::Throttle, number(&value)?)),
            "--error-rate" => rates.push((Fault::InternalError, number(&value)?)),
            "--drop-before-rate" => rates.push((Fault::DropBeforeProcessing, number(&value)?)),
            "--drop-after-rate" => rates.push((Fault::DropAfterProcessing, number(&value)?)),
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    let faults = rates
        .into_iter()
        .fold(Faults::seeded(seed), |faults, (fault, rate)| {
            faults.rate(fault, rate)
        });
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let (Some(id), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        let credentials = Credentials::new(id, secret);
        fake = fake.credentials(match var("AWS_SESSION_TOKEN") {
            Some(token) => credentials.with_session_token(token),
            None => credentials,
        });
    }
    let handle = fake
        .faults(faults)
        .run()
        .map_err(|e| format!("cannot listen: {e}"))?;
    println!("fake AppFlow listening on {}", handle.endpoint_url());
    loop {
        std::thread::park();
    }
}

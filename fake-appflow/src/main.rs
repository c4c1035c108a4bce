//! Runs the fake AppFlow until interrupted.
//!
//! ```text
//! cargo run -p fake-appflow -- --help
//! ```
//!
//! It accepts the credentials in `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
//! (and `AWS_SESSION_TOKEN`) when set, else the crate's test credentials.

use std::io::Write;
use std::process::ExitCode;

use appflow_lite::credentials::Credentials;
use fake_appflow::{FakeAppFlow, Fault, Faults};

const USAGE: &str = "usage: fake-appflow [OPTIONS]   (fake-appflow --help for more)";

const HELP: &str = "fake-appflow: a local Amazon AppFlow for tests, in memory.

It serves all 25 AppFlow operations over HTTP, checks every request's
SigV4 signature and validates every body against AWS's AppFlow model.
It prints the endpoint URL it listens on, then serves until stopped.

Options:
  --bind ADDR               listen here (default 127.0.0.1:0, a free port)
  --account-id ID           12-digit account in ARNs (default 123456789012)
  --clock-offset SECS       run the clock this far ahead (negative: behind)
  --execution-time SECS     how long a flow run stays InProgress (default 5)
  --max-request-bytes N     largest body accepted, else 413 (default 2097152)
  --seed N                  seed for the fault rates below (default 0)
  --throttle-rate R         answer this share of requests 429 ThrottlingException
  --error-rate R            answer this share 500 InternalServerException
  --drop-before-rate R      close this share of connections before handling
  --drop-after-rate R       close this share after handling (the change stays)
  -h, --help                show this

Credentials: it accepts AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
AWS_SESSION_TOKEN) when set, else its test keys:
  AWS_ACCESS_KEY_ID=AKIAFAKEAPPFLOW00001
  AWS_SECRET_ACCESS_KEY=fake/appflow/secret/key/for/local/tests00
Any region works; point a client at it with AWS_ENDPOINT_URL_APPFLOW (or
AWS_ENDPOINT_URL) set to the printed URL.";

/// The options that take a value.
const OPTIONS: &[&str] = &[
    "--bind",
    "--account-id",
    "--clock-offset",
    "--execution-time",
    "--max-request-bytes",
    "--seed",
    "--throttle-rate",
    "--error-rate",
    "--drop-before-rate",
    "--drop-after-rate",
];

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
            // A closed stdout (`| head`) is not an error.
            let _ = writeln!(std::io::stdout(), "{HELP}");
            return Ok(());
        }
        if !OPTIONS.contains(&flag.as_str()) {
            return Err(format!("unknown option {flag}\n{USAGE}"));
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
            "--execution-time" => {
                let secs = value
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s <= 86_400)
                    .ok_or_else(|| {
                        format!("--execution-time: {value:?} is not 0 to 86400 seconds")
                    })?;
                fake = fake.execution_time(std::time::Duration::from_secs(secs))
            }
            "--max-request-bytes" => {
                let max = value
                    .parse::<usize>()
                    .map_err(|_| format!("--max-request-bytes: {value:?} is not a number"))?;
                fake = fake.max_request_bytes(max)
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
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "fake AppFlow listening on {}",
        handle.endpoint_url()
    );
    let _ = stdout.flush();
    loop {
        std::thread::park();
    }
}

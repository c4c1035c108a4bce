//! A signing debugger: shows how appflow-lite signs a raw HTTP request.
//!
//! When AWS answers `SignatureDoesNotMatch`, compare its canonical request
//! with the one printed here.
//!
//! ```text
//! cargo run --example sigv4 -- --region us-east-1 --service appflow [--time 20150830T123600Z] [FILE]
//! ```
//!
//! The request (FILE, or stdin) is in the AWS test suite's `.req` format.
//! The session token is printed as `***` (this output lands in tickets and
//! CI logs) unless `--show-secrets` is given.
//! Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`; the time from the request's `X-Amz-Date` header,
//! else `--time`, else the clock.

mod support;

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::SystemTime;

use appflow_lite::credentials::Credentials;
use appflow_lite::sigv4::{self, Signer, SigningParams};
use support::raw_request::RawRequest;

const USAGE: &str = "usage: sigv4 --region REGION --service SERVICE [--time YYYYMMDDTHHMMSSZ] [--no-normalize] [--show-secrets] [FILE]

Signs the raw HTTP request in FILE (or stdin) with AWS SigV4 and prints the
canonical request, the string to sign and the signed request.
Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
the session token is shown as *** unless --show-secrets is given.";

struct Options {
    region: String,
    service: String,
    time: Option<SystemTime>,
    normalize: bool,
    show_secrets: bool,
    file: Option<String>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sigv4: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let Some(options) = parse_args(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let input = match &options.file {
        Some(path) => std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?,
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            bytes
        }
    };
    let raw = RawRequest::parse(&input)?;
    let credentials = credentials_from_env()?;
    let time = match raw.header("X-Amz-Date") {
        Some(text) => sigv4::parse_amz_date(text.trim())
            .ok_or_else(|| format!("the request's X-Amz-Date {text:?} is not YYYYMMDDTHHMMSSZ"))?,
        None => options.time.unwrap_or_else(SystemTime::now),
    };

    let headers = raw.header_pairs();
    let request = raw.signable(&headers);
    let params = SigningParams::new(&credentials, &options.region, &options.service, time)
        .normalize_path(options.normalize);
    let signed = Signer::new()
        .sign(&request, &params)
        .map_err(|e| e.to_string())?;

    let mut out = String::new();
    out.push_str("== Canonical request ==\n");
    if options.show_secrets {
        out.push_str(signed.canonical_request_with_secrets());
    } else {
        out.push_str(&signed.canonical_request());
    }
    out.push_str("\n\n== String to sign ==\n");
    out.push_str(signed.string_to_sign());
    out.push_str("\n\n== Signed request ==\n");
    out.push_str(&format!("{} {} HTTP/1.1\n", raw.method, raw.target));
    for (name, value) in &raw.headers {
        if !signed
            .headers()
            .any(|(added, _)| added.eq_ignore_ascii_case(name))
        {
            out.push_str(&format!("{name}:{value}\n"));
        }
    }
    for (name, value) in signed.headers() {
        let value = match name {
            "X-Amz-Security-Token" if !options.show_secrets => "***",
            _ => value,
        };
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push('\n');
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.write_all(&raw.body))
        .and_then(|()| {
            if raw.body.is_empty() {
                Ok(())
            } else {
                stdout.write_all(b"\n")
            }
        })
        .map_err(|e| format!("cannot write: {e}"))
}

/// `Ok(None)` asks for the usage text.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let (mut region, mut service, mut time, mut normalize, mut file) =
        (None, None, None, true, None);
    let mut show_secrets = false;
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--region" => region = Some(value("--region")?),
            "--service" => service = Some(value("--service")?),
            "--time" => {
                let text = value("--time")?;
                time = Some(
                    sigv4::parse_amz_date(&text)
                        .ok_or_else(|| format!("--time {text:?} is not YYYYMMDDTHHMMSSZ"))?,
                );
            }
            "--no-normalize" => normalize = false,
            "--show-secrets" => show_secrets = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n\n{USAGE}"));
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return Err(format!("unexpected argument {extra:?}\n\n{USAGE}")),
        }
    }
    let region = region.ok_or_else(|| format!("--region is required\n\n{USAGE}"))?;
    let service = service.ok_or_else(|| format!("--service is required\n\n{USAGE}"))?;
    Ok(Some(Options {
        region,
        service,
        time,
        normalize,
        show_secrets,
        file,
    }))
}

fn credentials_from_env() -> Result<Credentials, String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(id), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) else {
        return Err("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to sign".to_string());
    };
    let credentials = Credentials::new(id, secret);
    Ok(match var("AWS_SESSION_TOKEN") {
        Some(token) => credentials.with_session_token(token),
        None => credentials,
    })
}

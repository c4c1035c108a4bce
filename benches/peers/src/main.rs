//! Signs one RegisterConnector request with appflow-lite and with AWS's
//! `aws-sigv4` crate, checks that both give the same signature, then times
//! both in one run (interleaved samples, medians) and prints the ratio.
//!
//! It also counts the heap allocations of one signature on each side, with a
//! counting global allocator.
//!
//! `cargo run --release -p appflow-lite-peers`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use appflow_lite::sigv4 as ours;
use aws_sigv4::http_request as theirs;
use aws_smithy_runtime_api::client::identity::Identity;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const BODY: &[u8] = br#"{"connectorLabel":"my-salesforce-connector","connectorProvisioningType":"LAMBDA","connectorProvisioningConfig":{"lambda":{"lambdaArn":"arn:aws:lambda:us-east-1:123456789012:function:my-connector"}},"description":"Custom connector","clientToken":"3f2a6c1e-8d4b-4a7e-9c2d-5b1e0f7a9c3d"}"#;
const HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/json"),
    ("host", "appflow.us-east-1.amazonaws.com"),
];
const URL: &str = "https://appflow.us-east-1.amazonaws.com/register-connector";
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SAMPLES: usize = 41;
const ITERATIONS: u32 = 2_000;

/// The system allocator, counting every allocation (a `realloc` counts too:
/// it is a trip to the allocator).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed straight to `System`, which upholds the
// contract; the counter has no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's guarantees for `layout` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `dealloc`, and `new_size` is the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` makes, its result's drop included.
fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    drop(black_box(f()));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

fn main() {
    let time = UNIX_EPOCH + Duration::from_secs(1_764_150_000);
    let creds = appflow_lite::credentials::Credentials::new(ACCESS_KEY, SECRET);
    let identity: Identity =
        aws_credential_types::Credentials::new(ACCESS_KEY, SECRET, None, None, "peers").into();
    let cached = ours::Signer::new();

    let sign_ours = |signer: &ours::Signer| {
        let request = ours::SignableRequest::new(
            "POST",
            "/register-connector",
            HEADERS,
            ours::Payload::Bytes(BODY),
        );
        let params = ours::SigningParams::new(&creds, "us-east-1", "appflow", time);
        // The whole output, not a copy of its signature: copying is the
        // harness's cost, not the signer's (dropping the output is counted).
        signer.sign(&request, &params).expect("signable")
    };
    let sign_theirs = || {
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("appflow")
            .time(time)
            .settings(theirs::SigningSettings::default())
            .build()
            .expect("params")
            .into();
        let request = theirs::SignableRequest::new(
            "POST",
            URL,
            HEADERS.iter().copied(),
            theirs::SignableBody::Bytes(BODY),
        )
        .expect("signable");
        theirs::sign(request, &params)
            .expect("signs")
            .into_parts()
            .1
    };

    let (a, b) = (sign_ours(&cached).signature().to_owned(), sign_theirs());
    assert_eq!(a, b, "appflow-lite and aws-sigv4 disagree on the signature");
    println!("same signature from both: {a}");
    println!(
        "allocations per signature: appflow-lite cached key {}, deriving key {}; aws-sigv4 {}",
        allocations(|| sign_ours(&cached)),
        allocations(|| sign_ours(&ours::Signer::new())),
        allocations(sign_theirs),
    );

    // The floor: the hashing no signer can skip for this request (SHA-256 of
    // the body and of the canonical request, HMAC of the string to sign).
    let signed = cached
        .sign(
            &ours::SignableRequest::new(
                "POST",
                "/register-connector",
                HEADERS,
                ours::Payload::Bytes(BODY),
            ),
            &ours::SigningParams::new(&creds, "us-east-1", "appflow", time),
        )
        .expect("signable");
    let (canonical, to_sign) = (
        signed.canonical_request_with_secrets().as_bytes().to_vec(),
        signed.string_to_sign().as_bytes().to_vec(),
    );
    let floor = || {
        let body = Sha256::digest(black_box(BODY));
        let request = Sha256::digest(black_box(&canonical));
        let mut mac = Hmac::<Sha256>::new_from_slice(black_box(&[7u8; 32])).expect("any key");
        mac.update(black_box(&to_sign));
        black_box((body, request, mac.finalize().into_bytes()))
    };

    let mut cached_ns = Vec::with_capacity(SAMPLES);
    let mut deriving_ns = Vec::with_capacity(SAMPLES);
    let mut theirs_ns = Vec::with_capacity(SAMPLES);
    let mut floor_ns = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        cached_ns.push(per_iteration(|| black_box(sign_ours(black_box(&cached)))));
        deriving_ns.push(per_iteration(|| black_box(sign_ours(&ours::Signer::new()))));
        theirs_ns.push(per_iteration(|| black_box(sign_theirs())));
        floor_ns.push(per_iteration(floor));
    }
    let (cached, deriving, theirs, floor) = (
        median(cached_ns),
        median(deriving_ns),
        median(theirs_ns),
        median(floor_ns),
    );
    println!("median per signature ({SAMPLES} interleaved samples of {ITERATIONS}):");
    println!("  appflow-lite, cached key:   {cached:>8.0} ns");
    println!("  appflow-lite, deriving key: {deriving:>8.0} ns");
    println!("  aws-sigv4:                  {theirs:>8.0} ns");
    println!("  floor (hashing only):       {floor:>8.0} ns");
    println!("appflow-lite cached over the floor: {:.2}x", cached / floor);
    println!(
        "speedup vs aws-sigv4 when deriving the key too: {:.2}x",
        theirs / deriving
    );
    println!("speedup vs aws-sigv4: {:.2}x", theirs / cached);
}

fn per_iteration<T>(mut f: impl FnMut() -> T) -> f64 {
    let start = Instant::now();
    for _ in 0..ITERATIONS {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(ITERATIONS)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

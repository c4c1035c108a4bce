//! Signed requests sent by hand, as any language's SDK sends them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::SystemTime;

use appflow_lite::sigv4::{Payload, SignableRequest, Signer, SigningParams};
use fake_appflow::{FakeHandle, test_credentials};

/// Sends `method wire_path` with a signature made as if the path were
/// `signed_path`: how a signer that encodes the path wrongly behaves.
pub fn send_signed_as(
    fake: &FakeHandle,
    method: &str,
    wire_path: &str,
    signed_path: &str,
    body: &str,
) -> (u16, String) {
    let host = fake.endpoint_url().trim_start_matches("http://").to_owned();
    let headers = [
        ("host", host.as_str()),
        ("content-type", "application/json"),
    ];
    let request = SignableRequest::new(
        method,
        signed_path,
        &headers,
        Payload::Bytes(body.as_bytes()),
    );
    let creds = test_credentials();
    let signed = Signer::new()
        .sign(
            &request,
            &SigningParams::new(&creds, "us-east-1", "appflow", SystemTime::now()),
        )
        .unwrap();
    let mut head = format!(
        "{method} {wire_path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in signed.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let mut stream = TcpStream::connect(&host).unwrap();
    stream
        .write_all(format!("{head}\r\n{body}").as_bytes())
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    (status, answer)
}

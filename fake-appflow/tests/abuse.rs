//! The fake as a long-lived test double under abuse: endless header lines,
//! trickled requests, idle connections, too many connections. Each case
//! ends in a clear answer or a closed socket, and the fake keeps serving.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use fake_appflow::{FakeAppFlow, FakeHandle};

fn connect(fake: &FakeHandle) -> TcpStream {
    let stream = TcpStream::connect(fake.endpoint_url().trim_start_matches("http://")).unwrap();
    // Bounds each test, not what is tested: the fake answers far sooner.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// Reads until the fake closes the connection.
fn read_all(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The fake still answers a well-formed request.
fn still_serves(fake: &FakeHandle) {
    let mut stream = connect(fake);
    stream
        .write_all(b"POST /list-connectors HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    let answer = read_all(&mut stream);
    // Unsigned, so refused, but answered.
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
}

#[test]
fn an_endless_header_line_is_refused_before_it_is_buffered() {
    let fake = FakeAppFlow::start().unwrap();
    let mut stream = connect(&fake);
    stream
        .write_all(b"POST /list-connectors HTTP/1.1\r\nX-Long: ")
        .unwrap();
    // 1 MiB without a line break; the fake stops reading at 64 KiB.
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..16 {
        if stream.write_all(&chunk).is_err() {
            break; // already refused and closed
        }
    }
    let answer = read_all(&mut stream);
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    still_serves(&fake);
}

#[test]
fn a_trickled_request_meets_its_deadline() {
    let fake = FakeAppFlow::new()
        .request_deadline(Duration::from_millis(500))
        .run()
        .unwrap();
    let mut stream = connect(&fake);
    let started = Instant::now();
    stream
        .write_all(b"POST /list-connectors HTTP/1.1\r\n")
        .unwrap();
    // One byte every 100 ms would keep a per-read timeout happy forever.
    for byte in b"X-Slow: abcdefghijklmnopqrstuvwxyz".iter() {
        if stream.write_all(&[*byte]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(500));
    still_serves(&fake);
}

#[test]
fn idle_connections_are_closed() {
    let fake = FakeAppFlow::new()
        .idle_timeout(Duration::from_millis(300))
        .run()
        .unwrap();
    let mut stream = connect(&fake);
    // Nothing sent: the fake closes the connection, without an answer. A
    // clean end of stream, not the test's own 30 s read timeout.
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    assert!(read.is_ok(), "the connection was left open: {read:?}");
    assert!(answer.is_empty());
}

#[test]
fn connections_beyond_the_cap_are_refused_clearly() {
    let fake = FakeAppFlow::new().max_connections(2).run().unwrap();
    let held: Vec<TcpStream> = (0..2).map(|_| connect(&fake)).collect();
    // The two connections are served once the fake has accepted them; a
    // third is then over the cap. Accepting happens in order, so the third
    // is the refused one.
    let mut third = connect(&fake);
    let answer = read_all(&mut third);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("at most 2 connections"), "{answer}");
    drop(held);
    // Their slots come back once the fake notices they closed.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut stream = connect(&fake);
        stream
            .write_all(b"POST /list-connectors HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            .unwrap();
        let answer = read_all(&mut stream);
        if answer.starts_with("HTTP/1.1 403") {
            break;
        }
        assert!(Instant::now() < deadline, "slots never came back: {answer}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

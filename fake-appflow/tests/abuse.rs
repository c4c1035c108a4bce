//! The fake as a long-lived test double under abuse: endless header lines,
//! trickled requests, idle connections, too many connections. Each case
//! ends in a clear answer or a closed socket, and the fake keeps serving.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

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
fn a_request_trickled_inside_one_line_meets_its_deadline() {
    let fake = FakeAppFlow::new()
        .request_deadline(Duration::from_millis(200))
        .run()
        .unwrap();
    let mut stream = connect(&fake);
    stream
        .write_all(b"POST /list-connectors HTTP/1.1\r\nX-Slow: ")
        .unwrap();
    stream.set_nonblocking(true).unwrap();
    // One byte every 25 ms for up to 10 s, never ending the line: each
    // read succeeds, so only a deadline checked between reads stops it.
    let mut answer = Vec::new();
    let mut sent = 0;
    while sent < 400 {
        let mut buf = [0u8; 1024];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                continue;
            }
            Err(_) if !answer.is_empty() => break,
            Err(_) => {}
        }
        if stream.write_all(b"a").is_err() {
            break;
        }
        sent += 1;
        std::thread::sleep(Duration::from_millis(25));
    }
    stream.set_nonblocking(false).unwrap();
    answer.extend(read_all(&mut stream).into_bytes());
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(sent < 400, "the fake waited for the whole trickle");
    still_serves(&fake);
}

#[test]
fn too_many_header_lines_and_too_large_bodies_are_refused() {
    let fake = FakeAppFlow::new().max_request_bytes(1000).run().unwrap();
    let mut stream = connect(&fake);
    let mut head = String::from("POST /list-connectors HTTP/1.1\r\n");
    for i in 0..101 {
        head.push_str(&format!("X-{i}: v\r\n"));
    }
    stream.write_all(format!("{head}\r\n").as_bytes()).unwrap();
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");

    let mut stream = connect(&fake);
    stream
        .write_all(b"POST /list-connectors HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")
        .unwrap();
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let mut stream = connect(&fake);
    stream
        .write_all(b"POST /list-connectors HTTP/1.1\r\n: no name\r\n\r\n")
        .unwrap();
    let answer = read_all(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
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
fn idle_connections_make_room_for_a_new_client_at_the_cap() {
    let fake = FakeAppFlow::new().max_connections(2).run().unwrap();
    // Two silent sockets hold every slot; a real client still gets served,
    // and the oldest silent one is closed to make room.
    let mut held: Vec<TcpStream> = (0..2).map(|_| connect(&fake)).collect();
    still_serves(&fake);
    let mut first = Vec::new();
    let read = held[0].read_to_end(&mut first);
    assert!(read.is_ok() && first.is_empty(), "{read:?}");
    // Over and over: the fake never locks clients out.
    for _ in 0..5 {
        held.push(connect(&fake));
        still_serves(&fake);
    }
}

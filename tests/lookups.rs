//! Calls over a kept-alive connection make no name lookup (and so no
//! resolver thread): the client's resolver answers from its cache, and looks
//! a name up again only when it is old or a connection to it failed. And a
//! pooled connection is still probed before it is reused (`src/quiet.rs`
//! skips only the probe ureq makes when it pools one).

mod support;

use appflow_lite::Client;
use appflow_lite::credentials::Credentials;
use support::{RecordingServer, Reply};

fn client(url: &str) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("AKID", "SECRET"))
        .max_attempts(1)
        .build()
        .unwrap()
}

#[test]
fn twenty_calls_over_one_connection_look_the_name_up_once() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"{"flows":[]}"#)]);
    // A name, not an address: `localhost` must be looked up.
    let url = format!(
        "http://localhost:{}",
        server.url().rsplit(':').next().unwrap()
    );
    let client = client(&url);
    for _ in 0..20 {
        client.list_flows().send().unwrap();
    }
    assert_eq!(server.requests().len(), 20);
    assert_eq!(server.connections(), 1, "one kept-alive connection");
    assert_eq!(client.name_lookups(), 1, "one lookup for twenty calls");
}

#[test]
fn an_address_is_never_looked_up() {
    let server = RecordingServer::start(vec![Reply::json(200, r#"{"flows":[]}"#)]);
    let client = client(&server.url());
    for _ in 0..5 {
        client.list_flows().send().unwrap();
    }
    assert_eq!(client.name_lookups(), 0);
}

#[test]
fn a_failed_connection_looks_the_name_up_again() {
    // Nothing ever listens on port 0: every connection is refused.
    let client = client("http://localhost:0");
    for _ in 0..3 {
        assert!(client.list_flows().send().is_err());
    }
    assert_eq!(
        client.name_lookups(),
        3,
        "each failure drops the cached answer"
    );
}

#[test]
fn a_connection_the_server_closed_while_pooled_is_not_reused() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;

    // Answers one request per connection, then closes it without saying so
    // (no `Connection: close`), and reports that it has.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (closed, wait_closed) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"flows\":[]}";
            stream.write_all(answer.as_bytes()).unwrap();
            drop((reader, stream));
            closed.send(()).unwrap();
        }
    });
    // One attempt only: a reused dead connection would fail the call.
    let client = client(&url);
    let port = url.rsplit(':').next().unwrap().parse().unwrap();
    for call in 0..3 {
        client
            .list_flows()
            .send()
            .unwrap_or_else(|e| panic!("call {call}: {e}"));
        wait_closed.recv().unwrap();
        wait_for_close_wait(port);
    }
}

/// Waits until the kernel has delivered the server's close to the
/// client's socket (its connection to `port` is in `CLOSE_WAIT`), so the
/// next call's probe is sure to see it: a wait on the socket's state, not
/// on time.
fn wait_for_close_wait(port: u16) {
    let remote = format!(":{port:04X} ");
    for _ in 0..10_000 {
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
        let seen = table.lines().skip(1).any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() > 3 && format!("{} ", fields[2]).ends_with(&remote) && fields[3] == "08"
        });
        if seen {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    panic!("the client's socket never saw the server's close");
}

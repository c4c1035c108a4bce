//! Calls over a kept-alive connection make no name lookup (and so no
//! resolver thread): the client's resolver answers from its cache, and looks
//! a name up again only when it is old or a connection to it failed.

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

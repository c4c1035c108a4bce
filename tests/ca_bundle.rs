//! `AWS_CA_BUNDLE`, the profile's `ca_bundle` and `ClientBuilder::ca_bundle`:
//! against a local rustls server whose certificate a throw-away CA signed
//! (`tests/fixtures/tls/`), a call is refused without the bundle and
//! accepted with it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use appflow_lite::config::Env;
use appflow_lite::credentials::Credentials;
use appflow_lite::{Client, ClientBuilder, Error};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

/// An HTTPS server on 127.0.0.1 answering each connection's one request
/// with a RegisterConnector answer; its URL.
fn https_server() -> String {
    https_server_answering(
        "application/json",
        r#"{"connectorArn":"arn:aws:appflow:us-east-1:1:connector/tls"}"#,
    )
}

/// An HTTPS server on 127.0.0.1 answering each connection's one request
/// with `answer`; its URL.
fn https_server_answering(content_type: &'static str, answer: &'static str) -> String {
    let pem = |name: &str| std::fs::read(format!("{FIXTURES}/{name}")).unwrap();
    let certs: Vec<_> = ureq::tls::parse_pem(&pem("server.pem"))
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => {
                Some(rustls::pki_types::CertificateDer::from(c.der().to_vec()))
            }
            _ => None,
        })
        .collect();
    let key = match ureq::tls::parse_pem(&pem("server.key")).next() {
        Some(Ok(ureq::tls::PemItem::PrivateKey(key))) => {
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.der().to_vec().into())
        }
        _ => panic!("no key in server.key"),
    };
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut reader = BufReader::new(&mut tls);
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    // A client that refused our certificate ends here.
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = tls.flush();
            });
        }
    });
    url
}

fn register(client: &Client) -> Result<String, Error> {
    client
        .register_connector()
        .connector_label("over-tls")
        .send()
        .map(|out| out.connector_arn().unwrap_or_default().to_owned())
        .map_err(Error::from)
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("AKID", "SECRET"))
        .max_attempts(1)
}

#[test]
fn the_bundle_decides_which_servers_are_trusted() {
    let url = https_server();
    let refused = register(&builder(&url).build().unwrap()).unwrap_err();
    assert!(matches!(refused, Error::Tls(_)), "{refused:?}");

    let accepted = register(
        &builder(&url)
            .ca_bundle(format!("{FIXTURES}/ca.pem"))
            .build()
            .unwrap(),
    );
    assert_eq!(
        accepted.unwrap(),
        "arn:aws:appflow:us-east-1:1:connector/tls"
    );
}

#[test]
fn aws_ca_bundle_and_the_profile_setting_are_read_by_from_env() {
    let url = https_server();
    let dir = std::env::temp_dir().join(format!("appflow-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        format!("[default]\nca_bundle = {FIXTURES}/ca.pem\n"),
    )
    .unwrap();
    let env = |bundle: Option<&str>| {
        let mut vars = vec![
            ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
            ("AWS_ACCESS_KEY_ID".to_owned(), "AKID".to_owned()),
            ("AWS_SECRET_ACCESS_KEY".to_owned(), "SECRET".to_owned()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                "/nonexistent/k".to_owned(),
            ),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
            ("AWS_ENDPOINT_URL".to_owned(), url.clone()),
            ("AWS_MAX_ATTEMPTS".to_owned(), "1".to_owned()),
        ];
        match bundle {
            Some(bundle) => {
                vars.push(("AWS_CA_BUNDLE".to_owned(), bundle.to_owned()));
                vars.push(("AWS_CONFIG_FILE".to_owned(), "/nonexistent/c".to_owned()));
            }
            None => vars.push((
                "AWS_CONFIG_FILE".to_owned(),
                dir.join("config").to_string_lossy().into_owned(),
            )),
        }
        Env::from_vars(vars)
    };
    let from_variable = ClientBuilder::from_environment(env(Some(&format!("{FIXTURES}/ca.pem"))))
        .build()
        .unwrap();
    assert!(register(&from_variable).is_ok());
    let from_profile = ClientBuilder::from_environment(env(None)).build().unwrap();
    assert!(register(&from_profile).is_ok());
    // A bundle without our CA refuses the server: the bundle replaces the
    // built-in roots, as it does for the AWS CLI.
    let other = ClientBuilder::from_environment(env(Some(&format!("{FIXTURES}/server.pem"))))
        .build()
        .unwrap();
    assert!(matches!(register(&other), Err(Error::Tls(_))));
    let missing = ClientBuilder::from_environment(env(Some("/nonexistent/ca.pem")))
        .build()
        .unwrap_err();
    assert!(
        missing.to_string().contains("cannot read the CA bundle"),
        "{missing}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// An HTTPS server answering every request with an STS `AssumeRole` result.
fn https_sts() -> String {
    https_server_answering(
        "text/xml",
        r#"<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIATLS</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>"#,
    )
}

#[test]
fn the_builders_bundle_reaches_sts_too() {
    let (appflow, sts) = (https_server(), https_sts());
    let dir = std::env::temp_dir().join(format!("appflow-ca-sts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        "[profile base]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n\
         [profile app]\nrole_arn = arn:aws:iam::1:role/app\nsource_profile = base\n",
    )
    .unwrap();
    let env = Env::from_vars([
        ("AWS_REGION", "us-east-1".to_owned()),
        (
            "AWS_CONFIG_FILE",
            dir.join("config").to_string_lossy().into_owned(),
        ),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/k".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("AWS_ENDPOINT_URL_STS", sts),
        ("AWS_PROFILE", "app".to_owned()),
    ]);
    let client = |bundle: Option<&str>| {
        let mut builder = ClientBuilder::from_environment(env.clone())
            .endpoint_url(&appflow)
            .max_attempts(1);
        if let Some(bundle) = bundle {
            builder = builder.ca_bundle(bundle);
        }
        builder.build().unwrap()
    };
    let trusted = register(&client(Some(&format!("{FIXTURES}/ca.pem"))));
    let untrusted = register(&client(None));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        trusted.unwrap(),
        "arn:aws:appflow:us-east-1:1:connector/tls"
    );
    // Without the bundle the STS call is refused, before AppFlow is called.
    let err = untrusted.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials(_)), "{err:?}");
    assert!(err.to_string().contains("STS AssumeRole"), "{err}");
}

#[test]
fn accepting_invalid_certificates_is_opt_in() {
    let url = https_server();
    let refused = register(
        &builder(&url)
            .danger_accept_invalid_certs(false)
            .build()
            .unwrap(),
    );
    assert!(matches!(refused, Err(Error::Tls(_))), "{refused:?}");
    let accepted = register(
        &builder(&url)
            .danger_accept_invalid_certs(true)
            .build()
            .unwrap(),
    );
    assert_eq!(
        accepted.unwrap(),
        "arn:aws:appflow:us-east-1:1:connector/tls"
    );
}

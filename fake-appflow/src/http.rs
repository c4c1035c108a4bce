//! A minimal HTTP/1.1 server: keep-alive, `Content-Length` bodies, and the
//! one thing general-purpose servers do not offer: closing a connection
//! mid-exchange, before or after the request was handled.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// How often an idle keep-alive connection checks whether the server stopped.
const IDLE_POLL: Duration = Duration::from_millis(200);
/// How long the rest of a request may take once its first line arrived.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// Headers in arrival order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first value of header `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers to send (`Content-Length` is added).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What the handler wants done with a request.
pub(crate) enum Action {
    Respond(HttpResponse),
    /// Close the connection without answering.
    Drop,
}

pub(crate) type Handler = dyn Fn(HttpRequest) -> Action + Send + Sync;

/// A listening server; stops accepting when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start(addr: &str, handler: Arc<Handler>) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (handler, stopping) = (handler.clone(), stopping.clone());
                thread::spawn(move || serve_connection(stream, &*handler, &stopping));
            }
        });
        Ok(Server { addr, stop })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
    }
}

fn serve_connection(stream: TcpStream, handler: &Handler, stop: &AtomicBool) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    while !stop.load(Ordering::SeqCst) {
        let _ = writer.set_read_timeout(Some(IDLE_POLL));
        let request = match read_request(&mut reader, &writer) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(ReadError::Idle) => continue,
            Err(ReadError::Broken) => return,
            Err(ReadError::Invalid(status, message)) => {
                let body = format!("{{\"message\":\"{message}\"}}").into_bytes();
                let _ = write_response(
                    &mut writer,
                    &HttpResponse {
                        status,
                        headers: vec![],
                        body,
                    },
                    false,
                );
                return;
            }
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        match handler(request) {
            Action::Drop => {
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Action::Respond(response) => {
                if write_response(&mut writer, &response, close).is_err() || close {
                    return;
                }
            }
        }
    }
}

enum ReadError {
    /// Nothing arrived within the read timeout; the connection is still fine.
    Idle,
    Broken,
    Invalid(u16, &'static str),
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    socket: &TcpStream,
) -> Result<Option<HttpRequest>, ReadError> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) => return Ok(None),
        Ok(_) => {}
        Err(e)
            if line.is_empty()
                && matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
        {
            return Err(ReadError::Idle);
        }
        Err(_) => return Err(ReadError::Broken),
    }
    let _ = socket.set_read_timeout(Some(REQUEST_TIMEOUT));
    let mut parts = line.trim_end().split(' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Invalid(400, "malformed request line"));
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    let mut head_bytes = line.len();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return Err(ReadError::Broken),
            Ok(n) => head_bytes += n,
        }
        if head_bytes > MAX_HEAD_BYTES {
            return Err(ReadError::Invalid(431, "request head too large"));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Invalid(400, "malformed header line"));
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if header("transfer-encoding").is_some() {
        return Err(ReadError::Invalid(411, "send a Content-Length body"));
    }
    let length: usize = match header("content-length") {
        None => 0,
        Some(value) => value
            .parse()
            .map_err(|_| ReadError::Invalid(400, "malformed Content-Length"))?,
    };
    if length > MAX_BODY_BYTES {
        return Err(ReadError::Invalid(413, "body too large"));
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|_| ReadError::Broken)?;
    Ok(Some(HttpRequest {
        method,
        target,
        headers,
        body,
    }))
}

fn write_response(
    writer: &mut TcpStream,
    response: &HttpResponse,
    close: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())?;
    writer.write_all(&response.body)?;
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

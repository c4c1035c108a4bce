//! A minimal HTTP/1.1 server: keep-alive, `Content-Length` bodies, and the
//! one thing general-purpose servers do not offer: closing a connection
//! mid-exchange, before or after the request was handled.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Header lines in one request; more are answered 431.
const MAX_HEADERS: usize = 100;
/// How often an idle keep-alive connection checks whether the server stopped.
const IDLE_POLL: Duration = Duration::from_millis(200);
/// What one client may cost the server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// How long a whole request may take once its first byte arrived: a
    /// client that trickles bytes (slowloris) cannot hold a connection longer.
    pub request_deadline: Duration,
    /// How long a keep-alive connection may sit idle before it is closed.
    pub idle_timeout: Duration,
    /// Connections served at once. At the cap an idle one is closed to
    /// make room; only when all are mid-request is a new one answered 503.
    pub max_connections: usize,
    /// The largest body accepted; a larger one is answered 413.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_deadline: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 256,
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}
/// After a failed accept (out of file descriptors, say), wait this long
/// instead of spinning on the error.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

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
    pub fn start(addr: &str, handler: Arc<Handler>, limits: Limits) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let open = Arc::new(Connections::default());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let mut stream = match stream {
                    Ok(stream) => stream,
                    Err(_) => {
                        thread::sleep(ACCEPT_BACKOFF);
                        continue;
                    }
                };
                if open.count() >= limits.max_connections && !open.evict_idle() {
                    let _ = stream.set_write_timeout(Some(IDLE_POLL));
                    let busy = HttpResponse {
                        status: 503,
                        headers: vec![("x-amzn-ErrorType".into(), "ServiceUnavailableException".into())],
                        body: format!(
                            "{{\"message\":\"fake-appflow serves at most {} connections at once\"}}",
                            limits.max_connections
                        )
                        .into_bytes(),
                    };
                    let _ = write_response(&mut stream, &busy, true);
                    // Briefly: the accept loop waits meanwhile.
                    linger_close(&mut stream, Duration::from_millis(50));
                    continue;
                }
                let Some(slot) = open.add(&stream) else {
                    continue;
                };
                let (handler, stopping, open) = (handler.clone(), stopping.clone(), open.clone());
                let spawned = thread::Builder::new().spawn(move || {
                    serve_connection(stream, &*handler, &stopping, limits, &slot);
                    open.remove(&slot);
                });
                if spawned.is_err() {
                    // No thread for it: the stream was dropped (closed).
                    thread::sleep(ACCEPT_BACKOFF);
                }
            }
        });
        Ok(Server { addr, stop })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// The connections being served, so that an idle one can be closed when
/// a new client needs its place.
#[derive(Default)]
struct Connections {
    slots: Mutex<Vec<Arc<Slot>>>,
    next_id: AtomicUsize,
}

/// One served connection.
struct Slot {
    id: usize,
    /// A handle to close it from the accept loop.
    stream: TcpStream,
    /// Whether it waits for a request (no request is half read).
    idle: AtomicBool,
}

impl Connections {
    fn count(&self) -> usize {
        lock(&self.slots).len()
    }

    fn add(&self, stream: &TcpStream) -> Option<Arc<Slot>> {
        let slot = Arc::new(Slot {
            id: self.next_id.fetch_add(1, Ordering::SeqCst),
            stream: stream.try_clone().ok()?,
            idle: AtomicBool::new(true),
        });
        lock(&self.slots).push(slot.clone());
        Some(slot)
    }

    fn remove(&self, slot: &Slot) {
        lock(&self.slots).retain(|s| s.id != slot.id);
    }

    /// Closes the oldest idle connection; false if none is idle.
    fn evict_idle(&self) -> bool {
        let mut slots = lock(&self.slots);
        let Some(index) = slots.iter().position(|s| s.idle.load(Ordering::SeqCst)) else {
            return false;
        };
        let slot = slots.remove(index);
        let _ = slot.stream.shutdown(Shutdown::Both);
        true
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
    }
}

fn serve_connection(
    stream: TcpStream,
    handler: &Handler,
    stop: &AtomicBool,
    limits: Limits,
    slot: &Slot,
) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    let _ = writer.set_write_timeout(Some(limits.request_deadline));
    let mut idle_since = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let _ = writer.set_read_timeout(Some(IDLE_POLL));
        slot.idle.store(true, Ordering::SeqCst);
        let request = match read_request(&mut reader, &writer, limits, &slot.idle) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(ReadError::Idle) if idle_since.elapsed() < limits.idle_timeout => continue,
            Err(ReadError::Idle) => return,
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
                    true,
                );
                linger_close(&mut writer, Duration::from_secs(1));
                return;
            }
        };
        idle_since = Instant::now();
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

/// Reads one line of at most `limit` bytes before `deadline`. The
/// deadline is checked after every read, so a client that trickles a
/// byte at a time cannot stretch it.
fn read_line_bounded(
    reader: &mut BufReader<TcpStream>,
    socket: &TcpStream,
    limit: usize,
    deadline: Instant,
) -> Result<String, ReadError> {
    let mut line = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ReadError::Invalid(408, "request took too long"));
        }
        bound_next_read(reader, socket, left);
        let available = match reader.fill_buf() {
            Ok([]) => return Err(ReadError::Broken),
            Ok(available) => available,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(_) => return Err(ReadError::Broken),
        };
        // Never more than the line may still hold, whatever the client sends.
        let room = (limit + 1).saturating_sub(line.len()).min(available.len());
        match available[..room].iter().position(|&b| b == b'\n') {
            Some(end) => {
                line.extend_from_slice(&available[..=end]);
                reader.consume(end + 1);
                break;
            }
            None => {
                line.extend_from_slice(&available[..room]);
                reader.consume(room);
                if line.len() > limit {
                    return Err(ReadError::Invalid(431, "request head too large"));
                }
            }
        }
    }
    String::from_utf8(line).map_err(|_| ReadError::Invalid(400, "request head is not UTF-8"))
}

/// Limits the next read from the socket to `left`. Only a read the
/// buffer cannot serve reaches the socket, so the timeout is set only then:
/// a request that arrived whole costs no `setsockopt` per line.
fn bound_next_read(reader: &BufReader<TcpStream>, socket: &TcpStream, left: Duration) {
    if reader.buffer().is_empty() {
        let _ = socket.set_read_timeout(Some(left));
    }
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    socket: &TcpStream,
    limits: Limits,
    idle: &AtomicBool,
) -> Result<Option<HttpRequest>, ReadError> {
    // Wait for the first byte with the idle poll's timeout; from then on the
    // whole request runs against one deadline.
    match reader.fill_buf() {
        Ok([]) => return Ok(None),
        Ok(_) => {}
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            return Err(ReadError::Idle);
        }
        Err(_) => return Err(ReadError::Broken),
    }
    idle.store(false, Ordering::SeqCst);
    let deadline = Instant::now() + limits.request_deadline;
    let line = read_line_bounded(reader, socket, MAX_HEAD_BYTES, deadline)?;
    let mut parts = line.trim_end().split(' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Invalid(400, "malformed request line"));
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    let mut head_bytes = line.len();
    loop {
        let line = read_line_bounded(
            reader,
            socket,
            MAX_HEAD_BYTES - head_bytes.min(MAX_HEAD_BYTES),
            deadline,
        )?;
        head_bytes += line.len();
        if head_bytes > MAX_HEAD_BYTES {
            return Err(ReadError::Invalid(431, "request head too large"));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':').filter(|(n, _)| !n.trim().is_empty()) else {
            return Err(ReadError::Invalid(400, "malformed header line"));
        };
        if headers.len() == MAX_HEADERS {
            return Err(ReadError::Invalid(431, "too many header lines"));
        }
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
    if length > limits.max_body_bytes {
        return Err(ReadError::Invalid(413, "body too large"));
    }
    let mut body = Vec::with_capacity(length.min(64 * 1024));
    while body.len() < length {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ReadError::Invalid(408, "request took too long"));
        }
        bound_next_read(reader, socket, left);
        let mut chunk = [0u8; 16 * 1024];
        let want = (length - body.len()).min(chunk.len());
        match reader.read(&mut chunk[..want]) {
            Ok(0) => return Err(ReadError::Broken),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Err(ReadError::Broken),
        }
    }
    Ok(Some(HttpRequest {
        method,
        target,
        headers,
        body,
    }))
}

/// Closes a connection whose request was refused, so the client reads the
/// answer: closing with unread input makes the kernel send a reset, which
/// can destroy the answer before the client reads it. So: end our side,
/// then read and discard what the client still sends, briefly.
fn linger_close(stream: &mut TcpStream, linger: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(linger.min(Duration::from_millis(100))));
    let until = Instant::now() + linger;
    let mut sink = [0u8; 16 * 1024];
    while Instant::now() < until {
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
}

fn write_response(
    writer: &mut impl Write,
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
    // One write for head and body: two small writes meet Nagle's algorithm
    // and the client's delayed ACK, which stalls every answer by ~40 ms.
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&response.body);
    writer.write_all(&answer)?;
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each `write` call as it comes.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl Write for Writes {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_answer_is_one_write_so_nagle_never_holds_its_body() {
        let response = HttpResponse {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: br#"{"connectorArn":"arn"}"#.to_vec(),
        };
        let mut writes = Writes::default();
        write_response(&mut writes, &response, false).unwrap();
        assert_eq!(writes.0.len(), 1, "head and body must go in one write");
        let text = String::from_utf8(writes.0.remove(0)).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(
            text.ends_with("\r\n\r\n{\"connectorArn\":\"arn\"}"),
            "{text}"
        );
        assert!(text.contains("Content-Length: 22\r\n"), "{text}");
    }
}

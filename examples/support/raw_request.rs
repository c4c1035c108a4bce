//! Reads a raw HTTP/1.1 request in the AWS SigV4 test suite's `.req` format:
//! a request line, `Name:value` header lines (a line starting with blanks
//! continues the previous value), a blank line, then the body.
//!
//! Shared by `examples/sigv4.rs` and the suite's loader test.

use appflow_lite::sigv4::{Payload, SignableRequest};

/// A request as written in a `.req` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target exactly as written: path and query.
    pub target: String,
    /// Header names and values in file order, names as written.
    pub headers: Vec<(String, String)>,
    /// The bytes after the blank line.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// Parses `input`, or says which line is malformed.
    pub fn parse(input: &[u8]) -> Result<RawRequest, String> {
        let (head, body) = split_head(input);
        let head =
            std::str::from_utf8(head).map_err(|_| "the request head is not UTF-8".to_string())?;
        let mut lines = head
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line));
        let request_line = lines
            .next()
            .filter(|l| !l.trim().is_empty())
            .ok_or("the request line is missing")?;
        // The target may contain spaces (the suite's `get-space`), so cut the
        // method at the first space and the version at the last.
        let (method, rest) = request_line
            .split_once(' ')
            .ok_or_else(|| format!("malformed request line: {request_line:?}"))?;
        let target = rest
            .strip_suffix(" HTTP/1.1")
            .or_else(|| rest.strip_suffix(" HTTP/1.0"))
            .unwrap_or(rest);
        if method.is_empty() || target.is_empty() {
            return Err(format!("malformed request line: {request_line:?}"));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        for (number, line) in lines.enumerate() {
            if line.is_empty() {
                continue; // a final newline before the end of the input
            }
            if line.starts_with([' ', '\t']) {
                // An obsolete folded line: RFC 7230 reads it as one space.
                let (_, value) = headers
                    .last_mut()
                    .ok_or_else(|| format!("line {}: continuation without a header", number + 2))?;
                value.push(' ');
                value.push_str(line);
                continue;
            }
            let (name, value) = line.split_once(':').ok_or_else(|| {
                format!("line {}: expected `Name:value`, got {line:?}", number + 2)
            })?;
            if name.is_empty() || name.contains([' ', '\t']) {
                return Err(format!(
                    "line {}: malformed header name {name:?}",
                    number + 2
                ));
            }
            headers.push((name.to_string(), value.to_string()));
        }
        Ok(RawRequest {
            method: method.to_string(),
            target: target.to_string(),
            headers,
            body: body.to_vec(),
        })
    }

    /// The headers as borrowed pairs, the form the signer takes.
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// The request to sign, over `headers` from [`header_pairs`](Self::header_pairs).
    pub fn signable<'a>(&'a self, headers: &'a [(&'a str, &'a str)]) -> SignableRequest<'a> {
        SignableRequest::new(
            &self.method,
            &self.target,
            headers,
            Payload::Bytes(&self.body),
        )
    }

    /// The first value of header `name`, compared without case.
    #[allow(dead_code)] // not every user of this file needs it
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits at the first empty line (LF or CRLF).
fn split_head(input: &[u8]) -> (&[u8], &[u8]) {
    for (i, window) in input.windows(2).enumerate() {
        if window == b"\n\n" {
            return (&input[..i], &input[i + 2..]);
        }
        if window == b"\n\r" && input.get(i + 2) == Some(&b'\n') {
            return (&input[..i], &input[i + 3..]);
        }
    }
    (input, &[])
}

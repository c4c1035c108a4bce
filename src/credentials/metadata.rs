//! HTTP for the credential endpoints on the local machine or link-local
//! network (containers, EC2 instance metadata): short timeouts, no proxy,
//! one retry.

use std::io::Read;
use std::time::Duration;

/// An answer from a metadata endpoint.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

#[derive(Debug, Clone)]
pub(crate) struct MetadataClient {
    agent: ureq::Agent,
}

impl MetadataClient {
    pub fn new(timeout: Duration) -> MetadataClient {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeout))
            .timeout_global(Some(timeout))
            // Metadata endpoints are local; a proxy must not see these requests.
            .proxy(None)
            .max_redirects(0)
            .build();
        MetadataClient {
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// Sends a request, once more if the first try fails or gets a 5xx.
    pub fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Answer, String> {
        let first = self.send_once(method, url, headers);
        match first {
            Ok(answer) if answer.status < 500 => Ok(answer),
            _ => self.send_once(method, url, headers),
        }
    }

    /// Sends a request once.
    pub fn send_once(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Answer, String> {
        let mut builder = ureq::http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(())
            .map_err(|e| format!("bad request to {}: {e}", crate::config::redact_url(url)))?;
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| format!("no answer from {}: {e}", crate::config::redact_url(url)))?;
        let status = response.status().as_u16();
        let mut body = String::new();
        response
            .body_mut()
            .as_reader()
            .take(64 * 1024)
            .read_to_string(&mut body)
            .map_err(|e| {
                format!(
                    "unreadable answer from {}: {e}",
                    crate::config::redact_url(url)
                )
            })?;
        Ok(Answer { status, body })
    }
}

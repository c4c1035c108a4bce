//! EC2 instance metadata, IMDSv2 only: a session token first (PUT), then the
//! role's credentials, or the instance's region.

use std::time::Duration;

use super::Credentials;
use super::json::{self, Kind};
use super::metadata::MetadataClient;
use crate::config::Env;

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
/// Short, so a laptop with no instance metadata does not hang.
const TIMEOUT: Duration = Duration::from_secs(1);
const TOKEN_TTL_SECONDS: &str = "21600";

pub(crate) struct Imds {
    endpoint: String,
    client: MetadataClient,
}

impl Imds {
    /// The metadata service, unless `AWS_EC2_METADATA_DISABLED=true`.
    pub fn from_env(env: &Env) -> Option<Imds> {
        if env.flag("AWS_EC2_METADATA_DISABLED") == Some(true) {
            return None;
        }
        let endpoint = env
            .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        Some(Imds {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            client: MetadataClient::new(TIMEOUT),
        })
    }

    /// The endpoint for messages, without user information (a password).
    pub fn endpoint(&self) -> String {
        crate::config::redact_url(&self.endpoint)
    }

    /// The instance role's temporary credentials.
    pub fn credentials(&self) -> Result<Credentials, String> {
        let token = self.token()?;
        let roles = self.get("/latest/meta-data/iam/security-credentials/", &token)?;
        let role = roles
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .ok_or("the instance has no IAM role")?;
        let document = self.get(
            &format!("/latest/meta-data/iam/security-credentials/{role}"),
            &token,
        )?;
        json::parse(&document, Kind::Endpoint)
            .map_err(|e| format!("instance metadata credentials: {e}"))
    }

    /// The instance's region.
    pub fn region(&self) -> Result<String, String> {
        let token = self.token()?;
        Ok(self
            .get("/latest/meta-data/placement/region", &token)?
            .trim()
            .to_owned())
    }

    fn token(&self) -> Result<String, String> {
        let url = format!("{}/latest/api/token", self.endpoint);
        let answer = self.client.send(
            "PUT",
            &url,
            &[("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)],
        )?;
        if answer.status != 200 || answer.body.trim().is_empty() {
            return Err(format!(
                "no IMDSv2 session token from {} (HTTP {})",
                crate::config::redact_url(&url),
                answer.status
            ));
        }
        Ok(answer.body.trim().to_owned())
    }

    fn get(&self, path: &str, token: &str) -> Result<String, String> {
        let url = format!("{}{path}", self.endpoint);
        let answer = self
            .client
            .send("GET", &url, &[("x-aws-ec2-metadata-token", token)])?;
        if answer.status != 200 {
            return Err(format!(
                "{} answered HTTP {}",
                crate::config::redact_url(&url),
                answer.status
            ));
        }
        Ok(answer.body)
    }
}

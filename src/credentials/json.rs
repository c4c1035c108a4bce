//! The JSON credential documents AWS tools exchange: `credential_process`
//! output, and the container and instance-metadata answers.

use serde_json::{Map, Value};

use super::Credentials;

/// The members this crate reads; others are ignored, as the SDKs do.
struct Document {
    version: Option<u32>,
    code: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
}

impl Document {
    /// Read by hand rather than derived: one small struct is not worth a
    /// proc-macro and its five crates in every user's build.
    fn read(members: &Map<String, Value>) -> Option<Document> {
        let text = |name| match members.get(name) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => None,
        };
        let version = match members.get("Version") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().and_then(|v| u32::try_from(v).ok())?),
        };
        // `credential_process` calls it `SessionToken`, the endpoints `Token`.
        let session_token = match text("SessionToken")? {
            Some(token) => Some(token),
            None => text("Token")?,
        };
        Some(Document {
            version,
            code: text("Code")?,
            access_key_id: text("AccessKeyId")?,
            secret_access_key: text("SecretAccessKey")?,
            session_token,
            expiration: text("Expiration")?,
        })
    }
}

/// Which document is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `credential_process` output: `Version` must be 1.
    Process,
    /// Container or EC2 metadata answer: `Code`, when present, must be `Success`.
    Endpoint,
}

/// Parses a document; the error never quotes the input (it holds secrets).
pub(crate) fn parse(text: &str, kind: Kind) -> Result<Credentials, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("not a credentials JSON document ({})", e.classify_name()))?;
    let doc = value
        .as_object()
        .and_then(Document::read)
        .ok_or("not a credentials JSON document (wrong member types)")?;
    match kind {
        Kind::Process if doc.version != Some(1) => {
            return Err(format!("Version must be 1, got {:?}", doc.version));
        }
        Kind::Endpoint if doc.code.as_deref().is_some_and(|c| c != "Success") => {
            return Err(format!(
                "the endpoint answered Code {:?}",
                doc.code.unwrap_or_default()
            ));
        }
        _ => {}
    }
    let id = doc
        .access_key_id
        .filter(|v| !v.is_empty())
        .ok_or("AccessKeyId is missing")?;
    let secret = doc
        .secret_access_key
        .filter(|v| !v.is_empty())
        .ok_or("SecretAccessKey is missing")?;
    let mut creds = Credentials::new(id, secret);
    if let Some(token) = doc.session_token.filter(|v| !v.is_empty()) {
        creds = creds.with_session_token(token);
    }
    if let Some(expiration) = doc.expiration {
        let at = crate::time::parse_rfc3339(&expiration)
            .ok_or_else(|| format!("Expiration {expiration:?} is not an RFC 3339 time"))?;
        creds = creds.with_expiry(at);
    }
    Ok(creds)
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "wrong member types",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn reads_process_output() {
        let creds = parse(
            r#"{"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t","Expiration":"2015-08-30T12:36:00Z"}"#,
            Kind::Process,
        )
        .unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.session_token()),
            ("ASIA1", Some("t"))
        );
        assert_eq!(
            creds.expires_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_440_938_160))
        );
    }

    #[test]
    fn reads_endpoint_answers() {
        let text = r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIA2","SecretAccessKey":"s","Token":"tok","Expiration":"2015-08-30T12:36:00Z","LastUpdated":"x"}"#;
        assert_eq!(
            parse(text, Kind::Endpoint).unwrap().session_token(),
            Some("tok")
        );
    }

    #[test]
    fn null_members_are_absent() {
        let text = r#"{"Version":1,"AccessKeyId":"a","SecretAccessKey":"s","SessionToken":null,"Token":"t","Expiration":null}"#;
        let creds = parse(text, Kind::Process).unwrap();
        assert_eq!(
            (creds.session_token(), creds.expires_at()),
            (Some("t"), None)
        );
    }

    #[test]
    fn rejects_bad_documents_without_quoting_them() {
        for (text, kind, expected) in [
            ("{", Kind::Process, "truncated"),
            ("[]", Kind::Process, "wrong member types"),
            (
                r#"{"Version":2,"AccessKeyId":"a","SecretAccessKey":"SECRETVALUE"}"#,
                Kind::Process,
                "Version must be 1",
            ),
            (
                r#"{"Version":1,"SecretAccessKey":"SECRETVALUE"}"#,
                Kind::Process,
                "AccessKeyId is missing",
            ),
            (
                r#"{"Version":1,"AccessKeyId":"a"}"#,
                Kind::Process,
                "SecretAccessKey is missing",
            ),
            (
                r#"{"Version":1,"AccessKeyId":"a","SecretAccessKey":"SECRETVALUE","Expiration":"soon"}"#,
                Kind::Process,
                "not an RFC 3339",
            ),
            (
                r#"{"Code":"Failed","AccessKeyId":"a","SecretAccessKey":"SECRETVALUE"}"#,
                Kind::Endpoint,
                "Code",
            ),
            (r#"{"AccessKeyId":5}"#, Kind::Endpoint, "wrong member types"),
            (r#"{"Version":"1"}"#, Kind::Process, "wrong member types"),
            (r#"{"Version":-1}"#, Kind::Process, "wrong member types"),
            (
                r#"{"Token":["SECRETVALUE"]}"#,
                Kind::Endpoint,
                "wrong member types",
            ),
        ] {
            let err = parse(text, kind).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains("SECRETVALUE"), "{err}");
        }
    }
}

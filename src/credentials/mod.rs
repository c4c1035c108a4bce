//! AWS credentials and where they come from.
//!
//! A client asks its [`ProvideCredentials`] for credentials before each
//! attempt. [`DefaultChain`] looks where the AWS CLI looks and caches what
//! it finds.

mod cache;
mod chain;
mod container;
mod imds;
mod json;
mod metadata;
mod process;
mod sha1;
mod sso;
mod sts;
mod xml;

use std::fmt;
use std::time::SystemTime;

use crate::config::Env;
use crate::error::Error;

pub use chain::DefaultChain;
pub(crate) use imds::Imds;

/// A source of credentials. Implement it to plug in your own.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Credentials to sign the next request with.
    fn provide_credentials(&self) -> Result<Credentials, Error>;
}

/// Fixed credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> Result<Credentials, Error> {
        Ok(self.clone())
    }
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optionally)
/// `AWS_SECURITY_TOKEN` or `AWS_SESSION_TOKEN` at each call, as the AWS CLI's
/// environment provider does.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentVariables;

impl ProvideCredentials for EnvironmentVariables {
    fn provide_credentials(&self) -> Result<Credentials, Error> {
        from_env(&Env::real())?.ok_or_else(|| {
            Error::MissingCredentials(
                "looked in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".into(),
            )
        })
    }
}

/// Credentials from the environment: `None` without an access key id, an
/// error with one but no secret key (botocore's "partial credentials": the
/// AWS CLI stops there rather than look further).
pub(crate) fn from_env(env: &Env) -> Result<Option<Credentials>, Error> {
    let Some(key_id) = env.get("AWS_ACCESS_KEY_ID") else {
        return Ok(None);
    };
    let secret = env.get("AWS_SECRET_ACCESS_KEY").ok_or_else(|| {
        Error::config("Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")
    })?;
    let creds = Credentials::new(key_id, secret);
    // botocore's order: the older name first.
    let token = env
        .get("AWS_SECURITY_TOKEN")
        .or_else(|| env.get("AWS_SESSION_TOKEN"));
    Ok(Some(match token {
        Some(token) => creds.with_session_token(token),
        None => creds,
    }))
}

/// An access key pair, with the session token that temporary credentials carry.
///
/// `Debug` shows the access key id only: the secret and the token are redacted
/// so that logging a client or an error never leaks them.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Long-term (or already resolved) credentials.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expires_at: None,
        }
    }

    /// Adds the session token of temporary credentials.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Records when temporary credentials stop working.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access key id (`AKIA...` or `ASIA...`), which is not secret.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials expire, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_needs_both_keys_and_takes_an_optional_token() {
        let vars =
            |pairs: &'static [(&'static str, &'static str)]| Env::from_vars(pairs.iter().copied());
        assert_eq!(from_env(&vars(&[])).unwrap(), None);
        assert_eq!(
            from_env(&vars(&[("AWS_SECRET_ACCESS_KEY", "SECRET")])).unwrap(),
            None
        );
        // A key id without its secret is an error, as in the AWS CLI.
        for partial in [
            &[("AWS_ACCESS_KEY_ID", "AKID")][..],
            &[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", " "),
            ],
        ] {
            let err = from_env(&vars(partial)).unwrap_err();
            assert!(
                err.to_string()
                    .contains("Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"),
                "{err}"
            );
        }
        let token = |extra: &'static [(&'static str, &'static str)]| {
            let mut all = vec![
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ];
            all.extend_from_slice(extra);
            let creds = from_env(&Env::from_vars(all)).unwrap().unwrap();
            assert_eq!(
                (creds.access_key_id(), creds.secret_access_key()),
                ("AKID", "SECRET")
            );
            creds.session_token().map(str::to_owned)
        };
        assert_eq!(token(&[]), None);
        assert_eq!(token(&[("AWS_SESSION_TOKEN", "S")]).as_deref(), Some("S"));
        assert_eq!(
            token(&[("AWS_SECURITY_TOKEN", "OLD")]).as_deref(),
            Some("OLD")
        );
        assert_eq!(
            token(&[("AWS_SESSION_TOKEN", "S"), ("AWS_SECURITY_TOKEN", "OLD")]).as_deref(),
            Some("OLD")
        );
    }

    #[test]
    fn debug_never_shows_the_secret_or_the_token() {
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .with_session_token("TOKEN-VALUE-123");
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(!shown.contains("TOKEN-VALUE-123"), "{shown}");
    }
}

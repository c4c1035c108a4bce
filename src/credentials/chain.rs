//! The default credential chain, in the AWS SDKs' order: environment, shared
//! files (static keys or `credential_process`), container, EC2 metadata.

use std::sync::OnceLock;
use std::time::SystemTime;

use super::cache::CredentialsCache;
use super::imds::Imds;
use super::{Credentials, ProvideCredentials, container, from_env, process};
use crate::config::Env;
use crate::config::profile::{ProfileFiles, Section};
use crate::error::Error;

/// Finds credentials where every AWS tool looks, and caches them
/// (temporary ones are refreshed a few minutes before they expire).
#[derive(Debug)]
pub struct DefaultChain {
    env: Env,
    profile: Option<String>,
    files: OnceLock<Result<ProfileFiles, String>>,
    cache: CredentialsCache,
}

impl DefaultChain {
    /// The chain over `env`, for `profile` (else `AWS_PROFILE`, else `default`).
    pub fn new(env: Env, profile: Option<String>) -> DefaultChain {
        DefaultChain {
            env,
            profile,
            files: OnceLock::new(),
            cache: CredentialsCache::default(),
        }
    }

    /// The chain with the shared files already read.
    pub(crate) fn with_files(
        env: Env,
        profile: Option<String>,
        files: ProfileFiles,
    ) -> DefaultChain {
        let chain = DefaultChain::new(env, profile);
        let _ = chain.files.set(Ok(files));
        chain
    }

    /// The profile in use, and whether it was asked for by name.
    fn profile_name(&self) -> (String, bool) {
        match self.profile.clone().or_else(|| self.env.get("AWS_PROFILE")) {
            Some(name) => (name, true),
            None => ("default".to_owned(), false),
        }
    }

    fn resolve(&self) -> Result<Credentials, Error> {
        let mut tried = Vec::new();
        if let Some(creds) = from_env(&self.env) {
            return Ok(creds);
        }
        tried.push(
            "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set)".to_owned(),
        );

        let (name, explicit) = self.profile_name();
        let files = self
            .files
            .get_or_init(|| ProfileFiles::load(&self.env))
            .as_ref()
            .map_err(|e| Error::InvalidConfig(e.clone()))?;
        match files.profile(&name) {
            Some(profile) => {
                let timeout = process_timeout(&self.env)?;
                if let Some(creds) = profile_credentials(&name, profile, timeout)? {
                    return Ok(creds);
                }
                tried.push(format!("profile {name:?} (no credentials in it)"));
            }
            None if explicit => {
                return Err(Error::InvalidConfig(format!(
                    "the profile {name:?} was not found in {}",
                    shown(&files.sources)
                )));
            }
            None => tried.push(format!(
                "profile {name:?} in {} (not found)",
                shown(&files.sources)
            )),
        }

        match container::credentials(&self.env) {
            Some(result) => return result.map_err(Error::MissingCredentials),
            None => {
                tried.push("container credentials (AWS_CONTAINER_CREDENTIALS_* not set)".to_owned())
            }
        }

        match Imds::from_env(&self.env) {
            Some(imds) => match imds.credentials() {
                Ok(creds) => return Ok(creds),
                Err(e) => tried.push(format!(
                    "EC2 instance metadata at {} ({e})",
                    imds.endpoint()
                )),
            },
            None => tried
                .push("EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)".to_owned()),
        }
        Err(Error::MissingCredentials(format!(
            "tried {}",
            tried.join("; ")
        )))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> Result<Credentials, Error> {
        self.cache.get_or_load(SystemTime::now(), || self.resolve())
    }
}

/// A profile's own credentials, in the SDKs' order of precedence.
fn profile_credentials(
    name: &str,
    profile: &Section,
    process_timeout: std::time::Duration,
) -> Result<Option<Credentials>, Error> {
    let unsupported = |what: &str| {
        Err(Error::InvalidConfig(format!(
            "profile {name:?} uses {what}: not supported yet"
        )))
    };
    if profile.get("role_arn").is_some() {
        return unsupported("role_arn (assuming a role needs STS)");
    }
    if profile.get("web_identity_token_file").is_some() {
        return unsupported("web_identity_token_file (web identity needs STS)");
    }
    if profile.get("sso_session").is_some() || profile.get("sso_start_url").is_some() {
        return unsupported("AWS IAM Identity Center (SSO)");
    }
    if let (Some(id), Some(secret)) = (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) {
        let creds = Credentials::new(id, secret);
        return Ok(Some(match profile.get("aws_session_token") {
            Some(token) => creds.with_session_token(token),
            None => creds,
        }));
    }
    if let Some(command) = profile.get("credential_process") {
        return process::run(command, process_timeout)
            .map(Some)
            .map_err(Error::MissingCredentials);
    }
    Ok(None)
}

/// How long `credential_process` may run: `APPFLOW_LITE_CREDENTIAL_PROCESS_TIMEOUT`
/// seconds (1 to 3600), else a minute.
fn process_timeout(env: &crate::config::Env) -> Result<std::time::Duration, Error> {
    const VAR: &str = "APPFLOW_LITE_CREDENTIAL_PROCESS_TIMEOUT";
    match env.get(VAR) {
        None => Ok(process::DEFAULT_TIMEOUT),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|secs| (1..=3600).contains(secs))
            .map(std::time::Duration::from_secs)
            .ok_or_else(|| {
                Error::InvalidConfig(format!("{VAR}={text:?} is not 1 to 3600 seconds"))
            }),
    }
}

fn shown(paths: &[std::path::PathBuf]) -> String {
    if paths.is_empty() {
        return "the shared files (no home directory)".to_owned();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" and ")
}

//! The default credential chain, in the AWS CLI's order: environment keys,
//! the profile's assumed role, web identity (profile or environment), IAM
//! Identity Center (SSO), the profile's static keys or `credential_process`,
//! container, EC2 metadata.

use std::sync::OnceLock;
use std::time::SystemTime;

use super::cache::CredentialsCache;
use super::imds::Imds;
use super::sts::{Role, Sts};
use super::{Credentials, ProvideCredentials, container, from_env, process};
use crate::config::Env;
use crate::config::profile::{ProfileFiles, Section};
use crate::error::Error;
use crate::retry::RetryConfig;
use crate::transport::CallSettings;

/// Finds credentials where every AWS tool looks, and caches them
/// (temporary ones are refreshed a few minutes before they expire).
#[derive(Debug)]
pub struct DefaultChain {
    env: Env,
    profile: Option<String>,
    /// The region of the client this chain serves: STS is called there, as
    /// the AWS CLI calls it in the region of the client it signs for.
    region: Option<String>,
    files: OnceLock<Result<ProfileFiles, String>>,
    cache: CredentialsCache,
    /// Proxy, CA bundle and retries for the STS and SSO calls.
    calls: CallSettings,
}

impl DefaultChain {
    /// The chain over `env`, for `profile` (else `AWS_PROFILE`, else `default`).
    pub fn new(env: Env, profile: Option<String>) -> DefaultChain {
        DefaultChain {
            env,
            profile,
            region: None,
            files: OnceLock::new(),
            cache: CredentialsCache::default(),
            calls: CallSettings::default(),
        }
    }

    /// Sends the STS and SSO calls through this proxy, or with `None`
    /// straight to the endpoint, whatever `HTTPS_PROXY` says.
    pub fn proxy(mut self, url: Option<&str>) -> Self {
        self.calls.proxy = Some(url.map(str::to_owned));
        self
    }

    /// Trusts only the certificates in this PEM file for the STS and SSO
    /// calls, over `AWS_CA_BUNDLE` and the profile's `ca_bundle`.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.calls.ca_bundle = Some(path.into());
        self
    }

    /// How the STS and SSO calls are retried (standard mode by default).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.calls.retry = retry;
        self
    }

    /// The chain with the shared files already read.
    pub(crate) fn with_files(
        env: Env,
        profile: Option<String>,
        files: ProfileFiles,
        region: String,
        calls: CallSettings,
    ) -> DefaultChain {
        let mut chain = DefaultChain::new(env, profile);
        chain.region = Some(region);
        chain.calls = calls;
        let _ = chain.files.set(Ok(files));
        chain
    }

    /// The profile in use, and whether it was asked for by name.
    fn profile_name(&self) -> (String, bool) {
        match self.profile.clone().or_else(|| self.env.profile()) {
            Some(name) => (name, true),
            None => ("default".to_owned(), false),
        }
    }

    fn resolve(&self) -> Result<Credentials, Error> {
        let mut tried = Vec::new();
        // A profile named on the command line or builder is what the user
        // asked for: keys in the environment do not take over (AWS_PROFILE
        // alone does not have that effect, as in the AWS CLI).
        if self.profile.is_none() {
            if let Some(creds) = from_env(&self.env)? {
                return Ok(creds);
            }
            tried.push(
                "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY not set)"
                    .to_owned(),
            );
        }

        let (name, explicit) = self.profile_name();
        let files = self
            .files
            .get_or_init(|| ProfileFiles::load(&self.env))
            .as_ref()
            .map_err(|e| Error::config(e.clone()))?;
        let resolver = Profiles {
            env: &self.env,
            files,
            region: self.region.as_deref(),
            process_timeout: process_timeout(&self.env)?,
            calls: &self.calls,
        };
        let profile = files.profile(&name);
        if profile.is_none() && explicit {
            return Err(Error::InvalidConfig(format!(
                "the profile {name:?} was not found in {}",
                shown(&files.sources)
            )));
        }
        if let Some(creds) = resolver.web_identity_from_env(profile)? {
            return Ok(creds);
        }
        match profile {
            Some(_) => {
                if let Some(creds) = resolver.credentials(&name, &mut Vec::new())? {
                    return Ok(creds);
                }
                tried.push(format!("profile {name:?} (no credentials in it)"));
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

        match Imds::new(&self.env, profile).map_err(Error::config)? {
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

/// The most roles one `source_profile` chain may assume in turn. Real
/// chains are a few roles long; each hop is a call to STS and a frame of
/// recursion, so an endless (generated, hostile) chain ends here with a
/// clear error before any call is made.
const MAX_ROLE_CHAIN: usize = 64;

/// Credentials from the shared files' profiles, role chains included.
struct Profiles<'a> {
    env: &'a Env,
    files: &'a ProfileFiles,
    region: Option<&'a str>,
    process_timeout: std::time::Duration,
    calls: &'a CallSettings,
}

impl Profiles<'_> {
    /// Profile `name`'s credentials, in the AWS CLI's order: web identity,
    /// an assumed role, SSO, static keys, `credential_process`. `chain` holds
    /// the profiles that led here, to name a cycle.
    fn credentials(
        &self,
        name: &str,
        chain: &mut Vec<String>,
    ) -> Result<Option<Credentials>, Error> {
        let Some(profile) = self.files.profile(name) else {
            return Err(Error::InvalidConfig(format!(
                "the profile {name:?} (a source_profile of {:?}) was not found",
                chain.last().map(String::as_str).unwrap_or_default()
            )));
        };
        let has_source =
            profile.get("source_profile").is_some() || profile.get("credential_source").is_some();
        if profile.get("role_arn").is_some()
            && profile.get("web_identity_token_file").is_some()
            && !has_source
        {
            return self
                .web_identity(Some(profile), profile.get("web_identity_token_file"))
                .map(Some);
        }
        if profile.get("role_arn").is_some() {
            return self.assume_role(name, profile, chain).map(Some);
        }
        if profile.get("sso_session").is_some() || profile.get("sso_start_url").is_some() {
            return super::sso::credentials(
                self.env,
                self.files,
                name,
                profile,
                self.calls,
                SystemTime::now(),
            )
            .map(Some);
        }
        static_or_process(profile, self.process_timeout)
    }

    /// `role_arn` with `source_profile` or `credential_source`.
    fn assume_role(
        &self,
        name: &str,
        profile: &Section,
        chain: &mut Vec<String>,
    ) -> Result<Credentials, Error> {
        let config = |message: String| Error::InvalidConfig(format!("profile {name:?}: {message}"));
        if profile.get("mfa_serial").is_some() {
            return Err(config(
                "mfa_serial needs a code typed at a prompt, which this library cannot show; \
                 use `aws sts get-session-token` or a credential_process instead"
                    .into(),
            ));
        }
        chain.push(name.to_owned());
        if chain.len() > MAX_ROLE_CHAIN {
            return Err(Error::InvalidConfig(format!(
                "the source_profile chain from {:?} is longer than {MAX_ROLE_CHAIN} profiles",
                chain[0]
            )));
        }
        let source = match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(config(
                    "has both source_profile and credential_source".into(),
                ));
            }
            // A profile may be its own source: then its static keys are.
            (Some(source), None) if source == name => {
                static_or_process(profile, self.process_timeout)?
                    .ok_or_else(|| config("is its own source_profile but has no keys".into()))?
            }
            (Some(source), None) if chain.iter().any(|p| p == source) => {
                chain.push(source.to_owned());
                return Err(Error::InvalidConfig(format!(
                    "the source_profile settings form a cycle: {}",
                    chain.join(" -> ")
                )));
            }
            (Some(source), None) => self.credentials(source, chain)?.ok_or_else(|| {
                config(format!("its source_profile {source:?} has no credentials"))
            })?,
            (None, Some(source)) => self.credential_source(name, source)?,
            (None, None) => {
                return Err(config(
                    "role_arn needs a source_profile or a credential_source".into(),
                ));
            }
        };
        let now = SystemTime::now();
        let role = Role::from_profile(profile, now).map_err(config)?;
        let sts = Sts::new(self.env, self.files, Some(profile), self.region, self.calls)
            .map_err(config)?;
        sts.assume_role(&source, &role, now)
            .map_err(|e| Error::MissingCredentials(format!("profile {name:?}: {e}")))
    }

    /// `credential_source`: where the source credentials of a role come from.
    fn credential_source(&self, name: &str, source: &str) -> Result<Credentials, Error> {
        let missing = |what: String| {
            Error::MissingCredentials(format!(
                "profile {name:?}: credential_source {source}: {what}"
            ))
        };
        match source {
            "Environment" => from_env(self.env)?.ok_or_else(|| {
                missing("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set".into())
            }),
            "Ec2InstanceMetadata" => {
                let imds = Imds::new(self.env, self.files.profile(name))
                    .map_err(Error::config)?
                    .ok_or_else(|| missing("instance metadata is disabled".into()))?;
                imds.credentials().map_err(missing)
            }
            "EcsContainer" => container::credentials(self.env)
                .ok_or_else(|| missing("AWS_CONTAINER_CREDENTIALS_* are not set".into()))?
                .map_err(missing),
            other => Err(Error::InvalidConfig(format!(
                "profile {name:?}: credential_source {other:?} is not Environment, Ec2InstanceMetadata or EcsContainer"
            ))),
        }
    }

    /// `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN`, when the profile
    /// does not say otherwise (EKS service accounts set these).
    fn web_identity_from_env(
        &self,
        profile: Option<&Section>,
    ) -> Result<Option<Credentials>, Error> {
        let profile_has_role = profile.is_some_and(|p| p.get("role_arn").is_some());
        match (
            self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE"),
            self.env.get("AWS_ROLE_ARN"),
        ) {
            (Some(file), Some(_)) if !profile_has_role => {
                self.web_identity(None, Some(&file)).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// `AssumeRoleWithWebIdentity` with the token in `file`, read afresh at
    /// every refresh (Kubernetes rotates it).
    fn web_identity(
        &self,
        profile: Option<&Section>,
        file: Option<&str>,
    ) -> Result<Credentials, Error> {
        let file = file.unwrap_or_default();
        let token = crate::config::file::read_regular_to_string(std::path::Path::new(file))
            .map_err(|e| {
                Error::missing_credentials(format!(
                    "cannot read the web identity token file {file}: {e}"
                ))
            })?;
        let now = SystemTime::now();
        let role = match profile {
            Some(profile) => Role::from_profile(profile, now).map_err(Error::config)?,
            None => Role {
                arn: self.env.get("AWS_ROLE_ARN").unwrap_or_default(),
                session_name: self
                    .env
                    .get("AWS_ROLE_SESSION_NAME")
                    .unwrap_or_else(|| super::sts::default_session_name(now)),
                external_id: None,
                duration_seconds: None,
            },
        };
        let sts = Sts::new(self.env, self.files, profile, self.region, self.calls)
            .map_err(Error::config)?;
        sts.assume_role_with_web_identity(&role, token.trim())
            .map_err(Error::MissingCredentials)
    }
}

/// A profile's static keys, else its `credential_process`.
fn static_or_process(
    profile: &Section,
    process_timeout: std::time::Duration,
) -> Result<Option<Credentials>, Error> {
    if let Some(id) = profile.get("aws_access_key_id") {
        // A key id without its secret stops the search, as in botocore.
        let secret = profile.get("aws_secret_access_key").ok_or_else(|| {
            Error::config(
                "Partial credentials found in the profile, missing: aws_secret_access_key",
            )
        })?;
        let creds = Credentials::new(id, secret);
        // botocore's order: the older name first.
        let token = profile
            .get("aws_security_token")
            .or_else(|| profile.get("aws_session_token"));
        return Ok(Some(match token {
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

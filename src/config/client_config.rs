//! [`Config`]: a client's settings as a value, the SDK's way
//! (`Config::builder()...build()`, then `Client::from_conf`), beside
//! [`ClientBuilder`](crate::ClientBuilder).

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::client::ClientBuilder;
use crate::credentials::ProvideCredentials;
use crate::retry::RetryConfig;

/// An AWS region, e.g. `us-east-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// The region named `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Region {
        Region(name.into())
    }

    /// The region named by a string literal.
    pub const fn from_static(name: &'static str) -> Region {
        Region(Cow::Borrowed(name))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The SDK's behaviour version. This crate has one behaviour; the setting
/// exists so code written for the SDK builds unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BehaviorVersion;

impl BehaviorVersion {
    /// The latest (and only) behaviour.
    pub fn latest() -> BehaviorVersion {
        BehaviorVersion
    }
}

/// Timeouts: connecting, and each attempt from connecting to the last byte
/// of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TimeoutConfig {
    /// Time allowed to connect, TLS included.
    pub connect_timeout: Option<Duration>,
    /// Time allowed for one attempt.
    pub operation_attempt_timeout: Option<Duration>,
}

impl TimeoutConfig {
    /// A builder with no timeout set (the client's defaults then apply).
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder::default()
    }
}

/// Builds a [`TimeoutConfig`].
#[derive(Debug, Clone, Copy, Default)]
pub struct TimeoutConfigBuilder {
    config: TimeoutConfig,
}

impl TimeoutConfigBuilder {
    /// Time allowed to connect, TLS included.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, answer included.
    pub fn operation_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation_attempt_timeout = Some(timeout);
        self
    }

    /// The timeouts.
    pub fn build(self) -> TimeoutConfig {
        self.config
    }
}

/// A client's settings as a value: what [`Client::from_conf`](crate::Client::from_conf)
/// builds a client from. Nothing is read from the environment; use
/// [`Client::from_env`](crate::Client::from_env) for that.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    pub(crate) builder: ClientBuilder,
}

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            builder: ClientBuilder::default(),
        }
    }
}

/// Builds a [`Config`], with the SDK's setter names.
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    builder: ClientBuilder,
}

impl ConfigBuilder {
    /// The region requests are signed for and sent to.
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        if let Some(region) = region.into() {
            self.builder = self.builder.region(region.0.into_owned());
        }
        self
    }

    /// Where credentials come from before each request.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.builder = self.builder.credentials_provider(provider);
        self
    }

    /// Sends requests to this URL instead of AWS's.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.builder = self.builder.endpoint_url(url);
        self
    }

    /// How calls are retried.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.builder = self.builder.retry_config(retry);
        self
    }

    /// Connect and attempt timeouts; unset ones keep the defaults.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        if let Some(timeout) = timeouts.connect_timeout {
            self.builder = self.builder.connect_timeout(Some(timeout));
        }
        if let Some(timeout) = timeouts.operation_attempt_timeout {
            self.builder = self.builder.attempt_timeout(Some(timeout));
        }
        self
    }

    /// Uses the FIPS endpoint.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.builder = self.builder.use_fips(on);
        self
    }

    /// Uses the dual-stack endpoint.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.builder = self.builder.use_dual_stack(on);
        self
    }

    /// Accepted for the SDK's sake; this crate has one behaviour.
    pub fn behavior_version(self, _version: BehaviorVersion) -> Self {
        self
    }

    /// The settings. They are checked when the client is made.
    pub fn build(self) -> Config {
        Config {
            builder: self.builder,
        }
    }
}

//! A blocking, minimal-dependency client for Amazon AppFlow.
//!
//! ```no_run
//! use appflow_lite::types::{
//!     ConnectorProvisioningConfig, ConnectorProvisioningType, LambdaConnectorProvisioningConfig,
//! };
//!
//! let client = appflow_lite::Client::from_env()?;
//! let output = client
//!     .register_connector()
//!     .connector_label("my-connector")
//!     .connector_provisioning_type(ConnectorProvisioningType::Lambda)
//!     .connector_provisioning_config(
//!         ConnectorProvisioningConfig::builder()
//!             .lambda(
//!                 LambdaConnectorProvisioningConfig::builder()
//!                     .lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:my-connector")
//!                     .build()?,
//!             )
//!             .build(),
//!     )
//!     .send()?;
//! println!("{}", output.connector_arn().unwrap_or_default());
//! # Ok::<(), appflow_lite::Error>(())
//! ```
//!
//! Every AppFlow operation has a method on [`Client`] returning a fluent
//! builder ([`operation`]); the shapes they share are in [`types`]. The six
//! listing operations page with `into_paginator()` ([`paginator`]). All of
//! it is generated from AWS's model by `codegen/` and validated against the
//! model before anything is sent.
//!
//! ```no_run
//! # fn main() -> Result<(), appflow_lite::Error> {
//! let client = appflow_lite::Client::from_env()?;
//! for flow in client.list_flows().max_results(50).into_paginator().items() {
//!     let flow = flow?;
//!     println!("{} {:?}", flow.flow_name().unwrap_or_default(), flow.flow_status());
//! }
//! client.untag_resource()
//!     .resource_arn("arn:aws:appflow:us-east-1:123456789012:flow/nightly")
//!     .tag_keys("team")
//!     .send()?;
//! # Ok(())
//! # }
//! ```
//!
//! Credentials, region and endpoint are found as the AWS CLI finds them
//! ([`credentials::DefaultChain`]): environment, assumed roles, web
//! identity, IAM Identity Center, profiles, containers, instance metadata.
//! The signer ([`sigv4`]) is written by hand on `hmac` and `sha2` and is
//! checked against AWS's own SigV4 test suite.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
pub mod config;
pub mod credentials;
pub mod error;
mod fluent;
mod json;
pub mod operation;
pub mod paginator;
mod path;
// Public for fake-appflow (which checks the model's patterns with the same
// engine) and the tests; not part of the API.
#[doc(hidden)]
pub mod pattern;
pub mod primitives;
mod protocol;
mod quiet;
mod resolver;
mod retry;
mod schema;
pub mod sigv4;
mod time;
mod token;
mod transport;
pub mod types;
mod validate;

pub use client::{Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT};
pub use config::Config;
pub use error::{
    Error, ErrorCode, Escaped, InvalidInput, OperationError, ProvideErrorMetadata, Rule,
    ServiceError,
};
pub use fluent::{FluentBuilder, Operation, RequestId};
pub use protocol::SignedRequest;
pub use retry::RetryConfig;

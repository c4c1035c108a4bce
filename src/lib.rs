//! A blocking, minimal-dependency client for Amazon AppFlow.
//!
//! The signer ([`sigv4`]) is written by hand on `hmac` and `sha2` and is
//! checked against AWS's own SigV4 test suite.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod credentials;
pub mod sigv4;
mod time;

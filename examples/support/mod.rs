//! Code the examples share.

pub mod raw_request;

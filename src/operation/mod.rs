//! One module per AppFlow operation: its input, validation, output, and the
//! fluent builder `Client` hands out.

pub mod register_connector;

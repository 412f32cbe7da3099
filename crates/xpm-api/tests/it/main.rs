//! Integration tests for xpm-api: one binary, one module per area.

mod catalog;
mod codec;
mod roundtrip;
mod samples;
mod scopes;

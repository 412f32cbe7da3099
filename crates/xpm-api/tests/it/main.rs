//! Integration tests for xpm-api: one binary, one module per area.

mod catalog;
mod codec;
mod forbidden_chars;
mod fuzz_regressions;
mod json_stream;
mod limits;
mod models;
mod requests;
mod roundtrip;
mod samples;
mod scopes;
mod tolerant;

//! Integration tests for xpm-api: one binary, one module per area.

mod catalog;
mod samples;
mod scopes;

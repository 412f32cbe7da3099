//! Integration tests for xpm-client, against the in-process emulator.

mod endpoints;
mod oauth;
mod support;
mod token_store;
mod transport;

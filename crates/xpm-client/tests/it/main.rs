//! Integration tests for xpm-client, against the in-process emulator.

mod api;
mod endpoints;
mod hostile;
mod limits;
mod oauth;
mod refresh;
mod secrets;
mod stream;
mod support;
mod token_store;
mod transport;

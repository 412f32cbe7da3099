//! A typed, async client for Xero Practice Manager 3.1.
//!
//! Layers, bottom up: configuration profiles for Xero and the emulator ([`config`]); secret
//! newtypes that never print ([`secret`]); the encrypted token store ([`token_store`]); OAuth 2.0
//! with PKCE, refresh rotation and id_token validation ([`oauth`]); `/connections`
//! ([`connections`]); the rate [`governor`]; single-flight token refresh ([`session`]); and the
//! transport ([`XpmClient`]) that sends any catalog operation as a [`Call`].

pub mod api;
pub mod call;
mod client;
pub mod clock;
pub mod config;
pub mod connections;
mod error;
pub mod governor;
pub mod oauth;
pub mod secret;
pub mod session;
pub mod token_store;

pub use call::{Call, Format, Response};
pub use client::{RetryPolicy, XpmClient, XpmClientBuilder};
pub use error::Error;

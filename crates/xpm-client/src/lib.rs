//! A typed, async client for Xero Practice Manager 3.1.
//!
//! This crate is being built in layers. Available now: configuration profiles for Xero and the
//! emulator ([`config`]), secret newtypes that never print ([`secret`]), the token store
//! ([`token_store`]), OAuth 2.0 with PKCE, refresh rotation and id_token validation ([`oauth`]),
//! and `/connections` ([`connections`]). The rate-governed transport and the typed endpoints
//! follow.

pub mod config;
pub mod connections;
pub mod oauth;
pub mod secret;
pub mod token_store;

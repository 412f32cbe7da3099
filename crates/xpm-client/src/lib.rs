//! A typed, async client for Xero Practice Manager 3.1.
//!
//! This crate is being built in layers. Available now: configuration profiles for Xero and the
//! emulator ([`config`]), secret newtypes that never print ([`secret`]), and the token store
//! ([`token_store`]). OAuth, the rate-governed transport and the typed endpoints follow.

pub mod config;
pub mod secret;
pub mod token_store;

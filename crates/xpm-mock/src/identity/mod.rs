//! Xero identity: OAuth 2.0 authorisation code (with PKCE or a client secret), refresh-token
//! rotation with a grace period, revocation, OpenID Connect discovery and JWKS, RS256 tokens,
//! and `/connections`.
//!
//! The gateway relies on three questions answered here: is this access token valid
//! ([`IdentityState::authenticate`]), is the token's user connected to this tenant through this
//! app ([`IdentityState::is_connected`]), and has Xero approved the token's XPM scopes for the app
//! ([`IdentityState::approves`]).
//!
//! Xero serves these on three hosts; the emulator serves them all on its base URL, at the same
//! paths, so an app only swaps hosts:
//!
//! | Xero | emulator path |
//! |---|---|
//! | `https://login.xero.com/identity/connect/authorize` | `/identity/connect/authorize` |
//! | `https://identity.xero.com/connect/token` | `/connect/token` |
//! | `https://identity.xero.com/connect/revocation` | `/connect/revocation` |
//! | `https://identity.xero.com/connect/userinfo` | `/connect/userinfo` |
//! | `https://identity.xero.com/.well-known/openid-configuration` (+ `/jwks`) | same |
//! | `https://api.xero.com/connections` | `/connections` (also `/Connections`) |
//!
//! Tokens are signed with a key generated at start (or, when the configuration asks, the
//! published development key [`dev_key`]); their issuer is the emulator's base URL where Xero's
//! is `https://identity.xero.com`. The gateway accepts only access tokens the emulator recorded
//! when it issued them, and takes their scopes from its own authorisation records.
//!
//! Architecture invariant: identity state never holds a usable credential. Codes, refresh tokens,
//! consent request ids and the cache of verified access tokens are keyed by SHA-256 hashes,
//! client secrets are `SecretString`, and nothing here logs or prints a token, code, verifier or
//! secret.

mod admin;
mod apps;
mod authorize;
mod bearer;
mod claims;
mod connections;
mod dev_key;
mod discovery;
mod jwt;
mod keygen;
mod oauth;
mod pages;
mod persist;
mod pkce;
mod scopes;
mod secrets;
mod state;
mod store;
mod tenant_choice;
mod token;
mod verified;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post};

pub(crate) use persist::IdentityRecord;
pub(crate) use secrets::secrets_match;
pub(crate) use state::IdentityState;

use crate::shared::Shared;

/// The identity routes: `/identity/connect/authorize`, `/connect/token`, `/connect/revocation`,
/// `/connect/userinfo`, `/.well-known/openid-configuration` (+ `/jwks`), `/connections`, and
/// the app admin routes under `/__admin/apps`.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/identity/connect/authorize", get(authorize::authorize).post(authorize::answer))
        .route("/connect/token", post(token::token))
        .route("/connect/revocation", post(token::revocation))
        .route("/connect/userinfo", get(discovery::userinfo).post(discovery::userinfo))
        .route("/.well-known/openid-configuration", get(discovery::openid_configuration))
        .route("/.well-known/openid-configuration/jwks", get(discovery::jwks))
        .route("/connections", get(connections::list))
        .route("/Connections", get(connections::list))
        .route("/connections/{id}", delete(connections::delete))
        .route("/Connections/{id}", delete(connections::delete))
        .merge(admin::routes())
}

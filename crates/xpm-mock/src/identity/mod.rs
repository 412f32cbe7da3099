//! Xero identity: OAuth 2.0 authorisation code (with PKCE or a client secret), refresh-token
//! rotation with a grace period, revocation, OpenID Connect discovery and JWKS, RS256 tokens,
//! and `/connections`.
//!
//! The gateway relies on three questions answered here: is this access token valid
//! ([`IdentityState::authenticate`]), is the token's user connected to this tenant through this
//! app ([`IdentityState::is_connected`]), and which XPM scopes has Xero approved for the app
//! ([`IdentityState::approved_scopes`]).

mod dev_key;

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::catalog::Scope;

use crate::api::Problem;
use crate::config::EmulatorConfig;
use crate::shared::Shared;

/// What a valid access token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccessGrant {
    /// The app the token was issued to.
    pub(crate) client_id: String,
    /// The Xero user.
    pub(crate) user_id: Uuid,
    /// The XPM scopes granted (identity scopes are left out).
    pub(crate) scopes: Vec<Scope>,
    /// The authorisation event that created the token's connections.
    pub(crate) auth_event_id: Uuid,
}

/// Identity state: apps, codes, tokens, connections.
#[derive(Debug)]
pub(crate) struct IdentityState {
    apps: parking_lot::RwLock<Vec<crate::config::AppRegistration>>,
}

impl IdentityState {
    /// Identity state for the configured apps and practices.
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        Self { apps: parking_lot::RwLock::new(config.apps.clone()) }
    }

    /// Validates a bearer access token.
    pub(crate) fn authenticate(&self, _token: &str, _now: DateTime<Utc>) -> Result<AccessGrant, Problem> {
        Err(Problem::Unauthorized { detail: "AuthenticationUnsuccessful".into() })
    }

    /// Whether the grant's user connected `tenant` to the grant's app.
    pub(crate) fn is_connected(&self, _grant: &AccessGrant, _tenant: Uuid) -> bool {
        false
    }

    /// The XPM scopes Xero has approved for an app (empty for an unknown app).
    pub(crate) fn approved_scopes(&self, client_id: &str) -> BTreeSet<Scope> {
        self.apps
            .read()
            .iter()
            .find(|app| app.client_id == client_id)
            .map(|app| app.approved_scopes.clone())
            .unwrap_or_default()
    }
}

/// The identity routes: `/identity/connect/authorize`, `/connect/token`, `/connect/revocation`,
/// `/.well-known/openid-configuration` (+ `/jwks`), `/connections`.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
}

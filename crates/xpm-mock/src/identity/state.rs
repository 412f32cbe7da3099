//! [`IdentityState`]: apps, the signed-in user, keys and the store, and the questions the
//! gateway asks about access tokens.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use secrecy::SecretString;
use uuid::Uuid;
use xpm_api::catalog::{IdentityScope, Scope};

use super::apps::{AppError, AppRegistry, AppSummary};
use super::claims::{self, AccessClaims, UserIdentity};
use super::jwt::SigningKeys;
use super::store::{Authorization, Store};
use crate::api::Problem;
use crate::config::{AppRegistration, EmulatorConfig, TokenLifetimes};

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

/// Tokens issued by one call to the token endpoint.
#[derive(Debug)]
pub(crate) struct IssuedTokens {
    pub(crate) access_token: SecretString,
    pub(crate) id_token: Option<SecretString>,
    pub(crate) refresh_token: Option<SecretString>,
    pub(crate) expires_in: i64,
    pub(crate) scope: String,
}

/// Identity state: apps, codes, tokens, connections.
#[derive(Debug)]
pub(crate) struct IdentityState {
    pub(super) apps: AppRegistry,
    pub(super) user: UserIdentity,
    pub(super) lifetimes: TokenLifetimes,
    pub(super) auto_consent: bool,
    /// The demo user's sign-in session, shared by every consent (the user never signs out).
    pub(super) global_session_id: String,
    pub(super) keys: SigningKeys,
    pub(super) store: Mutex<Store>,
}

impl IdentityState {
    /// Identity state for the configured apps and user.
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        Self {
            apps: AppRegistry::new(config.apps.clone()),
            user: UserIdentity::from_demo(&config.user),
            lifetimes: config.tokens,
            auto_consent: config.auto_consent,
            global_session_id: Uuid::new_v4().simple().to_string(),
            keys: SigningKeys::dev(),
            store: Mutex::new(Store::default()),
        }
    }

    /// Validates a bearer access token: signature, audience, expiry on the emulator clock, and
    /// that its authorisation has not been revoked.
    pub(crate) fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<AccessGrant, Problem> {
        let (claims, _) = self.authenticate_claims(token, now)?;
        Ok(AccessGrant {
            client_id: claims.client_id,
            user_id: claims.xero_userid,
            scopes: claims.scope.iter().filter_map(|name| name.parse::<Scope>().ok()).collect(),
            auth_event_id: claims.authentication_event_id,
        })
    }

    /// [`IdentityState::authenticate`], returning the claims and the authorisation behind them.
    pub(super) fn authenticate_claims(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(AccessClaims, Authorization), Problem> {
        let unsuccessful = || Problem::Unauthorized { detail: "AuthenticationUnsuccessful".into() };
        let claims = self.keys.verify_access(token).map_err(|_| unsuccessful())?;
        // An id_token is signed with the same key; only access tokens name the resources audience.
        if claims.aud != claims::resources_audience(&claims.iss) || now.timestamp() < claims.nbf {
            return Err(unsuccessful());
        }
        if now.timestamp() >= claims.exp {
            let at = DateTime::from_timestamp(claims.exp, 0).unwrap_or(now);
            return Err(Problem::TokenExpired { at });
        }
        let authorization = self.store.lock().authorization(claims.authentication_event_id).cloned();
        match authorization {
            Some(authorization)
                if authorization.client_id == claims.client_id && authorization.user_id == claims.xero_userid =>
            {
                Ok((claims, authorization))
            }
            _ => Err(unsuccessful()),
        }
    }

    /// Whether the grant's user connected `tenant` to the grant's app.
    pub(crate) fn is_connected(&self, grant: &AccessGrant, tenant: Uuid) -> bool {
        self.store.lock().is_connected(grant.user_id, &grant.client_id, tenant)
    }

    /// The XPM scopes Xero has approved for an app (empty for an unknown app).
    pub(crate) fn approved_scopes(&self, client_id: &str) -> BTreeSet<Scope> {
        self.apps.approved_scopes(client_id)
    }

    /// Xero approves `scopes` for an app.
    pub(crate) fn approve(&self, client_id: &str, scopes: &[Scope]) -> Result<AppSummary, AppError> {
        self.apps.approve(client_id, scopes)
    }

    /// Xero withdraws approval of `scopes`; calls with tokens that carry them fail from now on.
    pub(crate) fn revoke_approval(&self, client_id: &str, scopes: &[Scope]) -> Result<AppSummary, AppError> {
        self.apps.revoke_approval(client_id, scopes)
    }

    /// Registers (or replaces) an app. Returns whether one was replaced.
    pub(crate) fn register_app(&self, app: AppRegistration) -> bool {
        self.apps.register(app)
    }

    /// Every registered app, without secrets.
    pub(crate) fn apps(&self) -> Vec<AppSummary> {
        self.apps.summaries()
    }

    /// Signs an access token (and an id_token with `openid`) for an authorisation, and a refresh
    /// token with `offline_access`.
    pub(super) fn issue_tokens(
        &self,
        store: &mut Store,
        authorization: &Authorization,
        nonce: Option<&str>,
        issuer: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, jsonwebtoken::errors::Error> {
        let lifetime = self.lifetimes.access_token;
        let access = claims::access_claims(authorization, &self.user, issuer, now, lifetime);
        let access_token = self.keys.sign(&access)?;
        let id_token = if authorization.scopes.has(IdentityScope::OpenId) {
            let id = claims::id_claims(authorization, &self.user, issuer, now, &access_token, nonce);
            Some(SecretString::from(self.keys.sign(&id)?))
        } else {
            None
        };
        let refresh_token = authorization
            .scopes
            .has(IdentityScope::OfflineAccess)
            .then(|| store.issue_refresh_token(authorization, now, self.lifetimes.refresh_token));
        Ok(IssuedTokens {
            access_token: SecretString::from(access_token),
            id_token,
            refresh_token,
            expires_in: lifetime.num_seconds(),
            scope: authorization.scopes.joined(),
        })
    }
}

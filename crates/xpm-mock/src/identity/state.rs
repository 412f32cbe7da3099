//! [`IdentityState`]: apps, the signed-in user, keys and the store, and the questions the
//! gateway asks about access tokens.

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use secrecy::SecretString;
use uuid::Uuid;
use xpm_api::catalog::{IdentityScope, Scope};

use super::apps::{AppError, AppRegistry, AppSummary};
use super::claims::{self, AccessClaims, UserIdentity};
use super::jwt::SigningKeys;
use super::store::{Authorization, Store};
use super::verified::VerifiedTokens;
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
    /// Access tokens whose signature has been checked.
    pub(super) verified: VerifiedTokens<VerifiedAccess>,
}

/// A token whose signature checked out: its claims.
#[derive(Debug)]
pub(super) struct VerifiedAccess {
    claims: AccessClaims,
}

impl AccessGrant {
    /// What the emulator granted: the scopes come from its own authorisation record, never from
    /// the token's `scope` claim, so a token that claims more than was consented to gains nothing.
    fn of(authorization: &Authorization) -> Self {
        Self {
            client_id: authorization.client_id.clone(),
            user_id: authorization.user_id,
            scopes: authorization.scopes.xpm(),
            auth_event_id: authorization.auth_event_id,
        }
    }
}

/// How many verified tokens to remember: far more than a test or a demo holds at once.
pub(super) const VERIFIED_TOKENS: usize = 4096;

impl IdentityState {
    /// Identity state for the configured apps and user.
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        Self {
            apps: AppRegistry::new(config.apps.clone()),
            user: UserIdentity::from_demo(&config.user),
            lifetimes: config.tokens,
            auto_consent: config.auto_consent,
            global_session_id: Uuid::new_v4().simple().to_string(),
            keys: SigningKeys::new(config.signing_key),
            store: Mutex::new(Store::default()),
            verified: VerifiedTokens::new(VERIFIED_TOKENS),
        }
    }

    /// Validates a bearer access token: signature, audience, expiry on the emulator clock, and
    /// that its authorisation has not been revoked.
    pub(crate) fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<AccessGrant, Problem> {
        self.check_token(token, now, |_, authorization| AccessGrant::of(authorization))
    }

    /// [`IdentityState::authenticate`], returning the claims and the authorisation behind them.
    pub(super) fn authenticate_claims(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(AccessClaims, Authorization), Problem> {
        self.check_token(token, now, |verified, authorization| (verified.claims.clone(), authorization.clone()))
    }

    /// Checks a token and hands its verified claims and live authorisation to `accept`. Only the
    /// signature check is cached ([`VerifiedTokens`]); everything that can change is checked on
    /// every call, including that the emulator issued this very token and has not revoked it.
    fn check_token<T>(
        &self,
        token: &str,
        now: DateTime<Utc>,
        accept: impl FnOnce(&VerifiedAccess, &Authorization) -> T,
    ) -> Result<T, Problem> {
        let unsuccessful = || Problem::Unauthorized { detail: "AuthenticationUnsuccessful".into() };
        let verified = self
            .verified
            .get_or_verify(
                token,
                |verified| verified.claims.exp > now.timestamp(),
                || self.keys.verify_access(token).map(|claims| VerifiedAccess { claims }),
            )
            .map_err(|_| unsuccessful())?;
        let claims = &verified.claims;
        // An id_token is signed with the same key; only access tokens name the resources audience
        // (`{iss}/resources`, compared without building the string).
        let audience_ok = claims.aud.strip_suffix(claims::RESOURCES_SUFFIX) == Some(claims.iss.as_str());
        if !audience_ok || now.timestamp() < claims.nbf {
            return Err(unsuccessful());
        }
        if now.timestamp() >= claims.exp {
            let at = DateTime::from_timestamp(claims.exp, 0).unwrap_or(now);
            return Err(Problem::TokenExpired { at });
        }
        let store = self.store.lock();
        match store.access_authorization(token, now) {
            Some(authorization)
                if authorization.auth_event_id == claims.authentication_event_id
                    && authorization.client_id == claims.client_id
                    && authorization.user_id == claims.xero_userid =>
            {
                Ok(accept(&verified, authorization))
            }
            _ => Err(unsuccessful()),
        }
    }

    /// Whether the grant's user connected `tenant` to the grant's app.
    pub(crate) fn is_connected(&self, grant: &AccessGrant, tenant: Uuid) -> bool {
        self.store.lock().is_connected(grant.user_id, &grant.client_id, tenant)
    }

    /// Whether Xero has approved every one of `scopes` for an app (an unknown app has none).
    pub(crate) fn approves(&self, client_id: &str, scopes: &[Scope]) -> bool {
        self.apps.approves(client_id, scopes)
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
        store.record_access_token(&SecretString::from(access_token.clone()), authorization, now + lifetime);
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

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret as _;

    use super::*;
    use crate::identity::scopes::GrantedScopes;
    use crate::identity::store::PendingConsent;

    #[test]
    fn a_token_already_verified_still_expires_and_is_still_revoked() {
        let identity = IdentityState::new(&EmulatorConfig::default());
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let client_id = crate::config::DEMO_CLIENT_ID;
        let pending = PendingConsent {
            client_id: client_id.to_owned(),
            redirect_uri: "http://localhost:8765/callback".to_owned(),
            state: None,
            scopes: GrantedScopes::parse("openid offline_access practicemanager").unwrap_or_default(),
            code_challenge: None,
            nonce: None,
            expires_at: now,
            tenants: None,
        };
        let mut store = identity.store.lock();
        let tenants = [(Uuid::from_u128(1), "Practice".to_owned())];
        let lifetimes = identity.lifetimes;
        let (_, authorization) =
            store.consent(pending, &tenants, identity.user.xero_userid, "session", now, &lifetimes);
        let issued = identity.issue_tokens(&mut store, &authorization, None, "http://emulator", now);
        drop(store);
        let issued = issued.expect("tokens are issued");
        let access = issued.access_token.expose_secret();

        // Verified once, then answered from the cache.
        assert!(identity.authenticate(access, now).is_ok());
        assert!(identity.authenticate(access, now).is_ok());
        let later = now + lifetimes.access_token;
        assert!(matches!(identity.authenticate(access, later), Err(Problem::TokenExpired { .. })));

        let refresh = issued.refresh_token.as_ref().map(|token| token.expose_secret().to_owned()).unwrap_or_default();
        assert!(identity.store.lock().revoke(&refresh, client_id, now));
        assert!(matches!(identity.authenticate(access, now), Err(Problem::Unauthorized { .. })));
    }

    /// A token signed with the emulator's key but not issued by it (here: a real token's claims
    /// with every scope added) once gained those scopes; it is refused, and a real token's grant
    /// holds the consented scopes whatever its claim says.
    #[test]
    fn only_tokens_the_emulator_issued_are_accepted_with_the_scopes_it_granted() {
        let identity = IdentityState::new(&EmulatorConfig::default());
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let pending = PendingConsent {
            client_id: crate::config::DEMO_CLIENT_ID.to_owned(),
            redirect_uri: "http://localhost:8765/callback".to_owned(),
            state: None,
            scopes: GrantedScopes::parse("openid practicemanager.client.read").unwrap_or_default(),
            code_challenge: None,
            nonce: None,
            expires_at: now,
            tenants: None,
        };
        let mut store = identity.store.lock();
        let tenants = [(Uuid::from_u128(1), "Practice".to_owned())];
        let lifetimes = identity.lifetimes;
        let (_, authorization) =
            store.consent(pending, &tenants, identity.user.xero_userid, "session", now, &lifetimes);
        let issued = identity.issue_tokens(&mut store, &authorization, None, "http://emulator", now);
        drop(store);
        let issued = issued.expect("tokens are issued");
        let access = issued.access_token.expose_secret();
        let granted = identity.authenticate(access, now).map(|grant| grant.scopes);
        assert_eq!(granted, Ok(vec![Scope::ClientRead]));

        let mut claims = identity.keys.verify_access(access).expect("the emulator's own token verifies");
        claims.scope = Scope::ALL.iter().map(|scope| scope.as_str().to_owned()).collect();
        let forged = identity.keys.sign(&claims).expect("signs");
        assert!(matches!(identity.authenticate(&forged, now), Err(Problem::Unauthorized { .. })));
    }
}

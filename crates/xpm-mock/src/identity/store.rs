//! What identity remembers between requests: consent requests waiting for an answer,
//! authorisation codes, refresh-token families, authorisations and connections.
//!
//! Credentials are keyed by their hash (see [`super::secrets`]); every operation takes `now` from
//! the emulator clock so tests can step through code expiry and refresh grace periods.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret as _, SecretString};
use uuid::Uuid;

use super::pkce;
use super::scopes::GrantedScopes;
use super::secrets::{CredentialHash, new_credential};
use crate::config::TokenLifetimes;

/// One consent: a user let an app use some scopes (and connect some practices).
///
/// Its id is the `authEventId` of the connections it made and the `authentication_event_id` of
/// its access tokens; revoking the refresh token family removes it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Authorization {
    pub(crate) auth_event_id: Uuid,
    pub(crate) client_id: String,
    pub(crate) user_id: Uuid,
    pub(crate) scopes: GrantedScopes,
    pub(crate) auth_time: DateTime<Utc>,
    /// `global_session_id`: the user's sign-in session.
    pub(crate) global_session_id: String,
    /// `sid`: the session as the id_token names it.
    pub(crate) session_id: String,
}

/// A validated authorize request, waiting on the consent page (or answered at once with
/// auto-consent).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PendingConsent {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    /// Returned to the app unchanged; an app's CSRF token, so it never shows in `Debug`.
    #[serde(with = "crate::state::secret")]
    pub(crate) state: Option<SecretString>,
    pub(crate) scopes: GrantedScopes,
    pub(crate) code_challenge: Option<String>,
    /// Copied into the id_token; kept out of `Debug` like `state`.
    #[serde(with = "crate::state::secret")]
    pub(crate) nonce: Option<SecretString>,
    pub(crate) expires_at: DateTime<Utc>,
    /// The practices the request narrowed the offer to (`emulator_tenants`); `None` offers all.
    pub(crate) tenants: Option<Vec<Uuid>>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CodeRecord {
    auth_event_id: Uuid,
    client_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    #[serde(with = "crate::state::secret")]
    nonce: Option<SecretString>,
    expires_at: DateTime<Utc>,
    used: bool,
}

/// An access token the emulator signed. The gateway accepts a bearer token only if it is one of
/// these: a token signed by anyone else (even with the same key) is not a grant, and revoking
/// one removes it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct AccessRecord {
    auth_event_id: Uuid,
    expires_at: DateTime<Utc>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct RefreshRecord {
    auth_event_id: Uuid,
    client_id: String,
    expires_at: DateTime<Utc>,
    /// When this token was first exchanged for a new one; it stays usable for the grace period.
    rotated_at: Option<DateTime<Utc>>,
}

/// A practice a user connected to an app. Deleted connections are kept (inactive) so that
/// reconnecting keeps the id and `createdDateUtc`, as Xero's do.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Connection {
    pub(crate) id: Uuid,
    pub(crate) auth_event_id: Uuid,
    pub(crate) tenant_id: Uuid,
    pub(crate) tenant_name: String,
    pub(crate) user_id: Uuid,
    pub(crate) client_id: String,
    pub(crate) created: DateTime<Utc>,
    pub(crate) updated: DateTime<Utc>,
    pub(crate) active: bool,
}

/// Why a code or refresh token was refused: each is `invalid_grant`, and the message is its
/// `error_description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum GrantError {
    #[error("invalid authorization code")]
    UnknownCode,
    #[error("authorization code has already been used")]
    CodeUsed,
    #[error("authorization code has expired")]
    CodeExpired,
    #[error("authorization code was issued to another client")]
    CodeClientMismatch,
    #[error("redirect_uri does not match the one in the authorize request")]
    RedirectMismatch,
    #[error("code_verifier is missing")]
    VerifierMissing,
    #[error("code_verifier does not match the code_challenge")]
    VerifierMismatch,
    #[error("code_verifier was sent, but the authorize request had no code_challenge")]
    VerifierUnexpected,
    #[error("Token has been expired or revoked.")]
    RefreshInvalid,
    #[error("refresh token was issued to another client")]
    RefreshClientMismatch,
}

/// The code exchange's checks passed: the authorisation and the nonce for its id_token.
#[derive(Debug)]
pub(crate) struct RedeemedCode {
    pub(crate) authorization: Authorization,
    pub(crate) nonce: Option<SecretString>,
}

/// Everything mutable in identity, behind one lock.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    pending: HashMap<CredentialHash, PendingConsent>,
    codes: HashMap<CredentialHash, CodeRecord>,
    refresh_tokens: HashMap<CredentialHash, RefreshRecord>,
    access_tokens: HashMap<CredentialHash, AccessRecord>,
    authorizations: HashMap<Uuid, Authorization>,
    connections: Vec<Connection>,
}

impl Store {
    /// Forgets what can no longer be used, so a long-running emulator stays small.
    pub(crate) fn prune(&mut self, now: DateTime<Utc>, lifetimes: &TokenLifetimes) {
        self.pending.retain(|_, pending| pending.expires_at > now);
        // Used and expired codes are kept a little longer to explain a late reuse.
        self.codes.retain(|_, code| code.expires_at + lifetimes.authorization_code > now);
        self.refresh_tokens.retain(|_, token| {
            token.expires_at > now && token.rotated_at.is_none_or(|rotated| rotated + lifetimes.refresh_grace > now)
        });
        self.access_tokens.retain(|_, token| token.expires_at > now);
    }

    /// Keeps a validated authorize request for the consent page; returns its one-time id.
    pub(crate) fn hold_consent(&mut self, pending: PendingConsent) -> SecretString {
        let request_id = new_credential();
        self.pending.insert(CredentialHash::of_secret(&request_id), pending);
        request_id
    }

    /// Takes the consent request with this id, once; `None` if unknown, answered or expired.
    pub(crate) fn take_consent(&mut self, request_id: &str, now: DateTime<Utc>) -> Option<PendingConsent> {
        self.pending.remove(&CredentialHash::of(request_id)).filter(|pending| pending.expires_at > now)
    }

    /// Records the user's consent: a new authorisation, connections to `tenants`, and a code.
    pub(crate) fn consent(
        &mut self,
        pending: PendingConsent,
        tenants: &[(Uuid, String)],
        user_id: Uuid,
        global_session_id: &str,
        now: DateTime<Utc>,
        lifetimes: &TokenLifetimes,
    ) -> (SecretString, Authorization) {
        let authorization = Authorization {
            auth_event_id: Uuid::new_v4(),
            client_id: pending.client_id.clone(),
            user_id,
            scopes: pending.scopes.clone(),
            auth_time: now,
            global_session_id: global_session_id.to_owned(),
            session_id: Uuid::new_v4().simple().to_string().to_uppercase(),
        };
        for (tenant_id, tenant_name) in tenants {
            self.connect(&authorization, *tenant_id, tenant_name, now);
        }
        self.authorizations.insert(authorization.auth_event_id, authorization.clone());
        let code = new_credential();
        self.codes.insert(
            CredentialHash::of_secret(&code),
            CodeRecord {
                auth_event_id: authorization.auth_event_id,
                client_id: pending.client_id,
                redirect_uri: pending.redirect_uri,
                code_challenge: pending.code_challenge,
                nonce: pending.nonce,
                expires_at: now + lifetimes.authorization_code,
                used: false,
            },
        );
        (code, authorization)
    }

    fn connect(&mut self, authorization: &Authorization, tenant_id: Uuid, tenant_name: &str, now: DateTime<Utc>) {
        let existing = self.connections.iter_mut().find(|connection| {
            connection.user_id == authorization.user_id
                && connection.client_id == authorization.client_id
                && connection.tenant_id == tenant_id
        });
        match existing {
            Some(connection) => {
                connection.auth_event_id = authorization.auth_event_id;
                connection.tenant_name = tenant_name.to_owned();
                connection.updated = now;
                connection.active = true;
            }
            None => self.connections.push(Connection {
                id: Uuid::new_v4(),
                auth_event_id: authorization.auth_event_id,
                tenant_id,
                tenant_name: tenant_name.to_owned(),
                user_id: authorization.user_id,
                client_id: authorization.client_id.clone(),
                created: now,
                updated: now,
                active: true,
            }),
        }
    }

    /// Exchanges a code. A code is burnt by the first attempt from its own client, whatever the
    /// outcome, so a stolen code cannot be retried with guessed verifiers.
    pub(crate) fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&SecretString>,
        now: DateTime<Utc>,
    ) -> Result<RedeemedCode, GrantError> {
        let record = self.codes.get_mut(&CredentialHash::of(code)).ok_or(GrantError::UnknownCode)?;
        if record.client_id != client_id {
            return Err(GrantError::CodeClientMismatch);
        }
        if record.used {
            // RFC 6749 §4.1.2: a code used twice SHOULD revoke the tokens issued from it, since
            // one of the two presenters stole it.
            let auth_event_id = record.auth_event_id;
            self.revoke_tokens_of(auth_event_id);
            return Err(GrantError::CodeUsed);
        }
        record.used = true;
        if now >= record.expires_at {
            return Err(GrantError::CodeExpired);
        }
        if redirect_uri != Some(record.redirect_uri.as_str()) {
            return Err(GrantError::RedirectMismatch);
        }
        match (&record.code_challenge, verifier) {
            (Some(challenge), Some(verifier)) if !pkce::verifies(verifier.expose_secret(), challenge) => {
                return Err(GrantError::VerifierMismatch);
            }
            (Some(_), None) => return Err(GrantError::VerifierMissing),
            // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a PKCE
            // downgrade (an attacker injecting a code it obtained without PKCE), so it is refused.
            (None, Some(_)) => return Err(GrantError::VerifierUnexpected),
            _ => {}
        }
        let nonce = record.nonce.take();
        let authorization = self.authorizations.get(&record.auth_event_id).cloned().ok_or(GrantError::UnknownCode)?;
        Ok(RedeemedCode { authorization, nonce })
    }

    /// Issues a refresh token for an authorisation.
    pub(crate) fn issue_refresh_token(
        &mut self,
        authorization: &Authorization,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> SecretString {
        let token = new_credential();
        self.refresh_tokens.insert(
            CredentialHash::of_secret(&token),
            RefreshRecord {
                auth_event_id: authorization.auth_event_id,
                client_id: authorization.client_id.clone(),
                expires_at: now + lifetime,
                rotated_at: None,
            },
        );
        token
    }

    /// Records an access token the emulator just signed.
    pub(crate) fn record_access_token(
        &mut self,
        token: &SecretString,
        authorization: &Authorization,
        expires_at: DateTime<Utc>,
    ) {
        let record = AccessRecord { auth_event_id: authorization.auth_event_id, expires_at };
        self.access_tokens.insert(CredentialHash::of_secret(token), record);
    }

    /// The authorisation behind an access token this emulator issued, if the token is still
    /// recorded (not expired, not revoked) and its authorisation still stands.
    pub(crate) fn access_authorization(&self, token: &str, now: DateTime<Utc>) -> Option<&Authorization> {
        let record = self.access_tokens.get(&CredentialHash::of(token)).filter(|record| record.expires_at > now)?;
        self.authorizations.get(&record.auth_event_id)
    }

    /// Checks a refresh token for rotation and marks it rotated; the caller issues the new one.
    ///
    /// A rotated token keeps working for `grace` after its first rotation, so an app that lost
    /// the response can retry; each retry returns a fresh pair.
    pub(crate) fn rotate_refresh_token(
        &mut self,
        token: &str,
        client_id: &str,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> Result<Authorization, GrantError> {
        let record = self.refresh_tokens.get_mut(&CredentialHash::of(token)).ok_or(GrantError::RefreshInvalid)?;
        if record.client_id != client_id {
            return Err(GrantError::RefreshClientMismatch);
        }
        let expired = now >= record.expires_at;
        let rotated_out = record.rotated_at.is_some_and(|rotated| now >= rotated + grace);
        if expired || rotated_out {
            return Err(GrantError::RefreshInvalid);
        }
        let authorization =
            self.authorizations.get(&record.auth_event_id).cloned().ok_or(GrantError::RefreshInvalid)?;
        record.rotated_at.get_or_insert(now);
        Ok(authorization)
    }

    /// Revokes the family of a refresh token and the user's connections to its app. Returns
    /// whether the token was one of `client_id`'s (unknown tokens are not an error, RFC 7009).
    ///
    /// An access token (RFC 7009 §2.1: servers SHOULD support revoking them) is revoked alone:
    /// it is refused from then on, and its refresh token and connections stay.
    pub(crate) fn revoke(&mut self, token: &str, client_id: &str, now: DateTime<Utc>) -> bool {
        let hash = CredentialHash::of(token);
        let Some(record) = self.refresh_tokens.get(&hash) else { return self.revoke_access_token(hash, client_id) };
        if record.client_id != client_id {
            return false;
        }
        let auth_event_id = record.auth_event_id;
        self.codes.retain(|_, code| code.auth_event_id != auth_event_id);
        if let Some(authorization) = self.revoke_tokens_of(auth_event_id) {
            for connection in self.connections.iter_mut().filter(|connection| {
                connection.active && connection.user_id == authorization.user_id && connection.client_id == client_id
            }) {
                connection.active = false;
                connection.updated = now;
            }
        }
        true
    }

    fn revoke_access_token(&mut self, hash: CredentialHash, client_id: &str) -> bool {
        let owned = self.access_tokens.get(&hash).is_some_and(|record| {
            self.authorizations
                .get(&record.auth_event_id)
                .is_some_and(|authorization| authorization.client_id == client_id)
        });
        if owned {
            self.access_tokens.remove(&hash);
        }
        owned
    }

    /// Removes an authorisation and every token issued under it; returns the authorisation.
    fn revoke_tokens_of(&mut self, auth_event_id: Uuid) -> Option<Authorization> {
        self.refresh_tokens.retain(|_, token| token.auth_event_id != auth_event_id);
        self.access_tokens.retain(|_, token| token.auth_event_id != auth_event_id);
        self.authorizations.remove(&auth_event_id)
    }

    /// The user's active connections to the app, oldest first.
    pub(crate) fn connections(&self, user_id: Uuid, client_id: &str) -> impl Iterator<Item = &Connection> {
        self.connections.iter().filter(move |connection| {
            connection.active && connection.user_id == user_id && connection.client_id == client_id
        })
    }

    /// Whether the user has connected `tenant` to the app.
    pub(crate) fn is_connected(&self, user_id: Uuid, client_id: &str, tenant: Uuid) -> bool {
        self.connections(user_id, client_id).any(|connection| connection.tenant_id == tenant)
    }

    /// Disconnects one of the user's connections; `false` if it is not theirs or not active.
    pub(crate) fn disconnect(&mut self, user_id: Uuid, client_id: &str, id: Uuid, now: DateTime<Utc>) -> bool {
        let found = self.connections.iter_mut().find(|connection| {
            connection.id == id
                && connection.active
                && connection.user_id == user_id
                && connection.client_id == client_id
        });
        match found {
            Some(connection) => {
                connection.active = false;
                connection.updated = now;
                true
            }
            None => false,
        }
    }
}

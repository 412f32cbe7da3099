//! What the emulator's state file keeps of identity: the registered apps (secrets included),
//! the signing key, the demo user's sign-in session, and the store of authorisations, codes,
//! token records and connections.
//!
//! Codes and tokens are kept as the store keeps them, by their SHA-256 ([`super::secrets`]): the
//! file never holds a usable code or token, though it does hold app secrets and the private
//! signing key, which is why it is written with mode 0600.

use std::collections::BTreeSet;

use parking_lot::Mutex;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use xpm_api::catalog::Scope;

use super::apps::AppRegistry;
use super::claims::UserIdentity;
use super::jwt::{KeyOrigin, SigningKeys};
use super::state::IdentityState;
use super::store::Store;
use super::verified::VerifiedTokens;
use crate::config::{AppRegistration, EmulatorConfig};

/// Identity as the state file holds it (read side).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdentityRecord {
    apps: Vec<AppRecord>,
    global_session_id: String,
    signing_key: KeyOrigin,
    store: Store,
}

/// The same, borrowed from the live state (write side).
#[derive(Serialize)]
struct IdentityRecordRef<'a> {
    apps: Vec<AppRecord>,
    global_session_id: &'a str,
    signing_key: &'a KeyOrigin,
    store: &'a Store,
}

/// An app registration as the state file writes it, secret included. A private mirror of
/// [`AppRegistration`] rather than a serde derive on that public type, so that no one can
/// serialise a configuration and write its secret by accident. `Debug` shows the secret as
/// `SecretString` does: redacted.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppRecord {
    name: String,
    client_id: String,
    #[serde(with = "crate::state::secret")]
    client_secret: Option<SecretString>,
    redirect_uris: Vec<String>,
    #[serde(with = "scope_names")]
    requested_scopes: BTreeSet<Scope>,
    #[serde(with = "scope_names")]
    approved_scopes: BTreeSet<Scope>,
}

impl From<AppRegistration> for AppRecord {
    fn from(app: AppRegistration) -> Self {
        Self {
            name: app.name,
            client_id: app.client_id,
            client_secret: app.client_secret,
            redirect_uris: app.redirect_uris,
            requested_scopes: app.requested_scopes,
            approved_scopes: app.approved_scopes,
        }
    }
}

impl From<AppRecord> for AppRegistration {
    fn from(app: AppRecord) -> Self {
        Self {
            name: app.name,
            client_id: app.client_id,
            client_secret: app.client_secret,
            redirect_uris: app.redirect_uris,
            requested_scopes: app.requested_scopes,
            approved_scopes: app.approved_scopes,
        }
    }
}

/// Scopes by name (`practicemanager.client.read`), as Xero writes them.
mod scope_names {
    use std::collections::BTreeSet;

    use serde::de::Error as _;
    use serde::{Deserialize as _, Deserializer, Serializer};
    use xpm_api::catalog::Scope;

    pub(super) fn serialize<S: Serializer>(scopes: &BTreeSet<Scope>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(scopes.iter().map(|scope| scope.as_str()))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeSet<Scope>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|name| name.parse::<Scope>().map_err(|error| D::Error::custom(error.to_string())))
            .collect()
    }
}

impl Serialize for IdentityState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let apps = self.apps.registrations().into_iter().map(AppRecord::from).collect();
        let store = self.store.lock();
        IdentityRecordRef {
            apps,
            global_session_id: &self.global_session_id,
            signing_key: self.keys.origin(),
            store: &store,
        }
        .serialize(serializer)
    }
}

impl IdentityState {
    /// Identity as a state file left it; lifetimes, consent mode and the user come from `config`.
    pub(crate) fn restore(config: &EmulatorConfig, record: IdentityRecord) -> Result<Self, String> {
        Ok(Self {
            apps: AppRegistry::new(record.apps.into_iter().map(AppRegistration::from).collect()),
            user: UserIdentity::from_demo(&config.user),
            lifetimes: config.tokens,
            auto_consent: config.auto_consent,
            global_session_id: record.global_session_id,
            keys: SigningKeys::restore(record.signing_key)?,
            store: Mutex::new(record.store),
            verified: VerifiedTokens::new(super::state::VERIFIED_TOKENS),
        })
    }

    /// The signing key's public half and the sign-in session: what must survive a restart.
    #[cfg(test)]
    pub(crate) fn fingerprint(&self) -> (serde_json::Value, String) {
        (self.keys.jwks(), self.global_session_id.clone())
    }

    /// The registered apps, secrets included, for the state file's record of the configuration.
    pub(crate) fn registrations(&self) -> Vec<AppRegistration> {
        self.apps.registrations()
    }
}

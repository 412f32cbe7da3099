//! An emulator signed in to, for tests, examples and benchmarks: the one place that starts an
//! [`Emulator`], authorises its demo app through the real OAuth flow (the emulator consents at
//! once) and stores the tokens, so each harness only says what it wants to be different.
//! Behind the `test-util` feature.
//!
//! ```no_run
//! # async fn example() -> Result<(), xpm_client::testing::SignInError> {
//! use xpm_client::clock::SystemClock;
//! use xpm_client::testing::EmulatorSession;
//! use xpm_mock::Emulator;
//! use xpm_mock::config::{LimitSettings, PracticeSeed};
//!
//! let config = EmulatorSession::config(PracticeSeed::default(), LimitSettings::XERO);
//! let session = EmulatorSession::sign_in(Emulator::new(config), &["practicemanager"], &SystemClock).await?;
//! let client = session.client().build().map_err(Box::new)?;
//! let staff = client.staff(session.tenant).list().send().await;
//! # Ok(()) }
//! ```

use std::sync::Arc;

use uuid::Uuid;
use xpm_mock::config::{AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

use crate::clock::Clock;
use crate::config::{AppCredentials, Endpoints};
use crate::oauth::{OAuthClient, OAuthError, TokenSet};
use crate::secret::ClientSecret;
use crate::token_store::{ConnectionId, MemoryStore, TokenStore as _, TokenStoreError};
use crate::{Error, XpmClient, XpmClientBuilder};

/// Where the emulator sends the browser back after consent; no one listens there.
pub const REDIRECT_URI: &str = "http://localhost:8765/callback";

/// Identity scopes asked for besides the XPM ones: sign-in and a refresh token.
const IDENTITY_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// Why an emulator session could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignInError {
    /// The emulator did not start.
    #[error("the emulator did not start")]
    Start(#[source] std::io::Error),
    /// The emulator has no practice to connect.
    #[error("the emulator has no practice")]
    NoPractice,
    /// The OAuth flow failed.
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// The tokens could not be stored.
    #[error(transparent)]
    Store(#[from] TokenStoreError),
    /// A client could not be built.
    #[error(transparent)]
    Client(#[from] Box<Error>),
}

/// A running emulator, signed in to as its demo app, with the tokens in a [`MemoryStore`].
#[derive(Debug)]
pub struct EmulatorSession {
    /// The emulator; it serves until this is dropped or stopped.
    pub running: RunningEmulator,
    /// The demo app's OAuth client against the emulator.
    pub oauth: OAuthClient,
    /// The store holding the connection's tokens.
    pub store: Arc<MemoryStore>,
    /// The connection the tokens are stored under.
    pub connection: ConnectionId,
    /// The emulator's first practice.
    pub tenant: Uuid,
    /// The tokens the sign-in gave.
    pub tokens: TokenSet,
}

impl EmulatorSession {
    /// An emulator configuration with the demo apps (registered for [`REDIRECT_URI`]),
    /// auto-consent, `limits`, and one practice.
    pub fn config(practice: PracticeSeed, limits: LimitSettings) -> EmulatorConfig {
        let mut apps = vec![AppRegistration::demo(), AppRegistration::unapproved_demo()];
        for app in &mut apps {
            app.redirect_uris.push(REDIRECT_URI.to_owned());
        }
        EmulatorConfig { apps, auto_consent: true, limits, practices: vec![practice], ..EmulatorConfig::default() }
    }

    /// Starts `emulator` (which must consent at once and know [`REDIRECT_URI`], as
    /// [`config`](Self::config) makes it), signs in for `xpm_scopes` plus the identity scopes
    /// and `offline_access`, and stores the tokens with their expiry on `clock`.
    pub async fn sign_in(
        emulator: Emulator,
        xpm_scopes: &[&str],
        clock: &dyn Clock,
    ) -> Result<EmulatorSession, SignInError> {
        let tenant = emulator.tenants().first().map(|(tenant, _)| *tenant).ok_or(SignInError::NoPractice)?;
        let running = emulator.spawn().await.map_err(SignInError::Start)?;
        let SignedIn { oauth, store, connection, tokens } = sign_in_at(&running.base_url(), xpm_scopes, clock).await?;
        Ok(EmulatorSession { running, oauth, store, connection, tenant, tokens })
    }

    /// A client builder for the session's connection.
    pub fn client(&self) -> XpmClientBuilder {
        XpmClient::builder(self.oauth.clone(), self.store.clone(), self.connection)
    }
}

/// A sign-in to an emulator running elsewhere (see [`sign_in_at`]).
#[derive(Debug)]
pub struct SignedIn {
    /// The demo app's OAuth client against the emulator.
    pub oauth: OAuthClient,
    /// The store holding the connection's tokens.
    pub store: Arc<MemoryStore>,
    /// The connection the tokens are stored under.
    pub connection: ConnectionId,
    /// The tokens the sign-in gave.
    pub tokens: TokenSet,
}

impl SignedIn {
    /// A client builder for the connection.
    pub fn client(&self) -> XpmClientBuilder {
        XpmClient::builder(self.oauth.clone(), self.store.clone(), self.connection)
    }
}

/// Signs in to an emulator already serving at `base_url` (another process's, for a benchmark
/// that measures the client's memory apart from the emulator's) as [`EmulatorSession::sign_in`]
/// does; the emulator must consent at once and know [`REDIRECT_URI`].
pub async fn sign_in_at(base_url: &str, xpm_scopes: &[&str], clock: &dyn Clock) -> Result<SignedIn, SignInError> {
    let credentials = AppCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Some(ClientSecret::new(DEMO_CLIENT_SECRET)),
        redirect_uri: REDIRECT_URI.into(),
    };
    let oauth = OAuthClient::new(Endpoints::emulator(base_url), credentials)?;
    let scopes: Vec<&str> = IDENTITY_SCOPES.iter().chain(xpm_scopes).copied().collect();
    let request = oauth.authorize_url(&scopes);
    let code = oauth.authorize_without_browser(&request).await?;
    let tokens = oauth.exchange_code(&code, request).await?.tokens;
    let store = Arc::new(MemoryStore::new());
    let connection = ConnectionId(Uuid::new_v4());
    let mut stored = tokens.to_stored();
    stored.access_expires_at = clock.now() + tokens.lifetime;
    store.save(connection, &stored)?;
    Ok(SignedIn { oauth, store, connection, tokens })
}

//! What the examples share: an emulator running in this process, and a client connected to one
//! of its practices through the real OAuth flow (the emulator consents at once), as `xpmkit
//! connect` would connect to Xero. Against Xero, build the client the same way from the
//! `OAuthClient` and token store `xpmkit connect` filled.

use std::error::Error;
use std::sync::Arc;

use uuid::Uuid;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::OAuthClient;
use xpm_client::secret::ClientSecret;
use xpm_client::token_store::{ConnectionId, MemoryStore, TokenStore};
use xpm_client::{XpmClient, XpmClientBuilder};
use xpm_mock::config::{AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, EmulatorConfig, RunningEmulator};

/// Where the emulator sends the browser back after consent; no one listens there.
const REDIRECT_URI: &str = "http://localhost:8765/callback";

/// A running emulator and a client connected to its one practice.
pub(crate) struct Demo {
    /// Keeps the emulator serving until the example ends.
    pub(crate) running: RunningEmulator,
    pub(crate) client: XpmClient,
    pub(crate) tenant: Uuid,
}

/// Starts an emulator with one practice of `clients` clients, at Xero's rate limits, and
/// connects a client to it.
pub(crate) async fn start(clients: usize) -> Result<Demo, Box<dyn Error>> {
    start_with(clients, LimitSettings::XERO, |builder| builder).await
}

/// As [`start`], with the emulator's `limits` and a last word on the client's builder.
pub(crate) async fn start_with(
    clients: usize,
    limits: LimitSettings,
    adjust: impl FnOnce(XpmClientBuilder) -> XpmClientBuilder,
) -> Result<Demo, Box<dyn Error>> {
    let mut app = AppRegistration::demo();
    app.redirect_uris.push(REDIRECT_URI.to_owned());
    let config = EmulatorConfig {
        apps: vec![app],
        auto_consent: true,
        limits,
        practices: vec![PracticeSeed { name: "Example Practice".into(), clients, seed: 42 }],
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::new(config);
    let tenant = emulator.tenants().first().map(|(tenant, _)| *tenant).ok_or("the emulator has no practice")?;
    let running = emulator.spawn().await?;

    let credentials = AppCredentials {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Some(ClientSecret::new(DEMO_CLIENT_SECRET)),
        redirect_uri: REDIRECT_URI.into(),
    };
    let oauth = OAuthClient::new(Endpoints::emulator(&running.base_url()), credentials)?;
    let request = oauth.authorize_url(&["openid", "profile", "email", "offline_access", "practicemanager"]);
    // The emulator consents at once and redirects back; a browser would follow it to REDIRECT_URI.
    let code = oauth.authorize_without_browser(&request).await?;
    let tokens = oauth.exchange_code(&code, request).await?.tokens;

    let store = Arc::new(MemoryStore::new());
    let connection = ConnectionId(Uuid::new_v4());
    store.save(connection, &tokens.to_stored())?;
    let client = adjust(XpmClient::builder(oauth, store, connection)).build()?;
    Ok(Demo { running, client, tenant })
}

//! What the examples share: an emulator running in this process, and a client connected to one
//! of its practices through the real OAuth flow (the emulator consents at once), as `xpmkit
//! connect` would connect to Xero. Against Xero, build the client the same way from the
//! `OAuthClient` and token store `xpmkit connect` filled.

use std::error::Error;

use uuid::Uuid;
use xpm_client::clock::SystemClock;
use xpm_client::testing::EmulatorSession;
use xpm_client::{XpmClient, XpmClientBuilder};
use xpm_mock::config::{LimitSettings, PracticeSeed};
use xpm_mock::{Emulator, RunningEmulator};

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
    let practice = PracticeSeed { name: "Example Practice".into(), clients, seed: 42 };
    let emulator = Emulator::new(EmulatorSession::config(practice, limits));
    // The emulator consents at once and redirects back; a browser would follow the redirect.
    let session = EmulatorSession::sign_in(emulator, &["practicemanager"], &SystemClock).await?;
    let client = adjust(session.client()).build()?;
    Ok(Demo { running: session.running, client, tenant: session.tenant })
}

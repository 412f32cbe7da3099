//! `xpmkit demo`: the whole path an integration takes, against the in-process emulator, through
//! the same `xpm_client` an integration embeds.
//!
//! Everything goes over HTTP exactly as it would against Xero, through the same calls `connect`
//! makes: authorize with PKCE, receive the code on a loopback listener, exchange it (which
//! validates the id_token), list connections, then call XPM through the rate-governed client.
//! Only the base URL differs, and the browser is played by an HTTP client that follows the
//! emulator's consent redirect (the emulator runs with auto-consent).

use crate::exit::CliResult;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::TryStreamExt;
use uuid::Uuid;
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::{self, LoopbackListener, LoopbackPage, OAuthClient, OAuthError};
use xpm_client::secret::ClientSecret;
use xpm_client::token_store::{ConnectionId, MemoryStore, TokenStore};
use xpm_client::{Format, XpmClient};
use xpm_mock::config::{
    AppRegistration, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed, UNAPPROVED_CLIENT_ID,
};
use xpm_mock::{Emulator, EmulatorConfig};

use super::demo_sync;
use crate::cli::DemoArgs;

/// Sign-in, then the least XPM scopes the demo needs: clients (read, and write for the edit a
/// colleague makes in step 10) and staff (read).
const SCOPES: &[&str] =
    &["openid", "profile", "email", "offline_access", "practicemanager.client", "practicemanager.staff.read"];

/// How long the demo waits for the emulator to send the code back.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) fn run(args: DemoArgs) -> CliResult<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(demo(args))
}

async fn demo(args: DemoArgs) -> CliResult<()> {
    let started = Instant::now();
    // The loopback listener is bound first, so the demo app can register its redirect URI.
    let listener = LoopbackListener::bind(0)
        .await
        .context("cannot listen for the callback")?
        .page(LoopbackPage::for_app("xpmkit"));
    let mut apps = vec![AppRegistration::demo(), AppRegistration::unapproved_demo()];
    for app in &mut apps {
        app.redirect_uris.push(listener.redirect_uri());
    }
    let config = EmulatorConfig {
        apps,
        practices: vec![PracticeSeed { clients: args.clients, seed: args.seed, ..PracticeSeed::default() }],
        limits: LimitSettings::XERO,
        auto_consent: true,
        ..EmulatorConfig::default()
    };
    let running = Emulator::new(config).spawn().await.context("cannot start the emulator")?;
    let base = running.base_url();
    say!("1. emulator of Xero identity + XPM 3.1 running at {base} ({} ms)", started.elapsed().as_millis())?;

    let endpoints = Endpoints::emulator(&base);
    let credentials = app_credentials(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET), listener.redirect_uri());
    let oauth = OAuthClient::new(endpoints.clone(), credentials)?;
    // The browser's part: open the authorize URL and follow the consent redirect to the listener.
    let browser = reqwest::Client::new();
    let connected = oauth::connect_via_loopback(&oauth, listener, SCOPES, CALLBACK_TIMEOUT, |url| async move {
        // The listener's answer decides the outcome; a failure here shows up as its timeout.
        let _ = browser.get(url).send().await;
    })
    .await
    .context("the sign-in against the emulator failed")?;
    say!(
        "2. authorized {DEMO_CLIENT_ID} with PKCE (S256), state and nonce for: {}; the code came back to the \
         loopback listener",
        SCOPES.join(" ")
    )?;
    let tokens = connected.tokens;
    say!(
        "3. exchanged the code: access token for {} s, refresh token {}, id_token signed RS256 and checked \
         against the JWKS (issuer, audience, expiry, nonce) for {}",
        tokens.lifetime.num_seconds(),
        if tokens.refresh_token.is_some() { "issued (rotates on every refresh)" } else { "missing" },
        connected.identity.as_ref().and_then(|claims| claims.email.as_deref()).unwrap_or("the user"),
    )?;

    let practice = connected.practices.first().context("no PRACTICEMANAGER connection")?;
    let tenant = practice.tenant_id;
    say!(
        "4. connected practice {} (tenant {tenant}, tenantType {})",
        practice.tenant_name.as_deref().unwrap_or("?"),
        practice.tenant_type
    )?;

    let store = Arc::new(MemoryStore::new());
    let connection = ConnectionId(Uuid::new_v4());
    store.save(connection, &tokens.to_stored())?;
    let redirect_uri = oauth.credentials().redirect_uri.clone();
    let client = XpmClient::builder(oauth, store, connection).user_agent(super::USER_AGENT).build()?;
    let journal = running.emulator().journal();
    let clients: Vec<_> = client.clients(tenant).paged().page_size(500).stream().try_collect().await?;
    say!(
        "5. paged through {} active clients in {} XML page(s) through the rate governor (5 in flight, \
         60/min, 5,000/day per tenant), e.g. {}",
        clients.len(),
        journal.count("ClientV31_PagedList"),
        clients.iter().take(3).filter_map(|client| client.name.as_deref()).collect::<Vec<_>>().join(", ")
    )?;

    let staff = client.staff(tenant).format(Format::Json).list().send().await?;
    say!(
        "6. read {} staff as JSON (Accept: application/json + Xero-Features: practice-strict-content-type)",
        staff.len()
    )?;

    match client.clients(tenant).get(Uuid::nil().into()).await {
        Err(error @ xpm_client::Error::Xpm { .. }) => say!("7. a typed XPM error, never a silent 200: {error}")?,
        other => return Err(anyhow::anyhow!("expected an XPM error for an unknown client, got {other:?}").into()),
    }

    let unapproved = OAuthClient::new(endpoints, app_credentials(UNAPPROVED_CLIENT_ID, None, redirect_uri))?;
    match unapproved.preflight(&SCOPES[..5]).await {
        Err(OAuthError::ApprovalRequired { error, description, .. }) => say!(
            "8. {UNAPPROVED_CLIENT_ID} asked for XPM scopes Xero has not approved: {error} (\"{description}\"), \
             exactly as on Xero before approval; connect explains what to request"
        )?,
        other => {
            return Err(
                anyhow::anyhow!("expected the approval gate to stop {UNAPPROVED_CLIENT_ID}, got {other:?}").into()
            );
        }
    }
    demo_sync::run(&client, tenant, args.database_url.as_deref()).await?;
    say!()?;
    say!(
        "all done in {} ms. Next: `xpmkit mock` to keep an emulator running, then README.md \"Connecting\" and \
         \"Sync\".",
        started.elapsed().as_millis()
    )?;
    running.stop().await?;
    Ok(())
}

fn app_credentials(client_id: &str, secret: Option<&str>, redirect_uri: String) -> AppCredentials {
    AppCredentials { client_id: client_id.to_owned(), client_secret: secret.map(ClientSecret::new), redirect_uri }
}

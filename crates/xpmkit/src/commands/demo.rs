//! `xpmkit demo`: the whole path an integration takes, against the in-process emulator.
//!
//! Everything goes over HTTP exactly as it would against Xero: authorize with PKCE, exchange the
//! code, list connections, then call XPM with the tenant header. Only the base URL differs.

use std::time::Instant;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore;
use reqwest::redirect::Policy;
use sha2::{Digest, Sha256};
use xpm_api::model::{Client, Staff};
use xpm_api::response::{XmlList, decode_list_json};
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, LimitSettings, PracticeSeed, UNAPPROVED_CLIENT_ID};
use xpm_mock::{Emulator, EmulatorConfig};

use crate::cli::DemoArgs;

const REDIRECT_URI: &str = "http://localhost:8765/callback";

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(demo(args))
}

async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let config = EmulatorConfig {
        practices: vec![PracticeSeed { clients: args.clients, seed: args.seed, ..PracticeSeed::default() }],
        limits: LimitSettings::XERO,
        auto_consent: true,
        ..EmulatorConfig::default()
    };
    let running = Emulator::new(config).spawn().await.context("cannot start the emulator")?;
    let base = running.base_url();
    println!("1. emulator of Xero identity + XPM 3.1 running at {base} ({} ms)", started.elapsed().as_millis());

    let http = reqwest::Client::builder().redirect(Policy::none()).build()?;
    let verifier = pkce_verifier()?;
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let scope = "openid profile email offline_access practicemanager.client.read practicemanager.staff.read";
    let authorize = http
        .get(format!("{base}/identity/connect/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", DEMO_CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("scope", scope),
            ("state", "demo-state"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await?;
    let location = authorize
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .context("the authorize endpoint did not redirect back")?;
    let code = reqwest::Url::parse(location)?
        .query_pairs()
        .find(|(key, _)| key == "code")
        .map(|(_, value)| value.into_owned())
        .context("the redirect carries no code")?;
    println!("2. authorized {DEMO_CLIENT_ID} with PKCE (S256) for: {scope}");

    let tokens: serde_json::Value = http
        .post(format!("{base}/connect/token"))
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let access = tokens["access_token"].as_str().context("no access token")?.to_owned();
    println!(
        "3. exchanged the code: access token for {} s, refresh token {}, id_token {}",
        tokens["expires_in"],
        if tokens["refresh_token"].is_string() { "issued (rotates on every refresh)" } else { "missing" },
        if tokens["id_token"].is_string() { "signed RS256" } else { "missing" },
    );

    let connections: serde_json::Value =
        http.get(format!("{base}/connections")).bearer_auth(&access).send().await?.error_for_status()?.json().await?;
    let practice = connections
        .as_array()
        .and_then(|list| list.iter().find(|connection| connection["tenantType"] == "PRACTICEMANAGER"))
        .context("no PRACTICEMANAGER connection")?;
    let tenant = practice["tenantId"].as_str().context("no tenant id")?.to_owned();
    println!("4. connected practice {} (tenant {tenant}, tenantType PRACTICEMANAGER)", practice["tenantName"]);

    let api = running.api_url();
    let mut next = Some(format!("{api}/client.api/paged-list?pageSize=500"));
    let (mut clients, mut pages, mut remaining) = (Vec::<Client>::new(), 0, String::new());
    while let Some(url) = next.take() {
        let response =
            http.get(&url).bearer_auth(&access).header("Xero-Tenant-Id", &tenant).send().await?.error_for_status()?;
        remaining = response
            .headers()
            .get("x-minlimit-remaining")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("?")
            .to_owned();
        let body = response.bytes().await?;
        let mut list = XmlList::<_, Client>::new(&body[..]);
        for client in list.by_ref() {
            clients.push(client?);
        }
        next = list.pagination().and_then(|pagination| pagination.links.as_ref()?.next.clone());
        pages += 1;
    }
    println!(
        "5. paged through {} active clients in {pages} XML page(s) ({remaining} calls left this minute), e.g. {}",
        clients.len(),
        clients.iter().take(3).filter_map(|client| client.name.as_deref()).collect::<Vec<_>>().join(", ")
    );

    let staff_body = http
        .get(format!("{api}/staff.api/list"))
        .bearer_auth(&access)
        .header("Xero-Tenant-Id", &tenant)
        .header("Accept", "application/json")
        .header("Xero-Features", "practice-strict-content-type")
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let (staff, _) = decode_list_json::<Staff>(&staff_body)?;
    println!(
        "6. read {} staff as JSON (Accept: application/json + Xero-Features: practice-strict-content-type)",
        staff.len()
    );

    let gate = http
        .get(format!("{base}/identity/connect/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", UNAPPROVED_CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid offline_access practicemanager.client.read"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await?;
    let status = gate.status();
    let page = gate.text().await?;
    if !page.contains("unauthorized_client") {
        bail!("expected the approval gate to stop {UNAPPROVED_CLIENT_ID}, got {status}");
    }
    println!(
        "7. {UNAPPROVED_CLIENT_ID} asked for XPM scopes Xero has not approved: {status}, unauthorized_client \
         (\"Invalid scope for client\"), exactly as on Xero before approval"
    );
    println!();
    println!(
        "all done in {} ms. Next: `xpmkit mock` to keep an emulator running, README.md for curl examples.",
        started.elapsed().as_millis()
    );
    running.stop().await?;
    Ok(())
}

/// A PKCE verifier: 32 random bytes, base64url (43 characters from the allowed set).
fn pkce_verifier() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes).context("the operating system has no randomness for PKCE")?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

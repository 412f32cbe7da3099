//! No token or secret reaches a log line, an error or `Debug` output, whatever the client goes
//! through: calls, refreshes, a refused token, `invalid_grant`, scope and XPM errors.

use std::io::Write;
use std::sync::Arc;
use xpm_api::catalog::OperationId;

use chrono::Duration;
use parking_lot::Mutex;
use tracing_subscriber::fmt::MakeWriter;
use xpm_client::secret::{AccessToken, RefreshToken};
use xpm_client::token_store::{EncryptedFileStore, MasterKey, TokenStore};
use xpm_client::{Call, XpmClient};
use xpm_mock::config::{DEMO_CLIENT_SECRET, LimitSettings};
use xpm_mock::faults::{Fault, FaultRule};

use crate::support::{Harness, Setup};

/// Log lines, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every secret the run handled: access and refresh tokens as stored along the way, the
/// client secret and the master key.
#[derive(Default)]
struct Secrets(Vec<String>);

impl Secrets {
    fn remember(&mut self, store: &dyn TokenStore, harness: &Harness) {
        if let Some(tokens) = store.load(harness.connection).expect("load") {
            self.0.push(tokens.access_token.secret().to_owned());
            self.0.extend(tokens.refresh_token.map(|token| token.secret().to_owned()));
        }
    }

    fn assert_absent_from(&self, text: &str, what: &str) {
        for secret in &self.0 {
            // A JWT's header is the same for every token; look for the whole secret and its tail.
            let tail = &secret[secret.len().saturating_sub(24)..];
            assert!(!text.contains(secret.as_str()) && !text.contains(tail), "a secret appears in {what}");
        }
    }
}

// The current-thread runtime keeps the emulator, the client and the subscriber on this thread.
#[tokio::test]
async fn no_secret_reaches_logs_errors_or_debug_output() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let harness = Harness::launch(Setup { limits: LimitSettings::XERO, ..Setup::default() }).await;
    let directory = tempfile::tempdir().expect("temp dir");
    let key = MasterKey::generate();
    let key_text = key.to_base64().to_string();
    let encrypted = Arc::new(EncryptedFileStore::open(directory.path(), key).expect("store"));
    let mut secrets = Secrets(vec![DEMO_CLIENT_SECRET.to_owned(), key_text]);
    secrets.remember(harness.store.as_ref(), &harness);
    let tokens = harness.store.load(harness.connection).expect("load").expect("tokens");
    encrypted.save(harness.connection, &tokens).expect("save");
    let client = XpmClient::builder(harness.oauth.clone(), encrypted.clone(), harness.connection)
        .clock(Arc::new(harness.clock.clone()))
        .build()
        .expect("client");
    let staff = Call::new(OperationId::StaffList, harness.tenant);
    let mut outputs = Vec::new();
    // Tests on other threads may have registered the client's callsites while no subscriber
    // wanted them, and tracing caches that per callsite: ask again now that this one is set.
    tracing::callsite::rebuild_interest_cache();

    // A plain call, then one after expiry (a refresh), then one with a refused token (401).
    let answer = harness.clock.participate(client.send(staff.clone())).await.expect("call");
    outputs.push(format!("{answer:?}"));
    harness.clock.advance(Duration::minutes(31));
    harness.clock.participate(client.send(staff.clone())).await.expect("call after a refresh");
    secrets.remember(encrypted.as_ref(), &harness);
    let mut refused = encrypted.load(harness.connection).expect("load").expect("tokens");
    refused.access_token = AccessToken::new("eyJhbGciOiJSUzI1NiJ9.refused-planted-token.c2lnbmF0dXJl");
    secrets.0.push(refused.access_token.secret().to_owned());
    encrypted.save(harness.connection, &refused).expect("save");
    let fresh_process = XpmClient::builder(harness.oauth.clone(), encrypted.clone(), harness.connection)
        .clock(Arc::new(harness.clock.clone()))
        .build()
        .expect("client");
    harness.clock.participate(fresh_process.send(staff.clone())).await.expect("refreshed after a 401");
    secrets.remember(encrypted.as_ref(), &harness);

    // An XPM error, a scope error, and invalid_grant.
    harness.emulator().faults().add(FaultRule {
        matches: "StaffV31_List".into(),
        fault: Fault::Error200 { description: "planted failure".into() },
        times: Some(1),
        probability: None,
    });
    let xpm_error = harness.clock.participate(fresh_process.send(staff.clone())).await.expect_err("xpm error");
    let mut dead = encrypted.load(harness.connection).expect("load").expect("tokens");
    dead.refresh_token = Some(RefreshToken::new("planted-dead-refresh-token-7c1a"));
    secrets.0.push("planted-dead-refresh-token-7c1a".to_owned());
    encrypted.save(harness.connection, &dead).expect("save");
    harness.clock.advance(Duration::minutes(31));
    let reauth = harness.clock.participate(fresh_process.send(staff)).await.expect_err("invalid_grant");
    for error in [&xpm_error, &reauth] {
        outputs.push(format!("{error} {error:?}"));
    }
    assert!(matches!(reauth, xpm_client::Error::NeedsReauth { .. }), "{reauth:?}");

    // Debug of everything that holds a secret.
    let stored = encrypted.load(harness.connection).expect("load").expect("tokens");
    outputs.push(format!("{client:?} {fresh_process:?} {stored:?} {encrypted:?} {:?}", harness.oauth));
    outputs.push(format!("{:?} {:?}", harness.store, client.governor()));

    let logs = String::from_utf8_lossy(&captured.0.lock()).into_owned();
    secrets.assert_absent_from(&logs, "the logs");
    for output in &outputs {
        secrets.assert_absent_from(output, "Debug or error output");
    }
    // The logs did see the calls: one event per attempt, with the limits the server reported.
    let calls: Vec<&str> = logs.lines().filter(|line| line.contains("xpm call")).collect();
    // Plain, after refresh, 401 then retry, the ERROR envelope; invalid_grant stops before a call.
    assert_eq!(calls.len(), 5, "{logs}");
    assert!(calls.iter().any(|line| line.contains("status=401")), "{logs}");
    assert!(
        calls.iter().all(|line| line.contains("operation=\"StaffV31_List\"") && line.contains("attempt=")),
        "{logs}"
    );
    assert!(calls.iter().any(|line| line.contains("minute_remaining=") && line.contains("latency_ms=")), "{logs}");
}

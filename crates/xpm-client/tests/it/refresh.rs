//! Token refresh through the transport: single-flight within a process and across processes,
//! recovery when the answer to a refresh is lost, `invalid_grant`, and 401 handling.

use std::sync::Arc;
use xpm_api::catalog::OperationId;

use chrono::Duration;
use xpm_client::Limits;
use xpm_client::clock::Clock;
use xpm_client::secret::{AccessToken, RefreshToken};
use xpm_client::token_store::{ConnectionId, EncryptedFileStore, MasterKey, StoredTokens, TokenStore, TokenStoreError};
use xpm_client::{Call, Error, XpmClient};
use xpm_mock::faults::{Fault, FaultRule};

use crate::support::{Harness, Setup};

/// Limits that let a hundred calls go at once (the emulator's are off in these tests).
const WIDE_OPEN: Limits = Limits { concurrent: 200, per_minute: 10_000, per_day: 100_000, app_per_minute: 100_000 };

fn refreshes(harness: &Harness) -> usize {
    harness
        .emulator()
        .journal()
        .entries()
        .iter()
        .filter(|entry| entry.operation == Some("token") && entry.grant_type.as_deref() == Some("refresh_token"))
        .count()
}

/// Moves both clocks past the access token's 30 minutes.
fn expire_access_token(harness: &Harness) {
    harness.clock.advance(Duration::minutes(31));
}

async fn concurrent_calls(harness: &Harness, clients: &[XpmClient], count: usize) -> Vec<Result<u16, Error>> {
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let mut tasks = Vec::new();
    for index in 0..count {
        let client = clients[index % clients.len()].clone();
        let call = call.clone();
        tasks.push(tokio::spawn(
            harness.clock.participant().run(async move { client.send(call).await.map(|answer| answer.status()) }),
        ));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_with_an_expired_token_refresh_once() {
    let harness = Harness::launch_with(Setup::default(), |builder| builder.limits(WIDE_OPEN)).await;
    let before = harness.store.load(harness.connection).expect("load").expect("stored");
    expire_access_token(&harness);
    let results = concurrent_calls(&harness, std::slice::from_ref(&harness.client), 100).await;
    assert!(results.iter().all(|result| matches!(result, Ok(200))), "{results:?}");
    assert_eq!(refreshes(&harness), 1);
    let after = harness.store.load(harness.connection).expect("load").expect("stored");
    assert_ne!(after.refresh_token, before.refresh_token, "the rotated refresh token was saved");
    assert!(
        after.access_expires_at > harness.clock.now() + Duration::minutes(29),
        "{} {}",
        after.access_expires_at,
        harness.clock.now()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sharing_an_encrypted_store_refresh_once() {
    let directory = tempfile::tempdir().expect("temp dir");
    let key = MasterKey::generate();
    let open = || {
        let key = MasterKey::parse(&key.to_base64()).expect("key");
        Arc::new(EncryptedFileStore::open(directory.path(), key).expect("store"))
    };
    let (first_store, second_store) = (open(), open());
    let harness = Harness::launch_with(Setup::default(), |builder| builder.limits(WIDE_OPEN)).await;
    let tokens = harness.store.load(harness.connection).expect("load").expect("stored");
    first_store.save(harness.connection, &tokens).expect("save");
    // Two clients with their own store handles, locks and caches: two processes in all but name.
    let client = |store: Arc<EncryptedFileStore>| {
        XpmClient::builder(harness.oauth.clone(), store, harness.connection)
            .clock(Arc::new(harness.clock.clone()))
            .limits(WIDE_OPEN)
            .build()
            .expect("client")
    };
    let clients = [client(first_store), client(second_store.clone())];
    expire_access_token(&harness);
    let results = concurrent_calls(&harness, &clients, 60).await;
    assert!(results.iter().all(|result| matches!(result, Ok(200))), "{results:?}");
    assert_eq!(refreshes(&harness), 1, "the second process used the first one's refresh");
    let stored = second_store.load(harness.connection).expect("load").expect("stored");
    assert_ne!(stored.refresh_token, tokens.refresh_token);
}

#[tokio::test]
async fn a_refresh_whose_answer_is_lost_recovers_through_the_grace_period() {
    let harness = Harness::launch(Setup::default()).await;
    let before = harness.store.load(harness.connection).expect("load").expect("stored");
    // The emulator rotates the refresh token, then drops the connection: the new token is lost,
    // as if the process had crashed between rotation and saving.
    harness.emulator().faults().add(FaultRule {
        matches: "token:refresh_token".into(),
        fault: Fault::Reset,
        times: Some(1),
        probability: None,
    });
    expire_access_token(&harness);
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let answer = harness.clock.participate(harness.client.send(call.clone())).await.expect("recovered");
    assert_eq!(answer.status(), 200);
    assert_eq!(refreshes(&harness), 2, "the lost refresh, then the same token again within the grace period");
    let after = harness.store.load(harness.connection).expect("load").expect("stored");
    assert_ne!(after.refresh_token, before.refresh_token);
    // The saved token is the live one: the next refresh works too.
    expire_access_token(&harness);
    harness.clock.participate(harness.client.send(call)).await.expect("a later refresh");
    assert_eq!(refreshes(&harness), 3);
}

#[tokio::test]
async fn invalid_grant_marks_the_connection_and_stops() {
    let harness = Harness::launch(Setup::default()).await;
    let mut tokens = harness.store.load(harness.connection).expect("load").expect("stored");
    tokens.refresh_token = Some(RefreshToken::new("revoked-or-rotated-out"));
    harness.store.save(harness.connection, &tokens).expect("save");
    expire_access_token(&harness);
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let error = harness.clock.participate(harness.client.send(call.clone())).await.expect_err("needs reauth");
    assert!(matches!(error, Error::NeedsReauth { .. }), "{error:?}");
    assert!(error.to_string().contains("must sign in and consent again"), "{error}");
    assert!(harness.store.load(harness.connection).expect("load").expect("stored").needs_reauth);
    assert_eq!(refreshes(&harness), 1);
    // Later calls stop at once: no second refresh with a dead token, no API call.
    let again = harness.clock.participate(harness.client.send(call)).await.expect_err("still needs reauth");
    assert!(matches!(again, Error::NeedsReauth { .. }), "{again:?}");
    assert_eq!(refreshes(&harness), 1);
    assert_eq!(harness.emulator().journal().count("StaffV31_List"), 0);
}

#[tokio::test]
async fn a_refused_access_token_is_refreshed_once_and_the_call_retried_once() {
    let harness = Harness::launch(Setup::default()).await;
    let mut tokens = harness.store.load(harness.connection).expect("load").expect("stored");
    // The client believes the token is good for another half hour; the server does not know it.
    tokens.access_token = AccessToken::new("eyJ.not-a-token.sig");
    harness.store.save(harness.connection, &tokens).expect("save");
    let client = harness.another_client();
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let answer = harness.clock.participate(client.send(call)).await.expect("retried with a fresh token");
    assert_eq!(answer.attempts(), 2);
    assert_eq!(refreshes(&harness), 1);
    let statuses: Vec<u16> = harness
        .emulator()
        .journal()
        .entries()
        .iter()
        .filter(|entry| entry.operation == Some("StaffV31_List"))
        .map(|entry| entry.status)
        .collect();
    assert_eq!(statuses, [401, 200]);
}

#[tokio::test]
async fn a_token_within_a_minute_of_expiry_is_refreshed_before_the_call() {
    let harness = Harness::launch(Setup::default()).await;
    harness.clock.advance(Duration::seconds(29 * 60 + 30));
    let call = Call::new(OperationId::StaffList, harness.tenant);
    harness.clock.participate(harness.client.send(call)).await.expect("call");
    assert_eq!(refreshes(&harness), 1, "30 s before expiry is too close to send the old token");
}

/// A store whose saves fail once asked to, as a full disk would.
#[derive(Debug)]
struct FailingSaves {
    inner: xpm_client::token_store::MemoryStore,
    failing: std::sync::atomic::AtomicBool,
}

impl TokenStore for FailingSaves {
    fn load(&self, connection: ConnectionId) -> Result<Option<StoredTokens>, TokenStoreError> {
        self.inner.load(connection)
    }

    fn save(&self, connection: ConnectionId, tokens: &StoredTokens) -> Result<(), TokenStoreError> {
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            let source = std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left on device");
            return Err(TokenStoreError::Io { path: "/full/disk".into(), source });
        }
        self.inner.save(connection, tokens)
    }

    fn delete(&self, connection: ConnectionId) -> Result<(), TokenStoreError> {
        self.inner.delete(connection)
    }

    fn connections(&self) -> Result<Vec<ConnectionId>, TokenStoreError> {
        self.inner.connections()
    }
}

#[tokio::test]
async fn a_rotated_token_that_cannot_be_saved_is_never_used() {
    let harness = Harness::launch(Setup::default()).await;
    let store = Arc::new(FailingSaves {
        inner: xpm_client::token_store::MemoryStore::new(),
        failing: std::sync::atomic::AtomicBool::new(true),
    });
    let tokens = harness.store.load(harness.connection).expect("load").expect("stored");
    store.inner.save(harness.connection, &tokens).expect("save");
    let client = XpmClient::builder(harness.oauth.clone(), store.clone(), harness.connection)
        .clock(Arc::new(harness.clock.clone()))
        .build()
        .expect("client");
    expire_access_token(&harness);
    let call = Call::new(OperationId::StaffList, harness.tenant);
    let error = harness.clock.participate(client.send(call.clone())).await.expect_err("the save failed");
    assert!(matches!(error, Error::TokenStore(TokenStoreError::Io { .. })), "{error:?}");
    assert_eq!(refreshes(&harness), 1);
    assert_eq!(harness.emulator().journal().count("StaffV31_List"), 0, "the unsaved token was not used");
    // Once the disk has room again, the old token (within its grace period) refreshes again.
    store.failing.store(false, std::sync::atomic::Ordering::SeqCst);
    harness.clock.participate(client.send(call)).await.expect("recovered");
    assert_eq!(refreshes(&harness), 2);
}

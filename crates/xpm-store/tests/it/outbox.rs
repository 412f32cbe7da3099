//! The outbox as the pusher uses it: which records have a pending change, entries put back or
//! kept `sending`, and one pusher per practice.

use uuid::Uuid;
use xpm_store::{EntityKind, NewOutboxEntry, OutboxStatus, Store};

use crate::harness::TestDb;

const TENANT: Uuid = Uuid::from_u128(0x0b0c);

fn update(entity: &str, key: &str) -> NewOutboxEntry {
    NewOutboxEntry {
        entity: entity.into(),
        action: "update".into(),
        entity_key: Some(key.into()),
        payload: "{}".into(),
        base_version: Some("{}".into()),
    }
}

async fn pending_keys_and_lock(store: &Store) {
    let mut write = store.write().await.expect("write");
    let first = write.enqueue(TENANT, &update("client", "c1")).await.expect("enqueue");
    let second = write.enqueue(TENANT, &update("client", "c2")).await.expect("enqueue");
    let third = write.enqueue(TENANT, &update("client", "c3")).await.expect("enqueue");
    write.enqueue(TENANT, &update("job", "J000001")).await.expect("enqueue");
    write.enqueue(Uuid::from_u128(1), &update("client", "elsewhere")).await.expect("enqueue");
    write.commit().await.expect("commit");

    let mut write = store.write().await.expect("write");
    write.mark_sending(first).await.expect("sending");
    write.mark_unknown(first, "the answer was lost").await.expect("unknown");
    write.mark_sending(second).await.expect("sending");
    write.release(second, "rate limited").await.expect("released");
    write.mark_sending(third).await.expect("sending");
    write.mark_sent(third, Some("c3")).await.expect("sent");
    assert_eq!(write.stored_raw(TENANT, EntityKind::Client, "c1").await.expect("read"), None);
    write.commit().await.expect("commit");

    let keys = store.pending_keys(TENANT, EntityKind::Client).await.expect("keys");
    let mut keys: Vec<String> = keys.into_iter().collect();
    keys.sort();
    assert_eq!(keys, ["c1", "c2"], "pending and sending, of this practice and entity only");
    let jobs = store.pending_keys(TENANT, EntityKind::Job).await.expect("keys");
    assert!(jobs.contains("J000001") && jobs.len() == 1);

    let entries = store.outbox(TENANT, &[OutboxStatus::Sending, OutboxStatus::Pending]).await.expect("outbox");
    let states: Vec<(OutboxStatus, u32, Option<&str>)> =
        entries.iter().map(|entry| (entry.status, entry.attempts, entry.last_error.as_deref())).collect();
    assert_eq!(
        &states[..2],
        [(OutboxStatus::Sending, 1, Some("the answer was lost")), (OutboxStatus::Pending, 1, Some("rate limited"))]
    );

    let held = store.try_lock_outbox(TENANT).await.expect("lock").expect("free at first");
    assert!(store.try_lock_outbox(TENANT).await.expect("lock").is_none(), "one pusher at a time");
    assert!(store.try_lock_outbox(Uuid::from_u128(1)).await.expect("lock").is_some(), "per practice");
    held.release().await;
    assert!(store.try_lock_outbox(TENANT).await.expect("lock").is_some(), "free again once dropped");
}

#[tokio::test]
async fn pending_keys_and_the_outbox_lock_on_sqlite() {
    let db = TestDb::sqlite().await;
    pending_keys_and_lock(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn pending_keys_and_the_outbox_lock_on_postgres() {
    let Some(db) = TestDb::postgres("pending_keys_and_the_outbox_lock_on_postgres").await else { return };
    pending_keys_and_lock(&db.store).await;
    db.finish().await;
}

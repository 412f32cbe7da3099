//! Purges on both backends: what was removed from XPM before the cut-off goes with its links,
//! the change log and finished runs go (each practice's latest run stays), ended outbox entries
//! go and pending ones stay; a dry run (rolled back) counts the same and changes nothing; every
//! purge is in the audit log.

use uuid::Uuid;
use xpm_api::model::Client;
use xpm_store::{EntityKind, NewOutboxEntry, PURGE_ACTION, RunStatus, RunSummary, Store};
use xpm_synth::{Practice, PracticeSpec};

use crate::harness::TestDb;

const TENANT: Uuid = Uuid::from_u128(0x5eed_0000_0000_0000_0000_0000_0000_0001);
const PAST: &str = "2000-01-01T00:00:00Z";
const FUTURE: &str = "2999-01-01T00:00:00Z";

async fn fill(store: &Store) -> Vec<String> {
    let clients: Vec<Client> = Practice::new(PracticeSpec { seed: 5, clients: 10 }).clients().collect();
    let removed: Vec<String> = clients[..3].iter().filter_map(|client| client.uuid).map(|id| id.to_string()).collect();
    let mut write = store.write().await.expect("begin");
    write.upsert_practice(TENANT, "Retention Practice", None).await.expect("practice");
    write.upsert_clients(TENANT, &clients).await.expect("clients");
    assert_eq!(write.mark_removed(TENANT, EntityKind::Client, &removed).await.expect("removed"), 3);
    for _ in 0..2 {
        let run = write.start_run(TENANT, "sync").await.expect("run");
        let summary = RunSummary {
            status: RunStatus::Succeeded,
            calls_used: 1,
            bytes_downloaded: 10,
            counts: Default::default(),
            error: None,
        };
        write.finish_run(run, &summary).await.expect("finish");
    }
    let entry = |key: &str| NewOutboxEntry {
        entity: "client".into(),
        action: "update".into(),
        entity_key: Some(key.to_owned()),
        payload: "{\"email\":\"a@b.nz\"}".into(),
        base_version: None,
    };
    let sent = write.enqueue(TENANT, &entry(&removed[0])).await.expect("enqueue");
    write.enqueue(TENANT, &entry(&removed[1])).await.expect("enqueue");
    write.mark_sent(sent, None).await.expect("sent");
    write.commit().await.expect("commit");
    removed
}

async fn purge_story(db: &TestDb) {
    let store = &db.store;
    let removed = fill(store).await;
    let links_of_removed =
        format!("SELECT COUNT(*) FROM client_contacts WHERE client_uuid IN ('{}')", removed.join("','"));
    let links = db.scalar(&links_of_removed).await;
    assert!(links > 0, "the removed clients had contacts");
    let listed = removed.join("','");
    let mut dependents = links;
    for sql in [
        format!("SELECT COUNT(*) FROM group_members WHERE client_uuid IN ('{listed}')"),
        format!("SELECT COUNT(*) FROM relationships WHERE client_uuid IN ('{listed}')"),
        format!("SELECT COUNT(*) FROM custom_field_values WHERE owner_kind = 'client' AND owner_key IN ('{listed}')"),
    ] {
        dependents += db.scalar(&sql).await;
    }
    let rows = |table: &str| format!("SELECT COUNT(*) FROM {table}");

    // Nothing is older than a cut-off in 2000.
    let mut write = store.write().await.expect("begin");
    let none = write.purge(PAST, 30, "cli:tester").await.expect("purge");
    write.commit().await.expect("commit");
    assert_eq!(none.total(), 0, "{none:?}");

    // A dry run counts and changes nothing.
    let events = db.scalar(&rows("change_events")).await;
    let mut write = store.write().await.expect("begin");
    let counted = write.purge(FUTURE, 30, "cli:tester").await.expect("purge");
    write.rollback().await.expect("rollback");
    assert_eq!(db.scalar(&rows("clients")).await, 10);
    assert_eq!(db.scalar(&rows("change_events")).await, events);

    let mut write = store.write().await.expect("begin");
    let purged = write.purge(FUTURE, 30, "cli:tester").await.expect("purge");
    write.commit().await.expect("commit");
    assert_eq!(purged, counted, "the dry run said what the purge did");
    assert_eq!(purged.removed_records, 3);
    assert_eq!(purged.dependent_rows, u64::try_from(dependents).expect("count"));
    assert_eq!(purged.change_events, u64::try_from(events).expect("count"));
    assert_eq!((purged.sync_runs, purged.outbox_entries), (1, 1));

    assert_eq!(db.scalar(&rows("clients")).await, 7, "the kept clients are the mirror, not history");
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), 7);
    assert_eq!(db.scalar(&links_of_removed).await, 0);
    assert_eq!(db.scalar(&rows("sync_runs")).await, 1, "the practice's latest run stays");
    assert_eq!(db.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await, 1);
    assert_eq!(db.scalar(&rows("outbox")).await, 1);
    let logged = store.audit_entries(PURGE_ACTION, 5).await.expect("audit");
    assert_eq!(logged.len(), 2, "both committed purges are logged, the rolled-back one is not");
    let detail: serde_json::Value = serde_json::from_str(&logged[0].detail).expect("json");
    assert_eq!(detail["cutoff"], FUTURE);
    assert_eq!(detail["deleted"]["removed_records"], 3);
    assert_eq!(store.audit_chain().await.expect("chain").broken_at, None);
}

#[tokio::test]
async fn purges_on_sqlite() {
    let db = TestDb::sqlite().await;
    purge_story(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn purges_on_postgres() {
    let Some(db) = TestDb::postgres("purges_on_postgres").await else { return };
    purge_story(&db).await;
    db.finish().await;
}

//! Runs against a healthy emulator: the first mirrors the practice, later ones read only what
//! changed, reconciliation finds what vanished, and pending local changes are left alone.

use xpm_api::ids::ClientId;
use xpm_api::model::Client;
use xpm_api::request::ClientUpdateRequest;
use xpm_store::{ChangeCounts, EntityKind, NewOutboxEntry, RunStatus};
use xpm_sync::{Operation, RunKind, StepOutcome, SyncOptions, state};

use crate::harness::{Backend, Harness};

async fn first_run_mirrors_the_practice(backend: Backend, test: &str) {
    let Some(harness) = Harness::launch(120, backend, test).await else { return };
    let report = harness.sync().await.expect("first run");
    assert_eq!(report.kind, RunKind::Full);
    assert_eq!(report.calls, 3, "the detailed client list, staff and groups");
    assert!(report.bytes > 100_000, "{} bytes", report.bytes);
    assert_eq!(report.counts_of("client").added, 120);
    assert!(report.counts_of("contact").added >= 120, "{:?}", report.counts);
    harness.assert_mirrors_the_emulator().await;

    let runs = harness.store.runs(harness.tenant(), 5).await.expect("runs");
    assert_eq!((runs[0].status, runs[0].kind.as_str(), runs[0].calls_used), (RunStatus::Succeeded, "full", 3));
    assert_eq!(runs[0].bytes_downloaded, report.bytes);
    assert_eq!(runs[0].counts, report.counts);
    let watermark = harness.store.cursor(harness.tenant(), state::CLIENTS_WATERMARK).await.expect("cursor");
    assert!(watermark.is_some_and(|cursor| cursor.run == Some(report.run)));
    assert_eq!(harness.store.cursor(harness.tenant(), state::RESUME).await.expect("cursor"), None);
    harness.finish().await;
}

#[tokio::test]
async fn the_first_run_mirrors_every_client_contact_link_group_and_staff_on_sqlite() {
    first_run_mirrors_the_practice(Backend::Sqlite, "first_run_sqlite").await;
}

#[tokio::test]
async fn the_first_run_mirrors_every_client_contact_link_group_and_staff_on_postgres() {
    first_run_mirrors_the_practice(Backend::Postgres, "first_run_pg").await;
}

#[tokio::test]
async fn a_second_run_without_change_costs_at_most_two_calls_and_changes_nothing() {
    let harness = Harness::sqlite(80).await;
    harness.sync().await.expect("first run");
    let report = harness.sync().await.expect("second run");
    assert_eq!(report.kind, RunKind::Incremental);
    assert!(report.calls <= 2, "{} calls", report.calls);
    assert_eq!(report.changes(), 0, "{:?}", report.counts);
    let groups = report.steps.iter().find(|step| step.step.operation == Operation::Groups).expect("planned");
    assert!(matches!(groups.outcome, StepOutcome::Skipped { .. }), "{groups:?}");
    harness.finish().await;
}

#[tokio::test]
async fn an_edited_client_is_read_with_modifiedsince_in_whole_seconds() {
    let harness = Harness::sqlite(60).await;
    harness.sync().await.expect("first run");
    let practice = harness.practice().await;
    let edited = practice.iter().find(|client| client.is_deleted.is_none_or(|flag| !flag.is_yes())).expect("a client");
    let id = ClientId::from(edited.uuid.expect("uuid"));
    let update = ClientUpdateRequest::new(id).name("Renamed Holdings Ltd");
    harness.session.client().build().expect("client").clients(harness.tenant()).update(&update).await.expect("update");
    harness.emulator().journal().clear();

    let report = harness.sync().await.expect("incremental run");
    assert_eq!(report.counts_of("client"), ChangeCounts { added: 0, updated: 1, removed: 0 });
    let stored: Client = harness
        .store
        .get(harness.tenant(), EntityKind::Client, &id.uuid().to_string())
        .await
        .expect("read")
        .expect("stored")
        .item;
    assert_eq!(stored.name.as_deref(), Some("Renamed Holdings Ltd"));
    let lists: Vec<_> =
        harness.emulator().journal().entries().into_iter().filter(|e| e.operation == Some("ClientV31_List")).collect();
    let query = lists[0].query.clone().expect("a query");
    let since = query.split('&').find_map(|pair| pair.strip_prefix("modifiedSince=")).expect("modifiedSince");
    let since = since.replace("%3A", ":");
    assert!(
        chrono::NaiveDateTime::parse_from_str(&since, "%Y-%m-%dT%H:%M:%S").is_ok(),
        "whole seconds, no zone: {since}"
    );
    // Groups are read again: a changed client may name a new group.
    assert_eq!(report.calls, 3);
    harness.finish().await;
}

#[tokio::test]
async fn reconciliation_marks_a_client_xpm_no_longer_has_removed() {
    let harness = Harness::sqlite(40).await;
    harness.sync().await.expect("first run");
    // A client the store holds and XPM does not (deleted for good on XPM's side).
    let mut vanished = harness.practice().await.remove(0);
    let ghost = uuid::Uuid::new_v4();
    vanished.uuid = Some(ghost);
    vanished.contacts = None;
    let mut write = harness.store.write().await.expect("begin");
    write.upsert_clients(harness.tenant(), &[vanished]).await.expect("store");
    write.commit().await.expect("commit");

    let incremental = harness.sync().await.expect("incremental");
    assert_eq!(incremental.counts_of("client").removed, 0, "modifiedsince cannot see a vanished client");
    let options = Harness::options().full(true);
    let full =
        xpm_sync::sync_practice(&harness.client, &harness.store, harness.tenant(), &options).await.expect("full");
    assert_eq!(full.kind, RunKind::Full);
    assert_eq!(full.counts_of("client"), ChangeCounts { added: 0, updated: 0, removed: 1 });
    let stored = harness.store.get::<Client>(harness.tenant(), EntityKind::Client, &ghost.to_string()).await;
    assert!(stored.expect("read").expect("kept").removed_at.is_some());
    assert_eq!(harness.store.count(harness.tenant(), EntityKind::Client).await.expect("count"), 40);
    harness.finish().await;
}

#[tokio::test]
async fn a_record_with_a_pending_local_change_is_not_overwritten() {
    let harness = Harness::sqlite(30).await;
    harness.sync().await.expect("first run");
    let practice = harness.practice().await;
    let target = practice.iter().find(|client| client.is_deleted.is_none_or(|flag| !flag.is_yes())).expect("client");
    let uuid = target.uuid.expect("uuid").to_string();
    // A local edit waits in the outbox, while someone renames the client in XPM.
    let mut write = harness.store.write().await.expect("begin");
    let entry = NewOutboxEntry {
        entity: "client".into(),
        action: "update".into(),
        entity_key: Some(uuid.clone()),
        payload: r#"{"name":"Local Name"}"#.into(),
        base_version: None,
    };
    write.enqueue(harness.tenant(), &entry).await.expect("enqueue");
    write.commit().await.expect("commit");
    let update = ClientUpdateRequest::new(ClientId::from(target.uuid.expect("uuid"))).name("Renamed In XPM");
    harness.session.client().build().expect("client").clients(harness.tenant()).update(&update).await.expect("update");

    let options = SyncOptions::default().full(true);
    let report =
        xpm_sync::sync_practice(&harness.client, &harness.store, harness.tenant(), &options).await.expect("run");
    assert_eq!(report.pending.get("client"), Some(&1));
    assert_eq!(report.counts_of("client").updated, 0);
    assert_eq!(report.counts_of("client").removed, 0, "a pending client was in the list: not vanished");
    let stored: Client =
        harness.store.get(harness.tenant(), EntityKind::Client, &uuid).await.expect("read").expect("stored").item;
    assert_eq!(stored.name, target.name, "the stored base of the local change stays");
    harness.finish().await;
}

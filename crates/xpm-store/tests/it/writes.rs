//! The writer's promises: data and cursor commit together or not at all, and on SQLite a
//! second writer (another process's pool) waits for the first instead of failing.

use std::time::Duration;

use uuid::Uuid;
use xpm_api::model::Client;
use xpm_store::{EntityKind, Store};
use xpm_synth::{Practice, PracticeSpec};

use crate::harness::TestDb;

const TENANT: Uuid = Uuid::from_u128(0xfeed);

fn clients(count: u32) -> Vec<Client> {
    Practice::new(PracticeSpec { seed: 3, clients: count }).clients().collect()
}

async fn uncommitted_writes_leave_nothing(store: &Store) {
    let batch = clients(40);
    {
        let mut write = store.write().await.expect("begin");
        write.upsert_clients(TENANT, &batch).await.expect("clients");
        write.set_cursor(TENANT, "clients.modifiedsince", "2026-05-04T09:12:00").await.expect("cursor");
        // Dropped here without commit, as when the process dies mid-batch.
    }
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), 0);
    assert_eq!(store.count(TENANT, EntityKind::Contact).await.expect("count"), 0);
    assert_eq!(store.cursor(TENANT, "clients.modifiedsince").await.expect("cursor"), None);
    assert!(store.events(TENANT, 0, 10).await.expect("events").is_empty());

    let mut write = store.write().await.expect("the writer is free again");
    write.upsert_clients(TENANT, &batch).await.expect("clients");
    write.set_cursor(TENANT, "clients.modifiedsince", "2026-05-04T09:12:00").await.expect("cursor");
    write.rollback().await.expect("rollback");
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), 0);
}

#[tokio::test]
async fn uncommitted_writes_leave_nothing_on_sqlite() {
    let db = TestDb::sqlite().await;
    uncommitted_writes_leave_nothing(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn uncommitted_writes_leave_nothing_on_postgres() {
    let Some(db) = TestDb::postgres("uncommitted_writes_leave_nothing_on_postgres").await else { return };
    uncommitted_writes_leave_nothing(&db.store).await;
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_sqlite_database_makes_the_second_writer_wait() {
    let db = TestDb::sqlite().await;
    // A second pool on the same file stands for another process.
    let other = Store::open_location(db.location()).await.expect("second handle");
    let mut first = db.store.write().await.expect("first writer");
    first.set_cursor(TENANT, "owner", "first").await.expect("cursor");

    let second = tokio::spawn(async move {
        let mut write = other.write().await?;
        write.set_cursor(TENANT, "owner", "second").await?;
        write.commit().await?;
        Ok::<_, xpm_store::StoreError>(other)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "BEGIN IMMEDIATE must wait for the first writer");
    first.commit().await.expect("first commit");
    let other = second.await.expect("task").expect("the second writer succeeds once the first commits");
    let owner = db.store.cursor(TENANT, "owner").await.expect("cursor").expect("set");
    assert_eq!(owner.value, "second", "the second writer ran after the first");
    other.close().await;
    db.finish().await;
}

#[tokio::test]
async fn readers_go_on_while_a_sqlite_writer_writes() {
    let db = TestDb::sqlite().await;
    let mut write = db.store.write().await.expect("begin");
    write.upsert_clients(TENANT, &clients(5)).await.expect("clients");
    // WAL: a reader sees the last committed state while the write transaction is open.
    assert_eq!(db.store.count(TENANT, EntityKind::Client).await.expect("count"), 0);
    write.commit().await.expect("commit");
    assert_eq!(db.store.count(TENANT, EntityKind::Client).await.expect("count"), 5);
    db.finish().await;
}

#[tokio::test]
async fn the_default_database_is_sqlite_in_wal_mode() {
    let db = TestDb::sqlite().await;
    let path = match db.location() {
        xpm_store::DatabaseLocation::Sqlite(path) => path,
        other => panic!("expected SQLite, got {other:?}"),
    };
    let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    let mode: (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut connection).await.expect("pragma");
    assert_eq!(mode.0.to_lowercase(), "wal");
    db.finish().await;
}

#[tokio::test]
async fn items_without_their_key_are_refused_and_nothing_is_kept() {
    let db = TestDb::sqlite().await;
    let mut batch = clients(3);
    batch[1].uuid = None;
    let mut write = db.store.write().await.expect("begin");
    let error = write.upsert_clients(TENANT, &batch).await.expect_err("a client without UUID");
    assert_eq!(error.to_string(), "cannot store a client without its uuid: XPM sent one without it");
    drop(write);
    assert_eq!(db.store.count(TENANT, EntityKind::Client).await.expect("count"), 0);
    db.finish().await;
}

//! How fast a first sync's worth of clients goes into the store: 15,000 detailed clients
//! (about 30,000 contacts, with links, group memberships and relationships) in one transaction,
//! then the same batch again (every row unchanged); then how fast `Store::export` reads every
//! field of the clients and of the contacts (one row per link) back out, a page at a time. SQLite in a temporary directory always;
//! PostgreSQL too when `XPMKIT_TEST_DATABASE_URL` names a server (a fresh database is created
//! and dropped). Decoding and downloading are not part of it: the clients are built first.
//!
//! `cargo bench -p xpm-store --bench bulk_insert [-- CLIENTS]`

use std::time::Instant;

use futures_util::TryStreamExt as _;
use sqlx::Connection as _;
use uuid::Uuid;
use xpm_api::model::Client;
use xpm_store::{DatabaseLocation, EntityKind, ExportEntity, ExportOptions, Store};
use xpm_synth::{Practice, PracticeSpec};

const TENANT: Uuid = Uuid::from_u128(0x336e42e8_adbd_4f06_9f9d_b4839d2f9684);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: u32 = match std::env::args().skip(1).find(|arg| !arg.starts_with('-')) {
        Some(text) => text.parse()?,
        None => PracticeSpec::DEFAULT_CLIENTS,
    };
    let started = Instant::now();
    let clients: Vec<Client> =
        Practice::new(PracticeSpec { seed: PracticeSpec::DEFAULT_SEED, clients: count }).clients().collect();
    let contacts: usize = clients.iter().map(|client| client.contacts.as_ref().map_or(0, Vec::len)).sum();
    println!(
        "{} clients, {contacts} contact links, generated in {:.3} s",
        clients.len(),
        started.elapsed().as_secs_f64()
    );

    let dir = tempfile::tempdir()?;
    let sqlite = Store::open_location(DatabaseLocation::Sqlite(dir.path().join("bench.db"))).await?;
    measure("sqlite", &sqlite, &clients).await?;
    sqlite.close().await;
    let bytes: u64 = std::fs::read_dir(dir.path())?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .map(|meta| meta.len())
        .sum();
    let raw: usize = clients.iter().map(|client| serde_json::to_string(client).map_or(0, |json| json.len())).sum();
    println!("sqlite: database files {:.1} MB; the clients' raw JSON {:.1} MB", bytes as f64 / 1e6, raw as f64 / 1e6);

    match std::env::var("XPMKIT_TEST_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("xpmkit_bench_{}", Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await?;
            let mut url = url::Url::parse(&admin_url)?;
            url.set_path(&name);
            let postgres = Store::open(Some(url.as_str())).await?;
            let measured = measure("postgres", &postgres, &clients).await;
            postgres.close().await;
            sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")).execute(&mut admin).await?;
            measured?;
        }
        Err(_) => println!("postgres: skipped (XPMKIT_TEST_DATABASE_URL is not set)"),
    }
    Ok(())
}

async fn measure(backend: &str, store: &Store, clients: &[Client]) -> Result<(), Box<dyn std::error::Error>> {
    for pass in ["first (all new)", "again (all unchanged)"] {
        let started = Instant::now();
        let mut write = store.write().await?;
        // Batches of 1,000, as a sync streaming a download stores them.
        let mut counts = xpm_store::ClientBatch::default();
        for batch in clients.chunks(1_000) {
            counts += write.upsert_clients(TENANT, batch).await?;
        }
        write.set_cursor(TENANT, "clients.modifiedsince", "2026-05-04T09:12:00").await?;
        write.commit().await?;
        let elapsed = started.elapsed();
        println!(
            "{backend}: {pass}: {:.3} s  clients +{} ~{} ={}  contacts +{} ~{} ={}",
            elapsed.as_secs_f64(),
            counts.clients.added,
            counts.clients.updated,
            counts.clients.unchanged,
            counts.contacts.added,
            counts.contacts.updated,
            counts.contacts.unchanged,
        );
    }
    println!(
        "{backend}: stored {} clients, {} contacts",
        store.count(TENANT, EntityKind::Client).await?,
        store.count(TENANT, EntityKind::Contact).await?
    );
    for entity in [ExportEntity::Clients, ExportEntity::Contacts] {
        let started = Instant::now();
        let rows = store.export(TENANT, entity, ExportOptions::default()).await?;
        let fields = rows.fields().len();
        let count = rows.into_stream().try_fold(0u64, |count, _row| async move { Ok(count + 1) }).await?;
        println!(
            "{backend}: export {entity}: {count} rows of {fields} fields in {:.3} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

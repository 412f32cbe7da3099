//! The export read API on SQLite and PostgreSQL: every row once, in key order, page size
//! invisible; values as stored; removed rows left out unless asked for; contacts once per link;
//! one snapshot while a writer writes.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt as _;
use uuid::Uuid;
use xpm_api::model::{Client, Contact, Job, NamedRef, Time};
use xpm_api::value::{Decimal, YesNo};
use xpm_store::{EntityKind, ExportEntity, ExportOptions, ExportValue, Store, StoreError};
use xpm_synth::{Practice, PracticeSpec};

use crate::harness::TestDb;

const TENANT: Uuid = Uuid::from_u128(0xe8e8);
const OTHER_TENANT: Uuid = Uuid::from_u128(0xe9e9);

fn text(value: &str) -> ExportValue {
    ExportValue::Text(value.to_owned())
}

fn optional_text(value: Option<&str>) -> ExportValue {
    value.map_or(ExportValue::Null, text)
}

/// A synthetic practice in which one contact also belongs to a second client.
fn practice() -> Vec<Client> {
    let mut clients: Vec<Client> = Practice::new(PracticeSpec { seed: 23, clients: 45 }).clients().collect();
    let mut shared = clients[1].contacts.as_ref().and_then(|contacts| contacts.first()).cloned().expect("a contact");
    shared.is_primary = Some(YesNo::No);
    clients[2].contacts.get_or_insert_with(Vec::new).push(shared);
    clients
}

fn is_live(client: &Client) -> bool {
    !client.is_archived.is_some_and(YesNo::is_yes) && !client.is_deleted.is_some_and(YesNo::is_yes)
}

async fn fill(store: &Store, clients: &[Client]) {
    let mut write = store.write().await.expect("begin");
    write.upsert_practice(TENANT, "Export Practice", None).await.expect("practice");
    write.upsert_clients(TENANT, clients).await.expect("clients");
    // Another practice's rows never leak into this one's export.
    write.upsert_clients(OTHER_TENANT, &clients[..3]).await.expect("other clients");
    let mut job = Job::default();
    job.id = Some("J000042".to_owned());
    job.name = Some("=HYPERLINK(\"http://evil.example\")".to_owned());
    job.budget = Some(Decimal::new(150_000, 2));
    job.client = Some(NamedRef::new(clients[0].uuid.expect("id"), "First"));
    write.upsert_jobs(TENANT, &[job]).await.expect("jobs");
    let mut time = Time::default();
    time.uuid = Some(Uuid::from_u128(0x91));
    time.minutes = Some(-15);
    time.billable = Some(true);
    write.upsert_time(TENANT, &[time]).await.expect("time");
    write.commit().await.expect("commit");
}

async fn all(
    store: &Store,
    entity: ExportEntity,
    options: ExportOptions,
) -> (Vec<&'static str>, Vec<Vec<ExportValue>>) {
    let rows = store.export(TENANT, entity, options).await.expect("export starts");
    let names = rows.fields().iter().map(|field| field.name).collect();
    (names, rows.into_stream().try_collect().await.expect("rows"))
}

async fn exports_what_was_stored(store: &Store) {
    let clients = practice();
    fill(store, &clients).await;
    let live: Vec<&Client> = clients.iter().filter(|client| is_live(client)).collect();
    assert!(live.len() < clients.len(), "the synthetic practice has archived or deleted clients");

    // Clients: the live ones, by UUID, each value as stored; the page size changes nothing.
    let fields = ["uuid", "name", "tax_number", "is_archived", "balance_month"];
    let (names, rows) = all(store, ExportEntity::Clients, ExportOptions::default().fields(fields)).await;
    assert_eq!(names, fields);
    let mut expected: Vec<&Client> = live.clone();
    expected.sort_by_key(|client| client.uuid.map(|uuid| uuid.to_string()));
    assert_eq!(rows.len(), expected.len());
    for (row, client) in rows.iter().zip(&expected) {
        assert_eq!(row[0], text(&client.uuid.expect("id").to_string()));
        assert_eq!(row[1], optional_text(client.name.as_deref()));
        assert_eq!(row[2], optional_text(client.tax_number.as_deref()));
        assert_eq!(row[3], client.is_archived.map_or(ExportValue::Null, |flag| ExportValue::Boolean(flag.is_yes())));
        assert_eq!(row[4], client.balance_month.map_or(ExportValue::Null, |month| ExportValue::Integer(month.into())));
    }
    let paged = all(store, ExportEntity::Clients, ExportOptions::default().fields(fields).page_rows(4)).await.1;
    assert_eq!(paged, rows, "pages of 4 rows give the same rows");

    // Contacts: one row per link to a live client, by contact then client.
    let mut own: BTreeMap<String, Contact> = BTreeMap::new();
    let mut links: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for client in &clients {
        for contact in client.contacts.iter().flatten() {
            let key = contact.uuid.expect("id").to_string();
            own.insert(key.clone(), contact.clone());
            let entry = links.entry(key).or_default();
            if is_live(client) {
                entry.insert(client.uuid.expect("id").to_string());
            }
        }
    }
    let mut expected_links = Vec::new();
    for (contact, contact_links) in &links {
        if own[contact].is_deleted.is_some_and(YesNo::is_yes) {
            continue;
        }
        match contact_links.is_empty() {
            true => expected_links.push((contact.clone(), None)),
            false => expected_links.extend(contact_links.iter().map(|client| (contact.clone(), Some(client.clone())))),
        }
    }
    let shared = clients[1].contacts.as_ref().and_then(|contacts| contacts[0].uuid).expect("id").to_string();
    assert!(
        expected_links.iter().filter(|(contact, _)| *contact == shared).count() == 2 || !is_live(&clients[1]),
        "the shared contact has two links"
    );
    for page_rows in [1, 3, 1000] {
        let options = ExportOptions::default().fields(["uuid", "client_uuid", "client_name", "is_primary", "name"]);
        let (_, rows) = all(store, ExportEntity::Contacts, options.page_rows(page_rows)).await;
        let got: Vec<(String, Option<String>)> = rows
            .iter()
            .map(|row| match (&row[0], &row[1]) {
                (ExportValue::Text(contact), ExportValue::Text(client)) => (contact.clone(), Some(client.clone())),
                (ExportValue::Text(contact), ExportValue::Null) => (contact.clone(), None),
                other => panic!("unexpected key {other:?}"),
            })
            .collect();
        assert_eq!(got, expected_links, "pages of {page_rows}");
        for row in rows.iter().filter(|row| row[1] != ExportValue::Null) {
            let ExportValue::Text(client) = &row[1] else { unreachable!() };
            let client =
                clients.iter().find(|c| c.uuid.map(|u| u.to_string()).as_ref() == Some(client)).expect("a client");
            assert_eq!(row[2], optional_text(client.name.as_deref()));
            let ExportValue::Text(contact) = &row[0] else { unreachable!() };
            let link =
                client.contacts.iter().flatten().find(|c| c.uuid.map(|u| u.to_string()).as_ref() == Some(contact));
            let primary =
                link.and_then(|c| c.is_primary).map_or(ExportValue::Null, |f| ExportValue::Boolean(f.is_yes()));
            assert_eq!(row[3], primary, "the link's primary flag");
        }
    }

    // Jobs and time: decimals keep their scale, negative minutes stay numbers.
    let (names, jobs) = all(store, ExportEntity::Jobs, ExportOptions::default()).await;
    assert_eq!((names[0], names[1]), ("id", "uuid"));
    let budget = names.iter().position(|name| *name == "budget").expect("budget");
    assert_eq!((jobs.len(), &jobs[0][0], &jobs[0][budget]), (1, &text("J000042"), &text("1500.00")));
    let (_, time) = all(store, ExportEntity::Time, ExportOptions::default().fields(["minutes", "billable"])).await;
    assert_eq!(time, vec![vec![ExportValue::Integer(-15), ExportValue::Boolean(true)]]);

    // Removed rows: left out, or kept with the reason.
    let gone = expected[0].uuid.expect("id").to_string();
    let mut write = store.write().await.expect("begin");
    write.mark_removed(TENANT, EntityKind::Client, std::slice::from_ref(&gone)).await.expect("removed");
    write.commit().await.expect("commit");
    let (_, rows) = all(store, ExportEntity::Clients, ExportOptions::default().fields(["uuid"])).await;
    assert_eq!(rows.len(), live.len() - 1);
    assert!(!rows.contains(&vec![text(&gone)]));
    let options = ExportOptions::default().include_removed(true);
    let (names, rows) = all(store, ExportEntity::Clients, options).await;
    assert_eq!(rows.len(), clients.len());
    assert_eq!(&names[names.len() - 2..], ["removed", "removed_at"]);
    let reasons: BTreeMap<String, usize> = rows.iter().fold(BTreeMap::new(), |mut counts, row| {
        let reason = match &row[names.len() - 2] {
            ExportValue::Text(reason) => reason.clone(),
            _ => "live".to_owned(),
        };
        *counts.entry(reason).or_default() += 1;
        counts
    });
    assert_eq!(reasons.get("gone"), Some(&1), "{reasons:?}");
    assert_eq!(reasons.get("live"), Some(&(live.len() - 1)), "{reasons:?}");
    let archived =
        clients.iter().filter(|c| c.is_archived.is_some_and(YesNo::is_yes) && !c.is_deleted.is_some_and(YesNo::is_yes));
    assert_eq!(reasons.get("archived").copied().unwrap_or_default(), archived.count(), "{reasons:?}");

    // An unknown field is refused before anything is read.
    let error = store.export(TENANT, ExportEntity::Clients, ExportOptions::default().fields(["nmae"])).await;
    assert!(matches!(error, Err(StoreError::UnknownField { field, .. }) if field == "nmae"));
}

async fn one_snapshot_while_a_writer_writes(store: &Store) {
    let clients = practice();
    fill(store, &clients).await;
    let options = ExportOptions::default().fields(["uuid"]).page_rows(5);
    let mut rows = store.export(TENANT, ExportEntity::Clients, options).await.expect("export");
    let mut read = rows.next_page().await.expect("first page").expect("rows").len();
    // A client added after the first page, with the largest key, is not in this export.
    let mut late = Client::default();
    late.uuid = Some(Uuid::from_u128(u128::MAX));
    late.name = Some("Late Arrival".to_owned());
    let mut write = store.write().await.expect("the writer is not blocked by the export");
    write.upsert_clients(TENANT, &[late]).await.expect("client");
    write.commit().await.expect("commit");
    while let Some(page) = rows.next_page().await.expect("page") {
        read += page.len();
    }
    assert_eq!(read, clients.iter().filter(|client| is_live(client)).count());
    let after = all(store, ExportEntity::Clients, ExportOptions::default().fields(["uuid"])).await.1;
    assert_eq!(after.len(), read + 1, "a new export sees it");
}

#[tokio::test]
async fn exports_what_was_stored_on_sqlite() {
    let db = TestDb::sqlite().await;
    exports_what_was_stored(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn exports_what_was_stored_on_postgres() {
    let Some(db) = TestDb::postgres("exports_what_was_stored_on_postgres").await else { return };
    exports_what_was_stored(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn one_snapshot_while_a_writer_writes_on_sqlite() {
    let db = TestDb::sqlite().await;
    one_snapshot_while_a_writer_writes(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn one_snapshot_while_a_writer_writes_on_postgres() {
    let Some(db) = TestDb::postgres("one_snapshot_while_a_writer_writes_on_postgres").await else { return };
    one_snapshot_while_a_writer_writes(&db.store).await;
    db.finish().await;
}

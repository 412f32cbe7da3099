//! One story, run against SQLite and PostgreSQL: a first sync, a repeat with nothing changed,
//! an edit, a removal and its return, the rest of the practice, a run and the outbox. Both
//! backends must tell it the same way, event for event.

use std::collections::BTreeMap;

use uuid::Uuid;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::model::{
    Category, Client, ClientGroup, Contact, CustomFieldDefinition, CustomFieldValue, Job, JobTask, NamedRef, Staff,
    Time,
};
use xpm_api::value::{Decimal, YesNo};
use xpm_store::{ChangeCounts, ChangeKind, EntityKind, NewOutboxEntry, OutboxStatus, RunStatus, RunSummary, Store};
use xpm_synth::{Practice, PracticeSpec};

use crate::harness::TestDb;

const TENANT: Uuid = Uuid::from_u128(0x336e42e8_adbd_4f06_9f9d_b4839d2f9684);
const CLIENTS: u32 = 120;

/// What both backends must agree on: each event as (entity, key, change, old, new).
type Told = Vec<(String, String, ChangeKind, Option<serde_json::Value>, Option<serde_json::Value>)>;

fn practice_clients() -> Vec<Client> {
    Practice::new(PracticeSpec { seed: 11, clients: CLIENTS }).clients().collect()
}

fn unique_contacts(clients: &[Client]) -> usize {
    let mut seen = std::collections::HashSet::new();
    clients
        .iter()
        .flat_map(|client| client.contacts.iter().flatten())
        .filter_map(|c| c.uuid)
        .filter(|u| seen.insert(*u))
        .count()
}

async fn story(store: &Store) -> Told {
    let clients = practice_clients();
    let contacts = unique_contacts(&clients);
    assert!(contacts > usize::try_from(CLIENTS).expect("small"), "the practice has more contacts than clients");

    // First sync: data and cursor in one transaction.
    let mut write = store.write().await.expect("begin");
    write.upsert_practice(TENANT, "Demo Practice (AU)", Some(Uuid::from_u128(7))).await.expect("practice");
    let first = write.upsert_clients(TENANT, &clients).await.expect("clients");
    write.set_cursor(TENANT, "clients.modifiedsince", "2026-05-04T09:12:00").await.expect("cursor");
    write.commit().await.expect("commit");
    assert_eq!((first.clients.added, first.clients.updated, first.clients.unchanged), (clients.len(), 0, 0));
    assert_eq!(first.contacts.added, contacts);
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), u64::from(CLIENTS));
    assert_eq!(store.count(TENANT, EntityKind::Contact).await.expect("count"), contacts as u64);
    assert_eq!(
        store.cursor(TENANT, "clients.modifiedsince").await.expect("cursor").map(|c| c.value).as_deref(),
        Some("2026-05-04T09:12:00")
    );
    let practices = store.practices().await.expect("practices");
    assert_eq!((practices.len(), practices[0].tenant, practices[0].name.as_str()), (1, TENANT, "Demo Practice (AU)"));

    // Every field comes back: the item read back equals the item stored.
    let sample = &clients[3];
    let key = sample.uuid.expect("synth clients have ids").to_string();
    let stored = store.get::<Client>(TENANT, EntityKind::Client, &key).await.expect("get").expect("stored");
    assert_eq!(&stored.item, sample);
    assert_eq!(stored.removed_at, None);
    let links = store.client_contacts(TENANT, sample.uuid.expect("id")).await.expect("links");
    let mut expected: Vec<Contact> = sample.contacts.clone().expect("detailed");
    expected.sort_by_key(|contact| (contact.name.clone(), contact.uuid));
    assert_eq!(links.into_iter().map(|link| link.contact).collect::<Vec<_>>(), expected);
    let relationships = store.relationships(TENANT, sample.uuid.expect("id")).await.expect("relationships");
    assert_eq!(relationships.len(), sample.relationships.as_ref().map_or(0, Vec::len));
    if let Some(group) = sample.groups.as_ref().and_then(|groups| groups.first()) {
        let members = store.group_members(TENANT, group.uuid.expect("group id")).await.expect("members");
        assert!(members.contains(&sample.uuid.expect("id")));
    }

    // The same batch again: nothing changed, nothing written, nothing logged.
    let events_before = store.events(TENANT, 0, 100_000).await.expect("events").len();
    let mut write = store.write().await.expect("begin");
    let again = write.upsert_clients(TENANT, &clients).await.expect("clients");
    write.commit().await.expect("commit");
    assert_eq!((again.clients.added, again.clients.updated, again.clients.unchanged), (0, 0, clients.len()));
    assert_eq!(again.contacts.changed(), 0);
    assert_eq!(store.events(TENANT, 0, 100_000).await.expect("events").len(), events_before);

    // One client edited in XPM (email) with one of its contacts (phone).
    let mut edited = clients.clone();
    edited[5].email = Some("new-address@harbour.example".to_owned());
    let contact_list = edited[5].contacts.as_mut().expect("detailed");
    contact_list[0].phone = Some("+61 2 9999 0000".to_owned());
    let edited_contact = contact_list[0].uuid.expect("id");
    let mut write = store.write().await.expect("begin");
    let edit = write.upsert_clients(TENANT, &edited).await.expect("clients");
    write.commit().await.expect("commit");
    assert_eq!((edit.clients.updated, edit.clients.unchanged), (1, clients.len() - 1));
    assert_eq!((edit.contacts.updated, edit.contacts.added), (1, 0));
    let events = store.events(TENANT, 0, 100_000).await.expect("events");
    let client_event = events.iter().rev().find(|event| event.entity == "client").expect("client event");
    assert_eq!(client_event.change, ChangeKind::Updated);
    assert_eq!(client_event.key, edited[5].uuid.expect("id").to_string());
    let old = client_event.old.as_ref().expect("old values");
    let new = client_event.new.as_ref().expect("new values");
    assert_eq!(new["email"], "new-address@harbour.example");
    assert_eq!(old["email"], serde_json::to_value(&clients[5].email).expect("json"));
    assert!(new.as_object().expect("object").keys().all(|field| field == "email" || field == "contacts"), "{new}");
    let contact_event = events.iter().rev().find(|event| event.entity == "contact").expect("contact event");
    assert_eq!(contact_event.key, edited_contact.to_string());
    assert_eq!(contact_event.new.as_ref().expect("new")["phone"], "+61 2 9999 0000");

    // Reconciliation finds a client gone, then it comes back.
    let gone = edited[7].uuid.expect("id").to_string();
    let mut write = store.write().await.expect("begin");
    assert_eq!(
        write.mark_removed(TENANT, EntityKind::Client, &[gone.clone(), gone.clone()]).await.expect("removed"),
        1
    );
    assert_eq!(write.mark_removed(TENANT, EntityKind::Client, &["not-stored".to_owned()]).await.expect("removed"), 0);
    write.commit().await.expect("commit");
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), u64::from(CLIENTS) - 1);
    let removed = store.get::<Client>(TENANT, EntityKind::Client, &gone).await.expect("get").expect("kept");
    assert!(removed.removed_at.is_some());
    let mut write = store.write().await.expect("begin");
    let back = write.upsert_clients(TENANT, &edited[7..8]).await.expect("clients");
    write.commit().await.expect("commit");
    assert_eq!(back.clients.updated, 1);
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), u64::from(CLIENTS));

    the_rest_of_the_practice(store).await;
    runs_and_outbox(store).await;
    let mut live = store.keys(TENANT, EntityKind::Client).await.expect("keys");
    live.sort();
    assert_eq!(live.len() as u64, store.count(TENANT, EntityKind::Client).await.expect("count"));
    assert!(live.windows(2).all(|pair| pair[0] != pair[1]));

    store
        .events(TENANT, 0, 100_000)
        .await
        .expect("events")
        .into_iter()
        .map(|event| (event.entity, event.key, event.change, event.old, event.new))
        .collect()
}

async fn the_rest_of_the_practice(store: &Store) {
    let mut staff = Staff::default();
    staff.uuid = Some(Uuid::from_u128(0x51));
    staff.name = Some("Jo Partner".to_owned());
    staff.email = Some("jo@practice.example".to_owned());
    let mut group = ClientGroup::default();
    group.uuid = Some(Uuid::from_u128(0x61));
    group.name = Some("Harbour family".to_owned());
    group.taxable = Some(YesNo::No);
    group.clients = Some(vec![
        NamedRef::new(Uuid::from_u128(0x71), "Harbour Trust"),
        NamedRef::new(Uuid::from_u128(0x72), "Harbour Pty"),
    ]);
    let mut task = JobTask::default();
    task.uuid = Some(Uuid::from_u128(0x81));
    task.name = Some("Prepare accounts".to_owned());
    task.estimated_minutes = Some(120);
    task.completed = Some(false);
    let mut second_task = task.clone();
    second_task.uuid = Some(Uuid::from_u128(0x82));
    let mut job = Job::default();
    job.id = Some("J000309".to_owned());
    job.name = Some("Annual accounts".to_owned());
    job.budget = Some(Decimal::new(150_000, 2));
    job.client = Some(NamedRef::new(Uuid::from_u128(0x71), "Harbour Trust"));
    job.tasks = Some(vec![task.clone(), second_task]);
    let mut time = Time::default();
    time.uuid = Some(Uuid::from_u128(0x91));
    time.minutes = Some(-15);
    time.billable = Some(true);
    let mut category = Category::default();
    category.uuid = Some(Uuid::from_u128(0xa1));
    category.name = Some("Compliance".to_owned());
    let mut definition = CustomFieldDefinition::default();
    definition.uuid = Some(Uuid::from_u128(0xb1));
    definition.name = Some("Year end".to_owned());
    definition.use_client = Some(true);
    let mut value = CustomFieldValue::default();
    value.uuid = Some(Uuid::from_u128(0xb1));
    value.name = Some("Year end".to_owned());
    value.decimal = Some(Decimal::new(3050, 2));

    let mut write = store.write().await.expect("begin");
    assert_eq!(write.upsert_staff(TENANT, &[staff.clone()]).await.expect("staff").added, 1);
    assert_eq!(write.upsert_groups(TENANT, &[group.clone()]).await.expect("groups").added, 1);
    let jobs = write.upsert_jobs(TENANT, &[job.clone()]).await.expect("jobs");
    assert_eq!((jobs.jobs.added, jobs.tasks.added), (1, 2));
    assert_eq!(write.upsert_time(TENANT, &[time.clone()]).await.expect("time").added, 1);
    assert_eq!(write.upsert_categories(TENANT, &[category]).await.expect("categories").added, 1);
    assert_eq!(write.upsert_custom_field_definitions(TENANT, &[definition]).await.expect("definitions").added, 1);
    write
        .replace_custom_field_values(TENANT, CustomFieldOwnerKind::Job, "J000309", &[value.clone()])
        .await
        .expect("values");
    write.commit().await.expect("commit");

    let members = store.group_members(TENANT, Uuid::from_u128(0x61)).await.expect("members");
    assert_eq!(members, vec![Uuid::from_u128(0x71), Uuid::from_u128(0x72)]);
    let stored_job = store.get::<Job>(TENANT, EntityKind::Job, "J000309").await.expect("get").expect("job");
    assert_eq!(
        stored_job.item.budget.map(|budget| budget.to_string()).as_deref(),
        Some("1500.00"),
        "the scale is kept"
    );
    assert_eq!(store.count(TENANT, EntityKind::JobTask).await.expect("count"), 2);
    let stored_time =
        store.get::<Time>(TENANT, EntityKind::Time, &Uuid::from_u128(0x91).to_string()).await.expect("get");
    assert_eq!(stored_time.map(|stored| stored.item), Some(time));
    let values = store.custom_field_values(TENANT, CustomFieldOwnerKind::Job, "J000309").await.expect("values");
    assert_eq!(values, vec![value]);

    // The job comes back with one task fewer: that task is marked removed.
    job.tasks = Some(vec![task]);
    let mut write = store.write().await.expect("begin");
    let jobs = write.upsert_jobs(TENANT, &[job]).await.expect("jobs");
    write.replace_custom_field_values(TENANT, CustomFieldOwnerKind::Job, "J000309", &[]).await.expect("values");
    write.commit().await.expect("commit");
    assert_eq!((jobs.jobs.updated, jobs.tasks.unchanged), (1, 1));
    assert_eq!(store.count(TENANT, EntityKind::JobTask).await.expect("count"), 1);
    assert!(store.custom_field_values(TENANT, CustomFieldOwnerKind::Job, "J000309").await.expect("values").is_empty());
}

async fn runs_and_outbox(store: &Store) {
    let mut write = store.write().await.expect("begin");
    let run = write.start_run(TENANT, "full").await.expect("start");
    write.commit().await.expect("commit");
    let started = store.runs(TENANT, 5).await.expect("runs");
    assert_eq!((started[0].id, started[0].status), (run, RunStatus::Running));

    let mut counts = BTreeMap::new();
    counts.insert("client".to_owned(), ChangeCounts { added: 120, updated: 1, removed: 1 });
    let summary =
        RunSummary { status: RunStatus::Succeeded, calls_used: 3, bytes_downloaded: 4_700_000, counts, error: None };
    let so_far = RunSummary { status: RunStatus::Running, calls_used: 1, bytes_downloaded: 900, ..summary.clone() };
    let mut write = store.write().await.expect("begin");
    write.record_run_progress(run, &so_far).await.expect("progress");
    write.commit().await.expect("commit");
    let running = &store.runs(TENANT, 5).await.expect("runs")[0];
    assert_eq!((running.status, running.calls_used, running.bytes_downloaded), (RunStatus::Running, 1, 900));
    assert_eq!((&running.counts, running.finished_at.as_deref()), (&so_far.counts, None));
    let mut write = store.write().await.expect("begin");
    write.for_run(run);
    write.set_cursor(TENANT, "staff.refreshed", "2026-05-04T09:13:00").await.expect("cursor");
    write.finish_run(run, &summary).await.expect("finish");
    write.commit().await.expect("commit");
    let finished = &store.runs(TENANT, 5).await.expect("runs")[0];
    assert_eq!((finished.status, finished.calls_used, finished.bytes_downloaded), (RunStatus::Succeeded, 3, 4_700_000));
    assert_eq!(finished.counts, summary.counts);
    assert!(finished.finished_at.is_some());
    assert_eq!(store.cursor(TENANT, "staff.refreshed").await.expect("cursor").and_then(|c| c.run), Some(run));

    let entry = NewOutboxEntry {
        entity: "client".to_owned(),
        action: "create".to_owned(),
        entity_key: None,
        payload: r#"{"name":"Harbour Trust"}"#.to_owned(),
        base_version: None,
    };
    let mut write = store.write().await.expect("begin");
    let id = write.enqueue(TENANT, &entry).await.expect("enqueue");
    write.commit().await.expect("commit");
    let pending = store.outbox(TENANT, &[OutboxStatus::Pending]).await.expect("outbox");
    assert_eq!((pending.len(), &pending[0].change), (1, &entry));
    let mut write = store.write().await.expect("begin");
    write.mark_sending(id).await.expect("sending");
    write.commit().await.expect("commit");
    let sending = store.outbox(TENANT, &[OutboxStatus::Sending]).await.expect("outbox");
    assert_eq!(sending[0].attempts, 1, "an entry found sending has an unknown outcome and one attempt");
    let mut write = store.write().await.expect("begin");
    write.mark_sent(id, Some("0b9f0c7e-1d1a-4a53-9f39-8f0f6d6d2c10")).await.expect("sent");
    write.commit().await.expect("commit");
    assert!(store.outbox(TENANT, &[OutboxStatus::Pending, OutboxStatus::Sending]).await.expect("outbox").is_empty());
    let sent = store.outbox(TENANT, &[OutboxStatus::Sent]).await.expect("outbox");
    assert_eq!(sent[0].result_key.as_deref(), Some("0b9f0c7e-1d1a-4a53-9f39-8f0f6d6d2c10"));
}

/// Events carry times only in `at`, which the comparison leaves out; keys and values must match.
fn check_told(told: &Told) {
    let added_clients =
        told.iter().filter(|(entity, _, change, _, _)| entity == "client" && *change == ChangeKind::Added).count();
    assert_eq!(added_clients, usize::try_from(CLIENTS).expect("small"));
    let kinds: Vec<ChangeKind> = told
        .iter()
        .filter(|(entity, ..)| entity == "client")
        .map(|(_, _, change, ..)| *change)
        .skip(added_clients)
        .collect();
    assert_eq!(kinds, vec![ChangeKind::Updated, ChangeKind::Removed, ChangeKind::Restored]);
}

#[tokio::test]
async fn story_on_sqlite() {
    let db = TestDb::sqlite().await;
    check_told(&story(&db.store).await);
    db.finish().await;
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(db) = TestDb::postgres("story_on_postgres").await else { return };
    check_told(&story(&db.store).await);
    db.finish().await;
}

#[tokio::test]
async fn both_backends_tell_the_story_alike() {
    let Some(postgres) = TestDb::postgres("both_backends_tell_the_story_alike").await else { return };
    let sqlite = TestDb::sqlite().await;
    let on_sqlite = story(&sqlite.store).await;
    let on_postgres = story(&postgres.store).await;
    assert_eq!(on_sqlite.len(), on_postgres.len());
    assert_eq!(on_sqlite, on_postgres);
    sqlite.finish().await;
    postgres.finish().await;
}

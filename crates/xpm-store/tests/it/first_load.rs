//! A first load (`Store::first_load`, `WriteTx::load_clients`) stores exactly what
//! `upsert_clients` stores, with the same counts and change events, though it reads nothing back
//! for keys it has not stored yet; and it fails rather than overwrite a row another writer
//! stored meanwhile. Clients encoded ahead (`EncodedClients`, `WriteTx::store_clients`) store
//! the same too, in a first load or not.

use uuid::Uuid;
use xpm_api::model::{Client, Contact, Relationship};
use xpm_store::{ChangeKind, ClientBatch, EncodedClients, EntityKind, Store};
use xpm_synth::{Practice, PracticeSpec};

use crate::harness::TestDb;

const TENANT: Uuid = Uuid::from_u128(0xf125_710a);

/// Two batches of synthetic clients where a contact of the first batch is linked again to a
/// client of the second, and a client of the first is listed again, renamed, in the second.
fn batches() -> [Vec<Client>; 2] {
    let mut clients: Vec<Client> = Practice::new(PracticeSpec { seed: 11, clients: 40 }).clients().collect();
    let shared = clients
        .iter()
        .take(20)
        .find_map(|client| client.contacts.as_ref().and_then(|contacts| contacts.first().cloned()))
        .expect("a client of the first batch has a contact");
    clients[30].contacts.get_or_insert_with(Vec::new).push(shared);
    let mut renamed = clients[5].clone();
    renamed.name = Some("Renamed in the second batch".to_owned());
    let second: Vec<Client> = clients.split_off(20).into_iter().chain([renamed]).collect();
    [clients, second]
}

/// An event less its id and time: entity, key, change, old and new values.
type Event = (String, String, ChangeKind, Option<serde_json::Value>, Option<serde_json::Value>);

/// Everything a test compares: counts per batch, events (less their ids and times), and per
/// client its stored item, contact links and relationships.
#[derive(Debug, PartialEq)]
struct Stored {
    counts: Vec<ClientBatch>,
    events: Vec<Event>,
    clients: Vec<(Option<Client>, Vec<Contact>, Vec<Relationship>)>,
    contacts: u64,
}

async fn stored(store: &Store, counts: Vec<ClientBatch>, batches: &[Vec<Client>; 2]) -> Stored {
    let events = store
        .events(TENANT, 0, 10_000)
        .await
        .expect("events")
        .into_iter()
        .map(|event| (event.entity, event.key, event.change, event.old, event.new))
        .collect();
    let mut clients = Vec::new();
    for client in batches.iter().flatten() {
        let uuid = client.uuid.expect("synthetic clients have UUIDs");
        let item = store.get::<Client>(TENANT, EntityKind::Client, &uuid.to_string()).await.expect("client");
        let links = store.client_contacts(TENANT, uuid).await.expect("links");
        let relationships = store.relationships(TENANT, uuid).await.expect("relationships");
        clients.push((
            item.map(|stored| stored.item),
            links.into_iter().map(|link| link.contact).collect(),
            relationships,
        ));
    }
    let contacts = store.count(TENANT, EntityKind::Contact).await.expect("count");
    Stored { counts, events, clients, contacts }
}

async fn loaded_like_upserted(loaded: &Store, upserted: &Store) {
    let batches = batches();
    let mut load = loaded.first_load(TENANT).await.expect("check").expect("nothing stored yet");
    let mut load_counts = Vec::new();
    let mut upsert_counts = Vec::new();
    for batch in &batches {
        let mut write = loaded.write().await.expect("begin");
        load_counts.push(write.load_clients(TENANT, batch, &mut load).await.expect("load"));
        write.commit().await.expect("commit");
        let mut write = upserted.write().await.expect("begin");
        upsert_counts.push(write.upsert_clients(TENANT, batch).await.expect("upsert"));
        write.commit().await.expect("commit");
    }
    assert_eq!(load_counts[1].clients.updated, 1, "the client listed again was compared and updated");
    let renamed_contacts = batches[0][5].contacts.as_ref().map_or(0, Vec::len);
    assert_eq!(
        load_counts[1].contacts.unchanged,
        renamed_contacts + 1,
        "the contacts of the client listed again and the contact linked again were compared, unchanged"
    );
    let (loaded_state, upserted_state) =
        (stored(loaded, load_counts, &batches).await, stored(upserted, upsert_counts, &batches).await);
    assert_eq!(loaded_state, upserted_state);
    assert!(loaded.first_load(TENANT).await.expect("check").is_none(), "clients are stored now");
}

/// `store_clients` with clients encoded ahead, in a first load (`loaded`) and not (`not_loading`),
/// against `upsert_clients` (`upserted`).
async fn encoded_like_upserted(loaded: &Store, not_loading: &Store, upserted: &Store) {
    let batches = batches();
    let mut load = loaded.first_load(TENANT).await.expect("check").expect("nothing stored yet");
    let (mut load_counts, mut store_counts, mut upsert_counts) = (Vec::new(), Vec::new(), Vec::new());
    for batch in &batches {
        let encoded = EncodedClients::encode(batch.clone());
        assert_eq!(encoded.clients(), batch.as_slice(), "encoding keeps the clients as they are");
        let mut write = loaded.write().await.expect("begin");
        load_counts.push(write.store_clients(TENANT, &encoded, Some(&mut load)).await.expect("load"));
        write.commit().await.expect("commit");
        let mut write = not_loading.write().await.expect("begin");
        store_counts.push(write.store_clients(TENANT, &encoded, None).await.expect("store"));
        write.commit().await.expect("commit");
        let mut write = upserted.write().await.expect("begin");
        upsert_counts.push(write.upsert_clients(TENANT, batch).await.expect("upsert"));
        write.commit().await.expect("commit");
    }
    assert_eq!(store_counts[1].clients.updated, 1, "the client listed again was compared and updated");
    let upserted_state = stored(upserted, upsert_counts, &batches).await;
    assert_eq!(stored(loaded, load_counts, &batches).await, upserted_state, "encoded, in a first load");
    assert_eq!(stored(not_loading, store_counts, &batches).await, upserted_state, "encoded, not in a first load");
}

async fn a_row_stored_meanwhile_fails_the_load(store: &Store) {
    let [first, _] = batches();
    let mut load = store.first_load(TENANT).await.expect("check").expect("nothing stored yet");
    let mut write = store.write().await.expect("begin");
    write.upsert_clients(TENANT, &first[..1]).await.expect("another writer");
    write.commit().await.expect("commit");
    let mut write = store.write().await.expect("begin");
    write.load_clients(TENANT, &first, &mut load).await.expect_err("a key the load took for new is stored");
    write.rollback().await.expect("rollback");
    assert_eq!(store.count(TENANT, EntityKind::Client).await.expect("count"), 1, "nothing else was kept");
}

#[tokio::test]
async fn a_first_load_stores_what_upserts_store_on_sqlite() {
    let (loaded, upserted) = (TestDb::sqlite().await, TestDb::sqlite().await);
    loaded_like_upserted(&loaded.store, &upserted.store).await;
    loaded.finish().await;
    upserted.finish().await;
}

#[tokio::test]
async fn a_first_load_stores_what_upserts_store_on_postgres() {
    let Some(loaded) = TestDb::postgres("a_first_load_stores_what_upserts_store_loaded").await else { return };
    let Some(upserted) = TestDb::postgres("a_first_load_stores_what_upserts_store_upserted").await else { return };
    loaded_like_upserted(&loaded.store, &upserted.store).await;
    loaded.finish().await;
    upserted.finish().await;
}

#[tokio::test]
async fn a_row_stored_meanwhile_fails_the_load_on_sqlite() {
    let db = TestDb::sqlite().await;
    a_row_stored_meanwhile_fails_the_load(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn a_row_stored_meanwhile_fails_the_load_on_postgres() {
    let Some(db) = TestDb::postgres("a_row_stored_meanwhile_fails_the_load").await else { return };
    a_row_stored_meanwhile_fails_the_load(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn clients_encoded_ahead_store_what_upserts_store_on_sqlite() {
    let (loaded, stored, upserted) = (TestDb::sqlite().await, TestDb::sqlite().await, TestDb::sqlite().await);
    encoded_like_upserted(&loaded.store, &stored.store, &upserted.store).await;
    for db in [loaded, stored, upserted] {
        db.finish().await;
    }
}

#[tokio::test]
async fn clients_encoded_ahead_store_what_upserts_store_on_postgres() {
    let Some(loaded) = TestDb::postgres("clients_encoded_ahead_loaded").await else { return };
    let Some(stored) = TestDb::postgres("clients_encoded_ahead_stored").await else { return };
    let Some(upserted) = TestDb::postgres("clients_encoded_ahead_upserted").await else { return };
    encoded_like_upserted(&loaded.store, &stored.store, &upserted.store).await;
    for db in [loaded, stored, upserted] {
        db.finish().await;
    }
}

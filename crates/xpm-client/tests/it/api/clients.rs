//! `client.api` through `client.clients(tenant)`.

use futures_util::TryStreamExt;
use xpm_api::catalog::OperationId;
use xpm_api::model::Client;
use xpm_api::request::{ClientAddRequest, ClientUpdateRequest, ContactInsertItem};
use xpm_api::value::YesNo;
use xpm_client::Error;
use xpm_client::clock::Clock;

use crate::support::{Harness, Setup};

fn is_active(client: &Client) -> bool {
    client.is_archived != Some(YesNo::Yes) && client.is_deleted != Some(YesNo::Yes)
}

#[tokio::test]
async fn a_client_is_added_read_changed_listed_archived_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let clients = harness.client.clients(harness.tenant);

    let request = ClientAddRequest::new("Typed Api Holdings Ltd")
        .email("office@typed-api.example")
        .contacts([ContactInsertItem::new("Ada Typed").is_primary(YesNo::Yes)]);
    let added = clients.add(&request).await.expect("add");
    let id = added.id().expect("the new client's uuid");
    assert_eq!(added.name.as_deref(), Some("Typed Api Holdings Ltd"));

    let fetched = clients.get(id).await.expect("get");
    assert_eq!(fetched.email.as_deref(), Some("office@typed-api.example"));
    let contact_names: Vec<_> = fetched.contacts.iter().flatten().filter_map(|contact| contact.name.clone()).collect();
    assert_eq!(contact_names, ["Ada Typed"]);

    let change = ClientUpdateRequest::new(id).email("accounts@typed-api.example");
    let updated = clients.update(&change).await.expect("update");
    assert_eq!(updated.email.as_deref(), Some("accounts@typed-api.example"));
    assert_eq!(updated.name.as_deref(), Some("Typed Api Holdings Ltd"), "fields not sent stay as they were");

    let listed = clients.list().send().await.expect("list");
    assert_eq!(listed.len(), 26, "25 seeded and the new one");
    let ours = listed.iter().find(|client| client.id() == Some(id)).expect("the new client is listed");
    assert_eq!(ours.email.as_deref(), Some("accounts@typed-api.example"));

    let archived = clients.archive(id).await.expect("archive");
    assert_eq!(archived.is_archived, Some(YesNo::Yes));
    let active: Vec<Client> = clients.paged().page_size(500).stream().try_collect().await.expect("paged");
    assert!(active.iter().all(|client| client.id() != Some(id)), "an archived client leaves the paged list");

    clients.delete(id).await.expect("delete");
    let listed = clients.list().send().await.expect("list");
    let ours = listed.iter().find(|client| client.id() == Some(id)).expect("a deleted client stays listed");
    assert_eq!(ours.is_deleted, Some(YesNo::Yes));
}

#[tokio::test]
async fn list_options_reach_the_server_and_search_finds_by_name() {
    let harness = Harness::launch(Setup::default()).await;
    let clients = harness.client.clients(harness.tenant);
    let before = harness.clock.now();
    let added = clients.add(&ClientAddRequest::new("Quokka Search Trust")).await.expect("add");

    let changed = clients.list().modified_since(before).send().await.expect("modified since");
    let changed: Vec<_> = changed.iter().map(|client| client.uuid).collect();
    assert_eq!(changed, [added.uuid], "seeded clients last changed years ago");

    let plain = clients.list().send().await.expect("list");
    let detailed = clients.list().detailed(true).send().await.expect("detailed list");
    assert_eq!(plain.len(), detailed.len());
    let with_contacts = |list: &[Client]| list.iter().filter(|client| client.contacts.is_some()).count();
    let with_notes = |list: &[Client]| list.iter().filter(|client| client.notes.is_some()).count();
    assert_eq!(with_notes(&plain), 0, "the plain shape has no notes");
    assert!(with_notes(&detailed) > 0, "the detailed shape has notes");
    assert!(with_contacts(&detailed) >= with_contacts(&plain));

    let found = clients.search("quokka search").send().await.expect("search");
    let found: Vec<_> = found.iter().map(|client| client.uuid).collect();
    assert_eq!(found, [added.uuid]);
}

#[tokio::test]
async fn the_paged_stream_yields_every_active_client_in_order_one_page_at_a_time() {
    let harness = Harness::launch(Setup { clients: 120, ..Setup::default() }).await;
    let clients = harness.client.clients(harness.tenant);
    let seeded = clients.list().send().await.expect("list");
    assert!(seeded.iter().any(|client| !is_active(client)), "the seed has archived or deleted clients");
    // Top the practice up to exactly 120 active clients: the last page is then a partial one.
    let missing = 120 - seeded.iter().filter(|client| is_active(client)).count();
    for index in 0..missing {
        clients.add(&ClientAddRequest::new(format!("Top-up client {index}"))).await.expect("add");
    }
    let expected: Vec<_> =
        clients.list().send().await.expect("list").into_iter().filter(is_active).map(|client| client.uuid).collect();
    assert_eq!(expected.len(), 120);
    let journal = harness.emulator().journal();
    journal.clear();

    let streamed: Vec<Client> = clients.paged().page_size(50).stream().try_collect().await.expect("stream");
    let streamed: Vec<_> = streamed.into_iter().map(|client| client.uuid).collect();
    assert_eq!(streamed, expected);
    assert_eq!(journal.count("ClientV31_PagedList"), 3, "pages of 50, 50 and 20");
    let paths: Vec<String> = journal.entries().into_iter().map(|entry| entry.path).collect();
    assert!(paths.iter().all(|path| path == "/practicemanager/3.1/client.api/paged-list"), "{paths:?}");
}

#[tokio::test]
async fn the_stream_fetches_a_page_only_when_its_items_are_wanted() {
    let harness = Harness::launch(Setup::default()).await;
    let journal = harness.emulator().journal();
    journal.clear();
    let mut stream = harness.client.clients(harness.tenant).paged().page_size(10).stream();
    assert_eq!(journal.count("ClientV31_PagedList"), 0, "nothing is fetched before the first poll");
    for _ in 0..10 {
        stream.try_next().await.expect("an item").expect("not the end");
    }
    assert_eq!(journal.count("ClientV31_PagedList"), 1);
    stream.try_next().await.expect("an item").expect("not the end");
    assert_eq!(journal.count("ClientV31_PagedList"), 2);
}

#[tokio::test]
async fn one_page_at_a_time_resumes_from_its_token_and_bad_page_sizes_fail_early() {
    let harness = Harness::launch(Setup::default()).await;
    let clients = harness.client.clients(harness.tenant);
    let all: Vec<Client> = clients.paged().stream().try_collect().await.expect("stream");
    let first = clients.paged().page_size(7).send().await.expect("first page");
    assert_eq!(first.items, all[..7]);
    let token = first.next_page_token.expect("more pages");
    let second = clients.paged().page_size(7).page_token(token).send().await.expect("second page");
    assert_eq!(second.items, all[7..14]);

    let journal = harness.emulator().journal();
    journal.clear();
    for size in [0, 501] {
        let error = clients.paged().page_size(size).send().await.expect_err("out of range");
        assert!(
            matches!(error, Error::InvalidPageSize { operation: OperationId::ClientPagedList, size: asked, .. } if asked == size),
            "{error:?}"
        );
    }
    assert_eq!(journal.entries().len(), 0, "nothing was sent");
}

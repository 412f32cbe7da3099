//! `client.api/contact*` through `client.contacts(tenant)`.

use futures_util::TryStreamExt;
use xpm_api::catalog::OperationId;
use xpm_api::ids::ClientId;
use xpm_api::model::{Client, Contact};
use xpm_api::request::{ClientAddContactsRequest, ContactLinkItem, ContactRequest, ContactRequestClient};
use xpm_api::value::YesNo;
use xpm_client::Error;

use crate::support::{Harness, Setup};

/// Two clients that are neither archived nor deleted.
async fn two_active_clients(harness: &Harness) -> (ClientId, ClientId) {
    let page = harness.client.clients(harness.tenant).paged().page_size(2).send().await.expect("a page");
    let ids: Vec<_> = page.items.iter().filter_map(Client::id).collect();
    (ids[0], ids[1])
}

async fn all_contacts(harness: &Harness) -> Vec<Contact> {
    harness.client.contacts(harness.tenant).paged().page_size(20).stream().try_collect().await.expect("contacts")
}

#[tokio::test]
async fn a_contact_is_added_to_a_client_read_changed_linked_listed_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let contacts = harness.client.contacts(harness.tenant);
    let (first_client, second_client) = two_active_clients(&harness).await;

    let request = ContactRequest::new("Grace Ledger").email("grace@ledger.example").position("Director");
    let added = contacts.add(first_client, &request).await.expect("add");
    let id = added.id().expect("the new contact's uuid");
    assert_eq!(added.name.as_deref(), Some("Grace Ledger"));

    let at_client = contacts.clone().scoped_to_client(first_client).get(id).await.expect("get at the client");
    assert_eq!(at_client.position.as_deref(), Some("Director"));
    let alone = contacts.get(id).await.expect("get");
    assert_eq!(alone.email.as_deref(), Some("grace@ledger.example"));
    assert_eq!(alone.position, None, "a position belongs to the link with one client");

    let change = ContactRequest::default().phone("+64 4 555 0101");
    let updated = contacts.update(id, &change).await.expect("update");
    assert_eq!(updated.phone.as_deref(), Some("+64 4 555 0101"));
    assert_eq!(updated.name.as_deref(), Some("Grace Ledger"));
    let listed = all_contacts(&harness).await;
    let ours = listed.iter().find(|contact| contact.id() == Some(id)).expect("listed");
    assert_eq!(ours.phone.as_deref(), Some("+64 4 555 0101"));

    let linking = ClientAddContactsRequest::new([ContactLinkItem::new(id).position("Trustee")]);
    let links = contacts.link(second_client, &linking).await.expect("link");
    assert_eq!(links.len(), 1);
    assert_eq!((links[0].uuid, links[0].position.as_deref()), (Some(id.uuid()), Some("Trustee")));

    // Deleting at one client only unlinks the contact there.
    let at_second = contacts.clone().scoped_to_client(second_client);
    assert_eq!(at_second.get(id).await.expect("linked").position.as_deref(), Some("Trustee"));
    at_second.delete(id).await.expect("unlink");
    let error = at_second.get(id).await.expect_err("no longer linked");
    assert!(error.xpm_description().is_some_and(|text| text.contains("not linked")), "{error}");
    assert_eq!(contacts.get(id).await.expect("still there").is_deleted, Some(YesNo::No));

    contacts.delete(id).await.expect("delete");
    assert!(all_contacts(&harness).await.iter().all(|contact| contact.id() != Some(id)), "deleted leaves the list");
    assert_eq!(contacts.get(id).await.expect("kept as deleted").is_deleted, Some(YesNo::Yes));
}

#[tokio::test]
async fn a_contact_naming_another_client_is_refused_before_sending() {
    let harness = Harness::launch(Setup::default()).await;
    let (first_client, second_client) = two_active_clients(&harness).await;
    let request = ContactRequest::new("Misfiled Person").client(ContactRequestClient::new(second_client));
    harness.emulator().journal().clear();
    let error = harness.client.contacts(harness.tenant).add(first_client, &request).await.expect_err("refused");
    assert!(
        matches!(error, Error::ConflictingTarget { operation: OperationId::ClientContactPost, in_call, .. } if in_call == first_client.uuid()),
        "{error:?}"
    );
    assert_eq!(harness.emulator().journal().count("ClientV31_ContactPost"), 0);
}

#[tokio::test]
async fn the_contact_stream_walks_the_same_pages_as_their_tokens() {
    let harness = Harness::launch(Setup::default()).await;
    let contacts = harness.client.contacts(harness.tenant);
    let mut walked = Vec::new();
    let mut page = contacts.paged().page_size(15).send().await.expect("first page");
    let mut pages = 1;
    while let Some(token) = page.next_page_token.take() {
        walked.append(&mut page.items);
        page = contacts.paged().page_size(15).page_token(token).send().await.expect("next page");
        pages += 1;
    }
    walked.append(&mut page.items);
    assert!(pages >= 3, "25 clients have more than 30 contacts ({} in {pages} pages)", walked.len());

    let journal = harness.emulator().journal();
    journal.clear();
    let streamed: Vec<Contact> = contacts.paged().page_size(15).stream().try_collect().await.expect("stream");
    assert_eq!(streamed, walked);
    assert_eq!(journal.count("ClientV31_Contacts"), pages);
}

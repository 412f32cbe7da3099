//! `client.api/contacts` paging and the contact operations.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use xpm_api::model::{Client, Contact};
use xpm_api::response::XmlList;

use super::{Api, id, is_yes};

/// Every contact that is not deleted, across all pages of `client.api/contacts`.
async fn walk_contacts(api: &Api, page_size: usize) -> Vec<Contact> {
    let mut path = format!("/client.api/contacts?pageSize={page_size}");
    let mut contacts = Vec::new();
    loop {
        let answer = api.get(&path).await.expect(StatusCode::OK);
        let mut list = XmlList::<_, Contact>::new(answer.body.as_bytes());
        contacts.extend(list.by_ref().map(|contact| contact.expect("a contact")));
        let links = list.pagination().and_then(|pagination| pagination.links.clone()).expect("links");
        let first = links.first.expect("a First link");
        assert!(first.ends_with(&format!("/practicemanager/3.1/client.api/contacts?pageSize={page_size}")), "{first}");
        let Some(next) = links.next else { return contacts };
        path = next.strip_prefix(&api.running.api_url()).expect("a link to the emulator").to_owned();
    }
}

#[tokio::test]
async fn contacts_page_through_every_live_contact_once() {
    let api = Api::directory(80).await;
    let contacts = walk_contacts(&api, 45).await;
    let unique: HashSet<_> = contacts.iter().map(|contact| id(contact.uuid)).collect();
    assert_eq!(unique.len(), contacts.len(), "no contact twice");
    assert!(contacts.len() > 80, "one to four contacts per client");
    for contact in &contacts {
        assert!(contact.position.is_none() && contact.is_primary.is_none(), "no link fields in the contact list");
        assert!(!is_yes(contact.is_deleted));
    }
    let detailed: Vec<Client> = api.get("/client.api/list?detailed=true").await.expect(StatusCode::OK).list();
    let linked: HashSet<_> = detailed
        .iter()
        .flat_map(|client| client.contacts.iter().flatten())
        .filter(|contact| !is_yes(contact.is_deleted))
        .map(|contact| id(contact.uuid))
        .collect();
    assert_eq!(linked, unique, "the contact list holds the clients' live contacts");
}

#[tokio::test]
async fn a_contact_is_added_linked_updated_unlinked_and_deleted() {
    let api = Api::directory(12).await;
    let clients: Vec<Client> =
        api.all_clients().await.into_iter().filter(|client| !is_yes(client.is_deleted)).collect();
    let (home, other) = (id(clients[0].uuid), id(clients[1].uuid));

    let orphan = "<Contact><Name>Nobody</Name></Contact>";
    api.xml(Method::POST, "/client.api/contact", Some(orphan)).await.expect(StatusCode::BAD_REQUEST);
    let body = format!(
        "<Contact><Name>Mere Parata</Name><Email>mere@example.nz</Email><Position>Trustee</Position>\
         <IsPrimary>Yes</IsPrimary><Client><UUID>{home}</UUID></Client></Contact>"
    );
    let added: Contact =
        api.xml(Method::POST, "/client.api/contact", Some(&body)).await.expect(StatusCode::OK).single();
    let contact = id(added.uuid);
    assert_eq!(added.position.as_deref(), Some("Trustee"));
    assert!(is_yes(added.is_primary));
    let home_client: Client = api.get(&format!("/client.api/get/{home}")).await.expect(StatusCode::OK).single();
    let primaries: Vec<_> = home_client
        .contacts
        .iter()
        .flatten()
        .filter(|linked| is_yes(linked.is_primary))
        .map(|linked| linked.uuid)
        .collect();
    assert_eq!(primaries, [Some(contact)], "one primary contact per client");

    let plain: Contact = api.get(&format!("/client.api/contact/{contact}")).await.expect(StatusCode::OK).single();
    assert!(plain.position.is_none() && plain.is_primary.is_none());
    let seen: Contact =
        api.get(&format!("/client.api/contact/{contact}?clientUuid={home}")).await.expect(StatusCode::OK).single();
    assert_eq!(seen.position.as_deref(), Some("Trustee"));
    api.get(&format!("/client.api/contact/{contact}?clientUuid={other}")).await.expect(StatusCode::BAD_REQUEST);
    api.get(&format!("/client.api/contact/{}", uuid::Uuid::new_v4())).await.expect(StatusCode::NOT_FOUND);

    let link = format!(
        "<Client><Contacts><Contact><UUID>{contact}</UUID><Position>Auditor</Position></Contact></Contacts></Client>"
    );
    let linked: Client = api
        .xml(Method::POST, &format!("/client.api/client/{other}/contacts"), Some(&link))
        .await
        .expect(StatusCode::OK)
        .single();
    assert_eq!(linked.uuid, Some(other));
    let items = linked.contacts.unwrap_or_default();
    assert_eq!(items[0].position.as_deref(), Some("Auditor"));
    assert!(items[0].name.is_none(), "the answer names only uuid, position and primary flag");
    let eleven = format!(
        "<Client><Contacts>{}</Contacts></Client>",
        format!("<Contact><UUID>{contact}</UUID></Contact>").repeat(11)
    );
    api.xml(Method::POST, &format!("/client.api/client/{other}/contacts"), Some(&eleven))
        .await
        .expect(StatusCode::BAD_REQUEST);

    let update = "<Contact><Phone>04 555 0199</Phone><Position>Chair</Position></Contact>";
    let updated: Contact = api
        .xml(Method::PUT, &format!("/client.api/contact/{contact}?clientUuid={other}"), Some(update))
        .await
        .expect(StatusCode::OK)
        .single();
    assert_eq!((updated.phone.as_deref(), updated.position.as_deref()), (Some("04 555 0199"), Some("Chair")));
    assert_eq!(updated.email.as_deref(), Some("mere@example.nz"));

    let unlinked: Contact = api
        .xml(Method::DELETE, &format!("/client.api/contact/{contact}?clientUuid={other}"), None)
        .await
        .expect(StatusCode::OK)
        .single();
    assert!(!is_yes(unlinked.is_deleted) && unlinked.position.is_none());
    let other_client: Client = api.get(&format!("/client.api/get/{other}")).await.expect(StatusCode::OK).single();
    assert!(other_client.contacts.iter().flatten().all(|linked| linked.uuid != Some(contact)));

    let deleted: Contact =
        api.xml(Method::DELETE, &format!("/client.api/contact/{contact}"), None).await.expect(StatusCode::OK).single();
    assert!(is_yes(deleted.is_deleted));
    assert!(walk_contacts(&api, 500).await.iter().all(|listed| listed.uuid != Some(contact)));
    api.xml(Method::PUT, &format!("/client.api/contact/{contact}"), Some(update)).await.expect(StatusCode::CONFLICT);
}

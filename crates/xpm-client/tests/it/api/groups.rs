//! `clientgroup.api` through `client.client_groups(tenant)`.

use xpm_api::request::{ClientGroupAddRequest, ClientGroupMembersRequest};

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_group_is_added_read_given_members_listed_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let groups = harness.client.client_groups(harness.tenant);
    let page = harness.client.clients(harness.tenant).paged().page_size(2).send().await.expect("clients");
    let (first, second) = (page.items[0].id().expect("uuid"), page.items[1].id().expect("uuid"));
    let seeded = groups.list().send().await.expect("list").len();

    let request = ClientGroupAddRequest::new("Harbour Trusts").client_uuid(first);
    let added = groups.add(&request).await.expect("add");
    let id = added.id().expect("the new group's uuid");

    let fetched = groups.get(id).await.expect("get");
    assert_eq!(fetched.name.as_deref(), Some("Harbour Trusts"));
    let members: Vec<_> = fetched.clients.iter().flatten().map(|client| client.uuid).collect();
    assert_eq!(members, [Some(first.uuid())]);

    let changed = groups.members(&ClientGroupMembersRequest::new(id).add_client(second).remove_client(first)).await;
    let members: Vec<_> = changed.expect("members").clients.iter().flatten().map(|client| client.uuid).collect();
    assert_eq!(members, [Some(second.uuid())]);
    let members: Vec<_> =
        groups.get(id).await.expect("get").clients.iter().flatten().map(|client| client.uuid).collect();
    assert_eq!(members, [Some(second.uuid())]);

    let listed = groups.list().send().await.expect("list");
    assert_eq!(listed.len(), seeded + 1);
    let ours = listed.iter().find(|group| group.id() == Some(id)).expect("listed");
    assert_eq!(ours.name.as_deref(), Some("Harbour Trusts"));

    groups.delete(id).await.expect("delete");
    let listed = groups.list().send().await.expect("list");
    assert_eq!(listed.len(), seeded);
    assert!(listed.iter().all(|group| group.id() != Some(id)));
    assert!(groups.get(id).await.expect_err("gone").xpm_description().is_some());
}

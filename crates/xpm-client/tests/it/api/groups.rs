//! `clientgroup.api` through `client.client_groups(tenant)`.

use xpm_api::request::{ClientGroupAddRequest, ClientGroupMembersRequest};

use crate::support::{Harness, Setup};

#[tokio::test]
async fn a_group_is_added_read_given_members_listed_and_deleted() {
    let harness = Harness::launch(Setup::default()).await;
    let groups = harness.client.client_groups(harness.tenant);
    let page = harness.client.clients(harness.tenant).paged().page_size(2).send().await.expect("clients");
    let (first, second) = (page.items[0].uuid.expect("uuid"), page.items[1].uuid.expect("uuid"));
    let seeded = groups.list().await.expect("list").len();

    let mut request = ClientGroupAddRequest::default();
    request.name = Some("Harbour Trusts".into());
    request.client_uuid = Some(first);
    let added = groups.add(&request).await.expect("add");
    let uuid = added.uuid.expect("the new group's uuid");

    let fetched = groups.get(uuid).await.expect("get");
    assert_eq!(fetched.name.as_deref(), Some("Harbour Trusts"));
    let members: Vec<_> = fetched.clients.iter().flatten().map(|client| client.uuid).collect();
    assert_eq!(members, [Some(first)]);

    let changed = groups.members(&ClientGroupMembersRequest::new(uuid).add_client(second).remove_client(first)).await;
    let members: Vec<_> = changed.expect("members").clients.iter().flatten().map(|client| client.uuid).collect();
    assert_eq!(members, [Some(second)]);
    let members: Vec<_> =
        groups.get(uuid).await.expect("get").clients.iter().flatten().map(|client| client.uuid).collect();
    assert_eq!(members, [Some(second)]);

    let listed = groups.list().await.expect("list");
    assert_eq!(listed.len(), seeded + 1);
    let ours = listed.iter().find(|group| group.uuid == Some(uuid)).expect("listed");
    assert_eq!(ours.name.as_deref(), Some("Harbour Trusts"));

    groups.delete(uuid).await.expect("delete");
    let listed = groups.list().await.expect("list");
    assert_eq!(listed.len(), seeded);
    assert!(listed.iter().all(|group| group.uuid != Some(uuid)));
    assert!(groups.get(uuid).await.expect_err("gone").xpm_description().is_some());
}

//! `clientgroup.api`: list without members, get with them, add, members, delete.

use reqwest::{Method, StatusCode};
use xpm_api::model::{Client, ClientGroup};

use super::{Api, id, is_yes};

#[tokio::test]
async fn groups_are_listed_without_members_and_fetched_with_them() {
    let api = Api::directory(150).await;
    let groups: Vec<ClientGroup> = api.get("/clientgroup.api/list").await.expect(StatusCode::OK).list();
    assert!(groups.len() >= 10);
    assert!(groups.iter().all(|group| group.clients.is_none() && group.taxable.is_some()));
    let detailed: Vec<Client> = api.get("/client.api/list?detailed=true").await.expect(StatusCode::OK).list();
    let group = id(groups[0].uuid);
    let fetched: ClientGroup = api.get(&format!("/clientgroup.api/get/{group}")).await.expect(StatusCode::OK).single();
    let mut members: Vec<_> = fetched.clients.unwrap_or_default().into_iter().map(|member| id(member.uuid)).collect();
    let mut expected: Vec<_> = detailed
        .iter()
        .filter(|client| !is_yes(client.is_deleted))
        .filter(|client| client.groups.iter().flatten().any(|member_of| member_of.uuid == Some(group)))
        .map(|client| id(client.uuid))
        .collect();
    members.sort();
    expected.sort();
    assert_eq!(members, expected, "a group's members are the clients that list it");
    api.get(&format!("/clientgroup.api/get/{}", uuid::Uuid::new_v4())).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_group_gains_and_loses_members_and_is_deleted() {
    let api = Api::directory(20).await;
    let clients: Vec<Client> =
        api.all_clients().await.into_iter().filter(|client| !is_yes(client.is_deleted)).collect();
    let (first, second, third) = (id(clients[0].uuid), id(clients[1].uuid), id(clients[2].uuid));
    let add =
        format!("<Group><Name>Whānau Trusts</Name><Taxable>Yes</Taxable><ClientUUID>{first}</ClientUUID></Group>");
    let group: ClientGroup =
        api.xml(Method::POST, "/clientgroup.api/add", Some(&add)).await.expect(StatusCode::OK).single();
    let uuid = id(group.uuid);
    assert_eq!(group.name.as_deref(), Some("Whānau Trusts"));
    assert!(is_yes(group.taxable));
    assert_eq!(group.clients.unwrap_or_default().iter().map(|member| member.uuid).collect::<Vec<_>>(), [Some(first)]);

    let members = format!(
        "<Group><UUID>{uuid}</UUID><add uuid=\"{second}\"/><add uuid=\"{third}\"/><remove uuid=\"{first}\"/></Group>"
    );
    let changed: ClientGroup =
        api.xml(Method::PUT, "/clientgroup.api/members", Some(&members)).await.expect(StatusCode::OK).single();
    let mut now_in: Vec<_> = changed.clients.unwrap_or_default().into_iter().map(|member| id(member.uuid)).collect();
    now_in.sort();
    let mut expected = vec![second, third];
    expected.sort();
    assert_eq!(now_in, expected);
    let second_client: Client = api.get(&format!("/client.api/get/{second}")).await.expect(StatusCode::OK).single();
    assert!(second_client.groups.iter().flatten().any(|member_of| member_of.uuid == Some(uuid)), "the client shows it");

    let unknown = format!("<Group><UUID>{uuid}</UUID><add uuid=\"{}\"/></Group>", uuid::Uuid::new_v4());
    api.xml(Method::PUT, "/clientgroup.api/members", Some(&unknown)).await.expect(StatusCode::NOT_FOUND);

    let delete = format!("<Group><UUID>{uuid}</UUID></Group>");
    api.xml(Method::POST, "/clientgroup.api/delete", Some(&delete)).await.expect(StatusCode::OK);
    api.get(&format!("/clientgroup.api/get/{uuid}")).await.expect(StatusCode::NOT_FOUND);
    let second_client: Client = api.get(&format!("/client.api/get/{second}")).await.expect(StatusCode::OK).single();
    assert!(second_client.groups.iter().flatten().all(|member_of| member_of.uuid != Some(uuid)));
    api.xml(Method::POST, "/clientgroup.api/delete", Some(&delete)).await.expect(StatusCode::NOT_FOUND);
}

//! `staff.api`: list, get, add, update, enable/disable, forgotten password, delete.

use reqwest::{Method, StatusCode};
use xpm_api::model::{Client, Staff};

use super::{Api, id};

#[tokio::test]
async fn staff_are_listed_added_updated_and_deleted() {
    let api = Api::directory(40).await;
    let staff: Vec<Staff> = api.get("/staff.api/list").await.expect(StatusCode::OK).list();
    assert_eq!(staff.len(), 40);
    let first = &staff[0];
    let fetched: Staff = api.get(&format!("/staff.api/get/{}", id(first.uuid))).await.expect(StatusCode::OK).single();
    assert_eq!(&fetched, first);
    let expected_url = format!("https://practicemanager.xero.com/app/staff/{}/information", id(first.uuid));
    assert_eq!(fetched.web_url.as_deref(), Some(expected_url.as_str()));

    let add = "<Staff><Name>Ngaio Marsh</Name><Email>ngaio@kowhai.example</Email><PayrollCode>NM</PayrollCode></Staff>";
    let added: Staff = api.xml(Method::POST, "/staff.api/add", Some(add)).await.expect(StatusCode::OK).single();
    let uuid = id(added.uuid);
    assert_eq!(added.phone.as_deref(), Some(""), "unset fields are present and empty");
    let listed: Vec<Staff> = api.get("/staff.api/list").await.expect(StatusCode::OK).list();
    assert_eq!(listed.len(), 41);

    let identified = format!("<Staff><UUID>{uuid}</UUID></Staff>");
    for action in ["disable", "enable", "forgottenpassword"] {
        let answer =
            api.xml(Method::POST, &format!("/staff.api/{action}"), Some(&identified)).await.expect(StatusCode::OK);
        assert!(answer.body.contains("<Status>OK</Status>"), "{action}");
    }
    let update = format!("<Staff><UUID>{uuid}</UUID><Name>Dame Ngaio Marsh</Name><Email/></Staff>");
    let updated: Staff = api.xml(Method::PUT, "/staff.api/update", Some(&update)).await.expect(StatusCode::OK).single();
    assert_eq!(updated.name.as_deref(), Some("Dame Ngaio Marsh"));
    assert_eq!(updated.payroll_code.as_deref(), Some("NM"));
    assert_eq!(updated.email.as_deref(), Some(""));
    api.xml(Method::POST, "/staff.api/forgottenpassword", Some(&identified)).await.expect(StatusCode::BAD_REQUEST);

    api.xml(Method::POST, "/staff.api/delete", Some(&identified)).await.expect(StatusCode::OK);
    api.get(&format!("/staff.api/get/{uuid}")).await.expect(StatusCode::NOT_FOUND);
    api.xml(Method::POST, "/staff.api/delete", Some(&identified)).await.expect(StatusCode::NOT_FOUND);
    api.xml(Method::POST, "/staff.api/add", Some("<Staff><Email>a@b.c</Email></Staff>"))
        .await
        .expect(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn renaming_a_staff_member_renames_them_on_their_clients() {
    let api = Api::directory(40).await;
    let detailed: Vec<Client> = api.get("/client.api/list?detailed=true").await.expect(StatusCode::OK).list();
    let managed = detailed.iter().find_map(|client| client.account_manager.clone()).expect("a managed client");
    let update = format!("<Staff><UUID>{}</UUID><Name>Renamed Partner</Name></Staff>", id(managed.uuid));
    api.xml(Method::PUT, "/staff.api/update", Some(&update)).await.expect(StatusCode::OK);
    let after: Vec<Client> = api.get("/client.api/list").await.expect(StatusCode::OK).list();
    let names: Vec<_> = after
        .iter()
        .filter_map(|client| client.account_manager.as_ref())
        .filter(|manager| manager.uuid == managed.uuid)
        .map(|manager| manager.name.clone().unwrap_or_default())
        .collect();
    assert!(!names.is_empty() && names.iter().all(|name| name == "Renamed Partner"), "{names:?}");
}

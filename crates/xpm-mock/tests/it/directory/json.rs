//! JSON mode (`Accept: application/json` with `Xero-Features: practice-strict-content-type`):
//! requests in the OpenAPI request DTOs, responses checked against the response DTOs.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Api;
use crate::spec::assert_follows;

/// Calls `path` in JSON mode, expects 200 and checks the body against `operation`'s DTO.
async fn call(api: &Api, operation: &str, method: Method, path: &str, body: Option<Value>) -> Value {
    let answer = api.json(method, path, body.as_ref()).await.expect(StatusCode::OK);
    let value = answer.json();
    assert_eq!(value["status"], "OK", "{operation}: {value}");
    assert_follows(operation, &value);
    value
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("expected a string, found {value}")).to_owned()
}

#[tokio::test]
async fn reads_answer_in_the_spec_dto_shapes() {
    let api = Api::directory(40).await;
    let list = call(&api, "ClientV31_List", Method::GET, "/client.api/list", None).await;
    assert_eq!(list["clients"].as_array().map(Vec::len), Some(40));
    assert!(list["clients"][0]["isArchived"].is_string(), "Yes/No flags stay strings in JSON");
    let detailed = call(&api, "ClientV31_List", Method::GET, "/client.api/list?detailed=true", None).await;
    let client = &detailed["clients"][0];
    call(&api, "ClientV31_PagedList", Method::GET, "/client.api/paged-list?pageSize=7", None).await;
    let paged = call(&api, "ClientV31_PagedList", Method::GET, "/client.api/paged-list?pageSize=7", None).await;
    assert!(text(&paged["pagination"]["links"]["next"]).contains("pageToken="));
    let name = text(&client["name"]);
    let query = serde_urlencoded::to_string([("query", name.as_str())]).expect("query");
    call(&api, "ClientV31_Search", Method::GET, &format!("/client.api/search?{query}&detailed=true"), None).await;
    let uuid = text(&client["uuid"]);
    let got = call(&api, "ClientV31_GetByIdentifier", Method::GET, &format!("/client.api/get/{uuid}"), None).await;
    assert_eq!(got["client"]["uuid"], client["uuid"]);
    let contacts = call(&api, "ClientV31_Contacts", Method::GET, "/client.api/contacts?pageSize=5", None).await;
    let contact = text(&client["contacts"][0]["uuid"]);
    let path = format!("/client.api/contact/{contact}?clientUuid={uuid}");
    let linked = call(&api, "ClientV31_ContactGet", Method::GET, &path, None).await;
    assert!(linked["contact"]["isPrimary"].is_string());
    assert!(contacts["contacts"][0]["isPrimary"].is_null());
    let groups = call(&api, "ClientGroupV31_List", Method::GET, "/clientgroup.api/list", None).await;
    let group = text(&groups["groups"][0]["uuid"]);
    call(&api, "ClientGroupV31_GetByIdentifier", Method::GET, &format!("/clientgroup.api/get/{group}"), None).await;
    let staff = call(&api, "StaffV31_List", Method::GET, "/staff.api/list", None).await;
    let member = text(&staff["staffList"][0]["uuid"]);
    call(&api, "StaffV31_GetByUuid", Method::GET, &format!("/staff.api/get/{member}"), None).await;
    call(&api, "ClientV31_Documents", Method::GET, &format!("/client.api/documents/{uuid}"), None).await;

    let missing = api.json(Method::GET, &format!("/client.api/get/{}", uuid::Uuid::new_v4()), None).await;
    let missing = missing.expect(StatusCode::NOT_FOUND).json();
    assert_eq!(missing["status"], "ERROR");
    assert!(missing["errorDescription"].is_string());
}

#[tokio::test]
async fn writes_take_and_answer_the_spec_dto_shapes() {
    let api = Api::directory(10).await;
    let staff = call(&api, "StaffV31_List", Method::GET, "/staff.api/list", None).await;
    let manager = text(&staff["staffList"][0]["uuid"]);
    let body = json!({
        "name": "Jīn Holdings Pty Ltd", "email": "accounts@jin.example", "webSite": "https://jin.example",
        "accountManagerUuid": manager, "gstPeriod": 1, "balanceMonth": "6",
        "contacts": [{ "name": "Li Wei", "position": "Director", "isPrimary": "Yes" }]
    });
    let added = call(&api, "ClientV31_Add", Method::POST, "/client.api/add", Some(body)).await;
    let client = text(&added["client"]["uuid"]);
    assert_eq!(added["client"]["gstPeriod"], "Monthly");
    assert_eq!(added["client"]["balanceMonth"], 6);
    let contact = text(&added["client"]["contacts"][0]["uuid"]);
    let update = json!({ "uuid": client, "phone": "02 9999 0000" });
    call(&api, "ClientV31_Update", Method::PUT, "/client.api/update", Some(update)).await;

    let clients = call(&api, "ClientV31_List", Method::GET, "/client.api/list", None).await;
    let other = clients["clients"]
        .as_array()
        .and_then(|all| all.iter().find(|item| item["isDeleted"] == "No" && item["uuid"] != client.as_str()))
        .map(|item| text(&item["uuid"]))
        .expect("another live client");
    let relationship = json!({
        "clientUuid": client, "relatedClientUuid": other, "type": "Shareholder",
        "numberOfShares": 250, "startDate": "2021-07-01"
    });
    let added =
        call(&api, "ClientV31_AddRelationship", Method::POST, "/client.api/addrelationship", Some(relationship)).await;
    let detail = &added["clientRelationship"];
    assert_eq!(
        (detail["numberOfShares"].clone(), detail["relationshipType"]["name"].clone()),
        (json!(250), json!("Shareholder"))
    );
    assert_eq!(detail["client"]["uuid"], client.as_str());
    let relationship_id = text(&detail["uuid"]);
    let change = json!({ "uuid": relationship_id, "numberOfShares": 300, "endDate": "2024-06-30" });
    let changed =
        call(&api, "ClientV31_UpdateRelationship", Method::PUT, "/client.api/updaterelationship", Some(change)).await;
    assert_eq!(changed["clientRelationship"]["endDate"], "2024-06-30");
    let gone = json!({ "uuid": relationship_id });
    call(&api, "ClientV31_DeleteRelationship", Method::POST, "/client.api/deleterelationship", Some(gone)).await;

    let document =
        json!({ "clientUuid": client, "title": "Engagement letter", "fileName": "letter.txt", "content": "aGVsbG8=" });
    let stored = call(&api, "ClientV31_Document", Method::POST, "/client.api/document", Some(document)).await;
    assert!(stored["uuid"].is_string());
    let documents =
        call(&api, "ClientV31_Documents", Method::GET, &format!("/client.api/documents/{client}"), None).await;
    assert_eq!(documents["documents"][0]["fileName"], "letter.txt");

    let new_contact = json!({ "name": "Aroha", "client": { "uuid": other }, "position": "Trustee", "isPrimary": "No" });
    call(&api, "ClientV31_ContactPost", Method::POST, "/client.api/contact", Some(new_contact)).await;
    let link = json!({ "contacts": [{ "uuid": contact, "position": "Auditor", "isPrimary": "No" }] });
    let path = format!("/client.api/client/{other}/contacts");
    let linked = call(&api, "ClientV31_ClientContact", Method::POST, &path, Some(link)).await;
    assert_eq!(linked["client"]["contacts"][0]["position"], "Auditor");
    let rename = json!({ "name": "Li Wei (Director)" });
    call(&api, "ClientV31_ContactPut", Method::PUT, &format!("/client.api/contact/{contact}"), Some(rename)).await;
    let path = format!("/client.api/contact/{contact}?clientUuid={other}");
    call(&api, "ClientV31_ContactDelete", Method::DELETE, &path, None).await;

    let definition = json!({ "name": "Fee code", "type": "Text", "useClient": true });
    let definition = api.json(Method::POST, "/customfield.api/add", Some(&definition)).await.expect(StatusCode::OK);
    let field = text(&definition.json()["uuid"]);
    let values = json!({ "customFields": [{ "uuid": field, "text": "FX-1" }] });
    let path = format!("/client.api/update/{client}/customfield");
    call(&api, "CustomFieldV31_UpdateClientByIdentifier", Method::PUT, &path, Some(values)).await;
    let path = format!("/client.api/get/{client}/customfield");
    let read = call(&api, "CustomFieldV31_GetClientByIdentifier", Method::GET, &path, None).await;
    assert_eq!(
        (read["customFields"][0]["name"].clone(), read["customFields"][0]["text"].clone()),
        (json!("Fee code"), json!("FX-1"))
    );

    let group = json!({ "name": "JSON group", "taxable": "No", "clientUuid": client });
    let group = call(&api, "ClientGroupV31_Add", Method::POST, "/clientgroup.api/add", Some(group)).await;
    let group = text(&group["group"]["uuid"]);
    let members = json!({ "uuid": group, "add": [{ "uuid": other }], "remove": [{ "uuid": client }] });
    let changed = call(&api, "ClientGroupV31_Members", Method::PUT, "/clientgroup.api/members", Some(members)).await;
    assert_eq!(changed["group"]["clients"][0]["uuid"], other.as_str());
    call(&api, "ClientGroupV31_Delete", Method::POST, "/clientgroup.api/delete", Some(json!({ "uuid": group }))).await;

    let person = json!({ "name": "Hemi Walker", "email": "hemi@kowhai.example" });
    let person = call(&api, "StaffV31_Add", Method::POST, "/staff.api/add", Some(person)).await;
    let person = text(&person["staff"]["uuid"]);
    call(
        &api,
        "StaffV31_Update",
        Method::PUT,
        "/staff.api/update",
        Some(json!({ "uuid": person, "mobile": "021 555 0101" })),
    )
    .await;
    call(&api, "StaffV31_Disable", Method::POST, "/staff.api/disable", Some(json!({ "uuid": person }))).await;

    call(&api, "ClientV31_Archive", Method::PUT, "/client.api/archive", Some(json!({ "uuid": client }))).await;
    call(&api, "ClientV31_Delete", Method::POST, "/client.api/delete", Some(json!({ "uuid": client }))).await;
    let invalid = api.json(Method::POST, "/client.api/add", Some(&json!({ "name": 5 }))).await;
    let invalid = invalid.expect(StatusCode::BAD_REQUEST).json();
    assert!(text(&invalid["errorDescription"]).contains("in `name` at line 1, column 9"), "{invalid}");
}

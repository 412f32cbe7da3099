//! Client and contact custom field values, client documents and relationships, in XML.

use reqwest::{Method, StatusCode};
use xpm_api::model::{Client, CustomFieldValue, Document};

use super::{Api, id, is_yes};

/// Adds a custom field definition through `customfield.api/add` and returns its UUID.
async fn definition(api: &Api, body: &str) -> String {
    let added = api.xml(Method::POST, "/customfield.api/add", Some(body)).await.expect(StatusCode::OK);
    let uuid = added.body.split("<UUID>").nth(1).and_then(|rest| rest.split("</UUID>").next());
    uuid.unwrap_or_else(|| panic!("no UUID in {}", added.body)).to_owned()
}

#[tokio::test]
async fn custom_field_values_follow_their_definitions() {
    let api = Api::directory(8).await;
    let clients = api.all_clients().await;
    let client = id(clients[0].uuid);
    let contact = clients[0].contacts.iter().flatten().next().map(|contact| id(contact.uuid)).expect("a contact");
    let code = definition(&api, "<CustomFieldDefinition><Name>Fee code</Name><Type>Text</Type><UseClient>true</UseClient></CustomFieldDefinition>").await;
    let review = definition(&api, "<CustomFieldDefinition><Name>Next review</Name><Type>Date</Type><UseClient>true</UseClient><UseContact>true</UseContact></CustomFieldDefinition>").await;
    let vip = definition(&api, "<CustomFieldDefinition><Name>VIP</Name><Type>Checkbox</Type><UseContact>true</UseContact></CustomFieldDefinition>").await;

    let empty = api.get(&format!("/client.api/get/{client}/customfield")).await.expect(StatusCode::OK);
    assert!(empty.list::<CustomFieldValue>().is_empty(), "{}", empty.body);
    let set = format!(
        "<CustomFields><CustomField><UUID>{review}</UUID><Date>20261011</Date></CustomField>\
         <CustomField><UUID>{code}</UUID><Text>FX-1</Text></CustomField></CustomFields>"
    );
    api.xml(Method::PUT, &format!("/client.api/update/{client}/customfield"), Some(&set)).await.expect(StatusCode::OK);
    let values: Vec<CustomFieldValue> =
        api.get(&format!("/client.api/get/{client}/customfield")).await.expect(StatusCode::OK).list();
    let shown: Vec<_> = values
        .iter()
        .map(|value| (value.name.clone().unwrap_or_default(), value.data().map(|data| format!("{data:?}"))))
        .collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert_eq!(shown[0].0, "Fee code", "definition order, definition names");
    assert!(values[1].date.is_some_and(|date| date.to_string() == "2026-10-11T00:00:00"));

    let clear = format!("<CustomFields><CustomField><UUID>{code}</UUID><Text/></CustomField></CustomFields>");
    api.xml(Method::PUT, &format!("/client.api/update/{client}/customfield"), Some(&clear))
        .await
        .expect(StatusCode::OK);
    let values: Vec<CustomFieldValue> =
        api.get(&format!("/client.api/get/{client}/customfield")).await.expect(StatusCode::OK).list();
    assert_eq!(values.len(), 1, "an empty element clears the value");

    let wrong_owner =
        format!("<CustomFields><CustomField><UUID>{vip}</UUID><Boolean>true</Boolean></CustomField></CustomFields>");
    api.xml(Method::PUT, &format!("/client.api/update/{client}/customfield"), Some(&wrong_owner))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let wrong_element =
        format!("<CustomFields><CustomField><UUID>{review}</UUID><Text>soon</Text></CustomField></CustomFields>");
    api.xml(Method::PUT, &format!("/client.api/update/{client}/customfield"), Some(&wrong_element))
        .await
        .expect(StatusCode::BAD_REQUEST);
    api.xml(Method::PUT, &format!("/client.api/contact/{contact}/customfield"), Some(&wrong_owner))
        .await
        .expect(StatusCode::OK);
    let flags: Vec<CustomFieldValue> =
        api.get(&format!("/client.api/contact/{contact}/customfield")).await.expect(StatusCode::OK).list();
    assert_eq!(flags.iter().map(|value| value.boolean).collect::<Vec<_>>(), [Some(true)]);
    api.get(&format!("/client.api/get/{}/customfield", uuid::Uuid::new_v4())).await.expect(StatusCode::NOT_FOUND);

    let delete = format!("<CustomFieldDefinition><UUID>{review}</UUID></CustomFieldDefinition>");
    api.xml(Method::POST, "/customfield.api/delete", Some(&delete)).await.expect(StatusCode::OK);
    let values: Vec<CustomFieldValue> =
        api.get(&format!("/client.api/get/{client}/customfield")).await.expect(StatusCode::OK).list();
    assert!(values.is_empty(), "values of a deleted definition are gone");
}

#[tokio::test]
async fn documents_and_relationships_are_kept_on_the_client() {
    let api = Api::directory(8).await;
    let live: Vec<Client> = api.all_clients().await.into_iter().filter(|client| !is_yes(client.is_deleted)).collect();
    let (company, person) = (id(live[0].uuid), id(live[1].uuid));
    let document = format!(
        "<Document><ClientUUID>{company}</ClientUUID><Title>Engagement letter</Title><Folder>Letters</Folder>\
         <FileName>letter.txt</FileName><Content>aGVsbG8gd29ybGQ=</Content></Document>"
    );
    let stored = api.xml(Method::POST, "/client.api/document", Some(&document)).await.expect(StatusCode::OK);
    assert!(stored.body.contains("<UUID>"), "{}", stored.body);
    let documents: Vec<Document> =
        api.get(&format!("/client.api/documents/{company}")).await.expect(StatusCode::OK).list();
    assert_eq!(documents.len(), 1);
    assert_eq!(
        (documents[0].title.as_deref(), documents[0].file_name.as_deref()),
        (Some("Engagement letter"), Some("letter.txt"))
    );
    let bad = document.replace("aGVsbG8gd29ybGQ=", "not base64!");
    api.xml(Method::POST, "/client.api/document", Some(&bad)).await.expect(StatusCode::BAD_REQUEST);

    let add = format!(
        "<Relationship><ClientUUID>{company}</ClientUUID><RelatedClientUUID>{person}</RelatedClientUUID>\
         <Type>Partner</Type><Percentage>25.50</Percentage><StartDate>2020-02-01</StartDate></Relationship>"
    );
    let added = api.xml(Method::POST, "/client.api/addrelationship", Some(&add)).await.expect(StatusCode::OK);
    assert!(added.body.contains("<RelationshipType><Name>Partner</Name></RelationshipType>"), "{}", added.body);
    let relationship =
        added.body.split("<UUID>").nth(1).and_then(|rest| rest.split("</UUID>").next()).expect("uuid").to_owned();
    let client: Client = api.get(&format!("/client.api/get/{company}")).await.expect(StatusCode::OK).single();
    let shown = client.relationships.unwrap_or_default();
    let shown =
        shown.iter().find(|item| item.uuid.map(|uuid| uuid.to_string()) == Some(relationship.clone())).expect("listed");
    assert_eq!(shown.related_client.as_ref().and_then(|related| related.uuid), Some(person));
    assert_eq!(shown.percentage.map(|percentage| percentage.to_string()), Some("25.50".to_owned()));

    let update = format!("<Relationship><UUID>{relationship}</UUID><EndDate>2024-12-31</EndDate></Relationship>");
    let updated = api.xml(Method::PUT, "/client.api/updaterelationship", Some(&update)).await.expect(StatusCode::OK);
    assert!(updated.body.contains("<EndDate>2024-12-31</EndDate>"), "{}", updated.body);
    let delete = format!("<Relationship><UUID>{relationship}</UUID></Relationship>");
    api.xml(Method::POST, "/client.api/deleterelationship", Some(&delete)).await.expect(StatusCode::OK);
    api.xml(Method::POST, "/client.api/deleterelationship", Some(&delete)).await.expect(StatusCode::NOT_FOUND);
    let unknown_type = add.replace("Partner", "Pen Pal");
    api.xml(Method::POST, "/client.api/addrelationship", Some(&unknown_type)).await.expect(StatusCode::BAD_REQUEST);
}

//! Custom field definitions and the values a job holds.

use reqwest::{Method, StatusCode};
use xpm_api::model::{CustomFieldDefinition, CustomFieldValue, Job};

use super::Api;

#[tokio::test]
async fn definitions_and_a_job_value_round_trip() {
    let api = Api::work(60).await;
    let seeded: Vec<CustomFieldDefinition> = api.get("/customfield.api/definition").await.expect(StatusCode::OK).list();
    assert!(seeded.iter().any(|definition| definition.use_job == Some(true)));

    let add = "<CustomFieldDefinition><Name>Risk rating</Name><Type>Dropdown List</Type>\
               <Options>Low\nHigh</Options><UseJob>true</UseJob></CustomFieldDefinition>";
    let reply = api.xml(Method::POST, "/customfield.api/add", Some(add)).await.expect(StatusCode::OK);
    let field = reply.status_envelope().uuid.expect("the definition's UUID");
    let definition: CustomFieldDefinition =
        api.get(&format!("/customfield.api/get/{field}")).await.expect(StatusCode::OK).single();
    assert_eq!(definition.value_element.as_deref(), Some("Text"));
    assert_eq!((definition.use_job, definition.use_client), (Some(true), Some(false)));

    let update =
        format!("<CustomFieldDefinition><UUID>{field}</UUID><UseJobTask>true</UseJobTask></CustomFieldDefinition>");
    api.xml(Method::PUT, "/customfield.api/update", Some(&update)).await.expect(StatusCode::OK);

    let jobs: Vec<Job> = api.get("/job.api/current").await.expect(StatusCode::OK).list();
    let number = jobs[0].id.clone().expect("a job number");
    let values_path = format!("/job.api/get/{number}/customfield");
    let set = format!("<CustomFields><CustomField><UUID>{field}</UUID><Text>High</Text></CustomField></CustomFields>");
    let put_path = format!("/job.api/update/{number}/customfield");
    api.xml(Method::PUT, &put_path, Some(&set)).await.expect(StatusCode::OK);
    let values: Vec<CustomFieldValue> = api.get(&values_path).await.expect(StatusCode::OK).list();
    let value = values.iter().find(|value| value.uuid == Some(field)).expect("the value");
    assert_eq!((value.name.as_deref(), value.text.as_deref()), (Some("Risk rating"), Some("High")));

    let not_an_option = set.replace("High", "Extreme");
    api.xml(Method::PUT, &put_path, Some(&not_an_option)).await.expect(StatusCode::BAD_REQUEST);
    let wrong_element =
        format!("<CustomFields><CustomField><UUID>{field}</UUID><Number>3</Number></CustomField></CustomFields>");
    api.xml(Method::PUT, &put_path, Some(&wrong_element)).await.expect(StatusCode::BAD_REQUEST);
    let clear = format!("<CustomFields><CustomField><UUID>{field}</UUID><Text /></CustomField></CustomFields>");
    api.xml(Method::PUT, &put_path, Some(&clear)).await.expect(StatusCode::OK);
    let values: Vec<CustomFieldValue> = api.get(&values_path).await.expect(StatusCode::OK).list();
    assert!(values.iter().all(|value| value.uuid != Some(field)), "cleared");

    api.xml(Method::PUT, &put_path, Some(&set)).await.expect(StatusCode::OK);
    let delete = format!("<CustomFieldDefinition><UUID>{field}</UUID></CustomFieldDefinition>");
    api.xml(Method::POST, "/customfield.api/delete", Some(&delete)).await.expect(StatusCode::OK);
    api.get(&format!("/customfield.api/get/{field}")).await.expect(StatusCode::NOT_FOUND);
    let values: Vec<CustomFieldValue> = api.get(&values_path).await.expect(StatusCode::OK).list();
    assert!(values.iter().all(|value| value.uuid != Some(field)), "values go with their definition");
    api.get("/job.api/get/J999999/customfield").await.expect(StatusCode::NOT_FOUND);
}

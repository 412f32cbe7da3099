//! Custom field definitions and a client's values through `client.custom_fields(tenant)`.

use chrono::NaiveDate;
use xpm_api::model::{CustomFieldData, CustomFieldDefinition};
use xpm_api::request::{Clearable, CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
use xpm_api::value::XpmDate;
use xpm_client::api::CustomFieldOwner;

use crate::support::{Harness, Setup};

fn client_field<'a>(definitions: &'a [CustomFieldDefinition], name: &str) -> &'a CustomFieldDefinition {
    let found = definitions.iter().find(|definition| definition.name.as_deref() == Some(name));
    let found = found.unwrap_or_else(|| panic!("a definition named {name}"));
    assert_eq!(found.use_client, Some(true), "{name} is a client field");
    found
}

#[tokio::test]
async fn a_clients_values_are_set_read_and_cleared() {
    let harness = Harness::launch(Setup::default()).await;
    let fields = harness.client.custom_fields(harness.tenant);
    let definitions = fields.definitions().send().await.expect("definitions");
    assert_eq!(definitions.len(), 10);
    let method = client_field(&definitions, "Preferred contact method");
    let engaged = client_field(&definitions, "Date engaged");
    let fetched = fields.definition(method.id().expect("a uuid")).await.expect("one definition");
    assert_eq!(&fetched, method);

    let page = harness.client.clients(harness.tenant).paged().page_size(1).send().await.expect("a client");
    let owner = CustomFieldOwner::Client(page.items[0].id().expect("a uuid"));
    let date = NaiveDate::from_ymd_opt(2024, 7, 1).expect("a date");
    let (method_id, engaged_id) = (method.id().expect("a uuid"), engaged.id().expect("a uuid"));
    let by_phone = CustomFieldValueRequest::new(method_id).text("Phone");
    let engaged_on = CustomFieldValueRequest::new(engaged_id).date(XpmDate::compact(date));
    let request = CustomFieldValuesUpdateRequest::new(vec![by_phone, engaged_on]);
    fields.update_values(&owner, &request).await.expect("update");

    let values = fields.values(&owner).send().await.expect("values");
    let value_of = |uuid| values.iter().find(|value| value.uuid == uuid).and_then(|value| value.data());
    assert_eq!(value_of(method.uuid), Some(CustomFieldData::Text("Phone")));
    assert!(matches!(value_of(engaged.uuid), Some(CustomFieldData::Date(on)) if on.naive_date() == date));

    let cleared = CustomFieldValueRequest::new(engaged_id).date(Clearable::Clear);
    fields.update_values(&owner, &CustomFieldValuesUpdateRequest::new(vec![cleared])).await.expect("clear");
    let values = fields.values(&owner).send().await.expect("values");
    assert!(values.iter().all(|value| value.uuid != engaged.uuid), "a cleared value is left out");
    assert!(values.iter().any(|value| value.uuid == method.uuid), "the other value stays");
}

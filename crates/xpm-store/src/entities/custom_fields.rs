//! Custom field definitions, and the values one entity holds.

use sqlx::AnyConnection;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::model::{CustomFieldDefinition, CustomFieldValue};

use crate::StoreError;
use crate::columns::{Column, Value, flag, shown, text};
use crate::events::EntityKind;
use crate::upsert::{Context, Table, Upserted, replace_children, upsert};

pub(crate) static DEFINITIONS: Table<CustomFieldDefinition> = Table {
    name: "custom_field_definitions",
    entity: EntityKind::CustomFieldDefinition,
    key_column: "uuid",
    key: |definition| definition.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("name", |d| text(&d.name)),
        Column::new("field_type", |d| text(&d.field_type)),
        Column::new("link_url", |d| text(&d.link_url)),
        Column::new("options", |d| text(&d.options)),
        Column::new("use_client", |d| flag(&d.use_client)),
        Column::new("use_contact", |d| flag(&d.use_contact)),
        Column::new("use_job", |d| flag(&d.use_job)),
        Column::new("use_job_task", |d| flag(&d.use_job_task)),
        Column::new("use_job_cost", |d| flag(&d.use_job_cost)),
        Column::new("use_job_time", |d| flag(&d.use_job_time)),
        Column::new("use_lead", |d| flag(&d.use_lead)),
        Column::new("use_supplier", |d| flag(&d.use_supplier)),
        Column::new("value_element", |d| text(&d.value_element)),
    ],
};

/// The name stored in `custom_field_values.owner_kind`.
pub(crate) fn owner_kind_name(kind: CustomFieldOwnerKind) -> &'static str {
    match kind {
        CustomFieldOwnerKind::Client => "client",
        CustomFieldOwnerKind::Contact => "contact",
        CustomFieldOwnerKind::Job => "job",
        CustomFieldOwnerKind::JobTask => "job_task",
        CustomFieldOwnerKind::JobCost => "job_cost",
        CustomFieldOwnerKind::Time => "time",
    }
}

pub(crate) async fn upsert_definitions(
    connection: &mut AnyConnection,
    context: &Context,
    definitions: &[CustomFieldDefinition],
) -> Result<Upserted, StoreError> {
    upsert(connection, context, &DEFINITIONS, definitions).await
}

/// Replaces the values one entity holds (XPM returns only fields that hold a value, so fields
/// absent from `values` hold none).
pub(crate) async fn replace_values(
    connection: &mut AnyConnection,
    context: &Context,
    kind: CustomFieldOwnerKind,
    owner: &str,
    values: &[CustomFieldValue],
) -> Result<(), StoreError> {
    let owner_key = format!("{}:{owner}", owner_kind_name(kind));
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for value in values {
        let Some(uuid) = value.uuid else { continue };
        if !seen.insert(uuid) {
            continue;
        }
        let raw = serde_json::to_string(value)
            .map_err(|source| StoreError::Encode { entity: "custom field value", source })?;
        rows.push(vec![
            Value::Text(Some(owner_key.as_str().into())),
            Value::Text(Some(owner_kind_name(kind).into())),
            Value::Text(Some(owner.into())),
            shown(&Some(uuid)),
            text(&value.name),
            text(&value.text),
            shown(&value.date),
            shown(&value.number),
            shown(&value.decimal),
            flag(&value.boolean),
            Value::Text(Some(raw.into())),
        ]);
    }
    let columns = [
        "owner",
        "owner_kind",
        "owner_key",
        "definition_uuid",
        "name",
        "text_value",
        "date_value",
        "number_value",
        "decimal_value",
        "boolean_value",
        "raw",
    ];
    replace_children(connection, context, "custom_field_values", "owner", &[owner_key.as_str()], &columns, rows).await
}

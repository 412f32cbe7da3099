//! Custom field definitions (`customfield.api`) and the values entities hold.
//!
//! The store holds the values of every kind of entity, clients and contacts included: the
//! directory's client and contact value endpoints keep theirs here too, under the same rules.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use uuid::Uuid;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::model::{CustomFieldDefinition, CustomFieldValue};
use xpm_api::request::{CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
use xpm_api::value::Decimal;

use super::error::{WorkError, WorkResult};
use super::ids::day;

/// The entity a value belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(crate) enum ValueOwner {
    /// A client (`UseClient`).
    Client(Uuid),
    /// A contact (`UseContact`).
    Contact(Uuid),
    /// A job, by upper-cased number (`UseJob`).
    Job(String),
    /// A job task (`UseJobTask`).
    JobTask(Uuid),
    /// A job cost (`UseJobCost`).
    JobCost(Uuid),
    /// A time entry (`UseJobTime`).
    Time(Uuid),
}

impl ValueOwner {
    /// A job by number.
    pub(crate) fn job(number: &str) -> Self {
        Self::Job(number.trim().to_ascii_uppercase())
    }

    /// The kind of entity this is.
    pub(crate) fn kind(&self) -> CustomFieldOwnerKind {
        match self {
            Self::Client(_) => CustomFieldOwnerKind::Client,
            Self::Contact(_) => CustomFieldOwnerKind::Contact,
            Self::Job(_) => CustomFieldOwnerKind::Job,
            Self::JobTask(_) => CustomFieldOwnerKind::JobTask,
            Self::JobCost(_) => CustomFieldOwnerKind::JobCost,
            Self::Time(_) => CustomFieldOwnerKind::Time,
        }
    }

    /// Whether `definition` applies to this kind of entity: its `Use…` flag is `true`.
    fn allowed_by(&self, definition: &CustomFieldDefinition) -> bool {
        let flag = match self.kind() {
            CustomFieldOwnerKind::Client => definition.use_client,
            CustomFieldOwnerKind::Contact => definition.use_contact,
            CustomFieldOwnerKind::Job => definition.use_job,
            CustomFieldOwnerKind::JobTask => definition.use_job_task,
            CustomFieldOwnerKind::JobCost => definition.use_job_cost,
            CustomFieldOwnerKind::Time => definition.use_job_time,
        };
        flag.unwrap_or(false)
    }
}

/// A stored value, in the element its definition names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) enum StoredValue {
    /// `<Text>`.
    Text(String),
    /// `<Date>`.
    Date(NaiveDate),
    /// `<Number>`.
    Number(i32),
    /// `<Decimal>`.
    Decimal(Decimal),
    /// `<Boolean>` (only `true` is kept: an unset checkbox reads as false).
    Boolean(bool),
}

/// Field types XPM offers, and the value element each uses.
pub(crate) const FIELD_TYPES: &[(&str, &str)] = &[
    ("Text", "Text"),
    ("Multi-line Text", "Text"),
    ("Dropdown List", "Text"),
    ("Value Link", "Text"),
    ("Email", "Text"),
    ("Date", "Date"),
    ("Number", "Number"),
    ("Decimal", "Decimal"),
    ("Money", "Decimal"),
    ("Checkbox", "Boolean"),
];

/// The value element for field type `field_type` (case-insensitive).
pub(crate) fn value_element_for(field_type: &str) -> WorkResult<(&'static str, &'static str)> {
    let field_type = field_type.trim();
    FIELD_TYPES.iter().copied().find(|(name, _)| name.eq_ignore_ascii_case(field_type)).ok_or_else(|| {
        let known: Vec<&str> = FIELD_TYPES.iter().map(|(name, _)| *name).collect();
        WorkError::invalid(format!("'{field_type}' is not a custom field type; use one of: {}", known.join(", ")))
    })
}

/// Definitions and values.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct CustomFields {
    /// Definitions, in the order they were created.
    pub(crate) definitions: Vec<Arc<CustomFieldDefinition>>,
    /// Written as a list of pairs: JSON keys are strings, and this key is an enum.
    #[serde(with = "crate::state::pairs")]
    values: HashMap<ValueOwner, HashMap<Uuid, StoredValue>>,
}

impl CustomFields {
    /// A store with `definitions` and no values yet.
    pub(crate) fn with_definitions(definitions: Vec<Arc<CustomFieldDefinition>>) -> Self {
        Self { definitions, values: HashMap::new() }
    }

    /// The definition with identifier `uuid`.
    pub(crate) fn definition(&self, uuid: Uuid) -> WorkResult<&Arc<CustomFieldDefinition>> {
        self.definitions
            .iter()
            .find(|definition| definition.uuid == Some(uuid))
            .ok_or_else(|| WorkError::not_found(format!("custom field definition {uuid} not found")))
    }

    /// The definition for changing.
    pub(crate) fn definition_mut(&mut self, uuid: Uuid) -> WorkResult<&mut CustomFieldDefinition> {
        self.definitions
            .iter_mut()
            .find(|definition| definition.uuid == Some(uuid))
            .map(Arc::make_mut)
            .ok_or_else(|| WorkError::not_found(format!("custom field definition {uuid} not found")))
    }

    /// Removes a definition and every value held for it.
    pub(crate) fn delete_definition(&mut self, uuid: Uuid) -> WorkResult<()> {
        self.definition(uuid)?;
        self.definitions.retain(|definition| definition.uuid != Some(uuid));
        self.forget_field(uuid);
        Ok(())
    }

    /// Drops every value of field `uuid` (its definition was deleted or changed type).
    pub(crate) fn forget_field(&mut self, uuid: Uuid) {
        for values in self.values.values_mut() {
            values.remove(&uuid);
        }
    }

    /// Drops every value `owner` holds (the entity was deleted).
    pub(crate) fn forget_owner(&mut self, owner: &ValueOwner) {
        self.values.remove(owner);
    }

    /// Sets a value directly (seeding).
    pub(crate) fn set(&mut self, owner: ValueOwner, field: Uuid, value: StoredValue) {
        self.values.entry(owner).or_default().insert(field, value);
    }

    /// The values `owner` holds, in definition order, in the wire shape.
    pub(crate) fn read(&self, owner: &ValueOwner) -> Vec<Arc<CustomFieldValue>> {
        let Some(values) = self.values.get(owner) else {
            return Vec::new();
        };
        self.definitions
            .iter()
            .filter_map(|definition| {
                let stored = values.get(&definition.uuid?)?;
                let mut value = CustomFieldValue::default();
                value.uuid = definition.uuid;
                value.name = definition.name.clone();
                match stored {
                    StoredValue::Text(text) => value.text = Some(text.clone()),
                    StoredValue::Date(date) => value.date = Some(day(*date)),
                    StoredValue::Number(number) => value.number = Some(Decimal::from(*number)),
                    StoredValue::Decimal(decimal) => value.decimal = Some(*decimal),
                    StoredValue::Boolean(flag) => value.boolean = Some(*flag),
                }
                Some(Arc::new(value))
            })
            .collect()
    }

    /// Applies a `PUT …/customfield` body to `owner`. Every value is checked before any is
    /// stored, so a refused body changes nothing.
    pub(crate) fn update(&mut self, owner: &ValueOwner, request: &CustomFieldValuesUpdateRequest) -> WorkResult<()> {
        let mut changes = Vec::new();
        for (index, value) in request.custom_fields.iter().flatten().enumerate() {
            let field = value.uuid.ok_or_else(|| WorkError::invalid(format!("CustomField[{index}] needs a UUID")))?;
            let definition = self.definition(field).map_err(|_| {
                WorkError::invalid(format!("CustomField[{index}]: custom field definition {field} not found"))
            })?;
            let name = definition.name.clone().unwrap_or_default();
            if !owner.allowed_by(definition) {
                let flag = owner.kind().definition_flag();
                return Err(WorkError::invalid(format!("custom field '{name}' is not used here ({flag} is false)")));
            }
            changes.push((field, interpret(definition, &name, value)?));
        }
        let values = self.values.entry(owner.clone()).or_default();
        for (field, change) in changes {
            match change {
                Some(stored) => values.insert(field, stored),
                None => values.remove(&field),
            };
        }
        Ok(())
    }
}

/// The value a request sets (`None` clears it), checked against the definition's element.
fn interpret(
    definition: &CustomFieldDefinition,
    name: &str,
    value: &CustomFieldValueRequest,
) -> WorkResult<Option<StoredValue>> {
    let element = definition.value_element.as_deref().unwrap_or("Text");
    let given: Vec<&str> = [
        ("Text", value.text.is_some()),
        ("Date", value.date.is_some()),
        ("Number", value.number.is_some()),
        ("Decimal", value.decimal.is_some()),
        ("Boolean", value.boolean.is_some()),
    ]
    .into_iter()
    .filter_map(|(element, given)| given.then_some(element))
    .collect();
    if given != [element] {
        let found = if given.is_empty() { "none".to_owned() } else { given.join(", ") };
        return Err(WorkError::invalid(format!("custom field '{name}' takes a <{element}> value (found: {found})")));
    }
    let stored = match element {
        "Date" => value.date.and_then(|date| date.value().copied()).map(|date| StoredValue::Date(date.naive_date())),
        "Number" => value.number.and_then(|number| number.value().copied()).map(StoredValue::Number),
        "Decimal" => value.decimal.and_then(|decimal| decimal.value().copied()).map(StoredValue::Decimal),
        "Boolean" => {
            value.boolean.and_then(|flag| flag.value().copied()).filter(|flag| *flag).map(StoredValue::Boolean)
        }
        _ => {
            let text = value.text.as_deref().unwrap_or_default();
            check_option(definition, name, text)?;
            (!text.is_empty()).then(|| StoredValue::Text(text.to_owned()))
        }
    };
    Ok(stored)
}

/// A dropdown field takes only one of its options.
fn check_option(definition: &CustomFieldDefinition, name: &str, text: &str) -> WorkResult<()> {
    let is_dropdown = definition.field_type.as_deref().is_some_and(|kind| kind.eq_ignore_ascii_case("Dropdown List"));
    let options: Vec<&str> = definition.options.as_deref().unwrap_or_default().lines().map(str::trim).collect();
    if !is_dropdown || text.is_empty() || options.contains(&text) {
        return Ok(());
    }
    Err(WorkError::invalid(format!("'{text}' is not an option of custom field '{name}' ({})", options.join(", "))))
}

#[cfg(test)]
mod tests {
    use xpm_api::request::Clearable;

    use super::*;

    fn definition(uuid: u128, kind: &str, use_job: bool) -> Arc<CustomFieldDefinition> {
        let mut definition = CustomFieldDefinition::default();
        definition.uuid = Some(Uuid::from_u128(uuid));
        definition.name = Some(format!("Field {uuid}"));
        definition.field_type = Some(kind.to_owned());
        definition.value_element = value_element_for(kind).ok().map(|(_, element)| element.to_owned());
        definition.use_job = Some(use_job);
        definition.options = Some("High\nLow".to_owned());
        Arc::new(definition)
    }

    fn request(uuid: u128, fill: impl FnOnce(&mut CustomFieldValueRequest)) -> CustomFieldValuesUpdateRequest {
        let mut value = CustomFieldValueRequest::default();
        value.uuid = Some(Uuid::from_u128(uuid));
        fill(&mut value);
        CustomFieldValuesUpdateRequest::new(vec![value])
    }

    #[test]
    fn values_follow_the_definition() {
        let mut fields =
            CustomFields::with_definitions(vec![definition(1, "Number", true), definition(2, "Dropdown List", true)]);
        let job = ValueOwner::job("j000001");
        assert_eq!(fields.update(&job, &request(1, |value| value.number = Some(Clearable::Set(4)))), Ok(()));
        let wrong_element = fields.update(&job, &request(1, |value| value.text = Some("4".into())));
        assert!(matches!(wrong_element, Err(WorkError::Invalid(message)) if message.contains("<Number>")));
        let not_an_option = fields.update(&job, &request(2, |value| value.text = Some("Medium".into())));
        assert!(not_an_option.is_err());
        let read = fields.read(&ValueOwner::job("J000001"));
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].number.map(|number| number.to_string()), Some("4".into()));
        assert_eq!(fields.update(&job, &request(1, |value| value.number = Some(Clearable::Clear))), Ok(()));
        assert!(fields.read(&job).is_empty());
    }

    #[test]
    fn fields_apply_only_where_enabled() {
        let mut fields = CustomFields::with_definitions(vec![definition(1, "Text", false)]);
        let refused = fields.update(&ValueOwner::job("J1"), &request(1, |value| value.text = Some("x".into())));
        assert!(matches!(refused, Err(WorkError::Invalid(message)) if message.contains("UseJob")));
    }
}

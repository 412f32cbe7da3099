//! Custom field values of clients and contacts (`client.api/get/{uuid}/customfield`,
//! `client.api/contact/{uuid}/customfield`).
//!
//! The definitions belong to the work book (`customfield.api`) and are passed in. A value is
//! accepted only for a definition that exists and applies here (`UseClient` / `UseContact`), and
//! only in the element the definition's `ValueElement` names. Reads follow the definitions as
//! they are now: their order and names, and nothing for a definition since deleted or retyped.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{CustomFieldDefinition, CustomFieldValue};
use xpm_api::request::{CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
use xpm_api::value::{DateForm, Decimal};

use super::book::Directory;
use super::error::DirectoryError;

/// The client or contact that holds custom field values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldOwner {
    /// A client; definitions with `UseClient` apply.
    Client(Uuid),
    /// A contact; definitions with `UseContact` apply.
    Contact(Uuid),
}

impl FieldOwner {
    /// Whether the definition applies to this kind of owner, and the flag that says so.
    fn applies(self, definition: &CustomFieldDefinition) -> (bool, &'static str) {
        match self {
            Self::Client(_) => (definition.use_client.unwrap_or(false), "UseClient"),
            Self::Contact(_) => (definition.use_contact.unwrap_or(false), "UseContact"),
        }
    }
}

impl Directory {
    /// The values an owner holds: only fields holding a value, in definition order.
    pub fn custom_field_values(
        &self,
        owner: FieldOwner,
        definitions: &[Arc<CustomFieldDefinition>],
    ) -> Result<Vec<Arc<CustomFieldValue>>, DirectoryError> {
        self.check_owner(owner)?;
        let Some(values) = self.custom_values.get(&owner) else { return Ok(Vec::new()) };
        let current = definitions.iter().filter_map(|definition| {
            let value = values.get(&definition.uuid?)?;
            let element = definition.value_element.as_deref().unwrap_or("Text");
            if !holds(value, element) || !owner.applies(definition).0 {
                return None;
            }
            let mut value = value.clone();
            value.name.clone_from(&definition.name);
            Some(Arc::new(value))
        });
        Ok(current.collect())
    }

    /// `PUT …/customfield`: sets the values given, clears those sent empty, leaves the rest.
    /// Every value is checked before any is stored.
    pub(crate) fn set_custom_field_values(
        &mut self,
        owner: FieldOwner,
        request: &CustomFieldValuesUpdateRequest,
        definitions: &[Arc<CustomFieldDefinition>],
        now: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        self.check_owner(owner)?;
        let mut changes = Vec::new();
        for (index, value) in request.custom_fields.iter().flatten().enumerate() {
            let field =
                value.uuid.ok_or_else(|| DirectoryError::invalid(format!("CustomField[{index}] needs a UUID")))?;
            let definition = definitions.iter().find(|definition| definition.uuid == Some(field)).ok_or_else(|| {
                DirectoryError::invalid(format!("CustomField[{index}]: custom field definition {field} not found"))
            })?;
            let name = definition.name.clone().unwrap_or_default();
            let (applies, flag) = owner.applies(definition);
            if !applies {
                return Err(DirectoryError::invalid(format!(
                    "custom field '{name}' is not used here ({flag} is false)"
                )));
            }
            changes.push((field, interpret(definition, &name, value)?));
        }
        let values = self.custom_values.entry(owner).or_default();
        for (field, change) in changes {
            match change {
                Some(value) => values.insert(field, value),
                None => values.remove(&field),
            };
        }
        if let FieldOwner::Client(client) = owner {
            self.touch(client, now);
        }
        Ok(())
    }

    fn check_owner(&self, owner: FieldOwner) -> Result<(), DirectoryError> {
        match owner {
            FieldOwner::Client(uuid) => {
                self.client(uuid).map(|_| ()).ok_or_else(|| DirectoryError::not_found("client", uuid))
            }
            FieldOwner::Contact(uuid) => {
                self.contact(uuid).map(|_| ()).ok_or_else(|| DirectoryError::not_found("contact", uuid))
            }
        }
    }
}

/// The value a request leaves (`None` clears it), in the definition's element only.
fn interpret(
    definition: &CustomFieldDefinition,
    name: &str,
    request: &CustomFieldValueRequest,
) -> Result<Option<CustomFieldValue>, DirectoryError> {
    let element = definition.value_element.as_deref().unwrap_or("Text");
    let given: Vec<&str> = [
        ("Text", request.text.is_some()),
        ("Date", request.date.is_some()),
        ("Number", request.number.is_some()),
        ("Decimal", request.decimal.is_some()),
        ("Boolean", request.boolean.is_some()),
    ]
    .into_iter()
    .filter_map(|(element, given)| given.then_some(element))
    .collect();
    if given != [element] {
        let found = if given.is_empty() { "none".to_owned() } else { given.join(", ") };
        return Err(DirectoryError::invalid(format!(
            "custom field '{name}' takes a <{element}> value (found: {found})"
        )));
    }
    let mut value = CustomFieldValue::default();
    value.uuid = definition.uuid;
    match element {
        // Responses write dates as `yyyy-MM-ddT00:00:00` whatever form they came in.
        "Date" => {
            value.date = request.date.and_then(|date| date.value().map(|date| date.with_form(DateForm::DateTime)))
        }
        "Number" => {
            value.number = request.number.and_then(|number| number.value().map(|number| Decimal::from(*number)))
        }
        "Decimal" => value.decimal = request.decimal.and_then(|decimal| decimal.value().copied()),
        // An unticked checkbox holds no value.
        "Boolean" => value.boolean = request.boolean.and_then(|flag| flag.value().copied()).filter(|ticked| *ticked),
        _ => {
            let text = request.text.as_deref().unwrap_or_default();
            check_option(definition, name, text)?;
            value.text = Some(text.to_owned()).filter(|text| !text.is_empty());
        }
    }
    Ok(holds(&value, element).then_some(value))
}

/// Whether `value` holds something in `element`.
fn holds(value: &CustomFieldValue, element: &str) -> bool {
    match element {
        "Date" => value.date.is_some(),
        "Number" => value.number.is_some(),
        "Decimal" => value.decimal.is_some(),
        "Boolean" => value.boolean.is_some(),
        _ => value.text.is_some(),
    }
}

/// A dropdown field takes only one of its options (one per line of `Options`).
fn check_option(definition: &CustomFieldDefinition, name: &str, text: &str) -> Result<(), DirectoryError> {
    let is_dropdown = definition.field_type.as_deref().is_some_and(|kind| kind.eq_ignore_ascii_case("Dropdown List"));
    let options: Vec<&str> = definition.options.as_deref().unwrap_or_default().lines().map(str::trim).collect();
    if !is_dropdown || text.is_empty() || options.contains(&text) {
        return Ok(());
    }
    Err(DirectoryError::invalid(format!("'{text}' is not an option of custom field '{name}' ({})", options.join(", "))))
}

//! Client documents and the custom field values of clients and contacts.

use std::sync::Arc;

use base64::Engine;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{CustomFieldValue, Document};
use xpm_api::request::{ClientDocumentRequest, CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
use xpm_api::value::{Decimal, XpmDate};

use super::book::Directory;
use super::error::DirectoryError;

/// Which kind of entity custom field values are held on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldOwner {
    /// A client (`client.api/get/{uuid}/customfield`).
    Client(Uuid),
    /// A contact (`client.api/contact/{uuid}/customfield`).
    Contact(Uuid),
}

impl Directory {
    /// `client.api/documents/{uuid}`: the client's documents, oldest first.
    pub fn documents(&self, client: Uuid) -> Result<Vec<Arc<Document>>, DirectoryError> {
        self.entry(client).ok_or_else(|| DirectoryError::not_found("client", client))?;
        Ok(self.documents.get(&client).cloned().unwrap_or_default())
    }

    /// `client.api/document`: stores a document (its base64 content is checked, then dropped)
    /// and returns its new identifier.
    pub(crate) fn add_document(
        &mut self,
        request: ClientDocumentRequest,
        now: DateTime<Utc>,
    ) -> Result<Uuid, DirectoryError> {
        let client = request.client_uuid.ok_or_else(|| DirectoryError::invalid("ClientUUID is required"))?;
        self.live_entry(client)?;
        let file_name = request.file_name.filter(|name| !name.trim().is_empty());
        let file_name = file_name.ok_or_else(|| DirectoryError::invalid("a document needs a FileName"))?;
        let content: String = request.content.unwrap_or_default().split_whitespace().collect();
        if content.is_empty() {
            return Err(DirectoryError::invalid("a document needs its Content, base64-encoded"));
        }
        base64::engine::general_purpose::STANDARD
            .decode(content.as_bytes())
            .map_err(|error| DirectoryError::invalid(format!("document Content is not base64: {error}")))?;
        let uuid = Uuid::new_v4();
        let mut document = Document::default();
        document.title = Some(request.title.unwrap_or_else(|| file_name.clone()));
        document.text = Some(request.text.unwrap_or_default());
        document.folder = Some(request.folder.unwrap_or_default());
        document.date = Some(XpmDate::date_time(now.naive_utc().with_nanosecond_zero()));
        document.created_by = Some("API".to_owned());
        document.url = Some(format!("https://practicemanager.xero.com/Document/{uuid}/{file_name}"));
        document.file_name = Some(file_name);
        self.documents.entry(client).or_default().push(Arc::new(document));
        self.touch(client, now);
        Ok(uuid)
    }

    /// The custom field values held on a client or contact (only fields holding a value).
    pub fn custom_field_values(&self, owner: FieldOwner) -> Result<Vec<Arc<CustomFieldValue>>, DirectoryError> {
        let values = match owner {
            FieldOwner::Client(uuid) => {
                self.entry(uuid).ok_or_else(|| DirectoryError::not_found("client", uuid))?;
                self.client_fields.get(&uuid)
            }
            FieldOwner::Contact(uuid) => {
                self.contact(uuid).ok_or_else(|| DirectoryError::not_found("contact", uuid))?;
                self.contact_fields.get(&uuid)
            }
        };
        Ok(values.into_iter().flatten().cloned().map(Arc::new).collect())
    }

    /// `PUT …/customfield`: sets or clears the values given; others stay. `definition_name`
    /// names a field definition when the body does not.
    pub(crate) fn set_custom_field_values(
        &mut self,
        owner: FieldOwner,
        request: CustomFieldValuesUpdateRequest,
        definition_name: &dyn Fn(Uuid) -> Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), DirectoryError> {
        let current = self.custom_field_values(owner)?;
        let mut values: Vec<CustomFieldValue> = current.iter().map(|value| (**value).clone()).collect();
        for (index, change) in request.custom_fields.unwrap_or_default().into_iter().enumerate() {
            let uuid =
                change.uuid.ok_or_else(|| DirectoryError::invalid(format!("custom field {index} needs a UUID")))?;
            let existing_name =
                values.iter().find(|value| value.uuid == Some(uuid)).and_then(|value| value.name.clone());
            values.retain(|value| value.uuid != Some(uuid));
            let name = change.name.clone().or(existing_name).or_else(|| definition_name(uuid));
            if let Some(mut value) = new_value(change, index)? {
                value.uuid = Some(uuid);
                value.name = name;
                values.push(value);
            }
        }
        match owner {
            FieldOwner::Client(uuid) => {
                self.client_fields.insert(uuid, values);
                self.touch(uuid, now);
            }
            FieldOwner::Contact(uuid) => {
                self.contact_fields.insert(uuid, values);
            }
        }
        Ok(())
    }
}

/// The value a change leaves, or `None` when it clears the field. Exactly one value element
/// must be given.
fn new_value(change: CustomFieldValueRequest, index: usize) -> Result<Option<CustomFieldValue>, DirectoryError> {
    let given = [
        change.text.is_some(),
        change.date.is_some(),
        change.number.is_some(),
        change.decimal.is_some(),
        change.boolean.is_some(),
    ];
    match given.iter().filter(|given| **given).count() {
        0 => return Err(DirectoryError::invalid(format!("custom field {index} gives no value element"))),
        1 => {}
        _ => return Err(DirectoryError::invalid(format!("custom field {index} gives more than one value element"))),
    }
    let mut value = CustomFieldValue::default();
    if let Some(text) = change.text {
        value.text = Some(text).filter(|text| !text.is_empty());
    }
    if let Some(date) = change.date {
        // Responses write custom field dates as `yyyy-MM-ddT00:00:00`.
        value.date = date.value().map(|date| date.with_form(xpm_api::value::DateForm::DateTime));
    }
    if let Some(number) = change.number {
        value.number = number.value().map(|number| Decimal::from(*number));
    }
    if let Some(decimal) = change.decimal {
        value.decimal = decimal.value().copied();
    }
    if let Some(boolean) = change.boolean {
        // An unticked checkbox holds no value.
        value.boolean = boolean.value().copied().filter(|ticked| *ticked);
    }
    let holds_value = value.text.is_some()
        || value.date.is_some()
        || value.number.is_some()
        || value.decimal.is_some()
        || value.boolean.is_some();
    Ok(holds_value.then_some(value))
}

/// Drops sub-second precision, which XPM's datetimes never show.
trait WithoutNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl WithoutNanos for chrono::NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}

//! Custom field bodies: values on one entity (`…/customfield`) and definitions
//! (`customfield.api`; writes need the broad `practicemanager` scope).

use std::io::BufRead;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::CustomFieldId;
use crate::value::{Decimal, Uuid, XpmDate};
use crate::xml::{DecodeError, XmlReader, XmlRecord, XmlValue, XmlWriter, decode_record};

/// `PUT …/customfield` on a client, contact, job, job task, job cost or time entry: new values
/// for some of its custom fields. XML `<CustomFields><CustomField>…</CustomFields>`, JSON
/// `CustomFieldValuesUpdateRequestDto`. The response is a status only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomFieldValuesUpdateRequest {
    /// The values, each naming its field definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomFieldValueRequest>>,
}

impl CustomFieldValuesUpdateRequest {
    /// A request setting `values`.
    pub fn new(values: Vec<CustomFieldValueRequest>) -> Self {
        Self { custom_fields: Some(values) }
    }
}

impl XmlRecord for CustomFieldValuesUpdateRequest {
    fn decode_children<R: BufRead>(&mut self, reader: &mut XmlReader<R>) -> Result<(), DecodeError> {
        let values = self.custom_fields.get_or_insert_with(Vec::new);
        while let Some(empty) = reader.next_child_within()? {
            if reader.name() == b"CustomField" {
                let index = values.len();
                let value = decode_record::<CustomFieldValueRequest, R>(reader, empty)
                    .map_err(|error| error.within(format!("CustomField[{index}]")))?;
                values.extend(value);
            } else {
                reader.skip(empty)?;
            }
        }
        Ok(())
    }

    fn encode_children(&self, writer: &mut XmlWriter) {
        for value in self.custom_fields.iter().flatten() {
            value.encode_element("CustomField", writer);
        }
    }
}

request_body!(CustomFieldValuesUpdateRequest, "CustomFields", "CustomFieldValuesUpdateRequestDto");

xpm_request! {
    /// One custom field's new value. JSON: `CustomFieldValueRequestDto`.
    ///
    /// Set the field the definition's `ValueElement` names. To clear a value XPM takes the
    /// element empty (`<Date />`): use [`Clearable::Clear`], or an empty string for text.
    pub struct CustomFieldValueRequest {
        /// The field definition (required by XPM).
        uuid: Uuid = value "UUID",
        /// The definition's name (JSON only in practice; XPM identifies the field by UUID).
        name: String = value "Name",
        /// Text value.
        text: String = value "Text",
        /// Date value, `yyyyMMdd`.
        #[serde(deserialize_with = "clearable")]
        date: Clearable<XpmDate> = value "Date",
        /// Whole-number value.
        #[serde(deserialize_with = "clearable")]
        number: Clearable<i32> = value "Number",
        /// Decimal value.
        #[serde(deserialize_with = "clearable")]
        decimal: Clearable<Decimal> = value "Decimal",
        /// Checkbox value (`true`/`false`).
        #[serde(deserialize_with = "clearable")]
        boolean: Clearable<bool> = value "Boolean",
    }
}

/// A request value that is either set or explicitly cleared.
///
/// XML writes a cleared value as an empty element (`<Date />`), JSON as `null`; a field left
/// out altogether (`None` around this) is not touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Clearable<T> {
    /// Set the field to this value.
    Set(T),
    /// Clear the field.
    Clear,
}

/// A value to set, so that setters take the value itself: `.number(5)`.
impl<T> From<T> for Clearable<T> {
    fn from(value: T) -> Self {
        Self::Set(value)
    }
}

impl<T> Clearable<T> {
    /// The value, unless cleared.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Set(value) => Some(value),
            Self::Clear => None,
        }
    }
}

impl<T: XmlValue> XmlValue for Clearable<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    const TRIM: bool = T::TRIM;

    fn parse_text(text: &str) -> Option<Self> {
        T::parse_text(text).map(Self::Set)
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        if let Self::Set(value) = self {
            value.write_text(writer);
        }
    }

    fn from_blank() -> Option<Self> {
        Some(Self::Clear)
    }
}

impl<T: Serialize> Serialize for Clearable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Set(value) => value.serialize(serializer),
            Self::Clear => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Clearable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Self::Clear, Self::Set))
    }
}

/// Reads a present JSON property: `null` is [`Clearable::Clear`] rather than absent.
fn clearable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Clearable<T>>, D::Error> {
    Clearable::deserialize(deserializer).map(Some)
}

xpm_request! {
    /// `POST customfield.api/add`. JSON: `AddCustomFieldDefinitionRequestDto`. The JSON
    /// response is `{status, uuid}`.
    pub struct AddCustomFieldDefinitionRequest {
        /// Name (required).
        name: String = value "Name",
        /// Field type, e.g. `Text`, `Decimal`, `Date`, `Dropdown List`, `Value Link`.
        #[serde(rename = "type")]
        field_type: String = value "Type",
        /// Address template for `Value Link` fields.
        link_url: String = value "LinkUrl",
        /// Dropdown options.
        options: OptionList = value "Options",
        /// Used on clients.
        use_client: bool = value "UseClient",
        /// Used on contacts.
        use_contact: bool = value "UseContact",
        /// Used on jobs.
        use_job: bool = value "UseJob",
        /// Used on job tasks.
        use_job_task: bool = value "UseJobTask",
        /// Used on job costs.
        use_job_cost: bool = value "UseJobCost",
        /// Used on time entries.
        use_job_time: bool = value "UseJobTime",
        /// Used on leads (OpenAPI only).
        use_lead: bool = value "UseLead",
        /// Used on suppliers (OpenAPI only).
        use_supplier: bool = value "UseSupplier",
    }
}

request_body!(AddCustomFieldDefinitionRequest, "CustomFieldDefinition", "AddCustomFieldDefinitionRequestDto", requires name "Name" "name");

xpm_request! {
    /// `PUT customfield.api/update`. JSON: `UpdateCustomFieldDefinitionRequestDto`. The JSON
    /// response is `{status, uuid}`.
    pub struct UpdateCustomFieldDefinitionRequest {
        /// The definition (required).
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Field type.
        #[serde(rename = "type")]
        field_type: String = value "Type",
        /// Address template for `Value Link` fields.
        link_url: String = value "LinkUrl",
        /// Dropdown options.
        options: OptionList = value "Options",
        /// Used on clients.
        use_client: bool = value "UseClient",
        /// Used on contacts.
        use_contact: bool = value "UseContact",
        /// Used on jobs.
        use_job: bool = value "UseJob",
        /// Used on job tasks.
        use_job_task: bool = value "UseJobTask",
        /// Used on job costs.
        use_job_cost: bool = value "UseJobCost",
        /// Used on time entries.
        use_job_time: bool = value "UseJobTime",
        /// Used on leads (OpenAPI only).
        use_lead: bool = value "UseLead",
        /// Used on suppliers (OpenAPI only).
        use_supplier: bool = value "UseSupplier",
    }
}

request_body!(UpdateCustomFieldDefinitionRequest, "CustomFieldDefinition", "UpdateCustomFieldDefinitionRequestDto", requires uuid "UUID" "uuid");

xpm_request! {
    /// `POST customfield.api/delete`. JSON: `DeleteCustomFieldDefinitionRequestDto`. The
    /// response is a status only.
    pub struct DeleteCustomFieldDefinitionRequest {
        /// The definition (required).
        uuid: Uuid = value "UUID",
    }
}

request_body!(DeleteCustomFieldDefinitionRequest, "CustomFieldDefinition", "DeleteCustomFieldDefinitionRequestDto", requires uuid "UUID" "uuid");

/// The options of a dropdown field.
///
/// JSON sends an array of strings. XPM documents only an `<Options />` element for XML; this
/// type writes one option per line there, as XPM's admin screen takes them (an unverified
/// inference), and reads any line-separated text back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionList(pub Vec<String>);

impl XmlValue for OptionList {
    const EXPECTED: &'static str = "options, one per line";
    const TRIM: bool = false;

    fn parse_text(text: &str) -> Option<Self> {
        let options = text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect();
        Some(Self(options))
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        for (index, option) in self.0.iter().enumerate() {
            if index > 0 {
                writer.text("\n");
            }
            writer.text(option);
        }
    }

    fn from_blank() -> Option<Self> {
        Some(Self::default())
    }
}

impl AddCustomFieldDefinitionRequest {
    /// A request to define a field called `name`; set its type and where it applies.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Self::default() }
    }
}

impl UpdateCustomFieldDefinitionRequest {
    /// A request to update field definition `field`; set the fields to change.
    pub fn new(field: impl Into<CustomFieldId>) -> Self {
        Self { uuid: Some(field.into().uuid()), ..Self::default() }
    }
}

impl DeleteCustomFieldDefinitionRequest {
    /// A request to delete field definition `field`.
    pub fn new(field: impl Into<CustomFieldId>) -> Self {
        Self { uuid: Some(field.into().uuid()) }
    }
}

impl CustomFieldValueRequest {
    /// A value for field `field`; set it with the setter of its type (`.text(…)`, `.date(…)` …)
    /// or clear it with [`Clearable::Clear`].
    pub fn new(field: impl Into<CustomFieldId>) -> Self {
        Self { uuid: Some(field.into().uuid()), ..Self::default() }
    }
}

//! Custom fields: definitions (`customfield.api`) and the values held on clients, contacts,
//! jobs, job tasks, job costs and time entries.

use crate::value::{Decimal, Uuid, XpmDate};

xpm_record! {
    /// A custom field definition. JSON: `CustomFieldDefinitionDto`.
    pub struct CustomFieldDefinition {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Field type as free text, e.g. `Text`, `Decimal`, `Date`, `Dropdown List`, `Value Link`,
        /// `Checkbox`.
        #[serde(rename = "type")]
        field_type: String = value "Type",
        /// Address template for `Value Link` fields.
        link_url: String = value "LinkUrl",
        /// Options of a dropdown list, as one text value.
        options: String = value "Options",
        /// Whether clients use the field (`true`/`false`).
        use_client: bool = value "UseClient",
        /// Whether contacts use the field.
        use_contact: bool = value "UseContact",
        /// Whether jobs use the field.
        use_job: bool = value "UseJob",
        /// Whether job tasks use the field.
        use_job_task: bool = value "UseJobTask",
        /// Whether job costs use the field.
        use_job_cost: bool = value "UseJobCost",
        /// Whether time entries use the field.
        use_job_time: bool = value "UseJobTime",
        /// Whether leads use the field (in the OpenAPI only; XML position inferred).
        use_lead: bool = value "UseLead",
        /// Whether suppliers use the field (in the OpenAPI only; XML position inferred).
        use_supplier: bool = value "UseSupplier",
        /// Which element of a [`CustomFieldValue`] holds the value: `Text`, `Decimal`, `Number`,
        /// `Boolean` or `Date`.
        value_element: String = value "ValueElement",
    }
}

xpm_record! {
    /// A custom field's value on one entity. JSON: `CustomFieldValueDto`.
    ///
    /// Exactly one of the value fields is set, as the definition's `ValueElement` says. XPM
    /// returns only fields that hold a value; an absent checkbox means false.
    pub struct CustomFieldValue {
        /// The definition's identifier.
        uuid: Uuid = value "UUID",
        /// The definition's name.
        name: String = value "Name",
        /// Text value (text, dropdown and link fields).
        text: String = value "Text",
        /// Date value (`yyyy-MM-ddT00:00:00` in responses).
        date: XpmDate = value "Date",
        /// Whole-number value. The OpenAPI types the response value as a decimal.
        number: Decimal = value "Number",
        /// Decimal value.
        decimal: Decimal = value "Decimal",
        /// Checkbox value (`true`/`false`).
        boolean: bool = value "Boolean",
    }
}

/// The one value a [`CustomFieldValue`] holds, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum CustomFieldData<'a> {
    /// `<Text>`.
    Text(&'a str),
    /// `<Date>`.
    Date(XpmDate),
    /// `<Number>`.
    Number(Decimal),
    /// `<Decimal>`.
    Decimal(Decimal),
    /// `<Boolean>`.
    Boolean(bool),
}

impl CustomFieldValue {
    /// The value, whichever element holds it (the first set, should XPM ever send several).
    pub fn data(&self) -> Option<CustomFieldData<'_>> {
        if let Some(text) = &self.text {
            return Some(CustomFieldData::Text(text));
        }
        self.date
            .map(CustomFieldData::Date)
            .or(self.number.map(CustomFieldData::Number))
            .or(self.decimal.map(CustomFieldData::Decimal))
            .or(self.boolean.map(CustomFieldData::Boolean))
    }
}

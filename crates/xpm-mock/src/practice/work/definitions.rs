//! Adding and changing custom field definitions (`customfield.api/add`, `update`).

use std::sync::Arc;

use uuid::Uuid;
use xpm_api::model::CustomFieldDefinition;
use xpm_api::request::{AddCustomFieldDefinitionRequest, OptionList, UpdateCustomFieldDefinitionRequest};

use super::custom_fields::{CustomFields, value_element_for};
use super::error::{WorkError, WorkResult};
use super::job_edit::required_text;
use crate::practice::patch::{nonblank, patch};

/// The definition's `Use…` flags, in field order.
fn use_flags(definition: &mut CustomFieldDefinition) -> [&mut Option<bool>; 8] {
    [
        &mut definition.use_client,
        &mut definition.use_contact,
        &mut definition.use_job,
        &mut definition.use_job_task,
        &mut definition.use_job_cost,
        &mut definition.use_job_time,
        &mut definition.use_lead,
        &mut definition.use_supplier,
    ]
}

/// Dropdown options as the definition shows them: one per line.
fn options_text(options: &OptionList) -> String {
    options.0.join("\n")
}

impl CustomFields {
    /// `customfield.api/add`: returns the new definition's UUID.
    pub(crate) fn add_definition(&mut self, request: &AddCustomFieldDefinitionRequest) -> WorkResult<Uuid> {
        let name = required_text(&request.name, "Name")?;
        let (field_type, element) = value_element_for(request.field_type.as_deref().unwrap_or("Text"))?;
        let mut definition = CustomFieldDefinition::default();
        let uuid = Uuid::new_v4();
        definition.uuid = Some(uuid);
        definition.name = Some(name.to_owned());
        definition.field_type = Some(field_type.to_owned());
        definition.link_url = Some(request.link_url.clone().unwrap_or_default());
        definition.options = Some(request.options.as_ref().map(options_text).unwrap_or_default());
        // A new definition is used nowhere the request does not name.
        for flag in use_flags(&mut definition) {
            *flag = Some(false);
        }
        patch!(definition, request; use_client, use_contact, use_job, use_job_task, use_job_cost, use_job_time, use_lead, use_supplier,);
        definition.value_element = Some(element.to_owned());
        check_dropdown(&definition)?;
        self.definitions.push(Arc::new(definition));
        Ok(uuid)
    }

    /// `customfield.api/update`: changes what the request gives. Changing the type changes the
    /// value element, so values held in the old element are dropped.
    pub(crate) fn update_definition(&mut self, request: &UpdateCustomFieldDefinitionRequest) -> WorkResult<Uuid> {
        let uuid = request.uuid.ok_or_else(|| WorkError::invalid("UUID is required"))?;
        let new_type = request.field_type.as_deref().map(value_element_for).transpose()?;
        let mut definition = (**self.definition(uuid)?).clone();
        patch!(definition, request;
            name <- (nonblank(&request.name)),
            link_url,
            options => |options: OptionList| options_text(&options),
        );
        patch!(definition, request; use_client, use_contact, use_job, use_job_task, use_job_cost, use_job_time, use_lead, use_supplier,);
        let element_changed = match new_type {
            Some((field_type, element)) => {
                definition.field_type = Some(field_type.to_owned());
                let changed = definition.value_element.as_deref() != Some(element);
                definition.value_element = Some(element.to_owned());
                changed
            }
            None => false,
        };
        check_dropdown(&definition)?;
        *self.definition_mut(uuid)? = definition;
        if element_changed {
            self.forget_field(uuid);
        }
        Ok(uuid)
    }
}

/// A dropdown list needs options to choose from.
fn check_dropdown(definition: &CustomFieldDefinition) -> WorkResult<()> {
    let is_dropdown = definition.field_type.as_deref() == Some("Dropdown List");
    if is_dropdown && definition.options.as_deref().is_none_or(|options| options.trim().is_empty()) {
        return Err(WorkError::invalid("a Dropdown List field needs Options"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_then_update_keeps_what_is_not_sent() {
        let mut fields = CustomFields::default();
        let mut add = AddCustomFieldDefinitionRequest::default();
        add.name = Some("Priority".into());
        add.field_type = Some("dropdown list".into());
        add.options = Some(OptionList(vec!["High".into(), "Low".into()]));
        add.use_job = Some(true);
        let uuid = fields.add_definition(&add).unwrap_or_else(|error| panic!("{error}"));
        let mut update = UpdateCustomFieldDefinitionRequest::default();
        update.uuid = Some(uuid);
        update.use_job_task = Some(true);
        assert_eq!(fields.update_definition(&update), Ok(uuid));
        let definition = fields.definition(uuid).map(|definition| (**definition).clone()).unwrap_or_default();
        assert_eq!(definition.field_type.as_deref(), Some("Dropdown List"));
        assert_eq!(definition.value_element.as_deref(), Some("Text"));
        assert_eq!(
            (definition.use_job, definition.use_job_task, definition.use_client),
            (Some(true), Some(true), Some(false))
        );
        assert_eq!(definition.options.as_deref(), Some("High\nLow"));
        add.field_type = Some("Colour".into());
        assert!(matches!(fields.add_definition(&add), Err(WorkError::Invalid(_))));
    }
}

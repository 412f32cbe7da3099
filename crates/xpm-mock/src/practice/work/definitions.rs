//! Adding and changing custom field definitions (`customfield.api/add`, `update`).

use std::sync::Arc;

use uuid::Uuid;
use xpm_api::model::CustomFieldDefinition;
use xpm_api::request::{AddCustomFieldDefinitionRequest, OptionList, UpdateCustomFieldDefinitionRequest};

use super::custom_fields::{CustomFields, value_element_for};
use super::error::{WorkError, WorkResult};
use super::job_edit::required_text;

/// The `Use*` flags of a request, in definition field order.
struct Uses {
    client: Option<bool>,
    contact: Option<bool>,
    job: Option<bool>,
    job_task: Option<bool>,
    job_cost: Option<bool>,
    job_time: Option<bool>,
    lead: Option<bool>,
    supplier: Option<bool>,
}

impl Uses {
    /// Writes the flags the request gives; `fill` also writes `false` for the ones it leaves
    /// out (a new definition).
    fn apply(&self, definition: &mut CustomFieldDefinition, fill: bool) {
        let pairs = [
            (&mut definition.use_client, self.client),
            (&mut definition.use_contact, self.contact),
            (&mut definition.use_job, self.job),
            (&mut definition.use_job_task, self.job_task),
            (&mut definition.use_job_cost, self.job_cost),
            (&mut definition.use_job_time, self.job_time),
            (&mut definition.use_lead, self.lead),
            (&mut definition.use_supplier, self.supplier),
        ];
        for (field, value) in pairs {
            match value {
                Some(value) => *field = Some(value),
                None if fill => *field = Some(false),
                None => {}
            }
        }
    }
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
        Uses {
            client: request.use_client,
            contact: request.use_contact,
            job: request.use_job,
            job_task: request.use_job_task,
            job_cost: request.use_job_cost,
            job_time: request.use_job_time,
            lead: request.use_lead,
            supplier: request.use_supplier,
        }
        .apply(&mut definition, true);
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
        if let Some(name) = request.name.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
            definition.name = Some(name.to_owned());
        }
        if let Some(link) = &request.link_url {
            definition.link_url = Some(link.clone());
        }
        if let Some(options) = &request.options {
            definition.options = Some(options_text(options));
        }
        Uses {
            client: request.use_client,
            contact: request.use_contact,
            job: request.use_job,
            job_task: request.use_job_task,
            job_cost: request.use_job_cost,
            job_time: request.use_job_time,
            lead: request.use_lead,
            supplier: request.use_supplier,
        }
        .apply(&mut definition, false);
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

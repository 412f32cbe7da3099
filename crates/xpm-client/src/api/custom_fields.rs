//! Custom fields: the definitions (`customfield.api`) and the values held on clients, contacts,
//! jobs, job tasks, job costs and time entries.

use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::{CustomFieldDefinition, CustomFieldValue};
use xpm_api::request::CustomFieldValuesUpdateRequest;

use crate::call::Call;
use crate::error::Error;

const DEFINITIONS: OperationId = OperationId::CustomFieldDefinition;
const DEFINITION: OperationId = OperationId::CustomFieldGetByIdentifier;

/// The entity whose custom field values are read or written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CustomFieldOwner {
    /// A client, by UUID.
    Client(Uuid),
    /// A contact, by UUID.
    Contact(Uuid),
    /// A job, by number (`J000309`).
    Job(String),
    /// A task on a job, by the job task's UUID.
    JobTask(Uuid),
    /// A cost on a job, by UUID.
    JobCost(Uuid),
    /// A time entry, by UUID.
    Time(Uuid),
}

impl CustomFieldOwner {
    /// The get and update operation ids, the path parameter and its value.
    fn route(&self) -> (OperationId, OperationId, &'static str, String) {
        match self {
            Self::Client(uuid) => (
                OperationId::CustomFieldGetClientByIdentifier,
                OperationId::CustomFieldUpdateClientByIdentifier,
                "identifier",
                uuid.to_string(),
            ),
            Self::Contact(uuid) => (
                OperationId::CustomFieldGetContactByIdentifier,
                OperationId::CustomFieldUpdateContactByIdentifier,
                "identifier",
                uuid.to_string(),
            ),
            Self::Job(number) => {
                (OperationId::CustomFieldGetJob, OperationId::CustomFieldUpdateJob, "jobNumber", number.clone())
            }
            Self::JobTask(uuid) => (
                OperationId::CustomFieldGetJobTaskByIdentifier,
                OperationId::CustomFieldUpdateJobTaskByIdentifier,
                "identifier",
                uuid.to_string(),
            ),
            Self::JobCost(uuid) => (
                OperationId::CustomFieldGetJobCostByIdentifier,
                OperationId::CustomFieldUpdateJobCostByIdentifier,
                "identifier",
                uuid.to_string(),
            ),
            Self::Time(uuid) => (
                OperationId::CustomFieldGetTimeByIdentifier,
                OperationId::CustomFieldUpdateTimeByIdentifier,
                "identifier",
                uuid.to_string(),
            ),
        }
    }
}

handler! {
    /// Custom fields of one tenant, from [`XpmClient::custom_fields`](crate::XpmClient::custom_fields).
    CustomFieldsHandler
}

impl CustomFieldsHandler {
    /// Every field definition (`CustomFieldV31_Definition`).
    pub async fn definitions(&self) -> Result<Vec<CustomFieldDefinition>, Error> {
        Ok(self.target.list(self.target.call(DEFINITIONS)).await?.0)
    }

    /// One field definition (`CustomFieldV31_GetByIdentifier`).
    pub async fn definition(&self, uuid: Uuid) -> Result<CustomFieldDefinition, Error> {
        self.target.by_identifier(DEFINITION, uuid).await
    }

    /// The values `owner` holds; XPM leaves out fields without a value
    /// (`CustomFieldV31_Get…`, e.g. `CustomFieldV31_GetClientByIdentifier`).
    pub async fn values(&self, owner: &CustomFieldOwner) -> Result<Vec<CustomFieldValue>, Error> {
        let (get, _, name, value) = owner.route();
        Ok(self.target.list(self.owned(get, name, value)).await?.0)
    }

    /// Sets (or clears) the values the request names on `owner`; others are left as they are
    /// (`CustomFieldV31_Update…`, e.g. `CustomFieldV31_UpdateClientByIdentifier`).
    pub async fn update_values(
        &self,
        owner: &CustomFieldOwner,
        values: &CustomFieldValuesUpdateRequest,
    ) -> Result<(), Error> {
        let (_, update, name, value) = owner.route();
        let call = self.owned(update, name, value).body(values)?;
        self.target.status(call).await.map(drop)
    }

    fn owned(&self, operation: OperationId, name: &str, value: String) -> Call {
        self.target.call(operation).path_param(name, value)
    }
}

#[cfg(test)]
mod tests {
    use xpm_api::request::RequestBody;

    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn each_operation_takes_the_body_sent() {
        assert_bodies(&[(DEFINITIONS, None), (DEFINITION, None)]);
        let owners = [
            CustomFieldOwner::Client(Uuid::nil()),
            CustomFieldOwner::Contact(Uuid::nil()),
            CustomFieldOwner::Job("J000001".into()),
            CustomFieldOwner::JobTask(Uuid::nil()),
            CustomFieldOwner::JobCost(Uuid::nil()),
            CustomFieldOwner::Time(Uuid::nil()),
        ];
        for owner in owners {
            let (get, update, name, value) = owner.route();
            assert_bodies(&[(get, None), (update, Some(CustomFieldValuesUpdateRequest::JSON_SCHEMA))]);
            for id in [get, update] {
                let call = Call::new(id, Uuid::nil()).path_param(name, value.clone());
                let path = call.path_and_query().expect("the path fills");
                assert!(path.ends_with(&format!("/{value}/customfield")), "{id}: {path}");
            }
        }
    }
}

//! Custom fields: the definitions (`customfield.api`) and the values held on clients, contacts,
//! jobs, job tasks, job costs and time entries.

use xpm_api::catalog::{CustomFieldOwnerKind, OperationId};
use xpm_api::ids::{ClientId, ContactId, CustomFieldId, JobCostId, JobNumber, JobTaskId, TimeId};
use xpm_api::model::{CustomFieldDefinition, CustomFieldValue};
use xpm_api::request::CustomFieldValuesUpdateRequest;

use super::list::ListBuilder;
use crate::call::Call;
use crate::error::Error;

const DEFINITIONS: OperationId = OperationId::CustomFieldDefinition;
const DEFINITION: OperationId = OperationId::CustomFieldGetByIdentifier;

/// The entity whose custom field values are read or written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CustomFieldOwner {
    /// A client.
    Client(ClientId),
    /// A contact.
    Contact(ContactId),
    /// A job, by number (`J000309`).
    Job(JobNumber),
    /// A task on a job.
    JobTask(JobTaskId),
    /// A cost on a job.
    JobCost(JobCostId),
    /// A time entry.
    Time(TimeId),
}

impl CustomFieldOwner {
    /// The owner's kind, which names its operations and path parameter.
    pub fn kind(&self) -> CustomFieldOwnerKind {
        match self {
            Self::Client(_) => CustomFieldOwnerKind::Client,
            Self::Contact(_) => CustomFieldOwnerKind::Contact,
            Self::Job(_) => CustomFieldOwnerKind::Job,
            Self::JobTask(_) => CustomFieldOwnerKind::JobTask,
            Self::JobCost(_) => CustomFieldOwnerKind::JobCost,
            Self::Time(_) => CustomFieldOwnerKind::Time,
        }
    }

    /// The value of the path parameter that names the owner.
    fn path_value(&self) -> String {
        match self {
            Self::Client(id) => id.to_string(),
            Self::Contact(id) => id.to_string(),
            Self::Job(number) => number.to_string(),
            Self::JobTask(id) => id.to_string(),
            Self::JobCost(id) => id.to_string(),
            Self::Time(id) => id.to_string(),
        }
    }

    /// The get and update operation ids, the path parameter and its value.
    fn route(&self) -> (OperationId, OperationId, &'static str, String) {
        let kind = self.kind();
        (kind.get_operation(), kind.update_operation(), kind.path_param(), self.path_value())
    }
}

handler! {
    /// Custom fields of one tenant, from [`XpmClient::custom_fields`](crate::XpmClient::custom_fields).
    CustomFieldsHandler
}

impl CustomFieldsHandler {
    /// Every field definition (`CustomFieldV31_Definition`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let definitions = client.custom_fields(tenant).definitions().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn definitions(&self) -> ListBuilder<CustomFieldDefinition> {
        ListBuilder::new(self.target.clone(), self.target.call(DEFINITIONS))
    }

    /// One field definition (`CustomFieldV31_GetByIdentifier`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::CustomFieldId) -> Result<(), xpm_client::Error> {
    /// let definition = client.custom_fields(tenant).definition(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn definition(&self, id: CustomFieldId) -> Result<CustomFieldDefinition, Error> {
        self.target.by_identifier(DEFINITION, id.uuid()).await
    }

    /// The values `owner` holds; XPM leaves out fields without a value
    /// (`CustomFieldV31_Get…`, e.g. `CustomFieldV31_GetClientByIdentifier`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// use xpm_client::api::CustomFieldOwner;
    ///
    /// let values = client.custom_fields(tenant).values(&CustomFieldOwner::Client(id)).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn values(&self, owner: &CustomFieldOwner) -> ListBuilder<CustomFieldValue> {
        let (get, _, name, value) = owner.route();
        ListBuilder::new(self.target.clone(), self.owned(get, name, value))
    }

    /// Sets (or clears) the values the request names on `owner`; others are left as they are
    /// (`CustomFieldV31_Update…`, e.g. `CustomFieldV31_UpdateClientByIdentifier`).
    ///
    /// ```no_run
    /// # async fn example(
    /// #     client: xpm_client::XpmClient,
    /// #     tenant: uuid::Uuid,
    /// #     (owner, field): (xpm_api::ids::ClientId, xpm_api::ids::CustomFieldId),
    /// # ) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::{CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
    /// use xpm_client::api::CustomFieldOwner;
    ///
    /// let values = CustomFieldValuesUpdateRequest::new(vec![CustomFieldValueRequest::new(field).text("Email")]);
    /// client.custom_fields(tenant).update_values(&CustomFieldOwner::Client(owner), &values).await?;
    /// # Ok(()) }
    /// ```
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
    use uuid::Uuid;
    use xpm_api::request::RequestBody;

    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn each_operation_takes_the_body_sent() {
        assert_bodies(&[(DEFINITIONS, None), (DEFINITION, None)]);
        let owners = [
            CustomFieldOwner::Client(ClientId::new(Uuid::nil())),
            CustomFieldOwner::Contact(ContactId::new(Uuid::nil())),
            CustomFieldOwner::Job("J000001".parse().expect("a job number")),
            CustomFieldOwner::JobTask(JobTaskId::new(Uuid::nil())),
            CustomFieldOwner::JobCost(JobCostId::new(Uuid::nil())),
            CustomFieldOwner::Time(TimeId::new(Uuid::nil())),
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

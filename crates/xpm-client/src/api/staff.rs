//! Staff (`staff.api`): list, get, add, update, delete, enable, disable.

use xpm_api::catalog::OperationId;
use xpm_api::ids::StaffId;
use xpm_api::model::Staff;
use xpm_api::request::{StaffAddRequest, StaffIdentifierRequest, StaffUpdateRequest};

use super::list::ListBuilder;
use crate::error::Error;

const LIST: OperationId = OperationId::StaffList;
const GET: OperationId = OperationId::StaffGetByUuid;
const ADD: OperationId = OperationId::StaffAdd;
const UPDATE: OperationId = OperationId::StaffUpdate;
const DELETE: OperationId = OperationId::StaffDelete;
const ENABLE: OperationId = OperationId::StaffEnable;
const DISABLE: OperationId = OperationId::StaffDisable;

handler! {
    /// The staff of one tenant, from [`XpmClient::staff`](crate::XpmClient::staff).
    StaffHandler
}

impl StaffHandler {
    /// Every staff member (`StaffV31_List`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let everyone = client.staff(tenant).list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Staff> {
        ListBuilder::new(self.target.clone(), self.target.call(LIST))
    }

    /// One staff member (`StaffV31_GetByUuid`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::StaffId) -> Result<(), xpm_client::Error> {
    /// let member = client.staff(tenant).get(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: StaffId) -> Result<Staff, Error> {
        self.target.by_identifier(GET, id.uuid()).await
    }

    /// Adds a staff member and returns them with their new `uuid` (`StaffV31_Add`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::StaffAddRequest;
    ///
    /// let request = StaffAddRequest::new("Mere Tane").email("mere@practice.example");
    /// let added = client.staff(tenant).add(&request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add(&self, staff: &StaffAddRequest) -> Result<Staff, Error> {
        self.target.write(ADD, staff).await
    }

    /// Changes the fields the request sets and returns the staff member (`StaffV31_Update`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::StaffId) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::StaffUpdateRequest;
    ///
    /// client.staff(tenant).update(&StaffUpdateRequest::new(id).phone("+64 9 555 0101")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, staff: &StaffUpdateRequest) -> Result<Staff, Error> {
        self.target.write(UPDATE, staff).await
    }

    /// Deletes a staff member (`StaffV31_Delete`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::StaffId) -> Result<(), xpm_client::Error> {
    /// client.staff(tenant).delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: StaffId) -> Result<(), Error> {
        self.named(DELETE, id).await
    }

    /// Lets a staff member log in to Practice Manager (`StaffV31_Enable`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::StaffId) -> Result<(), xpm_client::Error> {
    /// client.staff(tenant).enable(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn enable(&self, id: StaffId) -> Result<(), Error> {
        self.named(ENABLE, id).await
    }

    /// Stops a staff member from logging in to Practice Manager (`StaffV31_Disable`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::StaffId) -> Result<(), xpm_client::Error> {
    /// client.staff(tenant).disable(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn disable(&self, id: StaffId) -> Result<(), Error> {
        self.named(DISABLE, id).await
    }

    /// An operation whose body only names the staff member, answering with a status.
    async fn named(&self, operation: OperationId, id: StaffId) -> Result<(), Error> {
        let call = self.target.call(operation).body(&StaffIdentifierRequest::new(id))?;
        self.target.status(call).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use xpm_api::request::RequestBody;

    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn each_operation_takes_the_body_sent() {
        assert_bodies(&[
            (LIST, None),
            (GET, None),
            (ADD, Some(StaffAddRequest::JSON_SCHEMA)),
            (UPDATE, Some(StaffUpdateRequest::JSON_SCHEMA)),
            (DELETE, Some(StaffIdentifierRequest::JSON_SCHEMA)),
            (ENABLE, Some(StaffIdentifierRequest::JSON_SCHEMA)),
            (DISABLE, Some(StaffIdentifierRequest::JSON_SCHEMA)),
        ]);
    }
}

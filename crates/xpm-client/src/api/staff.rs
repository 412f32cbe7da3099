//! Staff (`staff.api`): list, get, add, update, delete, enable, disable.

use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::Staff;
use xpm_api::request::{StaffAddRequest, StaffIdentifierRequest, StaffUpdateRequest};

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
    pub async fn list(&self) -> Result<Vec<Staff>, Error> {
        Ok(self.target.list(self.target.call(LIST)).await?.0)
    }

    /// One staff member (`StaffV31_GetByUuid`).
    pub async fn get(&self, uuid: Uuid) -> Result<Staff, Error> {
        self.target.by_identifier(GET, uuid).await
    }

    /// Adds a staff member and returns them with their new `uuid` (`StaffV31_Add`).
    pub async fn add(&self, staff: &StaffAddRequest) -> Result<Staff, Error> {
        self.target.write(ADD, staff).await
    }

    /// Changes the fields the request sets and returns the staff member (`StaffV31_Update`).
    pub async fn update(&self, staff: &StaffUpdateRequest) -> Result<Staff, Error> {
        self.target.write(UPDATE, staff).await
    }

    /// Deletes a staff member (`StaffV31_Delete`).
    pub async fn delete(&self, uuid: Uuid) -> Result<(), Error> {
        self.named(DELETE, uuid).await
    }

    /// Lets a staff member log in to Practice Manager (`StaffV31_Enable`).
    pub async fn enable(&self, uuid: Uuid) -> Result<(), Error> {
        self.named(ENABLE, uuid).await
    }

    /// Stops a staff member from logging in to Practice Manager (`StaffV31_Disable`).
    pub async fn disable(&self, uuid: Uuid) -> Result<(), Error> {
        self.named(DISABLE, uuid).await
    }

    /// An operation whose body only names the staff member, answering with a status.
    async fn named(&self, operation: OperationId, uuid: Uuid) -> Result<(), Error> {
        let call = self.target.call(operation).body(&StaffIdentifierRequest::new(uuid))?;
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

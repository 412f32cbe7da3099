//! Client groups (`clientgroup.api`): list, get, add, members, delete.

use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::ClientGroup;
use xpm_api::request::{ClientGroupAddRequest, ClientGroupDeleteRequest, ClientGroupMembersRequest};

use crate::error::Error;

const LIST: OperationId = OperationId::ClientGroupList;
const GET: OperationId = OperationId::ClientGroupGetByIdentifier;
const ADD: OperationId = OperationId::ClientGroupAdd;
const MEMBERS: OperationId = OperationId::ClientGroupMembers;
const DELETE: OperationId = OperationId::ClientGroupDelete;

handler! {
    /// The client groups of one tenant, from [`XpmClient::client_groups`](crate::XpmClient::client_groups).
    ClientGroupsHandler
}

impl ClientGroupsHandler {
    /// Every group, without members (`ClientGroupV31_List`).
    pub async fn list(&self) -> Result<Vec<ClientGroup>, Error> {
        Ok(self.target.list(self.target.call(LIST)).await?.0)
    }

    /// One group with its member clients (`ClientGroupV31_GetByIdentifier`).
    pub async fn get(&self, uuid: Uuid) -> Result<ClientGroup, Error> {
        self.target.by_identifier(GET, uuid).await
    }

    /// Creates a group and returns it with its members (`ClientGroupV31_Add`).
    pub async fn add(&self, group: &ClientGroupAddRequest) -> Result<ClientGroup, Error> {
        self.target.write(ADD, group).await
    }

    /// Adds and removes member clients and returns the group with its members
    /// (`ClientGroupV31_Members`).
    pub async fn members(&self, change: &ClientGroupMembersRequest) -> Result<ClientGroup, Error> {
        self.target.write(MEMBERS, change).await
    }

    /// Deletes a group (`ClientGroupV31_Delete`).
    pub async fn delete(&self, uuid: Uuid) -> Result<(), Error> {
        let mut body = ClientGroupDeleteRequest::default();
        body.uuid = Some(uuid);
        let call = self.target.call(DELETE).body(&body)?;
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
            (ADD, Some(ClientGroupAddRequest::JSON_SCHEMA)),
            (MEMBERS, Some(ClientGroupMembersRequest::JSON_SCHEMA)),
            (DELETE, Some(ClientGroupDeleteRequest::JSON_SCHEMA)),
        ]);
    }
}

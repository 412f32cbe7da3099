//! Client groups (`clientgroup.api`): list, get, add, members, delete.

use xpm_api::catalog::OperationId;
use xpm_api::ids::GroupId;
use xpm_api::model::ClientGroup;
use xpm_api::request::{ClientGroupAddRequest, ClientGroupDeleteRequest, ClientGroupMembersRequest};

use super::list::ListBuilder;
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
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let groups = client.client_groups(tenant).list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<ClientGroup> {
        ListBuilder::new(self.target.clone(), self.target.call(LIST))
    }

    /// One group with its member clients (`ClientGroupV31_GetByIdentifier`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::GroupId) -> Result<(), xpm_client::Error> {
    /// let with_members = client.client_groups(tenant).get(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: GroupId) -> Result<ClientGroup, Error> {
        self.target.by_identifier(GET, id.uuid()).await
    }

    /// Creates a group and returns it with its members (`ClientGroupV31_Add`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::ClientGroupAddRequest;
    ///
    /// let group = client.client_groups(tenant).add(&ClientGroupAddRequest::new("Family trusts")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add(&self, group: &ClientGroupAddRequest) -> Result<ClientGroup, Error> {
        self.target.write(ADD, group).await
    }

    /// Adds and removes member clients and returns the group with its members
    /// (`ClientGroupV31_Members`).
    ///
    /// ```no_run
    /// # async fn example(
    /// #     client: xpm_client::XpmClient,
    /// #     tenant: uuid::Uuid,
    /// #     (group, joining, leaving): (xpm_api::ids::GroupId, xpm_api::ids::ClientId, xpm_api::ids::ClientId),
    /// # ) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::ClientGroupMembersRequest;
    ///
    /// let change = ClientGroupMembersRequest::new(group).add_client(joining).remove_client(leaving);
    /// client.client_groups(tenant).members(&change).await?;
    /// # Ok(()) }
    /// ```
    pub async fn members(&self, change: &ClientGroupMembersRequest) -> Result<ClientGroup, Error> {
        self.target.write(MEMBERS, change).await
    }

    /// Deletes a group (`ClientGroupV31_Delete`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::GroupId) -> Result<(), xpm_client::Error> {
    /// client.client_groups(tenant).delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: GroupId) -> Result<(), Error> {
        let call = self.target.call(DELETE).body(&ClientGroupDeleteRequest::new(id))?;
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

//! Client groups (`clientgroup.api`). Membership is kept on the clients (their `Groups`), so a
//! group's members are the clients that name it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{ClientGroup, NamedRef};
use xpm_api::request::{ClientGroupAddRequest, ClientGroupMembersRequest};

use super::book::Directory;
use super::error::DirectoryError;

impl Directory {
    /// `clientgroup.api/get/{uuid}`: the group with its clients (deleted clients left out).
    pub fn group_detail(&self, uuid: Uuid) -> Option<ClientGroup> {
        let group = self.groups.iter().find(|group| group.uuid == Some(uuid))?;
        let members = self
            .clients
            .iter()
            .filter(|entry| !entry.is_deleted())
            .filter(|entry| entry.client.groups.iter().flatten().any(|member_of| member_of.uuid == Some(uuid)))
            .map(|entry| {
                NamedRef::new(entry.client.uuid.unwrap_or_default(), entry.client.name.clone().unwrap_or_default())
            })
            .collect();
        let mut detail = (**group).clone();
        detail.clients = Some(members);
        Some(detail)
    }

    /// `clientgroup.api/add`: a new group, with one client in it if the body names one.
    pub(crate) fn add_group(
        &mut self,
        request: ClientGroupAddRequest,
        now: DateTime<Utc>,
    ) -> Result<ClientGroup, DirectoryError> {
        let name = request.name.filter(|name| !name.trim().is_empty());
        let name = name.ok_or_else(|| DirectoryError::invalid("a group needs a name"))?;
        if let Some(client) = request.client_uuid {
            self.live_entry(client)?;
        }
        let uuid = Uuid::new_v4();
        let mut group = ClientGroup::default();
        group.uuid = Some(uuid);
        group.name = Some(name);
        group.taxable = Some(request.taxable.unwrap_or(xpm_api::value::YesNo::No));
        let reference = NamedRef::new(uuid, group.name.clone().unwrap_or_default());
        self.groups.push(Arc::new(group));
        if let Some(client) = request.client_uuid {
            self.join_group(client, &reference, now);
        }
        self.group_detail(uuid).ok_or_else(|| DirectoryError::not_found("group", uuid))
    }

    /// `clientgroup.api/members`: adds and removes clients. Every client named must exist,
    /// and added ones must not be deleted; nothing changes otherwise.
    pub(crate) fn change_members(
        &mut self,
        request: ClientGroupMembersRequest,
        now: DateTime<Utc>,
    ) -> Result<ClientGroup, DirectoryError> {
        let uuid = request.uuid.ok_or_else(|| DirectoryError::invalid("the group's UUID is required"))?;
        let group = self.groups.iter().find(|group| group.uuid == Some(uuid));
        let group = group.ok_or_else(|| DirectoryError::not_found("group", uuid))?;
        let reference = NamedRef::new(uuid, group.name.clone().unwrap_or_default());
        let add = member_ids(request.add)?;
        let remove = member_ids(request.remove)?;
        for client in &add {
            self.live_entry(*client)?;
        }
        for client in &remove {
            self.entry(*client).ok_or_else(|| DirectoryError::not_found("client", *client))?;
        }
        for client in add {
            self.join_group(client, &reference, now);
        }
        for client in remove {
            self.leave_group(client, uuid, now);
        }
        self.group_detail(uuid).ok_or_else(|| DirectoryError::not_found("group", uuid))
    }

    /// `clientgroup.api/delete`: removes the group from the practice and from its clients.
    pub(crate) fn delete_group(&mut self, uuid: Uuid, now: DateTime<Utc>) -> Result<(), DirectoryError> {
        let before = self.groups.len();
        self.groups.retain(|group| group.uuid != Some(uuid));
        if self.groups.len() == before {
            return Err(DirectoryError::not_found("group", uuid));
        }
        let members: Vec<Uuid> = self
            .clients
            .iter()
            .filter(|entry| entry.client.groups.iter().flatten().any(|group| group.uuid == Some(uuid)))
            .filter_map(|entry| entry.client.uuid)
            .collect();
        for client in members {
            self.leave_group(client, uuid, now);
        }
        Ok(())
    }

    fn join_group(&mut self, client: Uuid, group: &NamedRef, now: DateTime<Utc>) {
        let Some(entry) = self.entry_mut(client) else { return };
        if entry.client.groups.iter().flatten().any(|member_of| member_of.uuid == group.uuid) {
            return;
        }
        Arc::make_mut(&mut entry.client).groups.get_or_insert_with(Vec::new).push(group.clone());
        entry.modified = now;
    }

    fn leave_group(&mut self, client: Uuid, group: Uuid, now: DateTime<Utc>) {
        let Some(entry) = self.entry_mut(client) else { return };
        if !entry.client.groups.iter().flatten().any(|member_of| member_of.uuid == Some(group)) {
            return;
        }
        if let Some(groups) = Arc::make_mut(&mut entry.client).groups.as_mut() {
            groups.retain(|member_of| member_of.uuid != Some(group));
        }
        entry.modified = now;
    }
}

fn member_ids(members: Option<Vec<xpm_api::request::GroupMember>>) -> Result<Vec<Uuid>, DirectoryError> {
    members
        .unwrap_or_default()
        .into_iter()
        .map(|member| member.uuid.ok_or_else(|| DirectoryError::invalid("every add and remove needs a client uuid")))
        .collect()
}

//! Client group bodies (`clientgroup.api`): add, members and delete.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, GroupId};
use crate::value::{Uuid, YesNo};
use crate::xml::{DecodeError, DecodeErrorKind, XmlReader, XmlRecord, XmlWriter, decode_value, encode_value};

xpm_request! {
    /// `POST clientgroup.api/add`. JSON: `ClientGroupAddRequestDto`. The response is the group
    /// with its members.
    pub struct ClientGroupAddRequest {
        /// Name (required).
        name: String = value "Name",
        /// Whether the group is taxable (practice-management module only).
        taxable: YesNo = value "Taxable",
        /// A client to put in the group.
        client_uuid: Uuid = value "ClientUUID",
    }
}

request_body!(ClientGroupAddRequest, "Group", "ClientGroupAddRequestDto", requires name "Name" "name");

xpm_request! {
    /// `POST clientgroup.api/delete`. JSON: `ClientGroupDeleteRequestDto`. The response is a
    /// status only.
    pub struct ClientGroupDeleteRequest {
        /// The group (required).
        uuid: Uuid = value "UUID",
    }
}

request_body!(ClientGroupDeleteRequest, "Group", "ClientGroupDeleteRequestDto", requires uuid "UUID" "uuid");

/// `PUT clientgroup.api/members`: add clients to a group and remove others. JSON:
/// `ClientGroupMembersRequestDto`. The response is the group with its members.
///
/// XML names the clients in attributes, `<Group><UUID/><add uuid="…"/><remove uuid="…"/></Group>`,
/// so this type is coded by hand; adds are written before removes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClientGroupMembersRequest {
    /// The group (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<Uuid>,
    /// Clients to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Vec<GroupMember>>,
    /// Clients to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<Vec<GroupMember>>,
}

/// A client added to or removed from a group: `<add uuid="…"/>`. JSON:
/// `ClientGroupMemberActionDto`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMember {
    /// The client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<Uuid>,
}

impl GroupMember {
    /// The client `client`.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { uuid: Some(client.into().uuid()) }
    }
}

impl ClientGroupAddRequest {
    /// A request to add a group called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Self::default() }
    }
}

impl ClientGroupDeleteRequest {
    /// A request to delete `group`.
    pub fn new(group: impl Into<GroupId>) -> Self {
        Self { uuid: Some(group.into().uuid()) }
    }
}

impl ClientGroupMembersRequest {
    /// A request to change the members of `group`.
    pub fn new(group: impl Into<GroupId>) -> Self {
        Self { uuid: Some(group.into().uuid()), ..Self::default() }
    }

    /// Adds `client` to the group.
    #[must_use]
    pub fn add_client(mut self, client: impl Into<ClientId>) -> Self {
        self.add.get_or_insert_with(Vec::new).push(GroupMember::new(client));
        self
    }

    /// Removes `client` from the group.
    #[must_use]
    pub fn remove_client(mut self, client: impl Into<ClientId>) -> Self {
        self.remove.get_or_insert_with(Vec::new).push(GroupMember::new(client));
        self
    }
}

impl XmlRecord for ClientGroupMembersRequest {
    fn decode_children<R: BufRead>(&mut self, reader: &mut XmlReader<R>) -> Result<(), DecodeError> {
        while let Some(empty) = reader.next_child_within()? {
            match reader.name() {
                b"UUID" => self.uuid = decode_value::<Uuid, R>(reader, empty).map_err(|error| error.within("UUID"))?,
                b"add" => {
                    let member = decode_member(reader, empty, "add")?;
                    self.add.get_or_insert_with(Vec::new).push(member);
                }
                b"remove" => {
                    let member = decode_member(reader, empty, "remove")?;
                    self.remove.get_or_insert_with(Vec::new).push(member);
                }
                _ => reader.skip(empty)?,
            }
        }
        Ok(())
    }

    fn encode_children(&self, writer: &mut XmlWriter) {
        encode_value("UUID", &self.uuid, writer);
        for (name, members) in [("add", &self.add), ("remove", &self.remove)] {
            for member in members.iter().flatten() {
                encode_member(name, member, writer);
            }
        }
    }
}

request_body!(ClientGroupMembersRequest, "Group", "ClientGroupMembersRequestDto", requires uuid "UUID" "uuid");

/// Reads `<add uuid="…"/>` (or `<remove …>`), whose start tag has just been read.
fn decode_member<R: BufRead>(
    reader: &mut XmlReader<R>,
    empty: bool,
    name: &'static str,
) -> Result<GroupMember, DecodeError> {
    let uuid = uuid_attribute(reader, b"uuid").map_err(|error| error.within(name))?;
    reader.skip(empty)?;
    Ok(GroupMember { uuid })
}

fn encode_member(name: &str, member: &GroupMember, writer: &mut XmlWriter) {
    let mut buffer = uuid::Uuid::encode_buffer();
    match member.uuid {
        Some(uuid) => {
            writer.start_with_attributes(name, &[("uuid", uuid.hyphenated().encode_lower(&mut buffer))], true)
        }
        None => writer.empty(name),
    }
}

/// Parses a UUID held in attribute `key` of the element just opened; absent is `None`.
pub(crate) fn uuid_attribute<R: BufRead>(
    reader: &XmlReader<R>,
    key: &'static [u8],
) -> Result<Option<Uuid>, DecodeError> {
    match reader.attribute(key)? {
        None => Ok(None),
        Some(text) => match Uuid::try_parse(text.trim()) {
            Ok(uuid) => Ok(Some(uuid)),
            Err(_) => {
                let found = format!("{}={}", String::from_utf8_lossy(key), crate::xml::error::excerpt(&text));
                Err(reader.error(DecodeErrorKind::InvalidValue { expected: "UUID attribute", found }))
            }
        },
    }
}

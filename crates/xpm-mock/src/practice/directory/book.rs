//! The directory's state and the read-only views other parts of the emulator use.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{Client, ClientGroup, Contact, Document, Staff};

/// The practice's directory: clients, contacts, groups, relationships, staff and client
/// documents. Client and contact custom field values are kept with their definitions, in the
/// work book's custom field store.
///
/// Clients are kept without their contacts: a contact can belong to several clients, with a
/// position and primary flag per link, so the `Contacts` of a client are composed on read from
/// the links. Everything else a client shows (groups, relationships, account manager) is kept on
/// the client and kept current when the things it names change.
///
/// Clients and contacts are never removed: XPM marks them deleted and keeps listing deleted
/// clients in `client.api/list`. Their order of creation is the order of every list and the
/// position that paging tokens carry.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Directory {
    pub(super) clients: Vec<ClientEntry>,
    pub(super) client_index: HashMap<Uuid, usize>,
    pub(super) contacts: Vec<ContactEntry>,
    pub(super) contact_index: HashMap<Uuid, usize>,
    pub(super) groups: Vec<Arc<ClientGroup>>,
    pub(super) staff: Vec<Arc<Staff>>,
    pub(super) disabled_staff: HashSet<Uuid>,
    /// Relationship id → the client it is recorded on.
    pub(super) relationship_owner: HashMap<Uuid, Uuid>,
    pub(super) documents: HashMap<Uuid, Vec<Arc<Document>>>,
    /// The next number for a new client's `WebUrl` (`…/Client/<n>/Detail`).
    pub(super) next_web_id: u64,
}

/// A client as stored: the detailed shape without `Contacts`, and when it last changed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct ClientEntry {
    pub(super) client: Arc<Client>,
    pub(super) modified: DateTime<Utc>,
    /// The client's contacts in display order.
    pub(super) contacts: Vec<ContactLink>,
}

/// A contact's link to one client.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct ContactLink {
    pub(super) contact: Uuid,
    pub(super) position: String,
    pub(super) is_primary: bool,
}

/// A contact as stored: without `Position`/`IsPrimary`, which belong to its links.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct ContactEntry {
    pub(super) contact: Arc<Contact>,
    /// The clients it is linked to, in linking order.
    pub(super) clients: Vec<Uuid>,
}

impl ClientEntry {
    pub(super) fn is_deleted(&self) -> bool {
        self.client.is_deleted.is_some_and(|flag| flag.is_yes())
    }

    pub(super) fn is_archived(&self) -> bool {
        self.client.is_archived.is_some_and(|flag| flag.is_yes())
    }
}

impl ContactEntry {
    pub(super) fn is_deleted(&self) -> bool {
        self.contact.is_deleted.is_some_and(|flag| flag.is_yes())
    }
}

impl Directory {
    /// Every client, deleted and archived ones included, in creation order. Clients carry no
    /// `Contacts` here; see [`Directory::client_contacts`].
    pub fn clients(&self) -> impl Iterator<Item = &Arc<Client>> {
        self.clients.iter().map(|entry| &entry.client)
    }

    /// Clients that are neither archived nor deleted: those `paged-list` returns.
    pub fn active_clients(&self) -> impl Iterator<Item = &Arc<Client>> {
        self.clients.iter().filter(|entry| !entry.is_archived() && !entry.is_deleted()).map(|entry| &entry.client)
    }

    /// How many clients there are, deleted and archived ones included.
    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    /// One client (without `Contacts`).
    pub fn client(&self, uuid: Uuid) -> Option<&Arc<Client>> {
        self.entry(uuid).map(|entry| &entry.client)
    }

    /// When a client last changed, on the emulator clock.
    pub fn client_modified(&self, uuid: Uuid) -> Option<DateTime<Utc>> {
        self.entry(uuid).map(|entry| entry.modified)
    }

    /// The contacts linked to a client, in display order, without `Position`/`IsPrimary`.
    pub fn client_contacts(&self, client: Uuid) -> impl Iterator<Item = &Arc<Contact>> {
        self.entry(client)
            .into_iter()
            .flat_map(|entry| entry.contacts.iter())
            .filter_map(|link| self.contact_entry(link.contact).map(|contact| &contact.contact))
    }

    /// Every contact, deleted ones included, in creation order, without `Position`/`IsPrimary`.
    pub fn contacts(&self) -> impl Iterator<Item = &Arc<Contact>> {
        self.contacts.iter().map(|entry| &entry.contact)
    }

    /// One contact, without `Position`/`IsPrimary`.
    pub fn contact(&self, uuid: Uuid) -> Option<&Arc<Contact>> {
        self.contact_entry(uuid).map(|entry| &entry.contact)
    }

    /// The staff, in the order `staff.api/list` returns them.
    pub fn staff(&self) -> &[Arc<Staff>] {
        &self.staff
    }

    /// One staff member.
    pub fn staff_member(&self, uuid: Uuid) -> Option<&Arc<Staff>> {
        self.staff.iter().find(|staff| staff.uuid == Some(uuid))
    }

    /// Whether a staff member may sign in (`staff.api/enable` / `disable`).
    pub fn is_staff_enabled(&self, uuid: Uuid) -> bool {
        self.staff_member(uuid).is_some() && !self.disabled_staff.contains(&uuid)
    }

    /// The client groups, without members.
    pub fn groups(&self) -> &[Arc<ClientGroup>] {
        &self.groups
    }

    pub(super) fn entry(&self, uuid: Uuid) -> Option<&ClientEntry> {
        self.client_index.get(&uuid).and_then(|index| self.clients.get(*index))
    }

    pub(super) fn entry_mut(&mut self, uuid: Uuid) -> Option<&mut ClientEntry> {
        self.client_index.get(&uuid).and_then(|index| self.clients.get_mut(*index))
    }

    pub(super) fn contact_entry(&self, uuid: Uuid) -> Option<&ContactEntry> {
        self.contact_index.get(&uuid).and_then(|index| self.contacts.get(*index))
    }

    pub(super) fn contact_entry_mut(&mut self, uuid: Uuid) -> Option<&mut ContactEntry> {
        self.contact_index.get(&uuid).and_then(|index| self.contacts.get_mut(*index))
    }

    /// Appends a client (its `contacts` field is ignored; links are added separately).
    pub(super) fn push_client(&mut self, client: Client, modified: DateTime<Utc>) {
        let Some(uuid) = client.uuid else { return };
        self.client_index.insert(uuid, self.clients.len());
        self.clients.push(ClientEntry { client: Arc::new(client), modified, contacts: Vec::new() });
    }

    /// Appends a contact, stripped of its link fields.
    pub(super) fn push_contact(&mut self, mut contact: Contact) {
        let Some(uuid) = contact.uuid else { return };
        contact.position = None;
        contact.is_primary = None;
        self.contact_index.insert(uuid, self.contacts.len());
        self.contacts.push(ContactEntry { contact: Arc::new(contact), clients: Vec::new() });
    }

    /// Links a contact to a client, or updates the existing link. Making it primary makes the
    /// client's other contacts not primary.
    pub(super) fn link(&mut self, client: Uuid, contact: Uuid, position: Option<String>, is_primary: Option<bool>) {
        let Some(entry) = self.entry_mut(client) else { return };
        if is_primary == Some(true) {
            for link in &mut entry.contacts {
                link.is_primary = false;
            }
        }
        match entry.contacts.iter_mut().find(|link| link.contact == contact) {
            Some(link) => {
                if let Some(position) = position {
                    link.position = position;
                }
                if let Some(is_primary) = is_primary {
                    link.is_primary = is_primary;
                }
            }
            None => entry.contacts.push(ContactLink {
                contact,
                position: position.unwrap_or_default(),
                is_primary: is_primary.unwrap_or(false),
            }),
        }
        if let Some(contact) = self.contact_entry_mut(contact)
            && !contact.clients.contains(&client)
        {
            contact.clients.push(client);
        }
    }

    /// Marks a client changed at `now`, so that `client.api/list?modifiedsince` returns it.
    pub(crate) fn touch(&mut self, client: Uuid, now: DateTime<Utc>) {
        if let Some(entry) = self.entry_mut(client) {
            entry.modified = now;
        }
    }
}

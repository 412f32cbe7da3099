//! Contacts and their links to clients (`client.api/contact*`, `client.api/client/{uuid}/contacts`).
//!
//! Position and primary flag belong to a contact's link with one client. Changing a contact or
//! its links counts as a change to every client it is linked to, since those clients' `Contacts`
//! change.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::Contact;
use xpm_api::request::{ContactLinkItem, ContactRequest};
use xpm_api::value::YesNo;

use super::book::Directory;
use super::error::DirectoryError;
use crate::practice::patch::patch;

/// `client.api/client/{uuid}/contacts` links at most this many contacts per call.
pub const MAX_CONTACTS_PER_LINK: usize = 10;

impl Directory {
    /// `client.api/contact/{uuid}`: the contact, with `Position`/`IsPrimary` for `client` when
    /// given.
    pub fn contact_view(&self, uuid: Uuid, client: Option<Uuid>) -> Result<Contact, DirectoryError> {
        let stored = self.contact(uuid).ok_or_else(|| DirectoryError::not_found("contact", uuid))?;
        match client {
            None => Ok((**stored).clone()),
            Some(client) => {
                self.entry(client).ok_or_else(|| DirectoryError::not_found("client", client))?;
                self.contact_for_client(uuid, client)
                    .ok_or_else(|| DirectoryError::invalid(format!("contact {uuid} is not linked to client {client}")))
            }
        }
    }

    /// `POST client.api/contact`: a new contact on the client the body names.
    pub(crate) fn add_contact(
        &mut self,
        request: ContactRequest,
        now: DateTime<Utc>,
    ) -> Result<Contact, DirectoryError> {
        let client = request
            .client
            .as_ref()
            .and_then(|client| client.uuid)
            .ok_or_else(|| DirectoryError::invalid("a new contact needs <Client><UUID> naming its client"))?;
        self.live_entry(client)?;
        let mut contact = Contact::default();
        contact.uuid = Some(Uuid::new_v4());
        for field in [
            &mut contact.mobile,
            &mut contact.email,
            &mut contact.phone,
            &mut contact.salutation,
            &mut contact.addressee,
        ] {
            *field = Some(String::new());
        }
        contact.is_deleted = Some(YesNo::No);
        let (position, is_primary) = fill_contact(&mut contact, request)?;
        let uuid = contact.uuid.unwrap_or_default();
        self.push_contact(contact);
        self.link(client, uuid, Some(position.unwrap_or_default()), Some(is_primary.unwrap_or(false)));
        self.touch(client, now);
        self.contact_view(uuid, Some(client))
    }

    /// `PUT client.api/contact/{uuid}`: changes the fields given. `Position` and `IsPrimary`
    /// need a client the contact is linked to, from the body or from `clientUuid`.
    pub(crate) fn update_contact(
        &mut self,
        uuid: Uuid,
        client: Option<Uuid>,
        request: ContactRequest,
        now: DateTime<Utc>,
    ) -> Result<Contact, DirectoryError> {
        let stored = self.contact_entry(uuid).ok_or_else(|| DirectoryError::not_found("contact", uuid))?;
        if stored.is_deleted() {
            return Err(DirectoryError::conflict(format!("contact {uuid} is deleted")));
        }
        let client = request.client.as_ref().and_then(|client| client.uuid).or(client);
        if let Some(client) = client {
            self.entry(client).ok_or_else(|| DirectoryError::not_found("client", client))?;
            if !stored.clients.contains(&client) {
                return Err(DirectoryError::conflict(format!("contact {uuid} is not linked to client {client}")));
            }
        }
        let mut contact = (*stored.contact).clone();
        let linked = stored.clients.clone();
        let (position, is_primary) = fill_contact(&mut contact, request)?;
        if client.is_none() && (position.is_some() || is_primary.is_some()) {
            return Err(DirectoryError::invalid("Position and IsPrimary can only be set together with the client"));
        }
        if let Some(entry) = self.contact_entry_mut(uuid) {
            entry.contact = contact.into();
        }
        if let Some(client) = client {
            self.link(client, uuid, position, is_primary);
        }
        for client in linked {
            self.touch(client, now);
        }
        self.contact_view(uuid, client)
    }

    /// `DELETE client.api/contact/{uuid}`: with `client`, unlinks the contact from that client
    /// only; without, marks the contact deleted. Returns the contact without link fields.
    pub(crate) fn delete_contact(
        &mut self,
        uuid: Uuid,
        client: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Contact, DirectoryError> {
        let stored = self.contact_entry(uuid).ok_or_else(|| DirectoryError::not_found("contact", uuid))?;
        if stored.is_deleted() {
            return Err(DirectoryError::conflict(format!("contact {uuid} is deleted")));
        }
        match client {
            Some(client) => {
                self.entry(client).ok_or_else(|| DirectoryError::not_found("client", client))?;
                if !stored.clients.contains(&client) {
                    return Err(DirectoryError::conflict(format!("contact {uuid} is not linked to client {client}")));
                }
                if let Some(entry) = self.entry_mut(client) {
                    entry.contacts.retain(|link| link.contact != uuid);
                    entry.modified = now;
                }
                if let Some(entry) = self.contact_entry_mut(uuid) {
                    entry.clients.retain(|linked| *linked != client);
                }
            }
            None => {
                let linked = stored.clients.clone();
                if let Some(entry) = self.contact_entry_mut(uuid) {
                    std::sync::Arc::make_mut(&mut entry.contact).is_deleted = Some(YesNo::Yes);
                }
                for client in linked {
                    self.touch(client, now);
                }
            }
        }
        self.contact_view(uuid, None)
    }

    /// `POST client.api/client/{uuid}/contacts`: links existing contacts to a client (one to
    /// [`MAX_CONTACTS_PER_LINK`]). Returns each linked contact's UUID, position and primary flag.
    pub(crate) fn link_contacts(
        &mut self,
        client: Uuid,
        items: Vec<ContactLinkItem>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Contact>, DirectoryError> {
        if items.is_empty() || items.len() > MAX_CONTACTS_PER_LINK {
            return Err(DirectoryError::invalid(format!(
                "between 1 and {MAX_CONTACTS_PER_LINK} contacts can be added at once, not {}",
                items.len()
            )));
        }
        self.live_entry(client)?;
        let mut links = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let uuid = item.uuid.ok_or_else(|| DirectoryError::invalid(format!("contact {index} needs a UUID")))?;
            let stored = self.contact_entry(uuid).ok_or_else(|| DirectoryError::not_found("contact", uuid))?;
            if stored.is_deleted() {
                return Err(DirectoryError::conflict(format!("contact {uuid} is deleted")));
            }
            links.push((uuid, item.position, item.is_primary.map(YesNo::is_yes)));
        }
        for (uuid, position, is_primary) in &links {
            self.link(client, *uuid, position.clone(), *is_primary);
        }
        self.touch(client, now);
        let linked = links
            .iter()
            .filter_map(|(uuid, _, _)| {
                let full = self.contact_for_client(*uuid, client)?;
                let mut reply = Contact::default();
                reply.uuid = full.uuid;
                reply.position = full.position;
                reply.is_primary = full.is_primary;
                Some(reply)
            })
            .collect();
        Ok(linked)
    }
}

/// Copies the body's contact fields onto `contact` and returns the link fields.
fn fill_contact(
    contact: &mut Contact,
    request: ContactRequest,
) -> Result<(Option<String>, Option<bool>), DirectoryError> {
    patch!(contact, request; name, salutation, addressee, mobile, email, phone,);
    if contact.name.as_deref().is_none_or(|name| name.trim().is_empty()) {
        return Err(DirectoryError::invalid("a contact needs a name"));
    }
    Ok((request.position, request.is_primary.map(YesNo::is_yes)))
}

//! The shapes a client takes on each endpoint, composed from the stored client and its links.
//!
//! - detailed (`get`, `list?detailed=true`, `search?detailed=true`, writes): everything;
//! - list (`list`, `search`): identity, addresses, flags, managers, type, billing client and
//!   `Contacts`, without notes, groups, relationships or tax fields;
//! - paged (`paged-list`): the list shape without `Contacts`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{Client, Contact};
use xpm_api::value::YesNo;

use super::book::{ClientEntry, Directory};

/// A page of items and the position the next page starts at, if there is one.
#[derive(Debug)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<Arc<T>>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<usize>,
}

impl Directory {
    /// A client in the detailed shape, with its contacts.
    pub fn detailed_client(&self, uuid: Uuid) -> Option<Client> {
        self.entry(uuid).map(|entry| self.detailed(entry))
    }

    /// A contact as seen from `client`: with `Position` and `IsPrimary` when the contact is
    /// linked to that client and not deleted.
    pub fn contact_for_client(&self, contact: Uuid, client: Uuid) -> Option<Contact> {
        let stored = self.contact_entry(contact)?;
        let link = self.entry(client)?.contacts.iter().find(|link| link.contact == contact)?;
        let mut contact = (*stored.contact).clone();
        if !stored.is_deleted() {
            contact.position = Some(link.position.clone());
            contact.is_primary = Some(YesNo::from(link.is_primary));
        }
        Some(contact)
    }

    /// `client.api/list`: every client, archived and deleted ones too, changed at or after
    /// `modified_since` when given.
    pub fn client_list(&self, detailed: bool, modified_since: Option<DateTime<Utc>>) -> Vec<Arc<Client>> {
        self.clients
            .iter()
            .filter(|entry| modified_since.is_none_or(|since| entry.modified >= since))
            .map(|entry| Arc::new(self.shaped(entry, detailed)))
            .collect()
    }

    /// `client.api/search`: clients that are not deleted whose name, email or client code
    /// contains `query`, ignoring case.
    pub fn search(&self, query: &str, detailed: bool) -> Vec<Arc<Client>> {
        let needle = query.trim().to_lowercase();
        let matches = |text: &Option<String>| text.as_deref().is_some_and(|text| text.to_lowercase().contains(&needle));
        self.clients
            .iter()
            .filter(|entry| !entry.is_deleted())
            .filter(|entry| {
                let client = &entry.client;
                matches(&client.name) || matches(&client.email) || matches(&client.client_code)
            })
            .map(|entry| Arc::new(self.shaped(entry, detailed)))
            .collect()
    }

    /// `client.api/paged-list`: up to `size` active clients from position `start`. The items
    /// are stored clients; reshape them with [`paged_shape`].
    pub fn active_client_page(&self, start: usize, size: usize) -> Page<Client> {
        let mut positions = self
            .clients
            .iter()
            .enumerate()
            .skip(start)
            .filter(|(_, entry)| !entry.is_archived() && !entry.is_deleted())
            .map(|(position, _)| position);
        let items: Vec<Arc<Client>> = positions
            .by_ref()
            .take(size)
            .filter_map(|position| self.clients.get(position))
            .map(|entry| Arc::clone(&entry.client))
            .collect();
        Page { items, next: positions.next() }
    }

    /// `client.api/contacts`: up to `size` contacts that are not deleted, from position
    /// `start`, without `Position`/`IsPrimary`.
    pub fn contact_page(&self, start: usize, size: usize) -> Page<Contact> {
        let mut positions = self
            .contacts
            .iter()
            .enumerate()
            .skip(start)
            .filter(|(_, entry)| !entry.is_deleted())
            .map(|(position, _)| position);
        let items: Vec<Arc<Contact>> = positions
            .by_ref()
            .take(size)
            .filter_map(|position| self.contacts.get(position))
            .map(|entry| Arc::clone(&entry.contact))
            .collect();
        Page { items, next: positions.next() }
    }

    pub(super) fn shaped(&self, entry: &ClientEntry, detailed: bool) -> Client {
        if detailed {
            return self.detailed(entry);
        }
        let mut client = paged_shape(&entry.client);
        client.contacts = Some(self.linked_contacts(entry));
        client
    }

    pub(super) fn detailed(&self, entry: &ClientEntry) -> Client {
        let mut client = (*entry.client).clone();
        client.contacts = Some(self.linked_contacts(entry));
        client
    }

    /// The client's contacts with their link fields; deleted contacts show only `IsDeleted`.
    fn linked_contacts(&self, entry: &ClientEntry) -> Vec<Contact> {
        entry
            .contacts
            .iter()
            .filter_map(|link| {
                let stored = self.contact_entry(link.contact)?;
                let mut contact = (*stored.contact).clone();
                if !stored.is_deleted() {
                    contact.position = Some(link.position.clone());
                    contact.is_primary = Some(YesNo::from(link.is_primary));
                }
                Some(contact)
            })
            .collect()
    }
}

/// The reduced shape of `client.api/paged-list` items: no contacts, notes, groups,
/// relationships, tax or bank fields.
pub fn paged_shape(client: &Client) -> Client {
    let mut shaped = Client::default();
    shaped.uuid = client.uuid;
    shaped.name.clone_from(&client.name);
    shaped.title.clone_from(&client.title);
    shaped.gender.clone_from(&client.gender);
    shaped.first_name.clone_from(&client.first_name);
    shaped.last_name.clone_from(&client.last_name);
    shaped.other_name.clone_from(&client.other_name);
    shaped.email.clone_from(&client.email);
    shaped.date_of_birth = client.date_of_birth;
    shaped.address.clone_from(&client.address);
    shaped.city.clone_from(&client.city);
    shaped.region.clone_from(&client.region);
    shaped.post_code.clone_from(&client.post_code);
    shaped.country.clone_from(&client.country);
    shaped.postal_address.clone_from(&client.postal_address);
    shaped.postal_city.clone_from(&client.postal_city);
    shaped.postal_region.clone_from(&client.postal_region);
    shaped.postal_post_code.clone_from(&client.postal_post_code);
    shaped.postal_country.clone_from(&client.postal_country);
    shaped.phone.clone_from(&client.phone);
    shaped.fax.clone_from(&client.fax);
    shaped.website.clone_from(&client.website);
    shaped.referral_source.clone_from(&client.referral_source);
    shaped.export_code.clone_from(&client.export_code);
    shaped.is_prospect = client.is_prospect;
    shaped.is_archived = client.is_archived;
    shaped.is_deleted = client.is_deleted;
    shaped.account_manager.clone_from(&client.account_manager);
    shaped.job_manager.clone_from(&client.job_manager);
    shaped.client_type.clone_from(&client.client_type);
    shaped.billing_client.clone_from(&client.billing_client);
    shaped.web_url.clone_from(&client.web_url);
    shaped
}

//! Adding, updating, archiving and deleting clients.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{AutoBasOptInCriteria, Client, Contact};
use xpm_api::request::{ClientAddRequest, ClientUpdateRequest};
use xpm_api::value::YesNo;

use super::book::Directory;
use super::client_fields::apply_client_request;
use super::error::DirectoryError;

impl Directory {
    /// `client.api/add`: a new client, with new contacts if the request lists any. Returns the
    /// client in the detailed shape.
    pub(crate) fn add_client(
        &mut self,
        mut request: ClientAddRequest,
        now: DateTime<Utc>,
    ) -> Result<Client, DirectoryError> {
        let uuid = Uuid::new_v4();
        let mut client = new_client(uuid, self.next_web_id);
        apply_client_request!(self, client, request)?;
        let contacts = request.contacts.take().unwrap_or_default();
        let mut new_contacts = Vec::with_capacity(contacts.len());
        for (index, item) in contacts.into_iter().enumerate() {
            let name = item.name.filter(|name| !name.trim().is_empty());
            let Some(name) = name else {
                return Err(DirectoryError::invalid(format!("contact {index} needs a name")));
            };
            let mut contact = Contact::default();
            contact.uuid = Some(Uuid::new_v4());
            contact.name = Some(name);
            contact.mobile = Some(item.mobile.unwrap_or_default());
            contact.email = Some(item.email.unwrap_or_default());
            contact.phone = Some(item.phone.unwrap_or_default());
            contact.salutation = Some(item.salutation.unwrap_or_default());
            contact.addressee = Some(item.addressee.unwrap_or_default());
            contact.is_deleted = Some(YesNo::No);
            new_contacts.push((contact, item.position, item.is_primary.map(YesNo::is_yes)));
        }
        self.next_web_id += 1;
        self.push_client(client, now);
        for (contact, position, is_primary) in new_contacts {
            let Some(contact_id) = contact.uuid else { continue };
            self.push_contact(contact);
            // Linking in order makes the last contact marked primary the primary one, as XPM
            // documents.
            self.link(uuid, contact_id, Some(position.unwrap_or_default()), Some(is_primary.unwrap_or(false)));
        }
        self.detailed_client(uuid).ok_or_else(|| DirectoryError::not_found("client", uuid))
    }

    /// `client.api/update`: fields left out stay, text fields sent empty are cleared. Deleted
    /// clients cannot be changed.
    pub(crate) fn update_client(
        &mut self,
        request: ClientUpdateRequest,
        now: DateTime<Utc>,
    ) -> Result<Client, DirectoryError> {
        let uuid = request.uuid.ok_or_else(|| DirectoryError::invalid("the client's UUID is required"))?;
        let entry = self.live_entry(uuid)?;
        let old_name = entry.client.name.clone();
        let mut client = (*entry.client).clone();
        apply_client_request!(self, client, request)?;
        let new_name = client.name.clone();
        if let Some(entry) = self.entry_mut(uuid) {
            entry.client = Arc::new(client);
            entry.modified = now;
        }
        if new_name != old_name {
            self.rename_client_references(uuid, new_name.as_deref().unwrap_or_default());
        }
        self.detailed_client(uuid).ok_or_else(|| DirectoryError::not_found("client", uuid))
    }

    /// `client.api/archive`: marks the client archived and returns it.
    pub(crate) fn archive_client(&mut self, uuid: Uuid, now: DateTime<Utc>) -> Result<Client, DirectoryError> {
        self.live_entry(uuid)?;
        if let Some(entry) = self.entry_mut(uuid) {
            Arc::make_mut(&mut entry.client).is_archived = Some(YesNo::Yes);
            entry.modified = now;
        }
        self.detailed_client(uuid).ok_or_else(|| DirectoryError::not_found("client", uuid))
    }

    /// `client.api/delete`: marks the client deleted. It stays in `client.api/list` with
    /// `IsDeleted` Yes, as on live XPM.
    pub(crate) fn delete_client(&mut self, uuid: Uuid, now: DateTime<Utc>) -> Result<(), DirectoryError> {
        self.live_entry(uuid)?;
        if let Some(entry) = self.entry_mut(uuid) {
            Arc::make_mut(&mut entry.client).is_deleted = Some(YesNo::Yes);
            entry.modified = now;
        }
        Ok(())
    }

    /// The client, unless it does not exist (not found) or is deleted (conflict).
    pub(super) fn live_entry(&self, uuid: Uuid) -> Result<&super::book::ClientEntry, DirectoryError> {
        let entry = self.entry(uuid).ok_or_else(|| DirectoryError::not_found("client", uuid))?;
        if entry.is_deleted() {
            return Err(DirectoryError::conflict(format!("client {uuid} is deleted")));
        }
        Ok(entry)
    }

    /// Other clients name this one as their billing client or in relationships; keep those
    /// names current.
    fn rename_client_references(&mut self, uuid: Uuid, name: &str) {
        for entry in &mut self.clients {
            let billed = entry.client.billing_client.as_ref().is_some_and(|billing| billing.uuid == Some(uuid));
            let related = entry.client.relationships.iter().flatten().any(|relationship| {
                relationship.related_client.as_ref().is_some_and(|related| related.uuid == Some(uuid))
            });
            if !billed && !related {
                continue;
            }
            let client = Arc::make_mut(&mut entry.client);
            for reference in client.billing_client.iter_mut().chain(
                client
                    .relationships
                    .iter_mut()
                    .flatten()
                    .filter_map(|relationship| relationship.related_client.as_mut()),
            ) {
                if reference.uuid == Some(uuid) {
                    reference.name = Some(name.to_owned());
                }
            }
        }
    }
}

/// A client as XPM creates it: every field of the detailed shape that XPM always writes is
/// present (empty or `No`), the rest appear once set.
fn new_client(uuid: Uuid, web_id: u64) -> Client {
    let empty = || Some(String::new());
    let no = Some(YesNo::No);
    let mut client = Client::default();
    client.uuid = Some(uuid);
    for field in [
        &mut client.email,
        &mut client.address,
        &mut client.city,
        &mut client.region,
        &mut client.post_code,
        &mut client.country,
        &mut client.postal_address,
        &mut client.postal_city,
        &mut client.postal_region,
        &mut client.postal_post_code,
        &mut client.postal_country,
        &mut client.phone,
        &mut client.fax,
        &mut client.website,
        &mut client.referral_source,
        &mut client.export_code,
        &mut client.tax_number,
        &mut client.company_number,
        &mut client.business_number,
        &mut client.branch_number,
        &mut client.business_structure,
    ] {
        *field = empty();
    }
    for flag in [
        &mut client.is_prospect,
        &mut client.is_archived,
        &mut client.is_deleted,
        &mut client.gst_registered,
        &mut client.prepare_gst,
        &mut client.signed_tax_authority,
        &mut client.prepare_activity_statement,
        &mut client.prepare_tax_return,
        &mut client.active_ato_client,
    ] {
        *flag = no;
    }
    client.agency_status = Some("Unlinked".to_owned());
    let mut auto_bas = AutoBasOptInCriteria::default();
    auto_bas.annually = no;
    auto_bas.monthly = no;
    auto_bas.quarterly = no;
    auto_bas.opt_out = Some(YesNo::Yes);
    client.auto_bas_opt_in_criteria = Some(auto_bas);
    client.notes = Some(Vec::new());
    client.groups = Some(Vec::new());
    client.relationships = Some(Vec::new());
    client.web_url = Some(format!("https://practicemanager.xero.com/Client/{web_id}/Detail"));
    client
}

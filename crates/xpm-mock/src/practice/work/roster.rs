//! What the work book reads from the directory: who the clients, their contacts and the staff
//! are. The directory owns them; jobs and time entries only refer to them by identifier and
//! copy their names.

use uuid::Uuid;
use xpm_api::model::NamedRef;

use super::ids::named;
use crate::practice::Directory;

/// A client as the work book sees it.
#[derive(Debug, Clone)]
pub(crate) struct RosterClient {
    /// Identifier and name.
    pub(crate) client: NamedRef,
    /// The client's primary (or first) contact, for the job's `Contact`.
    pub(crate) contact: Option<NamedRef>,
}

/// Read-only access to clients, contacts and staff.
pub(crate) trait Roster {
    /// Clients that may get new jobs (neither archived nor deleted), in directory order.
    fn active_clients(&self) -> Vec<RosterClient>;
    /// Every staff member, in directory order.
    fn all_staff(&self) -> Vec<NamedRef>;
    /// The client with identifier `uuid`, unless deleted.
    fn client_ref(&self, uuid: Uuid) -> Option<NamedRef>;
    /// The contact with identifier `uuid`, unless deleted.
    fn contact_ref(&self, uuid: Uuid) -> Option<NamedRef>;
    /// The staff member with identifier `uuid`.
    fn staff_ref(&self, uuid: Uuid) -> Option<NamedRef>;
}

impl Roster for Directory {
    fn active_clients(&self) -> Vec<RosterClient> {
        Directory::active_clients(self)
            .map(|client| {
                let contact = client.uuid.and_then(|uuid| {
                    self.client_contacts(uuid)
                        .find(|contact| !contact.is_deleted.is_some_and(|flag| flag.is_yes()))
                        .map(|contact| named(contact.uuid, contact.name.clone()))
                });
                RosterClient { client: named(client.uuid, client.name.clone()), contact }
            })
            .collect()
    }

    fn all_staff(&self) -> Vec<NamedRef> {
        self.staff().iter().map(|staff| named(staff.uuid, staff.name.clone())).collect()
    }

    fn client_ref(&self, uuid: Uuid) -> Option<NamedRef> {
        self.client(uuid)
            .filter(|client| !client.is_deleted.is_some_and(|flag| flag.is_yes()))
            .map(|client| named(client.uuid, client.name.clone()))
    }

    fn contact_ref(&self, uuid: Uuid) -> Option<NamedRef> {
        self.contact(uuid)
            .filter(|contact| !contact.is_deleted.is_some_and(|flag| flag.is_yes()))
            .map(|contact| named(contact.uuid, contact.name.clone()))
    }

    fn staff_ref(&self, uuid: Uuid) -> Option<NamedRef> {
        self.staff_member(uuid).map(|staff| named(staff.uuid, staff.name.clone()))
    }
}

/// A roster held in memory, for tests of the work book on its own.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(crate) struct FixedRoster {
    pub(crate) clients: Vec<RosterClient>,
    pub(crate) staff: Vec<NamedRef>,
}

#[cfg(test)]
impl FixedRoster {
    /// `clients` clients with one contact each and `staff` staff members.
    pub(crate) fn sized(clients: usize, staff: usize) -> Self {
        let clients = (0..clients)
            .map(|index| RosterClient {
                client: NamedRef::new(Uuid::from_u128(0x1000 + index as u128), format!("Client {index}")),
                contact: Some(NamedRef::new(Uuid::from_u128(0x2000 + index as u128), format!("Contact {index}"))),
            })
            .collect();
        let staff = (0..staff)
            .map(|index| NamedRef::new(Uuid::from_u128(0x3000 + index as u128), format!("Staff {index}")))
            .collect();
        Self { clients, staff }
    }
}

#[cfg(test)]
impl Roster for FixedRoster {
    fn active_clients(&self) -> Vec<RosterClient> {
        self.clients.clone()
    }

    fn all_staff(&self) -> Vec<NamedRef> {
        self.staff.clone()
    }

    fn client_ref(&self, uuid: Uuid) -> Option<NamedRef> {
        self.clients.iter().find(|client| client.client.uuid == Some(uuid)).map(|client| client.client.clone())
    }

    fn contact_ref(&self, uuid: Uuid) -> Option<NamedRef> {
        self.clients
            .iter()
            .filter_map(|client| client.contact.as_ref())
            .find(|contact| contact.uuid == Some(uuid))
            .cloned()
    }

    fn staff_ref(&self, uuid: Uuid) -> Option<NamedRef> {
        self.staff.iter().find(|staff| staff.uuid == Some(uuid)).cloned()
    }
}

//! Records with a local change waiting in the outbox: a pull must not overwrite them, or the
//! change would be lost or pushed against the wrong base ("pending sync").

use std::collections::HashSet;

use uuid::Uuid;
use xpm_api::model::{Client, Contact};
use xpm_store::{EntityKind, Store};

use crate::SyncError;

/// The keys of clients and contacts with a pending local change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pending {
    clients: HashSet<String>,
    contacts: HashSet<String>,
}

/// What protecting one batch left alone.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Protected {
    /// Clients left out of the batch.
    pub(crate) clients: u64,
    /// Contacts carried by clients of the batch whose stored copy was kept.
    pub(crate) contacts: u64,
}

impl Pending {
    /// Reads the keys from the outbox's `pending` and `sending` entries (a change waiting, or
    /// sent with an outcome not yet known: the pusher reads the record back once it knows).
    pub(crate) async fn read(store: &Store, tenant: Uuid) -> Result<Self, SyncError> {
        let lowercase = |keys: HashSet<String>| keys.into_iter().map(|key| key.to_ascii_lowercase()).collect();
        Ok(Self {
            clients: lowercase(store.pending_keys(tenant, EntityKind::Client).await?),
            contacts: lowercase(store.pending_keys(tenant, EntityKind::Contact).await?),
        })
    }

    /// Takes the clients with a pending change out of `batch`, and puts back the stored copy of
    /// each pending contact the others carry (keeping the link's position and primary flag, which
    /// belong to the client), so that storing the batch leaves them as they are.
    /// Whether nothing is pending: [`protect`](Self::protect) then leaves every batch as it is.
    pub(crate) fn is_empty(&self) -> bool {
        self.clients.is_empty() && self.contacts.is_empty()
    }

    pub(crate) async fn protect(
        &self,
        store: &Store,
        tenant: Uuid,
        batch: &mut Vec<Client>,
    ) -> Result<Protected, SyncError> {
        let mut protected = Protected::default();
        if self.is_empty() {
            return Ok(protected);
        }
        let before = batch.len();
        batch.retain(|client| !client.uuid.is_some_and(|uuid| self.clients.contains(&uuid.to_string())));
        protected.clients = (before - batch.len()) as u64;
        if self.contacts.is_empty() {
            return Ok(protected);
        }
        for client in batch.iter_mut() {
            for contact in client.contacts.iter_mut().flatten() {
                let Some(key) = contact.uuid.map(|uuid| uuid.to_string()) else { continue };
                if !self.contacts.contains(&key) {
                    continue;
                }
                let Some(stored) = store.get::<Contact>(tenant, EntityKind::Contact, &key).await? else { continue };
                let mut kept = stored.item;
                kept.position = contact.position.take();
                kept.is_primary = contact.is_primary.take();
                *contact = kept;
                protected.contacts += 1;
            }
        }
        Ok(protected)
    }
}

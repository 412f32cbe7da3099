//! Contacts (`client.api/contact*`): the token-paged list, get, add to a client, link existing
//! contacts, update, delete.

use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::{Client, Contact};
use xpm_api::request::{ClientAddContactsRequest, ContactRequest, ContactRequestClient};

use super::page::PagedBuilder;
use super::target::Target;
use crate::call::{Call, Format};
use crate::error::Error;

const LIST: OperationId = OperationId::ClientContacts;
const GET: OperationId = OperationId::ClientContactGet;
const ADD: OperationId = OperationId::ClientContactPost;
const UPDATE: OperationId = OperationId::ClientContactPut;
const DELETE: OperationId = OperationId::ClientContactDelete;
const LINK: OperationId = OperationId::ClientClientContact;

/// The contacts of one tenant, from [`XpmClient::contacts`](crate::XpmClient::contacts).
///
/// A contact's `position` and `is_primary` belong to its link with one client: scope the handler
/// with [`for_client`](Self::for_client) to read or change them.
#[derive(Debug, Clone)]
pub struct ContactsHandler {
    target: Target,
    client: Option<Uuid>,
}

impl ContactsHandler {
    pub(crate) fn new(target: Target) -> Self {
        Self { target, client: None }
    }

    /// Sends and answers in `format` (XML unless the client was built otherwise).
    #[must_use]
    pub fn format(self, format: Format) -> Self {
        Self { target: self.target.with_format(format), ..self }
    }

    /// Gets, updates and deletes the contact as a contact of client `uuid` (`clientUuid`).
    #[must_use]
    pub fn for_client(self, uuid: Uuid) -> Self {
        Self { client: Some(uuid), ..self }
    }

    /// Contacts that are not deleted, page by page (`ClientV31_Contacts`).
    pub fn paged(&self) -> PagedBuilder<Contact> {
        PagedBuilder::new(self.target.clone(), LIST)
    }

    /// One contact (`ClientV31_ContactGet`).
    pub async fn get(&self, uuid: Uuid) -> Result<Contact, Error> {
        let call = self.identified(GET, uuid)?;
        self.target.single(call).await
    }

    /// Creates a contact on client `client` and returns it (`ClientV31_ContactPost`). The
    /// request's own client, if it names one, must be the same.
    pub async fn add(&self, client: Uuid, contact: &ContactRequest) -> Result<Contact, Error> {
        let named = contact.client.as_ref().and_then(|named| named.uuid);
        if let Some(named) = named.filter(|named| *named != client) {
            return Err(Error::ConflictingTarget { operation: ADD, in_body: named, in_call: client });
        }
        let mut body = contact.clone();
        body.client = Some(ContactRequestClient::new(client));
        let call = self.target.call(ADD).body(&body)?;
        self.target.single(call).await
    }

    /// Links up to ten existing contacts to client `client` and returns the links as XPM made
    /// them: each contact's `uuid`, `position` and `is_primary` (`ClientV31_ClientContact`).
    pub async fn link(&self, client: Uuid, contacts: &ClientAddContactsRequest) -> Result<Vec<Contact>, Error> {
        let call = self.target.call(LINK).path_param("identifier", client.to_string());
        let answer: Client = self.target.single(call.body(contacts)?).await?;
        Ok(answer.contacts.unwrap_or_default())
    }

    /// Changes the fields the request sets and returns the contact (`ClientV31_ContactPut`).
    pub async fn update(&self, uuid: Uuid, contact: &ContactRequest) -> Result<Contact, Error> {
        let call = self.identified(UPDATE, uuid)?.body(contact)?;
        self.target.single(call).await
    }

    /// Deletes a contact (`ClientV31_ContactDelete`).
    pub async fn delete(&self, uuid: Uuid) -> Result<(), Error> {
        let call = self.identified(DELETE, uuid)?;
        self.target.single_opt::<Contact>(call).await.map(drop)
    }

    /// A call on contact `uuid`, with `clientUuid` when the handler is scoped to a client.
    fn identified(&self, operation: OperationId, uuid: Uuid) -> Result<Call, Error> {
        let call = self.target.call(operation).path_param("identifier", uuid.to_string());
        Ok(call.query_opt("clientUuid", self.client.map(|client| client.to_string())))
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
            (ADD, Some(ContactRequest::JSON_SCHEMA)),
            (UPDATE, Some(ContactRequest::JSON_SCHEMA)),
            (DELETE, None),
            (LINK, Some(ClientAddContactsRequest::JSON_SCHEMA)),
        ]);
    }
}

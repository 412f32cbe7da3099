//! Contacts (`client.api/contact*`): the token-paged list, get, add to a client, link existing
//! contacts, update, delete.

use xpm_api::catalog::OperationId;
use xpm_api::ids::{ClientId, ContactId};
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
/// with [`scoped_to_client`](Self::scoped_to_client) to read or change them.
#[derive(Debug, Clone)]
pub struct ContactsHandler {
    target: Target,
    client: Option<ClientId>,
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

    /// The same handler, getting, updating and deleting contacts as contacts of `client`
    /// (`clientUuid`), which reads and writes their `position` and `is_primary` there.
    ///
    /// ```no_run
    /// # async fn example(
    /// #     client: xpm_client::XpmClient,
    /// #     tenant: uuid::Uuid,
    /// #     (owner, contact): (xpm_api::ids::ClientId, xpm_api::ids::ContactId),
    /// # ) -> Result<(), xpm_client::Error> {
    /// let at_client = client.contacts(tenant).scoped_to_client(owner).get(contact).await?;
    /// println!("{:?}", at_client.position);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn scoped_to_client(self, client: ClientId) -> Self {
        Self { client: Some(client), ..self }
    }

    /// Contacts that are not deleted, page by page (`ClientV31_Contacts`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use futures_util::TryStreamExt;
    /// use xpm_api::model::Contact;
    ///
    /// let everyone: Vec<Contact> = client.contacts(tenant).paged().page_size(500).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn paged(&self) -> PagedBuilder<Contact> {
        PagedBuilder::new(self.target.clone(), LIST)
    }

    /// One contact (`ClientV31_ContactGet`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ContactId) -> Result<(), xpm_client::Error> {
    /// let contact = client.contacts(tenant).get(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: ContactId) -> Result<Contact, Error> {
        let call = self.identified(GET, id);
        self.target.single(call).await
    }

    /// Creates a contact on client `client` and returns it (`ClientV31_ContactPost`). The
    /// request's own client, if it names one, must be the same.
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, owner: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::ContactRequest;
    ///
    /// let request = ContactRequest::new("Ana Ruiz").position("Director");
    /// let added = client.contacts(tenant).add(owner, &request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add(&self, client: ClientId, contact: &ContactRequest) -> Result<Contact, Error> {
        let named = contact.client.as_ref().and_then(|named| named.uuid);
        if let Some(named) = named.filter(|named| *named != client.uuid()) {
            return Err(Error::ConflictingTarget { operation: ADD, in_body: named, in_call: client.uuid() });
        }
        let mut body = contact.clone();
        body.client = Some(ContactRequestClient::new(client));
        let call = self.target.call(ADD).body(&body)?;
        self.target.single(call).await
    }

    /// Links up to ten existing contacts to client `client` and returns the links as XPM made
    /// them: each contact's `uuid`, `position` and `is_primary` (`ClientV31_ClientContact`).
    ///
    /// ```no_run
    /// # async fn example(
    /// #     client: xpm_client::XpmClient,
    /// #     tenant: uuid::Uuid,
    /// #     (owner, contact): (xpm_api::ids::ClientId, xpm_api::ids::ContactId),
    /// # ) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::{ClientAddContactsRequest, ContactLinkItem};
    ///
    /// let request = ClientAddContactsRequest::new([ContactLinkItem::new(contact).position("Trustee")]);
    /// let links = client.contacts(tenant).link(owner, &request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn link(&self, client: ClientId, contacts: &ClientAddContactsRequest) -> Result<Vec<Contact>, Error> {
        let call = self.target.call(LINK).path_param("identifier", client.to_string());
        let answer: Client = self.target.single(call.body(contacts)?).await?;
        Ok(answer.contacts.unwrap_or_default())
    }

    /// Changes the fields the request sets and returns the contact (`ClientV31_ContactPut`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ContactId) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::ContactRequest;
    ///
    /// client.contacts(tenant).update(id, &ContactRequest::default().phone("+64 9 555 0100")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, id: ContactId, contact: &ContactRequest) -> Result<Contact, Error> {
        let call = self.identified(UPDATE, id).body(contact)?;
        self.target.single(call).await
    }

    /// Deletes a contact (`ClientV31_ContactDelete`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ContactId) -> Result<(), xpm_client::Error> {
    /// client.contacts(tenant).delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: ContactId) -> Result<(), Error> {
        let call = self.identified(DELETE, id);
        self.target.single_opt::<Contact>(call).await.map(drop)
    }

    /// A call on contact `id`, with `clientUuid` when the handler is scoped to a client.
    fn identified(&self, operation: OperationId, id: ContactId) -> Call {
        let call = self.target.call(operation).path_param("identifier", id.to_string());
        call.query_opt("clientUuid", self.client.map(|client| client.to_string()))
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

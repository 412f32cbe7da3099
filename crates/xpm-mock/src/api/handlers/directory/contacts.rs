//! `client.api` contact operations: the contact list, one contact, add, update, delete, and
//! linking existing contacts to a client.

use parking_lot::RwLock;
use xpm_api::model::Client;
use xpm_api::request::{ClientAddContactsRequest, ContactRequest};
use xpm_api::response::Envelope;

use super::paging::{Listing, page_request, pagination};
use super::support::uuid_query;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

/// `GET client.api/contacts[?pageSize=…][&pageToken=…]`: contacts that are not deleted,
/// without `Position`/`IsPrimary`.
pub(in crate::api::handlers) fn list(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let page = page_request(request, Listing::Contacts)?;
    let found = practice.read().directory.contact_page(page.start, page.size);
    let envelope = Envelope {
        pagination: Some(pagination(request, Listing::Contacts, page.size, found.next)),
        ..Envelope::default()
    };
    Ok(Reply::list(found.items, envelope, None))
}

/// `GET client.api/contact/{uuid}[?clientUuid=…]`.
pub(in crate::api::handlers) fn get(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let client = uuid_query(request, "clientUuid")?;
    let contact = practice.read().directory.contact_view(uuid, client)?;
    Ok(Reply::single(contact))
}

/// `POST client.api/contact`: a new contact on the client in `<Client><UUID>`.
pub(in crate::api::handlers) fn add(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let body: ContactRequest = request.decode_body()?;
    let contact = practice.write().directory.add_contact(body, request.now)?;
    Ok(Reply::single(contact))
}

/// `PUT client.api/contact/{uuid}[?clientUuid=…]`.
pub(in crate::api::handlers) fn update(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let client = uuid_query(request, "clientUuid")?;
    let body: ContactRequest = request.decode_body()?;
    let contact = practice.write().directory.update_contact(uuid, client, body, request.now)?;
    Ok(Reply::single(contact))
}

/// `DELETE client.api/contact/{uuid}[?clientUuid=…]`.
pub(in crate::api::handlers) fn delete(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let uuid = request.identifier_uuid()?;
    let client = uuid_query(request, "clientUuid")?;
    let contact = practice.write().directory.delete_contact(uuid, client, request.now)?;
    Ok(Reply::single(contact))
}

/// `POST client.api/client/{uuid}/contacts`: links up to ten existing contacts. The answer is
/// the client's UUID with each linked contact's UUID, position and primary flag.
pub(in crate::api::handlers) fn link(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let client = request.identifier_uuid()?;
    let body: ClientAddContactsRequest = request.decode_body()?;
    if body.uuid.is_some_and(|named| named != client) {
        return Err(ApiError::bad_request(format!("the body names another client than {client}")));
    }
    let contacts = body.contacts.unwrap_or_default();
    let linked = practice.write().directory.link_contacts(client, contacts, request.now)?;
    let mut reply = Client::default();
    reply.uuid = Some(client);
    reply.contacts = Some(linked);
    Ok(Reply::single(reply))
}

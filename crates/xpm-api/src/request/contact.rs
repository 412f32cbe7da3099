//! Contact bodies (`client.api/contact`, `client.api/client/{uuid}/contacts`).
//!
//! Deleting a contact is `DELETE client.api/contact/{uuid}` and has no body.

use crate::ids::{ClientId, ContactId};
use crate::value::{Uuid, YesNo};

xpm_request! {
    /// `POST client.api/contact` (create a contact on a client; `client` required) and
    /// `PUT client.api/contact/{uuid}` (update it). JSON: `ContactRequestDto`. The response is
    /// the contact.
    ///
    /// `Position` and `IsPrimary` belong to the link with `client`, so they can only be set for
    /// a contact linked to an existing client.
    pub struct ContactRequest {
        /// Full name.
        name: String = value "Name",
        /// Salutation.
        salutation: String = value "Salutation",
        /// Addressee.
        addressee: String = value "Addressee",
        /// Mobile.
        mobile: String = value "Mobile",
        /// Email.
        email: String = value "Email",
        /// Phone.
        phone: String = value "Phone",
        /// The client the contact belongs to (required when creating).
        client: ContactRequestClient = record "Client",
        /// Position at that client.
        position: String = value "Position",
        /// Whether this is that client's primary contact.
        is_primary: YesNo = value "IsPrimary",
    }
}

request_body!(ContactRequest, "Contact", "ContactRequestDto");

xpm_request! {
    /// The client a contact request refers to (`<Client><UUID/></Client>`). JSON:
    /// `ContactRequestClientDto`.
    pub struct ContactRequestClient {
        /// Client identifier.
        uuid: Uuid = value "UUID",
    }
}

impl ContactRequestClient {
    /// A reference to `client`.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { uuid: Some(client.into().uuid()) }
    }
}

xpm_request! {
    /// `POST client.api/client/{uuid}/contacts`: link up to 10 existing contacts to a client.
    /// JSON: `ClientAddContactsRequestDto`.
    ///
    /// The client is named in the path; `uuid` repeats it in JSON and is not written in XML
    /// examples, though it is accepted.
    pub struct ClientAddContactsRequest {
        /// The client (optional; the path names it).
        uuid: Uuid = value "UUID",
        /// The contacts to link.
        contacts: ContactLinkItem = list "Contacts" "Contact",
    }
}

request_body!(ClientAddContactsRequest, "Client", "ClientAddContactsRequestDto", requires contacts "Contacts" "contacts");

xpm_request! {
    /// An existing contact to link to a client. JSON: `ContactLinkItemDto`.
    pub struct ContactLinkItem {
        /// Contact identifier (required).
        uuid: Uuid = value "UUID",
        /// Position at the client.
        position: String = value "Position",
        /// Whether this becomes the client's primary contact.
        is_primary: YesNo = value "IsPrimary",
    }
}

impl ContactRequest {
    /// A contact called `name` (for an update, an empty request and the setters of the fields
    /// to change: `ContactRequest::default().phone("…")`).
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Self::default() }
    }
}

impl ClientAddContactsRequest {
    /// A request to link `contacts` (at most ten) to a client.
    pub fn new(contacts: impl IntoIterator<Item = ContactLinkItem>) -> Self {
        Self::default().contacts(contacts)
    }
}

impl ContactLinkItem {
    /// The existing contact `contact`, linked with no position.
    pub fn new(contact: impl Into<ContactId>) -> Self {
        Self { uuid: Some(contact.into().uuid()), ..Self::default() }
    }
}

//! Contact bodies (`client.api/contact`, `client.api/client/{uuid}/contacts`).
//!
//! Deleting a contact is `DELETE client.api/contact/{uuid}` and has no body.

use crate::value::{Uuid, YesNo};

xpm_record! {
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

xpm_record! {
    /// The client a contact request refers to (`<Client><UUID/></Client>`). JSON:
    /// `ContactRequestClientDto`.
    pub struct ContactRequestClient {
        /// Client identifier.
        uuid: Uuid = value "UUID",
    }
}

impl ContactRequestClient {
    /// A reference to the client `uuid`.
    pub fn new(uuid: Uuid) -> Self {
        Self { uuid: Some(uuid) }
    }
}

xpm_record! {
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

xpm_record! {
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

//! Client bodies (`client.api`): add, archive and delete. Update is in `client_update`.
//!
//! Requests spell some names differently from responses: `WebSite` (not `Website`), and the
//! staff and billing client go by UUID (`AccountManagerUUID`). `GSTPeriod` is a number of
//! months (1, 2 or 6) and `BalanceMonth` text (`Jan` or `1`), where responses give
//! `Monthly` and an integer.

use crate::ids::ClientId;
use crate::value::{Uuid, YesNo};

client_request! {
    /// `POST client.api/add`: a new client, optionally with new contacts. JSON:
    /// `ClientAddRequestDto`. The response is the client in its detailed shape.
    ///
    /// Fields after `billing_client_uuid` apply only when the practice-management module is
    /// enabled; the tax fields are NZ- or AU-specific as noted.
    ///
    /// ```
    /// use xpm_api::request::{ClientAddRequest, ContactInsertItem, RequestBody};
    ///
    /// let request = ClientAddRequest::new("Harbour Trust")
    ///     .email("office@harbour.example")
    ///     .phone("+64 9 555 0100")
    ///     .contacts([ContactInsertItem::new("Ana Ruiz").is_primary(true)]);
    /// assert!(request.to_xml().starts_with("<Client><Name>Harbour Trust</Name><Email>"));
    /// ```
    pub struct ClientAddRequest {}
    contacts {
        /// New contacts to create with the client. If several say `IsPrimary` Yes, the last wins.
        contacts: ContactInsertItem = list "Contacts" "Contact",
    }
}

request_body!(ClientAddRequest, "Client", "ClientAddRequestDto", requires name "Name" "name");

xpm_request! {
    /// A contact created together with a client. JSON: `ContactInsertItemDto`.
    pub struct ContactInsertItem {
        /// Name (required).
        name: String = value "Name",
        /// Whether this is the client's primary contact.
        is_primary: YesNo = value "IsPrimary",
        /// Salutation.
        salutation: String = value "Salutation",
        /// Addressee.
        addressee: String = value "Addressee",
        /// Phone.
        phone: String = value "Phone",
        /// Mobile.
        mobile: String = value "Mobile",
        /// Email.
        email: String = value "Email",
        /// Position at the client.
        position: String = value "Position",
    }
}

xpm_request! {
    /// `PUT client.api/archive`. JSON: `ClientArchiveRequestDto`. The response is the client.
    pub struct ClientArchiveRequest {
        /// The client to archive.
        uuid: Uuid = value "UUID",
    }
}

request_body!(ClientArchiveRequest, "Client", "ClientArchiveRequestDto", requires uuid "UUID" "uuid");

xpm_request! {
    /// `POST client.api/delete`. JSON: `ClientDeleteRequestDto`. The response is a status only.
    pub struct ClientDeleteRequest {
        /// The client to delete.
        uuid: Uuid = value "UUID",
    }
}

request_body!(ClientDeleteRequest, "Client", "ClientDeleteRequestDto", requires uuid "UUID" "uuid");

impl ClientAddRequest {
    /// A request to add a client called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Self::default() }
    }
}

impl ClientArchiveRequest {
    /// A request to archive `client`.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { uuid: Some(client.into().uuid()) }
    }
}

impl ClientDeleteRequest {
    /// A request to delete `client`.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { uuid: Some(client.into().uuid()) }
    }
}

impl ContactInsertItem {
    /// A new contact called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Self::default() }
    }
}

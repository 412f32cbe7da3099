//! `PUT client.api/update`: the add fields with the client's UUID, without contacts.

use crate::ids::ClientId;
use crate::value::Uuid;

client_request! {
    /// `PUT client.api/update`. JSON: `ClientUpdateRequestDto`. The response is the client in
    /// its detailed shape.
    ///
    /// XPM does not document whether an omitted element clears the field or leaves it; treat
    /// omitted as unchanged and send an empty element to clear text. `ExportCode` is in the
    /// OpenAPI though XPM's XML example leaves it out.
    pub struct ClientUpdateRequest {
        /// The client to update (required).
        uuid: Uuid = value "UUID",
    }
    contacts {}
}

request_body!(ClientUpdateRequest, "Client", "ClientUpdateRequestDto", requires uuid "UUID" "uuid");

impl ClientUpdateRequest {
    /// A request to update `client`; set the fields to change.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { uuid: Some(client.into().uuid()), ..Self::default() }
    }
}

//! Client relationship bodies (`client.api/addrelationship`, `updaterelationship`,
//! `deleterelationship`; practice-management module only).
//!
//! Unlike other request dates, `StartDate` and `EndDate` are `yyyy-MM-dd`
//! ([`XpmDate::date`]). All three operations answer with the relationship
//! (`ClientRelationshipResponseDto`).

use crate::ids::ClientId;
use crate::value::{Decimal, Uuid, XpmDate};

xpm_request! {
    /// `POST client.api/addrelationship`. JSON: `ClientRelationshipAddRequestDto`.
    pub struct ClientRelationshipAddRequest {
        /// The client the relationship belongs to (required).
        client_uuid: Uuid = value "ClientUUID",
        /// The other client (required).
        related_client_uuid: Uuid = value "RelatedClientUUID",
        /// Director, Shareholder, Trustee, Beneficiary, Partner, Settlor, Associate, Secretary,
        /// Public Officer, Husband, Wife, Spouse, Parent Of, Child Of, Appointer, Member, Auditor
        /// or Owner.
        #[serde(rename = "type")]
        relationship_type: String = value "Type",
        /// Shares held (Shareholder and Owner only).
        number_of_shares: i32 = value "NumberOfShares",
        /// Percentage (Partner only).
        percentage: Decimal = value "Percentage",
        /// Start date, `yyyy-MM-dd`.
        start_date: XpmDate = value "StartDate",
        /// End date, `yyyy-MM-dd`.
        end_date: XpmDate = value "EndDate",
    }
}

request_body!(
    ClientRelationshipAddRequest,
    "Relationship",
    "ClientRelationshipAddRequestDto",
    requires client_uuid "ClientUUID" "clientUuid",
    requires related_client_uuid "RelatedClientUUID" "relatedClientUuid"
);

xpm_request! {
    /// `PUT client.api/updaterelationship`. JSON: `ClientRelationshipUpdateRequestDto`.
    pub struct ClientRelationshipUpdateRequest {
        /// The relationship (required).
        uuid: Uuid = value "UUID",
        /// Shares held (Shareholder and Owner only).
        number_of_shares: i32 = value "NumberOfShares",
        /// Percentage (Partner only).
        percentage: Decimal = value "Percentage",
        /// Start date, `yyyy-MM-dd`.
        start_date: XpmDate = value "StartDate",
        /// End date, `yyyy-MM-dd`.
        end_date: XpmDate = value "EndDate",
    }
}

request_body!(
    ClientRelationshipUpdateRequest,
    "Relationship",
    "ClientRelationshipUpdateRequestDto",
    requires uuid "UUID" "uuid"
);

xpm_request! {
    /// `POST client.api/deleterelationship`. JSON: `ClientRelationshipDeleteRequestDto`.
    pub struct ClientRelationshipDeleteRequest {
        /// The relationship (required).
        uuid: Uuid = value "UUID",
    }
}

request_body!(
    ClientRelationshipDeleteRequest,
    "Relationship",
    "ClientRelationshipDeleteRequestDto",
    requires uuid "UUID" "uuid"
);

impl ClientRelationshipAddRequest {
    /// A relationship of `client` to `related`; set its type and the rest.
    pub fn new(client: impl Into<ClientId>, related: impl Into<ClientId>) -> Self {
        let (client, related) = (client.into().uuid(), related.into().uuid());
        Self { client_uuid: Some(client), related_client_uuid: Some(related), ..Self::default() }
    }
}

impl ClientRelationshipUpdateRequest {
    /// A request to update relationship `relationship`; set the fields to change.
    pub fn new(relationship: Uuid) -> Self {
        Self { uuid: Some(relationship), ..Self::default() }
    }
}

impl ClientRelationshipDeleteRequest {
    /// A request to delete relationship `relationship`.
    pub fn new(relationship: Uuid) -> Self {
        Self { uuid: Some(relationship) }
    }
}

//! Relationships between clients (`client.api/addrelationship`, `updaterelationship`,
//! `deleterelationship`). A relationship is recorded on the client it was added to.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::{NamedRef, Relationship};
use xpm_api::request::{ClientRelationshipAddRequest, ClientRelationshipUpdateRequest};
use xpm_api::value::XpmDate;

use super::book::Directory;
use super::client_fields::date_only;
use super::error::DirectoryError;
use crate::practice::patch::patch;

/// The relationship types XPM documents.
pub const RELATIONSHIP_TYPES: &[&str] = &[
    "Director",
    "Shareholder",
    "Trustee",
    "Beneficiary",
    "Partner",
    "Settlor",
    "Associate",
    "Secretary",
    "Public Officer",
    "Husband",
    "Wife",
    "Spouse",
    "Parent Of",
    "Child Of",
    "Appointer",
    "Member",
    "Auditor",
    "Owner",
];

/// A relationship with the client it is recorded on, as the relationship operations answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRelationship {
    /// The client the relationship belongs to.
    pub client: NamedRef,
    /// The relationship, naming the related client.
    pub relationship: Relationship,
}

impl Directory {
    /// `client.api/addrelationship`.
    pub(crate) fn add_relationship(
        &mut self,
        request: ClientRelationshipAddRequest,
        now: DateTime<Utc>,
    ) -> Result<ClientRelationship, DirectoryError> {
        let client = request.client_uuid.ok_or_else(|| DirectoryError::invalid("ClientUUID is required"))?;
        let related =
            request.related_client_uuid.ok_or_else(|| DirectoryError::invalid("RelatedClientUUID is required"))?;
        if client == related {
            return Err(DirectoryError::invalid("a client cannot be related to itself"));
        }
        self.live_entry(client)?;
        let related_name = self.live_entry(related)?.client.name.clone().unwrap_or_default();
        let given = request.relationship_type.unwrap_or_default();
        let relationship_type = RELATIONSHIP_TYPES
            .iter()
            .find(|known| known.eq_ignore_ascii_case(given.trim()))
            .ok_or_else(|| DirectoryError::invalid(format!("{given:?} is not a relationship type XPM knows")))?;
        let uuid = Uuid::new_v4();
        let mut relationship = Relationship::default();
        relationship.uuid = Some(uuid);
        relationship.relationship_type = Some((*relationship_type).to_owned());
        relationship.related_client = Some(NamedRef::new(related, related_name));
        set_terms(
            &mut relationship,
            request.number_of_shares,
            request.percentage,
            request.start_date,
            request.end_date,
        );
        if let Some(entry) = self.entry_mut(client) {
            Arc::make_mut(&mut entry.client).relationships.get_or_insert_with(Vec::new).push(relationship);
            entry.modified = now;
        }
        self.relationship_owner.insert(uuid, client);
        self.client_relationship(uuid)
    }

    /// `client.api/updaterelationship`: changes shares, percentage and dates.
    pub(crate) fn update_relationship(
        &mut self,
        request: ClientRelationshipUpdateRequest,
        now: DateTime<Utc>,
    ) -> Result<ClientRelationship, DirectoryError> {
        let uuid = request.uuid.ok_or_else(|| DirectoryError::invalid("the relationship's UUID is required"))?;
        let owner = self.owner(uuid)?;
        self.live_entry(owner)?;
        if let Some(entry) = self.entry_mut(owner) {
            let client = Arc::make_mut(&mut entry.client);
            let found = client.relationships.iter_mut().flatten().find(|relationship| relationship.uuid == Some(uuid));
            if let Some(relationship) = found {
                set_terms(
                    relationship,
                    request.number_of_shares,
                    request.percentage,
                    request.start_date,
                    request.end_date,
                );
            }
            entry.modified = now;
        }
        self.client_relationship(uuid)
    }

    /// `client.api/deleterelationship`: removes the relationship and returns it as it was.
    pub(crate) fn delete_relationship(
        &mut self,
        uuid: Uuid,
        now: DateTime<Utc>,
    ) -> Result<ClientRelationship, DirectoryError> {
        let removed = self.client_relationship(uuid)?;
        let owner = self.owner(uuid)?;
        if let Some(entry) = self.entry_mut(owner) {
            if let Some(relationships) = Arc::make_mut(&mut entry.client).relationships.as_mut() {
                relationships.retain(|relationship| relationship.uuid != Some(uuid));
            }
            entry.modified = now;
        }
        self.relationship_owner.remove(&uuid);
        Ok(removed)
    }

    /// A relationship and the client it is recorded on.
    pub fn client_relationship(&self, uuid: Uuid) -> Result<ClientRelationship, DirectoryError> {
        let owner = self.owner(uuid)?;
        let entry = self.entry(owner).ok_or_else(|| DirectoryError::not_found("relationship", uuid))?;
        let relationship =
            entry.client.relationships.iter().flatten().find(|relationship| relationship.uuid == Some(uuid));
        let relationship = relationship.ok_or_else(|| DirectoryError::not_found("relationship", uuid))?;
        Ok(ClientRelationship {
            client: NamedRef::new(owner, entry.client.name.clone().unwrap_or_default()),
            relationship: relationship.clone(),
        })
    }

    fn owner(&self, relationship: Uuid) -> Result<Uuid, DirectoryError> {
        self.relationship_owner
            .get(&relationship)
            .copied()
            .ok_or_else(|| DirectoryError::not_found("relationship", relationship))
    }
}

/// Shares apply to Shareholder and Owner relationships and percentages to Partner ones, as XPM
/// documents; values given for other types are ignored. Dates are `yyyy-MM-dd`.
fn set_terms(
    relationship: &mut Relationship,
    shares: Option<i32>,
    percentage: Option<xpm_api::value::Decimal>,
    start: Option<XpmDate>,
    end: Option<XpmDate>,
) {
    let kind = relationship.relationship_type.clone().unwrap_or_default();
    patch!(relationship;
        number_of_shares <- (shares.filter(|_| matches!(kind.as_str(), "Shareholder" | "Owner"))),
        percentage <- (percentage.filter(|_| kind == "Partner")),
        start_date <- (start) => date_only,
        end_date <- (end) => date_only,
    );
}

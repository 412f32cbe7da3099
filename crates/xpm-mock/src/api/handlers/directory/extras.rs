//! Client documents and client relationships.

use parking_lot::RwLock;
use serde_json::{Map, Value};
use xpm_api::model::NamedRef;
use xpm_api::request::{
    ClientDocumentRequest, ClientRelationshipAddRequest, ClientRelationshipDeleteRequest,
    ClientRelationshipUpdateRequest,
};
use xpm_api::response::Envelope;
use xpm_api::xml::{XmlRecord, XmlWriter, encode_value};

use super::support::required;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;
use crate::practice::directory::ClientRelationship;

/// `GET client.api/documents/{uuid}`.
pub(in crate::api::handlers) fn documents(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let client = request.identifier_uuid()?;
    let documents = practice.read().directory.documents(client)?;
    Ok(Reply::list(documents, Envelope::default(), None))
}

/// `POST client.api/document`: answers `{status, uuid}` (`UuidResponseDto`).
pub(in crate::api::handlers) fn add_document(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: ClientDocumentRequest = request.decode_body()?;
    let uuid = practice.write().directory.add_document(body, request.now)?;
    let mut xml = XmlWriter::new();
    xml.text_element("UUID", &uuid.to_string());
    let mut json = Map::new();
    json.insert("uuid".into(), Value::String(uuid.to_string()));
    Ok(Reply::fields(xml.into_string(), json))
}

/// `POST client.api/addrelationship`.
pub(in crate::api::handlers) fn add_relationship(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: ClientRelationshipAddRequest = request.decode_body()?;
    let relationship = practice.write().directory.add_relationship(body, request.now)?;
    Ok(relationship_reply(&relationship))
}

/// `PUT client.api/updaterelationship`.
pub(in crate::api::handlers) fn update_relationship(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: ClientRelationshipUpdateRequest = request.decode_body()?;
    let relationship = practice.write().directory.update_relationship(body, request.now)?;
    Ok(relationship_reply(&relationship))
}

/// `POST client.api/deleterelationship`: answers with the relationship as it was.
pub(in crate::api::handlers) fn delete_relationship(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let body: ClientRelationshipDeleteRequest = request.decode_body()?;
    let uuid = required(body.uuid, "UUID")?;
    let relationship = practice.write().directory.delete_relationship(uuid, request.now)?;
    Ok(relationship_reply(&relationship))
}

/// The relationship operations' answer, `clientRelationship` in JSON
/// (`ClientRelationshipDetailDto`) and `<ClientRelationship>` in XML.
fn relationship_reply(found: &ClientRelationship) -> Reply {
    let relationship = &found.relationship;
    let related = relationship.related_client.clone().unwrap_or_default();
    let mut type_ref = NamedRef::default();
    type_ref.name.clone_from(&relationship.relationship_type);

    let mut xml = XmlWriter::new();
    xml.start("ClientRelationship");
    encode_value("UUID", &relationship.uuid, &mut xml);
    found.client.encode_element("Client", &mut xml);
    related.encode_element("RelatedClient", &mut xml);
    type_ref.encode_element("RelationshipType", &mut xml);
    encode_value("NumberOfShares", &relationship.number_of_shares, &mut xml);
    encode_value("Percentage", &relationship.percentage, &mut xml);
    encode_value("StartDate", &relationship.start_date, &mut xml);
    encode_value("EndDate", &relationship.end_date, &mut xml);
    xml.end("ClientRelationship");

    let mut detail = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value.filter(|value| !value.is_null()) {
            detail.insert(key.to_owned(), value);
        }
    };
    put("uuid", relationship.uuid.map(|uuid| Value::String(uuid.to_string())));
    put("client", serde_json::to_value(&found.client).ok());
    put("relatedClient", serde_json::to_value(&related).ok());
    put("relationshipType", serde_json::to_value(&type_ref).ok());
    put("numberOfShares", relationship.number_of_shares.map(Value::from));
    put("percentage", relationship.percentage.and_then(|percentage| serde_json::to_value(percentage).ok()));
    put("startDate", relationship.start_date.map(|date| Value::String(date.to_string())));
    put("endDate", relationship.end_date.map(|date| Value::String(date.to_string())));
    let mut json = Map::new();
    json.insert("clientRelationship".into(), Value::Object(detail));
    Reply::fields(xml.into_string(), json)
}

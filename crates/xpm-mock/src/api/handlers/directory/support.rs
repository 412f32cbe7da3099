//! What every directory handler shares: reading identifiers and mapping errors.

use uuid::Uuid;

use crate::api::{ApiError, ApiRequest};
use crate::practice::directory::DirectoryError;

impl From<DirectoryError> for ApiError {
    fn from(error: DirectoryError) -> Self {
        let description = error.to_string();
        match error {
            DirectoryError::NotFound { .. } => ApiError::not_found(description),
            DirectoryError::Conflict(_) => ApiError::conflict(description),
            DirectoryError::Invalid(_) => ApiError::bad_request(description),
        }
    }
}

/// An optional UUID query parameter such as `clientUuid`; an unparsable one is a 400.
pub(super) fn uuid_query(request: &ApiRequest, name: &str) -> Result<Option<Uuid>, ApiError> {
    match request.query(name).map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => Uuid::try_parse(text)
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{name} '{text}' is not a valid identifier"))),
    }
}

/// A UUID the body must carry (the decoder already refuses bodies without it).
pub(super) fn required(uuid: Option<Uuid>, element: &str) -> Result<Uuid, ApiError> {
    uuid.ok_or_else(|| ApiError::bad_request(format!("missing element <{element}>")))
}

//! What every directory handler shares: decoding bodies, reading identifiers, mapping errors.

use uuid::Uuid;
use xpm_api::request::RequestBody;

use crate::api::{ApiError, ApiRequest, Format};
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

/// Decodes the request body in the negotiated format. A body that does not decode is a 400
/// naming the element path and byte offset of the problem.
pub(super) fn decode<T: RequestBody>(request: &ApiRequest) -> Result<T, ApiError> {
    let (decoded, form) = match request.body_format {
        Format::Xml => (T::from_xml(&request.body), format!("<{}> XML", T::ROOT)),
        Format::Json => (T::from_json(&request.body), format!("{} JSON", T::JSON_SCHEMA)),
    };
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(format!("the request needs a {form} body")));
    }
    decoded.map_err(|error| ApiError::bad_request(format!("invalid {form} body: {error}")))
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

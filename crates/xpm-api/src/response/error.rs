//! Errors from reading an XPM response body.

use crate::xml::DecodeError;

/// XPM answered `<Status>ERROR</Status>` (JSON `"status":"ERROR"`), whatever the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("xpm returned an error: {description}")]
pub struct XpmError {
    /// The `ErrorDescription` text, empty if XPM gave none.
    pub description: String,
}

/// Why a response body did not yield the expected data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The body is well formed and says the request failed.
    #[error(transparent)]
    Xpm(#[from] XpmError),
    /// The body could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl ResponseError {
    /// The decoding error, if this is one.
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match self {
            Self::Decode(error) => Some(error),
            Self::Xpm(_) => None,
        }
    }
}

//! Response bodies: the XML and JSON envelopes, streaming lists, and XPM's own error status.

mod error;
mod pagination;
mod resource;
mod xml;

pub use error::{ResponseError, XpmError};
pub use pagination::{Pagination, PaginationLinks};
pub use resource::{Names, Resource};
pub use xml::{Envelope, Single, XmlList, decode_single, decode_status};

//! Response bodies: the XML and JSON envelopes, streaming lists, and XPM's own error status.

mod error;
mod json;
mod json_body;
pub(crate) mod json_chars;
mod json_stream;
mod pagination;
mod payload;
mod resource;
mod write;
mod xml;

pub use error::{ResponseError, XpmError};
pub use json::{decode_list_json, decode_single_json, decode_status_json};
pub use json_stream::{JsonListError, stream_list_json};
pub use pagination::{Pagination, PaginationLinks};
pub use payload::{Payload, PayloadVisitor, Shape};
pub use resource::{Names, Resource};
pub use write::{
    JsonListWriter, XmlListWriter, encode_error_json, encode_error_xml, encode_single_json, encode_single_xml,
    encode_status_json, encode_status_xml, xml_list_head, xml_list_tail,
};
pub use xml::{Envelope, Single, XmlList, decode_single, decode_status};

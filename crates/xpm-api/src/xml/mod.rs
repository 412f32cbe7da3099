//! The XML codec: a streaming reader, a writer, and the traits model types implement.

#[macro_use]
mod macros;
mod codec;
pub(crate) mod error;
mod reader;
mod unparsed;
mod writer;

pub use codec::{
    XmlRecord, XmlValue, decode_list, decode_record, decode_value, encode_list, encode_record, encode_value,
};
pub use error::{DecodeError, DecodeErrorKind};
pub use reader::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_UNPARSED, XmlReader};
pub(crate) use reader::{first_forbidden, first_forbidden_at};
pub use unparsed::Unparsed;
pub use writer::XmlWriter;

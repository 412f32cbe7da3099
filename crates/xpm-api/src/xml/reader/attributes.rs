//! The attributes of the element just opened: checked once when it is opened, kept raw for
//! the few that are read.

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;

use super::text::first_forbidden;
use super::{MAX_ATTRIBUTES, quick_xml_error};
use crate::xml::error::{DecodeError, DecodeErrorKind};

/// Keeps an opened element's raw attributes (usually there are none), once checked.
#[inline]
pub(super) fn remember_attributes(
    start: &BytesStart<'_>,
    attributes: &mut String,
    offset: u64,
) -> Result<(), DecodeError> {
    attributes.clear();
    let raw = start.attributes_raw();
    if raw.is_empty() {
        return Ok(());
    }
    check_attributes(start, offset)?;
    attributes.push_str(raw);
    Ok(())
}

/// Checks every attribute of a start tag: well-formed, no name twice, no more than
/// [`MAX_ATTRIBUTES`], and no character XML 1.0 forbids in a value, written or referenced.
///
/// The count is checked as the attributes are read, so no more than `MAX_ATTRIBUTES + 1` of
/// them are ever looked at: the work per tag is bounded by a constant whatever the input, even
/// with a quadratic duplicate check (RUSTSEC-2026-0194, fixed in quick-xml 0.41).
#[cold]
#[inline(never)]
fn check_attributes(start: &BytesStart<'_>, offset: u64) -> Result<(), DecodeError> {
    for (index, attribute) in start.attributes().enumerate() {
        if index == MAX_ATTRIBUTES {
            let element = start.local_name().into_inner().to_owned();
            return Err(DecodeError::new(
                DecodeErrorKind::TooManyAttributes { element, limit: MAX_ATTRIBUTES },
                offset,
            ));
        }
        let attribute = attribute.map_err(|error| {
            DecodeError::new(DecodeErrorKind::Malformed(quick_xml::Error::InvalidAttr(error)), offset)
        })?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| DecodeError::new(quick_xml_error(error), offset))?;
        if let Some(code_point) = first_forbidden(value.as_bytes()) {
            return Err(DecodeError::new(DecodeErrorKind::ForbiddenCharacter { code_point }, offset));
        }
    }
    Ok(())
}

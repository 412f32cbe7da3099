//! Strict decoding of an answer with xpmkit's models: the contract check that every field XPM
//! sends is one the models read, in the form they expect. The items come back as JSON values
//! so later checks can take ids from them.

use xpm_api::catalog::Operation;
use xpm_api::response::{
    Payload, PayloadVisitor, Resource, XmlList, decode_list_json, decode_single, decode_single_json, decode_status,
    decode_status_json,
};

/// The body's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    Xml,
    Json,
}

/// Decodes `body` as `operation`'s answer, strictly; the items as JSON values (a single item is
/// a list of one; a status answer has none).
pub(crate) fn decode_strict(
    operation: &Operation,
    format: BodyFormat,
    body: &[u8],
) -> Result<Vec<serde_json::Value>, String> {
    let payload = Payload::for_operation(operation)
        .ok_or_else(|| format!("xpmkit has no model for {} ({})", operation.id, operation.response_dto))?;
    payload.visit(Strict { format, body })
}

struct Strict<'a> {
    format: BodyFormat,
    body: &'a [u8],
}

fn to_values<T: Resource>(items: &[T]) -> Result<Vec<serde_json::Value>, String> {
    items.iter().map(|item| serde_json::to_value(item).map_err(|error| error.to_string())).collect()
}

impl PayloadVisitor for Strict<'_> {
    type Output = Result<Vec<serde_json::Value>, String>;

    fn list<T: Resource>(self) -> Self::Output {
        let items = match self.format {
            BodyFormat::Xml => XmlList::<_, T>::new(self.body).collect_all().map(|(items, _)| items),
            BodyFormat::Json => decode_list_json::<T>(self.body).map(|(items, _)| items),
        }
        .map_err(|error| error.to_string())?;
        to_values(&items)
    }

    fn single<T: Resource>(self) -> Self::Output {
        let single = match self.format {
            BodyFormat::Xml => decode_single::<T, _>(self.body),
            BodyFormat::Json => decode_single_json::<T>(self.body),
        }
        .map_err(|error| error.to_string())?;
        to_values(single.item.as_slice())
    }

    fn status(self) -> Self::Output {
        match self.format {
            BodyFormat::Xml => decode_status(self.body),
            BodyFormat::Json => decode_status_json(self.body),
        }
        .map_err(|error| error.to_string())?;
        Ok(Vec::new())
    }
}

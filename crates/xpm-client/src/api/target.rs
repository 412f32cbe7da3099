//! What every handler shares: the client, the tenant and the format, and the three ways an answer
//! is read (a list, one item, a status).

use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::request::RequestBody;
use xpm_api::response::{Envelope, Resource};
use xpm_api::xml::{DecodeError, DecodeErrorKind};

use crate::call::{Call, Format};
use crate::client::XpmClient;
use crate::error::Error;
use crate::stream::ItemStream;

/// Who is called, for which tenant, in which format. Cheap to clone: the client is an `Arc`.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    client: XpmClient,
    tenant: Uuid,
    format: Option<Format>,
}

impl Target {
    pub(crate) fn new(client: &XpmClient, tenant: Uuid) -> Self {
        Self { client: client.clone(), tenant, format: None }
    }

    /// The same target, sending and answering in `format` instead of the client's default.
    pub(crate) fn with_format(self, format: Format) -> Self {
        Self { format: Some(format), ..self }
    }

    /// A call to `operation` for this tenant, in this target's format.
    pub(crate) fn call(&self, operation: OperationId) -> Call {
        let call = Call::new(operation, self.tenant);
        match self.format {
            Some(format) => call.format(format),
            None => call,
        }
    }

    /// Sends `call` and reads a list of `T`, with the envelope around it.
    pub(crate) async fn list<T: Resource>(&self, call: Call) -> Result<(Vec<T>, Envelope), Error> {
        self.client.send(call).await?.list::<T>()
    }

    /// Sends `call` and yields its list of `T` while the body downloads.
    pub(crate) async fn stream<T: Resource + Send + 'static>(&self, call: Call) -> Result<ItemStream<T>, Error> {
        self.client.send_stream(call).await
    }

    /// Sends `call` and reads the one `T` it must answer with.
    pub(crate) async fn single<T: Resource>(&self, call: Call) -> Result<T, Error> {
        let operation = call.operation().id;
        self.single_opt(call).await?.ok_or_else(|| missing_item::<T>(operation))
    }

    /// Gets the one `T` that `operation` finds by its `{identifier}`.
    pub(crate) async fn by_identifier<T: Resource>(
        &self,
        operation: OperationId,
        identifier: Uuid,
    ) -> Result<T, Error> {
        self.single(self.call(operation).path_param("identifier", identifier.to_string())).await
    }

    /// Sends `body` to `operation` and reads the one `T` it answers with.
    pub(crate) async fn write<B: RequestBody, T: Resource>(
        &self,
        operation: OperationId,
        body: &B,
    ) -> Result<T, Error> {
        self.single(self.call(operation).body(body)?).await
    }

    /// Sends `call` and reads the `T` it may answer with (some writes answer with a status only).
    pub(crate) async fn single_opt<T: Resource>(&self, call: Call) -> Result<Option<T>, Error> {
        Ok(self.client.send(call).await?.single::<T>()?.item)
    }

    /// Sends `call` and reads a status-only answer.
    pub(crate) async fn status(&self, call: Call) -> Result<Envelope, Error> {
        self.client.send(call).await?.envelope()
    }
}

/// An OK answer without the item the operation promises.
fn missing_item<T: Resource>(operation: OperationId) -> Error {
    let source = DecodeError::new(DecodeErrorKind::MissingElement(T::ITEM.xml), 0).within("Response");
    Error::Decode { operation, source }
}

/// Checks, for a handler's unit tests, that each operation takes the body the handler sends
/// (`None`: no body).
#[cfg(test)]
pub(crate) fn assert_bodies(expected: &[(OperationId, Option<&str>)]) {
    for (id, body) in expected {
        assert_eq!(id.operation().request_dto, *body, "{id} takes another body");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_item_names_the_element() {
        let error = missing_item::<xpm_api::model::Client>(OperationId::ClientGetByIdentifier);
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("missing element <Client> at Response (byte 0)"));
    }
}

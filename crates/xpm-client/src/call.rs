//! One XPM call as data ([`Call`]), and its answer ([`Response`]) with the decoders that turn
//! it into models, an envelope, or JSON.

use bytes::Bytes;
use uuid::Uuid;
use xpm_api::catalog::{self, Operation, OperationId};
use xpm_api::request::RequestBody;
use xpm_api::response::{
    Envelope, JsonListWriter, Payload, PayloadVisitor, Resource, ResponseError, Single, XmlList, decode_list_json,
    decode_single, decode_single_json, decode_status, decode_status_json, encode_single_json, encode_status_json,
};

use crate::error::{Error, ParameterLocation};
use crate::governor::Remaining;

/// The body format of requests and answers. XPM answers XML unless asked for JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// XPM's default: XML both ways.
    #[default]
    Xml,
    /// JSON both ways (`Accept: application/json` with `Xero-Features: practice-strict-content-type`,
    /// which XPM 3.1 needs before it answers JSON).
    Json,
}

impl Format {
    /// The `Content-Type` of a request body in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xml => "text/xml",
            Self::Json => "application/json",
        }
    }
}

/// A request body, encoded both ways so the call's format can be chosen after it is attached.
#[derive(Debug, Clone)]
enum EncodedBody {
    Both { xml: Bytes, json: Bytes },
    Raw { bytes: Bytes, format: Format },
}

/// One call to an XPM operation: the operation, the tenant, the parameters and the body.
#[derive(Debug, Clone)]
pub struct Call {
    pub(crate) operation: &'static Operation,
    pub(crate) tenant: Uuid,
    path: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    body: Option<EncodedBody>,
    pub(crate) format: Option<Format>,
    /// Whether an XML list answer is decoded tolerantly (see [`Call::tolerant`]).
    pub(crate) tolerant: bool,
}

impl Call {
    /// A call to `operation` for `tenant`.
    pub fn new(operation: OperationId, tenant: Uuid) -> Self {
        Self {
            operation: operation.operation(),
            tenant,
            path: Vec::new(),
            query: Vec::new(),
            body: None,
            format: None,
            tolerant: false,
        }
    }

    /// A call to the operation whose spec id is `operation_id` (e.g. `ClientV31_List`), for ids
    /// that arrive as text (command lines, configuration); code names them with [`OperationId`].
    pub fn by_id(operation_id: &str, tenant: Uuid) -> Result<Self, Error> {
        let operation = catalog::lookup(operation_id).map_err(Error::from_catalog)?;
        Ok(Self::new(operation.id, tenant))
    }

    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The tenant.
    pub fn tenant(&self) -> Uuid {
        self.tenant
    }

    /// Fills a `{placeholder}` of the path.
    pub fn path_param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.path.push((name.to_owned(), value.into()));
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Attaches a typed request body, checking first that it is the body the operation takes
    /// and that its required fields are there.
    pub fn body<B: RequestBody>(mut self, body: &B) -> Result<Self, Error> {
        if self.operation.request_dto != Some(B::JSON_SCHEMA) {
            return Err(Error::WrongBody {
                operation: self.operation.id,
                expected: self.operation.request_dto,
                got: B::JSON_SCHEMA,
            });
        }
        if let Some(missing) = body.missing() {
            return Err(Error::MissingField {
                operation: self.operation.id,
                body: B::ROOT,
                element: missing.xml,
                key: missing.json,
            });
        }
        self.body = Some(EncodedBody::Both { xml: Bytes::from(body.to_xml()), json: Bytes::from(body.to_json()) });
        Ok(self)
    }

    /// Attaches a body already encoded in `format`; the call is then sent in that format.
    pub fn raw_body(mut self, bytes: impl Into<Bytes>, format: Format) -> Self {
        self.body = Some(EncodedBody::Raw { bytes: bytes.into(), format });
        self.format = Some(format);
        self
    }

    /// Sends and answers in `format` instead of the client's default.
    pub fn format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// Decodes an XML list answer tolerantly: a value XPM sends in a form the model does not
    /// expect leaves its field unset and is kept on the item (`unparsed()`, `_unparsed` in its
    /// JSON) instead of failing the list (see [`XmlList::tolerant`]). A body that is not
    /// well-formed still fails. JSON answers are always decoded strictly.
    pub fn tolerant(mut self, tolerant: bool) -> Self {
        self.tolerant = tolerant;
        self
    }

    /// The path below the API base, with the query string.
    pub(crate) fn path_and_query(&self) -> Result<String, Error> {
        let params: Vec<(&str, &str)> = self.path.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        let mut path = catalog::url_path(self.operation, &params).map_err(Error::from_catalog)?;
        if let Some(missing) =
            self.operation.required_query().find(|name| !self.query.iter().any(|(key, _)| key == name))
        {
            return Err(Error::MissingParameter {
                operation: self.operation.id,
                location: ParameterLocation::Query,
                name: missing,
            });
        }
        if !self.query.is_empty() {
            path.push('?');
            // Pairs of strings always encode; an error here would be a bug in serde_urlencoded.
            let query = serde_urlencoded::to_string(&self.query)
                .map_err(|error| Error::Internal { what: format!("encoding the query string: {error}") })?;
            path.push_str(&query);
        }
        Ok(path)
    }

    /// The body in `format`, and its content type.
    pub(crate) fn encoded_body(&self, format: Format) -> Option<(Bytes, &'static str)> {
        match self.body.as_ref()? {
            EncodedBody::Both { xml, json } => Some(match format {
                Format::Xml => (xml.clone(), Format::Xml.content_type()),
                Format::Json => (json.clone(), Format::Json.content_type()),
            }),
            EncodedBody::Raw { bytes, format } => Some((bytes.clone(), format.content_type())),
        }
    }
}

/// A successful HTTP answer (2xx) whose envelope did not say `ERROR` up front. Decode it with
/// the method matching the operation's payload.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) operation: &'static Operation,
    pub(crate) status: u16,
    pub(crate) format: Format,
    pub(crate) body: Bytes,
    pub(crate) remaining: Remaining,
    pub(crate) attempts: u32,
    pub(crate) tolerant: bool,
}

impl Response {
    /// The operation answered.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The limits the server reported with this answer.
    pub fn remaining(&self) -> Remaining {
        self.remaining
    }

    /// How many attempts the call took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The XML list over `body`, tolerant when the call asked.
    fn xml_list<'a, T: Resource>(&self, body: &'a [u8]) -> XmlList<&'a [u8], T> {
        let list = XmlList::new(body);
        if self.tolerant { list.tolerant() } else { list }
    }

    fn fail(&self, error: ResponseError) -> Error {
        response_error(self.operation, self.status, error)
    }

    /// Decodes a list of `T`.
    pub fn list<T: Resource>(&self) -> Result<(Vec<T>, Envelope), Error> {
        match self.format {
            Format::Xml => self.xml_list(&self.body[..]).collect_all(),
            Format::Json => decode_list_json::<T>(&self.body),
        }
        .map_err(|error| self.fail(error))
    }

    /// Streams a list of `T` from the body item by item (XML), without a second copy of the list.
    pub fn iter<T: Resource + 'static>(&self) -> impl Iterator<Item = Result<T, Error>> + '_ {
        let mut decoded: Box<dyn Iterator<Item = Result<T, ResponseError>> + '_> = match self.format {
            Format::Xml => Box::new(self.xml_list(&self.body[..])),
            Format::Json => match decode_list_json::<T>(&self.body) {
                Ok((items, _)) => Box::new(items.into_iter().map(Ok)),
                Err(error) => Box::new(std::iter::once(Err(error))),
            },
        };
        std::iter::from_fn(move || decoded.next().map(|item| item.map_err(|error| self.fail(error))))
    }

    /// Decodes a single `T`.
    pub fn single<T: Resource>(&self) -> Result<Single<T>, Error> {
        match self.format {
            Format::Xml => decode_single::<T, _>(&self.body[..]),
            Format::Json => decode_single_json::<T>(&self.body),
        }
        .map_err(|error| self.fail(error))
    }

    /// Decodes a status-only answer (with the `UUID` or `ID` a write returned).
    pub fn envelope(&self) -> Result<Envelope, Error> {
        match self.format {
            Format::Xml => decode_status(&self.body[..]),
            Format::Json => decode_status_json(&self.body),
        }
        .map_err(|error| self.fail(error))
    }

    /// Decodes whatever the operation returns and writes it in XPM's JSON shape
    /// (`{"status":"OK","clients":[…]}`), from XML or JSON alike.
    pub fn to_json(&self) -> Result<serde_json::Value, Error> {
        let payload = Payload::for_operation(self.operation)
            .ok_or(Error::NoModel { operation: self.operation.id, dto: self.operation.response_dto })?;
        let json = payload.visit(ToJson(self))?;
        serde_json::from_slice(&json).map_err(|source| Error::DecodeJson { operation: self.operation.id, source })
    }

    /// Whether the body opens with `<Status>ERROR</Status>` (or `"status":"ERROR"`): XPM writes
    /// the status first, so the first few kilobytes tell without reading a long list.
    pub(crate) fn error_up_front(&self) -> Option<Error> {
        let head = &self.body[..self.body.len().min(4096)];
        let says_error = match self.format {
            Format::Xml => contains_status_error(head, b"<Status>", b"</Status>"),
            Format::Json => contains_status_error(head, b"\"status\"", b","),
        };
        if !says_error {
            return None;
        }
        self.envelope().err()
    }
}

/// A body's failure as the caller sees it: XPM's own error, or a decoding failure.
pub(crate) fn response_error(operation: &'static Operation, status: u16, error: ResponseError) -> Error {
    match error {
        ResponseError::Xpm(xpm) => Error::Xpm { operation: operation.id, status, description: xpm.description },
        ResponseError::Decode(source) => Error::Decode { operation: operation.id, source },
        other => Error::Internal { what: format!("{}: an unexpected kind of response error: {other}", operation.id) },
    }
}

fn contains_status_error(head: &[u8], open: &[u8], close: &[u8]) -> bool {
    let Some(start) = head.windows(open.len()).position(|window| window == open) else { return false };
    let rest = &head[start + open.len()..];
    let end = rest.windows(close.len()).position(|window| window == close).unwrap_or(rest.len());
    let value = &rest[..end];
    value.windows(5).any(|window| window.eq_ignore_ascii_case(b"ERROR"))
}

/// Re-encodes any payload as XPM's JSON.
struct ToJson<'a>(&'a Response);

impl PayloadVisitor for ToJson<'_> {
    type Output = Result<Vec<u8>, Error>;

    fn list<T: Resource>(self) -> Self::Output {
        let (items, envelope) = self.0.list::<T>()?;
        // Writing into a Vec fails only on a bug in the encoder.
        let internal = |error: std::io::Error| Error::Internal { what: format!("re-encoding as json: {error}") };
        let mut writer = JsonListWriter::<_, T>::start(Vec::new()).map_err(internal)?;
        for item in &items {
            writer.push(item).map_err(internal)?;
        }
        writer.finish(&envelope).map_err(internal)
    }

    fn single<T: Resource>(self) -> Self::Output {
        let single = self.0.single::<T>()?;
        Ok(match &single.item {
            Some(item) => encode_single_json(item, &single.envelope),
            None => encode_status_json(&single.envelope),
        })
    }

    fn status(self) -> Self::Output {
        Ok(encode_status_json(&self.0.envelope()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_read_from_the_head_of_the_body() {
        let error = b"<Response><Status>ERROR</Status><ErrorDescription>No</ErrorDescription></Response>";
        let ok = b"<Response api-method=\"List\"><Status>OK</Status><Clients/></Response>";
        assert!(contains_status_error(error, b"<Status>", b"</Status>"));
        assert!(!contains_status_error(ok, b"<Status>", b"</Status>"));
        assert!(contains_status_error(br#"{"status": "ERROR","errorDescription":"x"}"#, b"\"status\"", b","));
        assert!(!contains_status_error(br#"{"status":"OK","clients":[{"name":"ERROR"}]}"#, b"\"status\"", b","));
    }

    #[test]
    fn a_missing_required_query_parameter_is_named() {
        let call = Call::new(OperationId::JobList, Uuid::nil()).query("from", "20260101");
        let error = call.path_and_query().expect_err("`to` is missing");
        assert!(
            matches!(
                error,
                Error::MissingParameter {
                    operation: OperationId::JobList,
                    location: ParameterLocation::Query,
                    name: "to"
                }
            ),
            "{error:?}"
        );
        let call = Call::new(OperationId::ClientGetByIdentifier, Uuid::nil());
        let error = call.path_and_query().expect_err("`identifier` is missing");
        assert!(
            matches!(error, Error::MissingParameter { location: ParameterLocation::Path, name: "identifier", .. }),
            "{error:?}"
        );
        let call = Call::new(OperationId::ClientGetByIdentifier, Uuid::nil()).path_param("identifier", "");
        let error = call.path_and_query().expect_err("`identifier` is empty");
        assert!(matches!(error, Error::EmptyParameter { name: "identifier", .. }), "{error:?}");
        let call = Call::new(OperationId::ClientList, Uuid::nil()).path_param("identifier", "x");
        let error = call.path_and_query().expect_err("no such placeholder");
        assert!(matches!(&error, Error::UnknownParameter { name, .. } if name == "identifier"), "{error:?}");
    }

    #[test]
    fn paths_are_filled_and_queries_encoded() {
        let call = Call::new(OperationId::ClientGetByIdentifier, Uuid::nil()).path_param("identifier", "a b");
        let path = call.query("fields", "name,uuid").path_and_query();
        assert_eq!(path.ok().as_deref(), Some("/client.api/get/a%20b?fields=name%2Cuuid"));
    }

    #[test]
    fn a_body_for_another_operation_is_refused_before_sending() {
        let call = Call::new(OperationId::ClientDelete, Uuid::nil());
        let error = call.body(&xpm_api::request::ClientArchiveRequest::new(Uuid::nil())).expect_err("another body");
        assert!(
            matches!(
                error,
                Error::WrongBody {
                    operation: OperationId::ClientDelete,
                    expected: Some("ClientDeleteRequestDto"),
                    got: "ClientArchiveRequestDto"
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.to_string(), "ClientV31_Delete takes ClientDeleteRequestDto, not ClientArchiveRequestDto");
        let call = Call::new(OperationId::ClientDelete, Uuid::nil());
        assert!(call.body(&xpm_api::request::ClientDeleteRequest::new(Uuid::nil())).is_ok());
    }

    #[test]
    fn an_id_given_as_text_is_looked_up_with_a_suggestion() {
        assert_eq!(
            Call::by_id("clientv31_list", Uuid::nil()).map(|call| call.operation().id).ok(),
            Some(OperationId::ClientList)
        );
        let error = Call::by_id("ClientV31_Lsit", Uuid::nil()).expect_err("a typo");
        assert!(
            matches!(&error, Error::UnknownOperation { id, suggestion: Some(OperationId::ClientList) } if id == "ClientV31_Lsit"),
            "{error:?}"
        );
    }
}

//! What an XPM handler returns, and how it becomes an XML or JSON body.

use std::sync::Arc;

use axum::body::Body;
use axum::http::StatusCode;
use bytes::Bytes;
use xpm_api::response::{
    Envelope, JsonListWriter, Resource, XmlListWriter, encode_error_json, encode_error_xml, encode_single_json,
    encode_single_xml, encode_status_json, encode_status_xml,
};

/// The negotiated body format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `text/xml`, XPM's default.
    Xml,
    /// `application/json`, only with `Xero-Features: practice-strict-content-type`.
    Json,
}

impl Format {
    /// The `Content-Type` of a body in this format.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Self::Xml => "text/xml; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// A successful handler result, rendered once the format is known.
pub(crate) struct Reply {
    render: Box<dyn Render>,
}

/// Renders a payload in a format; `api_method` is the `<Response api-method>` attribute.
pub(crate) trait Render: Send + 'static {
    fn render(self: Box<Self>, format: Format, api_method: &str) -> Body;
}

/// Lists longer than this are encoded on a blocking thread and streamed in chunks.
const STREAM_THRESHOLD: usize = 256;
/// Size of each streamed chunk.
const CHUNK_BYTES: usize = 256 * 1024;

impl Reply {
    /// A list of items, with paging or record counts in `envelope`. `view` reshapes each item
    /// while encoding (e.g. the reduced paged-list client) without copying the whole list first.
    pub(crate) fn list<T: Resource + Send + Sync + 'static>(
        items: Vec<Arc<T>>,
        envelope: Envelope,
        view: Option<fn(&T) -> T>,
    ) -> Self {
        Self { render: Box::new(ListReply { items, envelope, view }) }
    }

    /// One item.
    pub(crate) fn single<T: Resource + Send + 'static>(item: T) -> Self {
        Self { render: Box::new(SingleReply { item, envelope: Envelope::default() }) }
    }

    /// One item with envelope extras (such as a top-level `WebUrl`). The top-level `WebUrl` is
    /// XML only: XPM documents it beside `<Job>` under `<Response>`, while no JSON response DTO
    /// has a top-level `webUrl` (the item carries its own).
    pub(crate) fn single_with<T: Resource + Send + 'static>(item: T, envelope: Envelope) -> Self {
        Self { render: Box::new(SingleReply { item, envelope }) }
    }

    /// Only `<Status>OK</Status>`.
    pub(crate) fn status() -> Self {
        Self { render: Box::new(StatusReply) }
    }

    /// A body whose shape no model covers (`{status, uuid}`, `{status, id}` …): the caller
    /// supplies both renderings of the fields beside the status.
    pub(crate) fn fields(xml_children: String, json_fields: serde_json::Map<String, serde_json::Value>) -> Self {
        Self { render: Box::new(FieldsReply { xml_children, json_fields }) }
    }

    /// Renders the reply.
    pub(crate) fn into_body(self, format: Format, api_method: &str) -> Body {
        self.render.render(format, api_method)
    }
}

struct ListReply<T> {
    items: Vec<Arc<T>>,
    envelope: Envelope,
    view: Option<fn(&T) -> T>,
}

impl<T: Resource + Send + Sync + 'static> ListReply<T> {
    /// Encodes items `range` into `sink` in `format`; the first call writes the head, the last
    /// the tail.
    fn encode_all(&self, format: Format, api_method: &str, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
        match format {
            Format::Xml => {
                let mut writer = XmlListWriter::<_, T>::start(sink, Some(api_method))?;
                for item in &self.items {
                    match self.view {
                        Some(view) => writer.push(&view(item))?,
                        None => writer.push(item)?,
                    }
                }
                writer.finish(&self.envelope)?;
            }
            Format::Json => {
                let mut writer = JsonListWriter::<_, T>::start(sink)?;
                for item in &self.items {
                    match self.view {
                        Some(view) => writer.push(&view(item))?,
                        None => writer.push(item)?,
                    }
                }
                writer.finish(&self.envelope)?;
            }
        }
        Ok(())
    }
}

impl<T: Resource + Send + Sync + 'static> Render for ListReply<T> {
    fn render(self: Box<Self>, format: Format, api_method: &str) -> Body {
        if self.items.len() <= STREAM_THRESHOLD {
            let mut out = Vec::with_capacity(1024 + self.items.len() * 1024);
            // Writing into a Vec cannot fail.
            let _ = self.encode_all(format, api_method, &mut out);
            return Body::from(out);
        }
        let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let api_method = api_method.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut sink = ChunkSink { sender, buffer: Vec::with_capacity(CHUNK_BYTES) };
            let outcome = self.encode_all(format, &api_method, &mut sink).and_then(|()| sink.flush_chunk());
            if let Err(error) = outcome {
                // The receiver is gone (client hung up) or encoding failed; either way the
                // stream ends here.
                tracing::debug!(error = %error, "list stream ended early");
            }
        });
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|chunk| (chunk, receiver))
        });
        Body::from_stream(stream)
    }
}

/// Buffers encoded bytes and sends them down a channel in fixed-size chunks.
struct ChunkSink {
    sender: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChunkSink {
    fn flush_chunk(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES)));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl std::io::Write for ChunkSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush_chunk()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct SingleReply<T> {
    item: T,
    envelope: Envelope,
}

impl<T: Resource + Send + 'static> Render for SingleReply<T> {
    fn render(self: Box<Self>, format: Format, api_method: &str) -> Body {
        match format {
            Format::Xml => Body::from(encode_single_xml(&self.item, Some(api_method), &self.envelope)),
            Format::Json => {
                let envelope = Envelope { web_url: None, ..self.envelope };
                Body::from(encode_single_json(&self.item, &envelope))
            }
        }
    }
}

struct StatusReply;

impl Render for StatusReply {
    fn render(self: Box<Self>, format: Format, api_method: &str) -> Body {
        match format {
            Format::Xml => Body::from(encode_status_xml(Some(api_method), &Envelope::default())),
            Format::Json => Body::from(encode_status_json(&Envelope::default())),
        }
    }
}

struct FieldsReply {
    xml_children: String,
    json_fields: serde_json::Map<String, serde_json::Value>,
}

impl Render for FieldsReply {
    fn render(self: Box<Self>, format: Format, api_method: &str) -> Body {
        match format {
            Format::Xml => {
                let mut writer = xpm_api::xml::XmlWriter::new();
                writer.start_with_attributes("Response", &[("api-method", api_method)], false);
                writer.text_element("Status", "OK");
                writer.raw(&self.xml_children);
                writer.end("Response");
                Body::from(writer.into_bytes())
            }
            Format::Json => {
                let mut object = serde_json::Map::new();
                object.insert("status".into(), "OK".into());
                object.extend(self.json_fields);
                Body::from(serde_json::Value::Object(object).to_string())
            }
        }
    }
}

/// A failure XPM reports in its own envelope (`<Status>ERROR</Status>` / `ResponseErrorDto`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status (the spec's code for the case; XML mode may turn it into 200).
    pub(crate) status: StatusCode,
    /// The `ErrorDescription`.
    pub(crate) description: String,
}

impl ApiError {
    /// 400 with a description.
    pub(crate) fn bad_request(description: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, description: description.into() }
    }

    /// 404 with a description.
    pub(crate) fn not_found(description: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, description: description.into() }
    }

    /// 409 with a description.
    pub(crate) fn conflict(description: impl Into<String>) -> Self {
        Self { status: StatusCode::CONFLICT, description: description.into() }
    }

    /// 501: the operation is in the catalog but the emulator keeps no state for it.
    pub(crate) fn not_implemented(operation: &str) -> Self {
        Self {
            status: StatusCode::NOT_IMPLEMENTED,
            description: format!("{operation} is known to the emulator but not emulated; it returns no data"),
        }
    }

    /// The error body.
    pub(crate) fn body(&self, format: Format, api_method: &str) -> Bytes {
        match format {
            Format::Xml => Bytes::from(encode_error_xml(&self.description, Some(api_method))),
            Format::Json => Bytes::from(encode_error_json(&self.description)),
        }
    }
}

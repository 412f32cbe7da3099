//! Client documents (`client.api/documents/{uuid}`, `client.api/document`).

use std::sync::Arc;

use base64::Engine;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::model::Document;
use xpm_api::request::ClientDocumentRequest;
use xpm_api::value::XpmDate;

use super::book::Directory;
use super::error::DirectoryError;

impl Directory {
    /// `client.api/documents/{uuid}`: the client's documents, oldest first.
    pub fn documents(&self, client: Uuid) -> Result<Vec<Arc<Document>>, DirectoryError> {
        self.entry(client).ok_or_else(|| DirectoryError::not_found("client", client))?;
        Ok(self.documents.get(&client).cloned().unwrap_or_default())
    }

    /// `client.api/document`: stores a document (its base64 content is checked, then dropped)
    /// and returns its new identifier.
    pub(crate) fn add_document(
        &mut self,
        request: ClientDocumentRequest,
        now: DateTime<Utc>,
    ) -> Result<Uuid, DirectoryError> {
        let client = request.client_uuid.ok_or_else(|| DirectoryError::invalid("ClientUUID is required"))?;
        self.live_entry(client)?;
        let file_name = request.file_name.filter(|name| !name.trim().is_empty());
        let file_name = file_name.ok_or_else(|| DirectoryError::invalid("a document needs a FileName"))?;
        let content: String = request.content.unwrap_or_default().split_whitespace().collect();
        if content.is_empty() {
            return Err(DirectoryError::invalid("a document needs its Content, base64-encoded"));
        }
        base64::engine::general_purpose::STANDARD
            .decode(content.as_bytes())
            .map_err(|error| DirectoryError::invalid(format!("document Content is not base64: {error}")))?;
        let uuid = Uuid::new_v4();
        let mut document = Document::default();
        document.title = Some(request.title.unwrap_or_else(|| file_name.clone()));
        document.text = Some(request.text.unwrap_or_default());
        document.folder = Some(request.folder.unwrap_or_default());
        document.date = Some(XpmDate::date_time(now.naive_utc().with_nanosecond_zero()));
        document.created_by = Some("API".to_owned());
        document.url = Some(format!("https://practicemanager.xero.com/Document/{uuid}/{file_name}"));
        document.file_name = Some(file_name);
        self.documents.entry(client).or_default().push(Arc::new(document));
        self.touch(client, now);
        Ok(uuid)
    }
}

/// Drops sub-second precision, which XPM's datetimes never show.
trait WithoutNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl WithoutNanos for chrono::NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}

//! Document uploads (`client.api/document`, `job.api/document`).

use crate::ids::{ClientId, JobNumber};
use crate::value::Uuid;

xpm_request! {
    /// `POST client.api/document`. JSON: `ClientDocumentRequestDto`. The JSON response is
    /// `{status, uuid}`.
    pub struct ClientDocumentRequest {
        /// The client (required).
        client_uuid: Uuid = value "ClientUUID",
        /// Title.
        title: String = value "Title",
        /// Note about the document.
        text: String = value "Text",
        /// Folder.
        folder: String = value "Folder",
        /// File name, e.g. `example.jpg`.
        file_name: String = value "FileName",
        /// File content, base64-encoded.
        content: String = value "Content",
    }
}

request_body!(ClientDocumentRequest, "Document", "ClientDocumentRequestDto", requires client_uuid "ClientUUID" "clientUuid");

xpm_request! {
    /// `POST job.api/document`. JSON: `JobDocumentRequestDto`. The response is the job.
    pub struct JobDocumentRequest {
        /// Job number (required).
        job: String = value "Job",
        /// Title.
        title: String = value "Title",
        /// Note about the document.
        text: String = value "Text",
        /// Folder.
        folder: String = value "Folder",
        /// Whether the document is visible to the client (`true`/`false`).
        public: bool = value "Public",
        /// File name.
        file_name: String = value "FileName",
        /// File content, base64-encoded.
        content: String = value "Content",
    }
}

request_body!(JobDocumentRequest, "Document", "JobDocumentRequestDto", requires job "Job" "job");

impl ClientDocumentRequest {
    /// A document for `client`.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { client_uuid: Some(client.into().uuid()), ..Self::default() }
    }
}

impl JobDocumentRequest {
    /// A document for job `job`.
    pub fn new(job: &JobNumber) -> Self {
        Self { job: Some(job.to_string()), ..Self::default() }
    }
}

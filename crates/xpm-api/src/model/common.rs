//! Small shapes shared by several resources.

use crate::value::{Uuid, XpmDate};

xpm_record! {
    /// A reference to another entity by identifier and display name (`<UUID/><Name/>`), such as
    /// a client's account manager or a job's client. JSON: `NamedEntityDto`.
    pub struct NamedRef {
        /// The referenced entity's identifier.
        uuid: Uuid = value "UUID",
        /// The referenced entity's display name.
        name: String = value "Name",
    }
}

impl NamedRef {
    /// A reference with both parts set.
    pub fn new(uuid: Uuid, name: impl Into<String>) -> Self {
        Self { uuid: Some(uuid), name: Some(name.into()), unparsed: None }
    }
}

xpm_record! {
    /// A note on a client (`Title`, `Text`, `Folder`, `Date`, `CreatedBy`) or on a job, where it
    /// also has a `UUID` and `Comments`. JSON: `ClientNoteDto` / `JobNoteDto`.
    pub struct Note {
        /// Identifier (job notes only).
        uuid: Uuid = value "UUID",
        /// Title.
        title: String = value "Title",
        /// Body text; may span lines.
        text: String = value "Text",
        /// Folder the note is filed in.
        folder: String = value "Folder",
        /// When the note was written.
        date: XpmDate = value "Date",
        /// Who wrote it (a staff name).
        created_by: String = value "CreatedBy",
        /// Tags (client notes, JSON only in Xero's spec).
        tags: String = value "Tags",
        /// Comments on a job note.
        comments: NoteComment = list "Comments" "Comment",
    }
}

xpm_record! {
    /// A comment on a job note. JSON: `JobNoteCommentDto`.
    pub struct NoteComment {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Comment text.
        text: String = value "Text",
        /// When it was written.
        date: XpmDate = value "Date",
        /// Who wrote it.
        created_by: String = value "CreatedBy",
    }
}

xpm_record! {
    /// A document attached to a client or job. JSON: `ClientDocumentDto` / `JobDocumentDto`.
    pub struct Document {
        /// Title.
        title: String = value "Title",
        /// Description.
        text: String = value "Text",
        /// Folder.
        folder: String = value "Folder",
        /// Upload date.
        date: XpmDate = value "Date",
        /// Who uploaded it.
        created_by: String = value "CreatedBy",
        /// File name.
        file_name: String = value "FileName",
        /// Download address.
        url: String = value "URL",
    }
}

//! Job templates (`template.api`).

use crate::value::Uuid;

xpm_record! {
    /// A job template, applied with a job add's `TemplateUUID` or `job.api/applytemplate`.
    /// JSON: `TemplateDto`.
    pub struct Template {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
    }
}

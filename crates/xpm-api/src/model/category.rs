//! Job categories (`category.api`).

use crate::value::Uuid;

xpm_record! {
    /// A job category, assigned with a job's `CategoryUUID` and shown as the job's `Type`.
    /// JSON: `NamedEntityDto` inside `CategoryResponseDto`.
    pub struct Category {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
    }
}

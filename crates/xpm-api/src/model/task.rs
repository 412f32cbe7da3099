//! Task types (`task.api`): the practice's list of kinds of work, not the tasks on a job.

use crate::value::Uuid;

xpm_record! {
    /// A task type, referenced by a job task's `TaskUUID`. JSON: `TaskDto`.
    pub struct Task {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
    }
}

//! Job states (`jobstate.api`).

use crate::value::Uuid;

xpm_record! {
    /// A job state as defined in XPM admin. JSON: `NamedEntityDto` inside
    /// `JobStateListResponseDto`.
    ///
    /// `jobstate.api` is documented only in the OpenAPI. The XML names `<JobStates>` /
    /// `<JobState>` are inferred from the JSON key `jobStates` and are unverified. The state's
    /// interface code, which `job.api/state` wants, is not part of this shape.
    pub struct JobState {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Display name, as a job's `State` shows it.
        name: String = value "Name",
    }
}

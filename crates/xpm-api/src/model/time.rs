//! Time entries (`time.api`).

use super::common::NamedRef;
use crate::value::{ClockTime, Uuid, XpmDate};

xpm_record! {
    /// A time sheet entry. JSON: `TimeDto`.
    ///
    /// A time entry names its job by number and carries no client: resolve the client through
    /// the job.
    pub struct Time {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// The job, by number and name.
        job: JobReference = record "Job",
        /// The job task the time was recorded against.
        task: NamedRef = record "Task",
        /// The staff member.
        staff: NamedRef = record "Staff",
        /// Date of the work (`yyyy-MM-ddT00:00:00`).
        date: XpmDate = value "Date",
        /// Duration in minutes; negative entries are allowed.
        minutes: i32 = value "Minutes",
        /// Note.
        note: String = value "Note",
        /// Whether the time is billable (`true`/`false`).
        billable: bool = value "Billable",
        /// Start time (`HH:mm`), when the entry was recorded with start and end.
        start: ClockTime = value "Start",
        /// End time (`HH:mm`), when the entry was recorded with start and end.
        end: ClockTime = value "End",
        /// The invoice task this time was billed on, once invoiced.
        invoice_task_uuid: Uuid = value "InvoiceTaskUUID",
        /// Link to the entry in the XPM web app.
        web_url: String = value "WebUrl",
    }
}

xpm_record! {
    /// A job named by number rather than UUID, as time entries do. JSON: `JobReferenceDto`.
    pub struct JobReference {
        /// Job number, e.g. `J000309`.
        id: String = value "ID",
        /// Job name.
        name: String = value "Name",
    }
}

//! Jobs (`job.api`): the job itself, its tasks, milestones and assigned staff.
//!
//! Every job shape decodes to [`Job`]: the short items of `current`, `list` and `client`, the
//! detailed shape of `get` and `?detailed=true`, the jobs-with-tasks of `tasks`, and the
//! `Job2Dto` items of `staff/{uuid}`. Fields an endpoint does not send are `None`. Fields are
//! declared in the order of the documented `get` response, which is the order they are written in.

use super::common::{NamedRef, Note};
use crate::value::{Decimal, Uuid, XpmDate};

xpm_record! {
    /// A job. JSON: `JobDto` (and `Job2Dto` for `job.api/staff/{uuid}`).
    pub struct Job {
        /// Job number, e.g. `J000309`; custom numbers are allowed. Jobs are addressed by it.
        id: String = value "ID",
        /// Identifier. Present in JSON lists and on `get`; the documented XML list items omit it.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Description; may span lines.
        description: String = value "Description",
        /// Display name of the job's state, e.g. `Planned` (not the interface code that
        /// `job.api/state` takes).
        state: String = value "State",
        /// The client's order number (`ClientNumber` in add and update requests).
        client_order_number: String = value "ClientOrderNumber",
        /// Budget.
        budget: Decimal = value "Budget",
        /// Job type as text, e.g. `Website Development` (the job category's name).
        #[serde(rename = "type")]
        job_type: String = value "Type",
        /// Start date.
        start_date: XpmDate = value "StartDate",
        /// Due date.
        due_date: XpmDate = value "DueDate",
        /// Completion date, once completed.
        completed_date: XpmDate = value "CompletedDate",
        /// The client. JSON: `JobPartyDto`.
        client: NamedRef = record "Client",
        /// The client's contact for this job.
        contact: NamedRef = record "Contact",
        /// Job manager (staff).
        manager: NamedRef = record "Manager",
        /// Job partner (staff).
        partner: NamedRef = record "Partner",
        /// Internal identifier (the OpenAPI's `internalId`; XML name inferred).
        internal_id: String = value "InternalID",
        /// Staff assigned to the job.
        assigned: JobStaff = list "Assigned" "Staff",
        /// Tasks (detailed shape and `job.api/tasks`).
        tasks: JobTask = list "Tasks" "Task",
        /// Milestones (detailed shape).
        milestones: Milestone = list "Milestones" "Milestone",
        /// Notes with their comments (detailed shape).
        notes: Note = list "Notes" "Note",
        /// Link to the job in the XPM web app. The documented `get` puts it beside the job under
        /// `<Response>` (see [`crate::response::Envelope::web_url`]); JSON puts it on the job.
        web_url: String = value "WebUrl",
    }
}

xpm_record! {
    /// A task on a job (an instance of a task type from `task.api`). JSON: `JobTaskDto`.
    pub struct JobTask {
        /// Identifier of this job task: what time entries, `task/{uuid}/complete` and the task
        /// custom fields refer to.
        uuid: Uuid = value "UUID",
        /// Identifier of the task type ([`crate::model::Task`]).
        task_uuid: Uuid = value "TaskUUID",
        /// Task type identifier as text (the OpenAPI's `taskId`; XML name inferred).
        task_id: String = value "TaskID",
        /// Name (the task type's name, or the label given when it was added).
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
        /// Estimated minutes.
        estimated_minutes: i32 = value "EstimatedMinutes",
        /// Minutes recorded so far.
        actual_minutes: i32 = value "ActualMinutes",
        /// Whether the task is complete (`true`/`false`).
        completed: bool = value "Completed",
        /// Whether the task is billable (`true`/`false`).
        billable: bool = value "Billable",
        /// Folder.
        folder: String = value "Folder",
        /// Scheduled start (present when the task is scheduled).
        start_date: XpmDate = value "StartDate",
        /// Scheduled due date (present when the task is scheduled).
        due_date: XpmDate = value "DueDate",
        /// Staff scheduled on the task, with their allocated minutes.
        assigned: JobStaff = list "Assigned" "Staff",
    }
}

xpm_record! {
    /// A staff member assigned to a job or a job task. JSON: `JobStaffDto`.
    pub struct JobStaff {
        /// Staff identifier.
        uuid: Uuid = value "UUID",
        /// Staff name.
        name: String = value "Name",
        /// Minutes allocated (task-level assignments only).
        allocated_minutes: i32 = value "AllocatedMinutes",
    }
}

xpm_record! {
    /// A milestone on a job. JSON: `JobMilestoneDto`.
    pub struct Milestone {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Date.
        date: XpmDate = value "Date",
        /// Description.
        description: String = value "Description",
        /// Whether the milestone is complete (`true`/`false`).
        completed: bool = value "Completed",
        /// Folder.
        folder: String = value "Folder",
    }
}

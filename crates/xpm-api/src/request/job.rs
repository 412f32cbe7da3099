//! Job bodies (`job.api`): add, update, state, delete, note, apply template and reorder tasks.
//! Assigning staff is in `job_assign`; tasks and costs on a job are in `job_task`.
//!
//! Jobs are named by number (`ID`, e.g. `J000309`). XPM's XML examples also show the job's
//! `<UUID>` on state, delete and apply-template bodies while the OpenAPI has only `id`; only
//! the number is written here, and a `<UUID>` in input is ignored. Dates are `yyyyMMdd`
//! ([`XpmDate::compact`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::{ClientId, JobNumber, JobTaskId};
use crate::value::{Decimal, Uuid, XpmDate};
use crate::xml::{XmlValue, XmlWriter};

xpm_request! {
    /// `POST job.api/add`. JSON: `JobAddRequestDto`. The response is the job, detailed.
    pub struct JobAddRequest {
        /// Name.
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
        /// The client (required).
        client_uuid: Uuid = value "ClientUUID",
        /// The client's contact.
        contact_uuid: Uuid = value "ContactUUID",
        /// Start date, `yyyyMMdd`.
        start_date: XpmDate = value "StartDate",
        /// Due date, `yyyyMMdd`.
        due_date: XpmDate = value "DueDate",
        /// The client's order number (a job's `ClientOrderNumber`).
        client_number: String = value "ClientNumber",
        /// A custom job number; by default the next in the practice's sequence.
        id: String = value "ID",
        /// A template whose milestones, tasks and costs the job starts with.
        template_uuid: Uuid = value "TemplateUUID",
        /// The job category.
        category_uuid: Uuid = value "CategoryUUID",
        /// Budget.
        budget: Decimal = value "Budget",
    }
}

request_body!(JobAddRequest, "Job", "JobAddRequestDto", requires client_uuid "ClientUUID" "clientUuid");

xpm_request! {
    /// `PUT job.api/update`. JSON: `JobUpdateRequestDto`. The response is the job, detailed.
    ///
    /// The category is written `CategoryUUID` as on add and in the OpenAPI (`categoryUuid`);
    /// XPM's XML example says `CategoryID`, a leftover from 3.0 integer ids.
    pub struct JobUpdateRequest {
        /// Job number (required).
        id: String = value "ID",
        /// Name.
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
        /// Start date, `yyyyMMdd`.
        start_date: XpmDate = value "StartDate",
        /// Due date, `yyyyMMdd`.
        due_date: XpmDate = value "DueDate",
        /// The client's order number.
        client_number: String = value "ClientNumber",
        /// The job category.
        category_uuid: Uuid = value "CategoryUUID",
        /// Budget.
        budget: Decimal = value "Budget",
    }
}

request_body!(JobUpdateRequest, "Job", "JobUpdateRequestDto", requires id "ID" "id");

xpm_request! {
    /// `PUT job.api/state`. JSON: `JobStateRequestDto`. The response is the job.
    pub struct JobStateRequest {
        /// Job number (required).
        id: String = value "ID",
        /// The new state's **interface code** as defined in XPM admin (e.g. `CONFIRMED`), not
        /// its display name; `jobstate.api` does not return the codes.
        state: String = value "State",
    }
}

request_body!(JobStateRequest, "Job", "JobStateRequestDto", requires id "ID" "id", requires state "State" "state");

xpm_request! {
    /// `POST job.api/delete`. JSON: `JobDeleteRequestDto`.
    pub struct JobDeleteRequest {
        /// Job number (required).
        id: String = value "ID",
    }
}

request_body!(JobDeleteRequest, "Job", "JobDeleteRequestDto", requires id "ID" "id");

xpm_request! {
    /// `POST job.api/note`. JSON: `JobNoteRequestDto`. The response is the job.
    pub struct JobNoteRequest {
        /// Job number (required).
        job: String = value "Job",
        /// Title.
        title: String = value "Title",
        /// Text.
        text: String = value "Text",
        /// Folder.
        folder: String = value "Folder",
        /// Whether the note is visible to the client (`true`/`false`).
        public: bool = value "Public",
    }
}

request_body!(JobNoteRequest, "Note", "JobNoteRequestDto", requires job "Job" "job");

xpm_request! {
    /// `POST job.api/applytemplate`: add a template's tasks, milestones and costs to a job.
    /// JSON: `JobApplyTemplateRequestDto`. The response is the job.
    pub struct JobApplyTemplateRequest {
        /// Job number (required).
        id: String = value "ID",
        /// The template (required).
        template_uuid: Uuid = value "TemplateUUID",
        /// How the template's tasks meet the job's; XPM defaults to [`TaskMode::AddNew`].
        task_mode: TaskMode = value "TaskMode",
    }
}

request_body!(
    JobApplyTemplateRequest,
    "Job",
    "JobApplyTemplateRequestDto",
    requires id "ID" "id",
    requires template_uuid "TemplateUUID" "templateUuid"
);

/// How `applytemplate` adds a template's tasks to a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskMode {
    /// `AddNew`: always add the template's tasks (XPM's default).
    AddNew,
    /// `AppendExisting`: where the job already has the same task, append the template task's
    /// details to it; otherwise add it.
    AppendExisting,
}

impl TaskMode {
    /// The mode as XPM spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AddNew => "AddNew",
            Self::AppendExisting => "AppendExisting",
        }
    }
}

/// The text is not a task mode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected AddNew or AppendExisting, found {0:?}")]
pub struct InvalidTaskMode(String);

impl FromStr for TaskMode {
    type Err = InvalidTaskMode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("AddNew") {
            Ok(Self::AddNew)
        } else if text.eq_ignore_ascii_case("AppendExisting") {
            Ok(Self::AppendExisting)
        } else {
            Err(InvalidTaskMode(crate::xml::error::excerpt(text)))
        }
    }
}

impl fmt::Display for TaskMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl XmlValue for TaskMode {
    const EXPECTED: &'static str = "task mode (AddNew or AppendExisting)";

    fn parse_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(self.as_str());
    }
}

impl Serialize for TaskMode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

xpm_request! {
    /// `PUT job.api/reordertasks`: the job's tasks in their new order. JSON:
    /// `JobReOrderTasksRequestDto`. The response is the job.
    pub struct JobReorderTasksRequest {
        /// Job number (required).
        id: String = value "ID",
        /// Every job task, in the desired order.
        tasks: JobTaskReorderItem = list "Tasks" "Task",
    }
}

request_body!(JobReorderTasksRequest, "Job", "JobReOrderTasksRequestDto", requires id "ID" "id");

xpm_request! {
    /// A job task in a reorder request. JSON: `JobTaskReorderItemDto`.
    pub struct JobTaskReorderItem {
        /// The job task (`Job/Tasks/Task/UUID`).
        uuid: Uuid = value "UUID",
    }
}

impl JobTaskReorderItem {
    /// The job task `task`.
    pub fn new(task: impl Into<JobTaskId>) -> Self {
        Self { uuid: Some(task.into().uuid()) }
    }
}

impl JobAddRequest {
    /// A request to add a job for `client`; set its name, dates and the rest.
    pub fn new(client: impl Into<ClientId>) -> Self {
        Self { client_uuid: Some(client.into().uuid()), ..Self::default() }
    }
}

impl JobUpdateRequest {
    /// A request to update job `job`; set the fields to change.
    pub fn new(job: &JobNumber) -> Self {
        Self { id: Some(job.to_string()), ..Self::default() }
    }
}

impl JobStateRequest {
    /// A request to move job `job` to the state whose interface code is `state`.
    pub fn new(job: &JobNumber, state: impl Into<String>) -> Self {
        Self { id: Some(job.to_string()), state: Some(state.into()) }
    }
}

impl JobDeleteRequest {
    /// A request to delete job `job`.
    pub fn new(job: &JobNumber) -> Self {
        Self { id: Some(job.to_string()) }
    }
}

impl JobNoteRequest {
    /// A note for job `job`.
    pub fn new(job: &JobNumber) -> Self {
        Self { job: Some(job.to_string()), ..Self::default() }
    }
}

impl JobApplyTemplateRequest {
    /// A request to apply template `template` to job `job`.
    pub fn new(job: &JobNumber, template: Uuid) -> Self {
        Self { id: Some(job.to_string()), template_uuid: Some(template), ..Self::default() }
    }
}

impl JobReorderTasksRequest {
    /// A request to put the tasks of job `job` in the order of `tasks`.
    pub fn new(job: &JobNumber, tasks: impl IntoIterator<Item = JobTaskReorderItem>) -> Self {
        Self::default().id(job.as_str()).tasks(tasks)
    }
}

//! Tasks and costs on a job (`job.api/task`, `job.api/cost`). Dates are `yyyyMMdd`
//! ([`XpmDate::compact`]). Each answers `{status, uuid}` with the task's or cost's identifier.

use crate::ids::{JobCostId, JobNumber, JobTaskId, TaskId};
use crate::value::{Decimal, Uuid, XpmDate};

xpm_request! {
    /// `POST job.api/task`: add a task to a job. JSON: `JobTaskAddRequestDto`.
    pub struct JobTaskAddRequest {
        /// Job number (required).
        job: String = value "Job",
        /// The task type from `task.api` (required).
        task_uuid: Uuid = value "TaskUUID",
        /// A label shown instead of the task type's name.
        label: String = value "Label",
        /// Description.
        description: String = value "Description",
        /// Estimated minutes.
        estimated_minutes: i32 = value "EstimatedMinutes",
        /// Start date, `yyyyMMdd`.
        start_date: XpmDate = value "StartDate",
        /// Due date, `yyyyMMdd`.
        due_date: XpmDate = value "DueDate",
    }
}

request_body!(
    JobTaskAddRequest,
    "Task",
    "JobTaskAddRequestDto",
    requires job "Job" "job",
    requires task_uuid "TaskUUID" "taskUuid"
);

xpm_request! {
    /// `PUT job.api/task`: update a task on a job. JSON: `JobTaskUpdateRequestDto`.
    ///
    /// The task is the job task's own identifier, written `UUID` as in the OpenAPI (`uuid`).
    /// XPM's XML example writes `<TaskUUID>…</UUID>`, which is not well-formed.
    pub struct JobTaskUpdateRequest {
        /// The job task (required).
        uuid: Uuid = value "UUID",
        /// Label.
        label: String = value "Label",
        /// Description.
        description: String = value "Description",
        /// Estimated minutes.
        estimated_minutes: i32 = value "EstimatedMinutes",
        /// Start date, `yyyyMMdd`.
        start_date: XpmDate = value "StartDate",
        /// Due date, `yyyyMMdd`.
        due_date: XpmDate = value "DueDate",
    }
}

request_body!(JobTaskUpdateRequest, "Task", "JobTaskUpdateRequestDto", requires uuid "UUID" "uuid");

xpm_request! {
    /// `POST job.api/cost`: record a cost on a job. JSON: `JobCostAddRequestDto`.
    pub struct JobCostAddRequest {
        /// Job number (required).
        job: String = value "Job",
        /// Date, `yyyyMMdd`.
        date: XpmDate = value "Date",
        /// Description.
        description: String = value "Description",
        /// Code.
        code: String = value "Code",
        /// Note.
        note: String = value "Note",
        /// Quantity.
        quantity: Decimal = value "Quantity",
        /// Unit cost.
        unit_cost: Decimal = value "UnitCost",
        /// Unit price.
        unit_price: Decimal = value "UnitPrice",
        /// Whether the cost is billable (`true`/`false`; XPM defaults to true).
        billable: bool = value "Billable",
        /// Supplier (OpenAPI only).
        supplier_uuid: Uuid = value "SupplierUUID",
    }
}

request_body!(JobCostAddRequest, "Cost", "JobCostAddRequestDto", requires job "Job" "job");

xpm_request! {
    /// `PUT job.api/cost`: update a cost on a job. JSON: `JobCostUpdateRequestDto`.
    pub struct JobCostUpdateRequest {
        /// The job cost (required).
        uuid: Uuid = value "UUID",
        /// Date, `yyyyMMdd`.
        date: XpmDate = value "Date",
        /// Description.
        description: String = value "Description",
        /// Code.
        code: String = value "Code",
        /// Note.
        note: String = value "Note",
        /// Quantity.
        quantity: Decimal = value "Quantity",
        /// Unit cost.
        unit_cost: Decimal = value "UnitCost",
        /// Unit price.
        unit_price: Decimal = value "UnitPrice",
        /// Whether the cost is billable (`true`/`false`).
        billable: bool = value "Billable",
        /// Supplier (OpenAPI only).
        supplier_uuid: Uuid = value "SupplierUUID",
    }
}

request_body!(JobCostUpdateRequest, "Cost", "JobCostUpdateRequestDto", requires uuid "UUID" "uuid");

impl JobTaskAddRequest {
    /// A request to add a task of type `task` to job `job`.
    pub fn new(job: &JobNumber, task: impl Into<TaskId>) -> Self {
        Self { job: Some(job.to_string()), task_uuid: Some(task.into().uuid()), ..Self::default() }
    }
}

impl JobTaskUpdateRequest {
    /// A request to update job task `task`; set the fields to change.
    pub fn new(task: impl Into<JobTaskId>) -> Self {
        Self { uuid: Some(task.into().uuid()), ..Self::default() }
    }
}

impl JobCostAddRequest {
    /// A request to add a cost to job `job`.
    pub fn new(job: &JobNumber) -> Self {
        Self { job: Some(job.to_string()), ..Self::default() }
    }
}

impl JobCostUpdateRequest {
    /// A request to update the cost `cost` on a job; set the fields to change.
    pub fn new(cost: impl Into<JobCostId>) -> Self {
        Self { uuid: Some(cost.into().uuid()), ..Self::default() }
    }
}

//! Changes to the parts of a job: its tasks, its costs and who is assigned.

use std::sync::Arc;

use chrono::NaiveDate;
use uuid::Uuid;
use xpm_api::model::{Job, JobCost, JobStaff, JobTask, NamedRef, Task};
use xpm_api::request::{
    JobAssignRequest, JobCostAddRequest, JobCostUpdateRequest, JobTaskAddRequest, JobTaskUpdateRequest,
};
use xpm_api::value::{Decimal, XpmDate};

use super::book::Work;
use super::error::{WorkError, WorkResult};
use super::ids::{day, money, on_day, supplier_ref};
use super::job_edit::required_text;
use super::roster::Roster;
use crate::practice::patch::{nonblank, patch};

/// A new, open, billable job task of type `task_type`.
pub(crate) fn new_job_task(
    task_type: &Task,
    label: Option<&str>,
    description: Option<&str>,
    estimated_minutes: i32,
    start: Option<XpmDate>,
    due: Option<XpmDate>,
) -> JobTask {
    let mut task = JobTask::default();
    task.uuid = Some(Uuid::new_v4());
    task.task_uuid = task_type.uuid;
    task.name = label.map(str::to_owned).or_else(|| task_type.name.clone());
    task.description = Some(description.map(str::to_owned).unwrap_or_default());
    task.estimated_minutes = Some(estimated_minutes);
    task.actual_minutes = Some(0);
    task.completed = Some(false);
    task.billable = Some(true);
    task.folder = Some(String::new());
    task.start_date = start.map(|date| day(date.naive_date()));
    task.due_date = due.map(|date| day(date.naive_date()));
    task
}

/// A task that must be on some job.
fn task_not_found(uuid: Uuid) -> WorkError {
    WorkError::not_found(format!("job task {uuid} not found"))
}

impl Work {
    /// `POST job.api/task`: adds a task of a task type to a job; returns the job task's UUID.
    pub(crate) fn add_task(&mut self, request: &JobTaskAddRequest) -> WorkResult<Uuid> {
        let id = required_text(&request.job, "Job")?;
        let type_uuid = request.task_uuid.ok_or_else(|| WorkError::invalid("TaskUUID is required"))?;
        let task_type = self.reference.task_type(type_uuid).cloned().ok_or_else(|| {
            WorkError::invalid(format!("task type {type_uuid} not found (TaskUUID is a task.api task type)"))
        })?;
        let record = self.jobs.require_mut(id)?;
        let label = request.label.as_deref().map(str::trim).filter(|label| !label.is_empty());
        let task = new_job_task(
            &task_type,
            label,
            request.description.as_deref(),
            request.estimated_minutes.unwrap_or_default(),
            request.start_date,
            request.due_date,
        );
        let uuid = task.uuid.unwrap_or_default();
        record.job_mut().tasks.get_or_insert_with(Vec::new).push(task);
        let number = record.number().to_owned();
        self.jobs.index_task(&number, uuid);
        Ok(uuid)
    }

    /// `PUT job.api/task`: changes the fields the request gives; returns the task's UUID.
    pub(crate) fn update_task(&mut self, request: &JobTaskUpdateRequest) -> WorkResult<Uuid> {
        let uuid = request.uuid.ok_or_else(|| WorkError::invalid("UUID is required"))?;
        let record = self.jobs.by_task_mut(uuid).ok_or_else(|| task_not_found(uuid))?;
        let task = record.task_mut(uuid).ok_or_else(|| task_not_found(uuid))?;
        patch!(task, request;
            name <- (nonblank(&request.label)),
            description,
            estimated_minutes,
            start_date => on_day,
            due_date => on_day,
        );
        Ok(uuid)
    }

    /// `job.api/task/{uuid}/complete` and `reopen`.
    pub(crate) fn set_task_completed(&mut self, uuid: Uuid, completed: bool) -> WorkResult<Arc<Job>> {
        let record = self.jobs.by_task_mut(uuid).ok_or_else(|| task_not_found(uuid))?;
        let task = record.task_mut(uuid).ok_or_else(|| task_not_found(uuid))?;
        task.completed = Some(completed);
        Ok(Arc::clone(&record.job))
    }

    /// `POST job.api/cost`: records a cost on a job; returns its UUID.
    pub(crate) fn add_job_cost(&mut self, request: &JobCostAddRequest, today: NaiveDate) -> WorkResult<Uuid> {
        let id = required_text(&request.job, "Job")?;
        let description = required_text(&request.description, "Description")?;
        let record = self.jobs.require_mut(id)?;
        let uuid = Uuid::new_v4();
        let mut cost = JobCost::default();
        cost.uuid = Some(uuid);
        cost.date = Some(day(request.date.map_or(today, |date| date.naive_date())));
        cost.description = Some(description.to_owned());
        cost.code = Some(request.code.clone().unwrap_or_default());
        cost.note = Some(request.note.clone().unwrap_or_default());
        cost.quantity = Some(request.quantity.map_or(Decimal::new(100, 2), money));
        cost.unit_cost = Some(money(request.unit_cost.unwrap_or_default()));
        cost.unit_price = Some(money(request.unit_price.unwrap_or_default()));
        cost.billable = Some(request.billable.unwrap_or(true));
        cost.supplier = request.supplier_uuid.map(supplier_ref);
        record.costs.push(Arc::new(cost));
        let number = record.number().to_owned();
        self.jobs.index_cost(&number, uuid);
        Ok(uuid)
    }

    /// `PUT job.api/cost`: changes the fields the request gives; returns the cost's UUID.
    pub(crate) fn update_job_cost(&mut self, request: &JobCostUpdateRequest) -> WorkResult<Uuid> {
        let uuid = request.uuid.ok_or_else(|| WorkError::invalid("UUID is required"))?;
        let not_found = || WorkError::not_found(format!("job cost {uuid} not found"));
        let record = self.jobs.by_cost_mut(uuid).ok_or_else(not_found)?;
        let stored = record.costs.iter_mut().find(|cost| cost.uuid == Some(uuid)).ok_or_else(not_found)?;
        let cost = Arc::make_mut(stored);
        patch!(cost, request;
            date => on_day,
            description,
            code,
            note,
            quantity => money,
            unit_cost => money,
            unit_price => money,
            billable,
            supplier <- supplier_uuid => supplier_ref,
        );
        Ok(uuid)
    }

    /// `job.api/assign`: staff on and off the job or its tasks, and the manager and partner.
    /// Every staff member and task is checked before anything changes.
    pub(crate) fn assign(&mut self, roster: &dyn Roster, request: &JobAssignRequest) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.id, "ID")?;
        let staff = |uuid: Option<Uuid>, element: &str| -> WorkResult<NamedRef> {
            let uuid = uuid.ok_or_else(|| WorkError::invalid(format!("<{element}> needs a uuid attribute")))?;
            roster.staff_ref(uuid).ok_or_else(|| WorkError::invalid(format!("staff member {uuid} not found")))
        };
        let record = self.jobs.require(id)?;
        let mut operations = Vec::new();
        for (adding, list, element) in [(true, &request.add, "add"), (false, &request.remove, "remove")] {
            for assignment in list.iter().flatten() {
                let member = staff(assignment.uuid, element)?;
                if let Some(task) = assignment.task_uuid
                    && record.task(task).is_none()
                {
                    return Err(WorkError::invalid(format!("task {task} is not on job {}", record.number())));
                }
                operations.push((adding, member, assignment.task_uuid));
            }
        }
        let manager = request.add_manager.as_ref().map(|role| staff(role.uuid, "add-manager")).transpose()?;
        let partner = request.add_partner.as_ref().map(|role| staff(role.uuid, "add-partner")).transpose()?;
        let record = self.jobs.require_mut(id)?;
        let job = record.job_mut();
        for (adding, member, task) in operations {
            let assigned = match task {
                Some(task) => {
                    let Some(job_task) = job.tasks.iter_mut().flatten().find(|job_task| job_task.uuid == Some(task))
                    else {
                        continue;
                    };
                    job_task.assigned.get_or_insert_with(Vec::new)
                }
                None => job.assigned.get_or_insert_with(Vec::new),
            };
            let present = assigned.iter().position(|staff| staff.uuid == member.uuid);
            match (adding, present) {
                (true, None) => assigned.push(job_staff(&member, task.map(|_| 0))),
                (false, Some(index)) => {
                    assigned.remove(index);
                }
                _ => {}
            }
        }
        if request.remove_manager.is_some() {
            job.manager = None;
        }
        if request.remove_partner.is_some() {
            job.partner = None;
        }
        if let Some(manager) = manager {
            job.manager = Some(manager);
        }
        if let Some(partner) = partner {
            job.partner = Some(partner);
        }
        Ok(Arc::clone(&record.job))
    }
}

/// A staff member on a job (no allocation) or a task (with allocated minutes).
pub(crate) fn job_staff(member: &NamedRef, allocated_minutes: Option<i32>) -> JobStaff {
    let mut staff = JobStaff::default();
    staff.uuid = member.uuid;
    staff.name = member.name.clone();
    staff.allocated_minutes = allocated_minutes;
    staff
}

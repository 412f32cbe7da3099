//! Jobs (keyed by job number) with their tasks, task types, time entries and job categories.

use std::collections::HashSet;

use sqlx::{AnyConnection, Row as _};
use xpm_api::model::{Category, Job, JobTask, Task, Time};

use crate::StoreError;
use crate::columns::{Column, flag, int, nested, ref_name, ref_uuid, shown, text};
use crate::events::EntityKind;
use crate::statements::Placeholders;
use crate::upsert::{Context, Table, Upserted, mark_removed, upsert};

pub(crate) static JOBS: Table<Job> = Table {
    name: "jobs",
    entity: EntityKind::Job,
    key_column: "id",
    key: |job| job.id.clone(),
    columns: &[
        Column::new("uuid", |j| shown(&j.uuid)),
        Column::new("name", |j| text(&j.name)),
        Column::new("description", |j| text(&j.description)),
        Column::new("state", |j| text(&j.state)),
        Column::new("client_order_number", |j| text(&j.client_order_number)),
        Column::new("budget", |j| shown(&j.budget)),
        Column::new("job_type", |j| text(&j.job_type)),
        Column::new("start_date", |j| shown(&j.start_date)),
        Column::new("due_date", |j| shown(&j.due_date)),
        Column::new("completed_date", |j| shown(&j.completed_date)),
        Column::new("client_uuid", |j| ref_uuid(&j.client)),
        Column::new("client_name", |j| ref_name(&j.client)),
        Column::new("contact_uuid", |j| ref_uuid(&j.contact)),
        Column::new("contact_name", |j| ref_name(&j.contact)),
        Column::new("manager_uuid", |j| ref_uuid(&j.manager)),
        Column::new("manager_name", |j| ref_name(&j.manager)),
        Column::new("partner_uuid", |j| ref_uuid(&j.partner)),
        Column::new("partner_name", |j| ref_name(&j.partner)),
        Column::new("internal_id", |j| text(&j.internal_id)),
        Column::new("web_url", |j| text(&j.web_url)),
    ],
};

/// A job task with the number of the job it belongs to (XPM nests tasks inside jobs). Its raw
/// JSON is the task as XPM sent it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct TaskOfJob {
    #[serde(skip)]
    pub(crate) job_id: String,
    #[serde(flatten)]
    pub(crate) task: JobTask,
}

pub(crate) static JOB_TASKS: Table<TaskOfJob> = Table {
    name: "job_tasks",
    entity: EntityKind::JobTask,
    key_column: "uuid",
    key: |t| t.task.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("job_id", |t| crate::columns::Value::Text(Some(t.job_id.as_str().into()))),
        Column::new("task_uuid", |t| shown(&t.task.task_uuid)),
        Column::new("task_id", |t| text(&t.task.task_id)),
        Column::new("name", |t| text(&t.task.name)),
        Column::new("description", |t| text(&t.task.description)),
        Column::new("estimated_minutes", |t| int(&t.task.estimated_minutes)),
        Column::new("actual_minutes", |t| int(&t.task.actual_minutes)),
        Column::new("completed", |t| flag(&t.task.completed)),
        Column::new("billable", |t| flag(&t.task.billable)),
        Column::new("folder", |t| text(&t.task.folder)),
        Column::new("start_date", |t| shown(&t.task.start_date)),
        Column::new("due_date", |t| shown(&t.task.due_date)),
    ],
};

pub(crate) static TASK_TYPES: Table<Task> = Table {
    name: "task_types",
    entity: EntityKind::TaskType,
    key_column: "uuid",
    key: |task| task.uuid.map(|uuid| uuid.to_string()),
    columns: &[Column::new("name", |t| text(&t.name)), Column::new("description", |t| text(&t.description))],
};

pub(crate) static TIME_ENTRIES: Table<Time> = Table {
    name: "time_entries",
    entity: EntityKind::Time,
    key_column: "uuid",
    key: |time| time.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("job_id", |t| nested(t.job.as_ref().and_then(|job| job.id.as_ref()))),
        Column::new("job_name", |t| nested(t.job.as_ref().and_then(|job| job.name.as_ref()))),
        Column::new("task_uuid", |t| ref_uuid(&t.task)),
        Column::new("task_name", |t| ref_name(&t.task)),
        Column::new("staff_uuid", |t| ref_uuid(&t.staff)),
        Column::new("staff_name", |t| ref_name(&t.staff)),
        Column::new("date", |t| shown(&t.date)),
        Column::new("minutes", |t| int(&t.minutes)),
        Column::new("note", |t| text(&t.note)),
        Column::new("billable", |t| flag(&t.billable)),
        Column::new("start_time", |t| shown(&t.start)),
        Column::new("end_time", |t| shown(&t.end)),
        Column::new("invoice_task_uuid", |t| shown(&t.invoice_task_uuid)),
        Column::new("web_url", |t| text(&t.web_url)),
    ],
};

pub(crate) static CATEGORIES: Table<Category> = Table {
    name: "categories",
    entity: EntityKind::Category,
    key_column: "uuid",
    key: |category| category.uuid.map(|uuid| uuid.to_string()),
    columns: &[Column::new("name", |c| text(&c.name))],
};

/// What storing a batch of jobs did.
pub(crate) struct JobsOutcome {
    pub(crate) jobs: Upserted,
    pub(crate) tasks: Upserted,
}

/// Stores jobs, and the tasks of every job that carries them (detailed shape, `job.api/tasks`).
/// A task no longer on its job is marked removed.
pub(crate) async fn upsert_jobs(
    connection: &mut AnyConnection,
    context: &Context,
    jobs: &[Job],
) -> Result<JobsOutcome, StoreError> {
    let job_outcome = upsert(connection, context, &JOBS, jobs).await?;
    let mut tasks = Vec::new();
    let mut jobs_with_tasks = Vec::new();
    for job in jobs {
        if let (Some(list), Some(job_id)) = (&job.tasks, job.id.as_deref()) {
            jobs_with_tasks.push(job_id);
            tasks.extend(
                list.iter()
                    .filter(|task| task.uuid.is_some())
                    .map(|task| TaskOfJob { job_id: job_id.to_owned(), task: task.clone() }),
            );
        }
    }
    let task_outcome = upsert(connection, context, &JOB_TASKS, &tasks).await?;
    let kept: HashSet<&str> = task_outcome.keys.iter().map(String::as_str).collect();
    let vanished = tasks_no_longer_on(connection, context, &jobs_with_tasks, &kept).await?;
    mark_removed(connection, context, "job_tasks", EntityKind::JobTask, "uuid", &vanished).await?;
    Ok(JobsOutcome { jobs: job_outcome, tasks: task_outcome })
}

async fn tasks_no_longer_on(
    connection: &mut AnyConnection,
    context: &Context,
    jobs: &[&str],
    kept: &HashSet<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut vanished = Vec::new();
    for chunk in jobs.chunks(10_000) {
        let mut marks = Placeholders::new(context.backend);
        let sql = format!(
            "SELECT uuid FROM job_tasks WHERE tenant_id = {} AND removed_at IS NULL AND job_id IN ({})",
            marks.one(),
            marks.list(chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(context.tenant.as_str());
        for job in chunk {
            query = query.bind(*job);
        }
        for row in query.fetch_all(&mut *connection).await.map_err(StoreError::query("read of job_tasks"))? {
            let uuid: String = row.try_get(0).map_err(StoreError::query("read of job_tasks"))?;
            if !kept.contains(uuid.as_str()) {
                vanished.push(uuid);
            }
        }
    }
    Ok(vanished)
}

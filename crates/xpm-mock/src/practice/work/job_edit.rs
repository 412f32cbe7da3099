//! Changes to whole jobs: add, update, state, delete, notes, documents, templates, task order,
//! and quotes drafted from a job.

use std::sync::Arc;

use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;
use xpm_api::model::{Category, Document, Job, JobStaff, Note};
use xpm_api::request::{
    JobAddRequest, JobApplyTemplateRequest, JobDocumentRequest, JobNoteRequest, JobReorderTasksRequest,
    JobStateRequest, JobUpdateRequest, TaskMode,
};

use super::book::Work;
use super::custom_fields::ValueOwner;
use super::error::{WorkError, WorkResult};
use super::ids::{day, moment, money, on_day};
use super::job_parts::new_job_task;
use super::jobs::JobRecord;
use super::reference::StateKind;
use super::roster::Roster;
use crate::practice::patch::{nonblank, patch};

/// Who notes and documents written through the API are recorded as.
pub(crate) const API_AUTHOR: &str = "API";

/// Text that must be given and not blank.
pub(crate) fn required_text<'a>(value: &'a Option<String>, element: &str) -> WorkResult<&'a str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .ok_or_else(|| WorkError::invalid(format!("{element} is required")))
}

impl Work {
    /// `job.api/add`: a new job in the first current state, with the template's tasks.
    pub(crate) fn add_job(
        &mut self,
        roster: &dyn Roster,
        request: &JobAddRequest,
        now: NaiveDateTime,
    ) -> WorkResult<Arc<Job>> {
        let name = required_text(&request.name, "Name")?;
        let client_uuid = request.client_uuid.ok_or_else(|| WorkError::invalid("ClientUUID is required"))?;
        let client = roster
            .client_ref(client_uuid)
            .ok_or_else(|| WorkError::invalid(format!("client {client_uuid} not found")))?;
        let contact = request
            .contact_uuid
            .map(|uuid| roster.contact_ref(uuid).ok_or_else(|| WorkError::invalid(format!("contact {uuid} not found"))))
            .transpose()?;
        let start = request.start_date.ok_or_else(|| WorkError::invalid("StartDate is required (yyyyMMdd)"))?;
        let due = request.due_date.ok_or_else(|| WorkError::invalid("DueDate is required (yyyyMMdd)"))?;
        let template = request
            .template_uuid
            .map(|uuid| {
                self.reference
                    .template(uuid)
                    .cloned()
                    .ok_or_else(|| WorkError::invalid(format!("template {uuid} not found")))
            })
            .transpose()?;
        let category_uuid = request.category_uuid.or_else(|| {
            let template = template.as_ref()?;
            self.reference.categories.get(template.category)?.uuid
        });
        let category = self.given_category(category_uuid)?;
        let state = self
            .reference
            .first_state(StateKind::Current)
            .cloned()
            .ok_or_else(|| WorkError::invalid("the practice has no current job state"))?;
        let number = match request.id.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) if self.jobs.get(id).is_some() => {
                return Err(WorkError::Conflict(format!("job number {id} is already in use")));
            }
            Some(id) => id.to_owned(),
            None => self.jobs.next_number(),
        };
        let internal_id = self.jobs.next_internal_id();
        let mut job = Job::default();
        job.id = Some(number);
        job.uuid = Some(Uuid::new_v4());
        job.name = Some(name.to_owned());
        job.description = Some(request.description.clone().unwrap_or_default());
        job.state = Some(state.name().to_owned());
        job.client_order_number = Some(request.client_number.clone().unwrap_or_default());
        job.budget = request.budget.map(money);
        job.job_type = category.as_ref().and_then(|category| category.name.clone());
        job.start_date = Some(day(start.naive_date()));
        job.due_date = Some(day(due.naive_date()));
        job.client = Some(client);
        job.contact = contact;
        job.internal_id = Some(internal_id.to_string());
        job.assigned = Some(Vec::<JobStaff>::new());
        job.tasks = Some(
            template
                .iter()
                .flat_map(|template| template.tasks.iter())
                .filter_map(|task| {
                    let task_type = self.reference.task_types.get(task.task_type)?;
                    Some(new_job_task(task_type, None, None, task.estimated_minutes, None, None))
                })
                .collect(),
        );
        job.milestones = Some(Vec::new());
        job.notes = Some(Vec::new());
        job.web_url = Some(format!("https://practicemanager.xero.com/Job/{internal_id}/Detail"));
        let record = JobRecord {
            job: Arc::new(job),
            state_code: state.code,
            state_kind: state.kind,
            category: category.and_then(|category| category.uuid),
            created: now.date(),
            documents: Vec::new(),
            costs: Vec::new(),
        };
        let job = Arc::clone(&record.job);
        self.jobs.insert(record)?;
        Ok(job)
    }

    /// The category a request names, which must exist.
    fn given_category(&self, uuid: Option<Uuid>) -> WorkResult<Option<Arc<Category>>> {
        uuid.map(|uuid| {
            self.reference
                .category(uuid)
                .cloned()
                .ok_or_else(|| WorkError::invalid(format!("category {uuid} not found")))
        })
        .transpose()
    }

    /// `job.api/update`: changes the fields the request gives.
    pub(crate) fn update_job(&mut self, request: &JobUpdateRequest) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.id, "ID")?;
        let category = self.given_category(request.category_uuid)?;
        let record = self.jobs.require_mut(id)?;
        patch!(record; category <- (category.as_ref().map(|category| category.uuid)),);
        let job = record.job_mut();
        patch!(job, request;
            name <- (nonblank(&request.name)),
            description,
            start_date => on_day,
            due_date => on_day,
            client_order_number <- client_number,
            budget => money,
            job_type <- (category.map(|category| category.name.clone())),
        );
        Ok(Arc::clone(&record.job))
    }

    /// `job.api/state`: moves the job to the state with the given interface code. Completing a
    /// job sets its completed date; moving it on from completed clears it.
    pub(crate) fn set_state(&mut self, request: &JobStateRequest, today: NaiveDate) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.id, "ID")?;
        let code = required_text(&request.state, "State")?;
        let state = self.reference.state_by_code(code).cloned().ok_or_else(|| {
            WorkError::invalid(format!(
                "'{code}' is not the interface code of a job state; use one of: {}",
                self.reference.state_codes()
            ))
        })?;
        let record = self.jobs.require_mut(id)?;
        record.state_code = state.code;
        record.state_kind = state.kind;
        let job = record.job_mut();
        job.state = Some(state.name().to_owned());
        job.completed_date = (state.kind == StateKind::Completed).then(|| day(today));
        Ok(Arc::clone(&record.job))
    }

    /// `job.api/delete`: removes the job with its time entries and custom field values.
    pub(crate) fn delete_job(&mut self, id: &str) -> WorkResult<()> {
        let record = self.jobs.remove(id).ok_or_else(|| super::jobs::job_not_found(id))?;
        for time in self.times.remove_job(record.number()) {
            if let Some(uuid) = time.uuid {
                self.custom_fields.forget_owner(&ValueOwner::Time(uuid));
            }
        }
        for task in record.tasks().iter().filter_map(|task| task.uuid) {
            self.custom_fields.forget_owner(&ValueOwner::JobTask(task));
        }
        for cost in record.costs.iter().filter_map(|cost| cost.uuid) {
            self.custom_fields.forget_owner(&ValueOwner::JobCost(cost));
        }
        self.custom_fields.forget_owner(&ValueOwner::job(record.number()));
        Ok(())
    }

    /// `job.api/note`: adds a note dated `now`.
    pub(crate) fn add_note(&mut self, request: &JobNoteRequest, now: NaiveDateTime) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.job, "Job")?;
        let title = required_text(&request.title, "Title")?;
        let record = self.jobs.require_mut(id)?;
        let mut note = Note::default();
        note.uuid = Some(Uuid::new_v4());
        note.title = Some(title.to_owned());
        note.text = Some(request.text.clone().unwrap_or_default());
        note.folder = Some(request.folder.clone().unwrap_or_default());
        note.date = Some(moment(now));
        note.created_by = Some(API_AUTHOR.to_owned());
        note.comments = Some(Vec::new());
        record.job_mut().notes.get_or_insert_with(Vec::new).push(note);
        Ok(Arc::clone(&record.job))
    }

    /// `job.api/document`: stores a document whose content is valid base64.
    pub(crate) fn add_document(&mut self, request: &JobDocumentRequest, now: NaiveDateTime) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.job, "Job")?;
        let file_name = required_text(&request.file_name, "FileName")?;
        let content = required_text(&request.content, "Content")?;
        if base64::engine::general_purpose::STANDARD.decode(content).is_err() {
            return Err(WorkError::invalid("Content must be the file's bytes in base64"));
        }
        let record = self.jobs.require_mut(id)?;
        let uuid = Uuid::new_v4();
        let mut document = Document::default();
        document.title = Some(request.title.clone().unwrap_or_else(|| file_name.to_owned()));
        document.text = Some(request.text.clone().unwrap_or_default());
        document.folder = Some(request.folder.clone().unwrap_or_default());
        document.date = Some(moment(now));
        document.created_by = Some(API_AUTHOR.to_owned());
        document.file_name = Some(file_name.to_owned());
        document.url = Some(format!("https://practicemanager.xero.com/Document/Download/{uuid}"));
        record.documents.push(Arc::new(document));
        Ok(Arc::clone(&record.job))
    }

    /// `job.api/applytemplate`: adds the template's tasks. `AppendExisting` adds a template
    /// task's estimate to a job task of the same type instead of adding a second one.
    pub(crate) fn apply_template(&mut self, request: &JobApplyTemplateRequest) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.id, "ID")?;
        let template_uuid = request.template_uuid.ok_or_else(|| WorkError::invalid("TemplateUUID is required"))?;
        let template = self
            .reference
            .template(template_uuid)
            .cloned()
            .ok_or_else(|| WorkError::invalid(format!("template {template_uuid} not found")))?;
        let mode = request.task_mode.unwrap_or(TaskMode::AddNew);
        let task_types = self.reference.task_types.clone();
        let record = self.jobs.require_mut(id)?;
        let mut added = Vec::new();
        for template_task in &template.tasks {
            let Some(task_type) = task_types.get(template_task.task_type) else { continue };
            let tasks = record.job_mut().tasks.get_or_insert_with(Vec::new);
            let existing = tasks.iter_mut().find(|task| task.task_uuid == task_type.uuid);
            match (mode, existing) {
                (TaskMode::AppendExisting, Some(task)) => {
                    let estimate = task.estimated_minutes.unwrap_or_default() + template_task.estimated_minutes;
                    task.estimated_minutes = Some(estimate);
                }
                _ => {
                    let task = new_job_task(task_type, None, None, template_task.estimated_minutes, None, None);
                    added.extend(task.uuid);
                    tasks.push(task);
                }
            }
        }
        let number = record.number().to_owned();
        let job = Arc::clone(&record.job);
        for task in added {
            self.jobs.index_task(&number, task);
        }
        Ok(job)
    }

    /// `job.api/reordertasks`: puts the listed tasks first, in the given order; tasks left out
    /// keep their relative order after them.
    pub(crate) fn reorder_tasks(&mut self, request: &JobReorderTasksRequest) -> WorkResult<Arc<Job>> {
        let id = required_text(&request.id, "ID")?;
        let record = self.jobs.require_mut(id)?;
        let mut order: Vec<Uuid> = Vec::new();
        for (index, item) in request.tasks.iter().flatten().enumerate() {
            let uuid = item.uuid.ok_or_else(|| WorkError::invalid(format!("Tasks/Task[{index}] needs a UUID")))?;
            if record.task(uuid).is_none() {
                return Err(WorkError::invalid(format!("task {uuid} is not on job {}", record.number())));
            }
            if !order.contains(&uuid) {
                order.push(uuid);
            }
        }
        let job = record.job_mut();
        let tasks = job.tasks.take().unwrap_or_default();
        let (mut listed, rest): (Vec<_>, Vec<_>) =
            tasks.into_iter().partition(|task| task.uuid.is_some_and(|uuid| order.contains(&uuid)));
        listed.sort_by_key(|task| order.iter().position(|uuid| Some(*uuid) == task.uuid));
        listed.extend(rest);
        job.tasks = Some(listed);
        Ok(Arc::clone(&record.job))
    }

    /// `job.api/createquote` / `createestimate`: drafts a quote of `kind` from the job.
    pub(crate) fn draft_quote(&mut self, id: &str, kind: &str, today: NaiveDate) -> WorkResult<String> {
        let record = self.jobs.require(id)?;
        Ok(self.billing.draft_from_job(record, kind, today))
    }
}

//! The jobs store: jobs by number, with indexes from job tasks and job costs back to their job.
//!
//! Each job is kept in its detailed wire shape behind an `Arc`, so a list reply shares the
//! stored jobs instead of copying them; a change copies one job (`Arc::make_mut`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use uuid::Uuid;
use xpm_api::model::{Document, Job, JobCost, JobTask};

use super::error::{WorkError, WorkResult};
use super::ids::number;
use super::reference::StateKind;

/// A job and what the API shows of it only through other endpoints.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct JobRecord {
    /// The job in its detailed (`get`) shape.
    pub(crate) job: Arc<Job>,
    /// The interface code of the job's state.
    #[serde(with = "super::reference::state_code")]
    pub(crate) state_code: super::reference::StateCode,
    /// Whether the state is current, completed or cancelled.
    pub(crate) state_kind: StateKind,
    /// The job category, shown as the job's `Type`.
    pub(crate) category: Option<Uuid>,
    /// When the job was created: what `job.api/list?from&to` windows select on.
    pub(crate) created: NaiveDate,
    /// Documents (`job.api/documents`).
    pub(crate) documents: Vec<Arc<Document>>,
    /// Costs recorded on the job (`job.api/costs`).
    pub(crate) costs: Vec<Arc<JobCost>>,
}

impl JobRecord {
    /// The job number.
    pub(crate) fn number(&self) -> &str {
        self.job.id.as_deref().unwrap_or_default()
    }

    /// The job's name.
    pub(crate) fn name(&self) -> &str {
        self.job.name.as_deref().unwrap_or_default()
    }

    /// The job for changing (copied first if a reply still shares it).
    pub(crate) fn job_mut(&mut self) -> &mut Job {
        Arc::make_mut(&mut self.job)
    }

    /// The job's tasks.
    pub(crate) fn tasks(&self) -> &[JobTask] {
        self.job.tasks.as_deref().unwrap_or_default()
    }

    /// The job task with identifier `uuid`.
    pub(crate) fn task(&self, uuid: Uuid) -> Option<&JobTask> {
        self.tasks().iter().find(|task| task.uuid == Some(uuid))
    }

    /// The job task with identifier `uuid`, for changing.
    pub(crate) fn task_mut(&mut self, uuid: Uuid) -> Option<&mut JobTask> {
        self.job_mut().tasks.get_or_insert_with(Vec::new).iter_mut().find(|task| task.uuid == Some(uuid))
    }

    /// Whether the job is still being worked on.
    pub(crate) fn is_current(&self) -> bool {
        self.state_kind == StateKind::Current
    }
}

/// Every job of the practice.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Jobs {
    /// Jobs in creation order.
    records: BTreeMap<u64, JobRecord>,
    /// Upper-cased job number to record key.
    by_number: HashMap<String, u64>,
    /// Job task to record key.
    by_task: HashMap<Uuid, u64>,
    /// Job cost to record key.
    by_cost: HashMap<Uuid, u64>,
    next_key: u64,
    next_number: u32,
    next_internal_id: u64,
}

/// Job numbers are matched case-insensitively.
fn key_of(number: &str) -> String {
    number.trim().to_ascii_uppercase()
}

impl Jobs {
    /// Every job, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &JobRecord> {
        self.records.values()
    }

    /// How many jobs there are.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// The job numbered `number`.
    pub(crate) fn get(&self, number: &str) -> Option<&JobRecord> {
        self.by_number.get(&key_of(number)).and_then(|key| self.records.get(key))
    }

    /// The job numbered `number`, for changing.
    pub(crate) fn get_mut(&mut self, number: &str) -> Option<&mut JobRecord> {
        let key = *self.by_number.get(&key_of(number))?;
        self.records.get_mut(&key)
    }

    /// The job numbered `number`, or a not-found error naming it.
    pub(crate) fn require(&self, number: &str) -> WorkResult<&JobRecord> {
        self.get(number).ok_or_else(|| job_not_found(number))
    }

    /// The job numbered `number` for changing, or a not-found error naming it.
    pub(crate) fn require_mut(&mut self, number: &str) -> WorkResult<&mut JobRecord> {
        self.get_mut(number).ok_or_else(|| job_not_found(number))
    }

    /// The job holding job task `task`.
    pub(crate) fn by_task(&self, task: Uuid) -> Option<&JobRecord> {
        self.by_task.get(&task).and_then(|key| self.records.get(key))
    }

    /// The job holding job task `task`, for changing.
    pub(crate) fn by_task_mut(&mut self, task: Uuid) -> Option<&mut JobRecord> {
        let key = *self.by_task.get(&task)?;
        self.records.get_mut(&key)
    }

    /// The job holding job cost `cost`.
    pub(crate) fn by_cost(&self, cost: Uuid) -> Option<&JobRecord> {
        self.by_cost.get(&cost).and_then(|key| self.records.get(key))
    }

    /// The job holding job cost `cost`, for changing.
    pub(crate) fn by_cost_mut(&mut self, cost: Uuid) -> Option<&mut JobRecord> {
        let key = *self.by_cost.get(&cost)?;
        self.records.get_mut(&key)
    }

    /// The next free number in the practice's `J000001` sequence.
    pub(crate) fn next_number(&mut self) -> String {
        loop {
            self.next_number += 1;
            let candidate = number('J', self.next_number);
            if !self.by_number.contains_key(&candidate) {
                return candidate;
            }
        }
    }

    /// A new internal job id, as used in the job's web address.
    pub(crate) fn next_internal_id(&mut self) -> u64 {
        self.next_internal_id += 1;
        1_200_000 + self.next_internal_id
    }

    /// Stores a new job, indexing its tasks and costs.
    pub(crate) fn insert(&mut self, record: JobRecord) -> WorkResult<()> {
        let number_key = key_of(record.number());
        if number_key.is_empty() {
            return Err(WorkError::invalid("a job needs a job number"));
        }
        if self.by_number.contains_key(&number_key) {
            return Err(WorkError::Conflict(format!("job number {} is already in use", record.number())));
        }
        let key = self.next_key;
        self.next_key += 1;
        for task in record.tasks() {
            if let Some(uuid) = task.uuid {
                self.by_task.insert(uuid, key);
            }
        }
        for cost in &record.costs {
            if let Some(uuid) = cost.uuid {
                self.by_cost.insert(uuid, key);
            }
        }
        self.by_number.insert(number_key, key);
        self.records.insert(key, record);
        Ok(())
    }

    /// Removes the job numbered `number` with its indexes.
    pub(crate) fn remove(&mut self, number: &str) -> Option<JobRecord> {
        let key = self.by_number.remove(&key_of(number))?;
        let record = self.records.remove(&key)?;
        for task in record.tasks() {
            if let Some(uuid) = task.uuid {
                self.by_task.remove(&uuid);
            }
        }
        for cost in &record.costs {
            if let Some(uuid) = cost.uuid {
                self.by_cost.remove(&uuid);
            }
        }
        Some(record)
    }

    /// Records that job task `task` now belongs to job `number`.
    pub(crate) fn index_task(&mut self, number: &str, task: Uuid) {
        if let Some(key) = self.by_number.get(&key_of(number)) {
            self.by_task.insert(task, *key);
        }
    }

    /// Records that job cost `cost` now belongs to job `number`.
    pub(crate) fn index_cost(&mut self, number: &str, cost: Uuid) {
        if let Some(key) = self.by_number.get(&key_of(number)) {
            self.by_cost.insert(cost, *key);
        }
    }
}

/// The error for an unknown job number.
pub(crate) fn job_not_found(number: &str) -> WorkError {
    WorkError::not_found(format!("job {} not found", number.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(number: &str, task: Uuid) -> JobRecord {
        let mut job = Job::default();
        job.id = Some(number.to_owned());
        let mut job_task = JobTask::default();
        job_task.uuid = Some(task);
        job.tasks = Some(vec![job_task]);
        JobRecord {
            job: Arc::new(job),
            state_code: "PLANNED",
            state_kind: StateKind::Current,
            category: None,
            created: NaiveDate::default(),
            documents: Vec::new(),
            costs: Vec::new(),
        }
    }

    #[test]
    fn numbers_are_unique_case_insensitively_and_the_sequence_skips_custom_ones() {
        let mut jobs = Jobs::default();
        let task = Uuid::from_u128(7);
        assert_eq!(jobs.insert(record("J000002", task)), Ok(()));
        assert!(matches!(jobs.insert(record("j000002", Uuid::nil())), Err(WorkError::Conflict(_))));
        assert_eq!(jobs.next_number(), "J000001");
        assert_eq!(jobs.next_number(), "J000003");
        assert_eq!(jobs.by_task(task).map(JobRecord::number), Some("J000002"));
        assert!(jobs.remove("j000002").is_some());
        assert!(jobs.by_task(task).is_none());
    }
}

//! The practice's reference lists: task types, job categories, job states and job templates.
//!
//! XPM admins define these in the web app; the API only reads them. Job states carry an
//! interface code besides their name, because `job.api/state` takes the code while
//! `jobstate.api/list` shows only the name.

use std::sync::Arc;

use rand::Rng;
use uuid::Uuid;
use xpm_api::model::{Category, JobState, Task, Template};

use super::ids::random_uuid;

/// Task types: name and description.
const TASK_TYPES: &[(&str, &str)] = &[
    ("Bookkeeping", "Coding and reconciling transactions"),
    ("GST return", "Preparing and lodging the GST return"),
    ("BAS preparation", "Preparing the business activity statement"),
    ("IAS preparation", "Preparing the instalment activity statement"),
    ("Tax return - individual", "Individual income tax return"),
    ("Tax return - company", "Company income tax return"),
    ("Tax return - trust", "Trust income tax return"),
    ("Tax return - partnership", "Partnership income tax return"),
    ("Financial statements", "Annual financial statements and notes"),
    ("Year-end accounts", "Year-end adjustments and working papers"),
    ("Management accounts", "Monthly or quarterly management reporting"),
    ("Payroll processing", "Pay runs, STP filing and payslips"),
    ("Bank reconciliation", "Reconciling bank and credit card accounts"),
    ("Audit preparation", "Preparing the audit file"),
    ("Advisory meeting", "Meeting with the client"),
    ("Budget and forecast", "Budgets, cash flow forecasts and scenarios"),
    ("Tax planning", "Pre-year-end tax planning"),
    ("Provisional tax", "Provisional tax calculations and payments"),
    ("FBT return", "Fringe benefits tax return"),
    ("Company secretarial", "Registers, minutes and resolutions"),
    ("ASIC annual review", "Annual company statement and solvency resolution"),
    ("Super fund administration", "Self-managed super fund administration"),
    ("Client onboarding", "Engagement letter, ID checks and handover"),
    ("Data entry", "Entering source documents"),
    ("Review and sign-off", "Manager and partner review"),
    ("Admin", "Non-chargeable administration"),
];

/// Job categories.
const CATEGORIES: &[&str] =
    &["Compliance", "Tax", "Advisory", "Bookkeeping", "Payroll", "Audit", "Company Secretarial", "Consulting"];

/// A job state: display name, interface code, and whether a job in it is still current.
const JOB_STATES: &[(&str, &str, StateKind)] = &[
    ("Planned", "PLANNED", StateKind::Current),
    ("In Progress", "INPROGRESS", StateKind::Current),
    ("Waiting on Client", "WAITINGCLIENT", StateKind::Current),
    ("Ready for Review", "REVIEW", StateKind::Current),
    ("On Hold", "ONHOLD", StateKind::Current),
    ("Completed", "COMPLETED", StateKind::Completed),
    ("Cancelled", "CANCELLED", StateKind::Cancelled),
];

/// A template's tasks as (task type index, estimated minutes).
type TemplatePlan = &'static [(usize, i32)];

/// Job templates: name, category index, and tasks.
const TEMPLATES: &[(&str, usize, TemplatePlan)] = &[
    ("Individual tax return", 1, &[(22, 30), (4, 180), (24, 30)]),
    ("Company annual compliance", 0, &[(9, 480), (8, 360), (5, 240), (20, 60), (24, 90)]),
    ("Trust annual compliance", 0, &[(9, 360), (8, 300), (6, 180), (24, 60)]),
    ("Quarterly BAS", 0, &[(12, 120), (2, 90), (24, 30)]),
    ("Monthly bookkeeping", 3, &[(0, 360), (12, 120)]),
    ("Payroll month", 4, &[(11, 240)]),
    ("Advisory session", 2, &[(14, 90), (15, 240)]),
    ("SMSF annual", 0, &[(21, 300), (13, 240), (24, 60)]),
];

/// A job state's interface code: one of [`JOB_STATES`]' codes. A named type because serde's
/// derive borrows every field spelled `&str` from its input, which would tie the records holding
/// one to input that lives forever.
pub(crate) type StateCode = &'static str;

/// A job state's interface code in the state file: written as text, read back as the code this
/// build knows (the codes are fixed, like the states a practice is generated with).
pub(crate) mod state_code {
    use serde::de::Error as _;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(code: &&'static str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(code)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
        let code = String::deserialize(deserializer)?;
        super::JOB_STATES
            .iter()
            .map(|(_, known, _)| *known)
            .find(|known| *known == code)
            .ok_or_else(|| D::Error::custom(format!("`{code}` is not a job state code this emulator knows")))
    }
}

/// What a job in a state counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum StateKind {
    /// Still being worked on: listed by `job.api/current`.
    Current,
    /// Done; the job gets a completed date.
    Completed,
    /// Abandoned.
    Cancelled,
}

/// A job state with its interface code.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct JobStateEntry {
    /// The wire shape (`UUID`, `Name`).
    pub(crate) state: Arc<JobState>,
    /// The interface code `job.api/state` takes.
    #[serde(with = "state_code")]
    pub(crate) code: StateCode,
    /// Whether jobs in this state are current, completed or cancelled.
    pub(crate) kind: StateKind,
}

impl JobStateEntry {
    /// The display name.
    pub(crate) fn name(&self) -> &str {
        self.state.name.as_deref().unwrap_or_default()
    }
}

/// A template's task: a task type and its estimate.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub(crate) struct TemplateTask {
    /// Index into [`Reference::task_types`].
    pub(crate) task_type: usize,
    /// Estimated minutes.
    pub(crate) estimated_minutes: i32,
}

/// A job template with the tasks it adds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct TemplateEntry {
    /// The wire shape (`UUID`, `Name`).
    pub(crate) template: Arc<Template>,
    /// Index into [`Reference::categories`].
    pub(crate) category: usize,
    /// The tasks a job gets from it.
    pub(crate) tasks: Vec<TemplateTask>,
}

/// Task types, categories, job states and templates.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Reference {
    /// Task types (`task.api`).
    pub(crate) task_types: Vec<Arc<Task>>,
    /// Job categories (`category.api`).
    pub(crate) categories: Vec<Arc<Category>>,
    /// Job states (`jobstate.api`) with interface codes.
    pub(crate) job_states: Vec<JobStateEntry>,
    /// Templates (`template.api`).
    pub(crate) templates: Vec<TemplateEntry>,
}

impl Reference {
    /// The practice's lists, with identifiers drawn from `random`.
    pub(crate) fn generate(random: &mut impl Rng) -> Self {
        let task_types = TASK_TYPES
            .iter()
            .map(|(name, description)| {
                let mut task = Task::default();
                task.uuid = Some(random_uuid(random));
                task.name = Some((*name).to_owned());
                task.description = Some((*description).to_owned());
                Arc::new(task)
            })
            .collect();
        let categories = CATEGORIES
            .iter()
            .map(|name| {
                let mut category = Category::default();
                category.uuid = Some(random_uuid(random));
                category.name = Some((*name).to_owned());
                Arc::new(category)
            })
            .collect();
        let job_states = JOB_STATES
            .iter()
            .map(|(name, code, kind)| {
                let mut state = JobState::default();
                state.uuid = Some(random_uuid(random));
                state.name = Some((*name).to_owned());
                JobStateEntry { state: Arc::new(state), code, kind: *kind }
            })
            .collect();
        let templates = TEMPLATES
            .iter()
            .map(|(name, category, tasks)| {
                let mut template = Template::default();
                template.uuid = Some(random_uuid(random));
                template.name = Some((*name).to_owned());
                let tasks = tasks
                    .iter()
                    .map(|&(task_type, estimated_minutes)| TemplateTask { task_type, estimated_minutes })
                    .collect();
                TemplateEntry { template: Arc::new(template), category: *category, tasks }
            })
            .collect();
        Self { task_types, categories, job_states, templates }
    }

    /// The task type with identifier `uuid`.
    pub(crate) fn task_type(&self, uuid: Uuid) -> Option<&Arc<Task>> {
        self.task_types.iter().find(|task| task.uuid == Some(uuid))
    }

    /// The category with identifier `uuid`.
    pub(crate) fn category(&self, uuid: Uuid) -> Option<&Arc<Category>> {
        self.categories.iter().find(|category| category.uuid == Some(uuid))
    }

    /// The job state whose interface code is `code` (case-insensitive, as XPM admin codes are
    /// upper case by convention but typed by people).
    pub(crate) fn state_by_code(&self, code: &str) -> Option<&JobStateEntry> {
        let code = code.trim();
        self.job_states.iter().find(|state| state.code.eq_ignore_ascii_case(code))
    }

    /// The first state of `kind` (new jobs start in the first current state).
    pub(crate) fn first_state(&self, kind: StateKind) -> Option<&JobStateEntry> {
        self.job_states.iter().find(|state| state.kind == kind)
    }

    /// The template with identifier `uuid`.
    pub(crate) fn template(&self, uuid: Uuid) -> Option<&TemplateEntry> {
        self.templates.iter().find(|template| template.template.uuid == Some(uuid))
    }

    /// Interface codes, for error messages.
    pub(crate) fn state_codes(&self) -> String {
        self.job_states.iter().map(|state| state.code).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn templates_refer_to_known_task_types_and_categories() {
        for (name, category, tasks) in TEMPLATES {
            assert!(*category < CATEGORIES.len(), "{name}");
            assert!(tasks.iter().all(|(task_type, _)| *task_type < TASK_TYPES.len()), "{name}");
        }
    }

    #[test]
    fn states_are_found_by_interface_code_not_name() {
        let reference = Reference::generate(&mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(reference.state_by_code("inprogress").map(JobStateEntry::name), Some("In Progress"));
        assert!(reference.state_by_code("In Progress").is_none());
        assert_eq!(reference.task_types.len(), TASK_TYPES.len());
    }
}

//! Seeded jobs: spread over the last eighteen months, with tasks, staff, milestones, notes and
//! costs, in states that fit their dates.

use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use xpm_api::model::{Job, JobCost, JobTask, Milestone, NamedRef, Note, NoteComment};
use xpm_api::value::Decimal;
use xpm_synth::work_words::{self, pick};

use crate::practice::work::billing::{hourly_rate, time_amount};
use crate::practice::work::ids::{cents, day, moment, money, number, random_uuid};
use crate::practice::work::job_parts::job_staff;
use crate::practice::work::jobs::JobRecord;
use crate::practice::work::reference::{JobStateEntry, Reference, StateKind};
use crate::practice::work::roster::RosterClient;

/// How far back the oldest seeded job was created.
pub(super) const HISTORY_DAYS: u64 = 540;

/// Generates `count` jobs numbered `J000001` onwards, oldest first.
pub(super) fn generate(
    reference: &Reference,
    clients: &[RosterClient],
    staff: &[NamedRef],
    count: usize,
    today: NaiveDate,
    random: &mut impl Rng,
) -> Vec<JobRecord> {
    if clients.is_empty() || staff.is_empty() {
        return Vec::new();
    }
    let mut created: Vec<NaiveDate> =
        (0..count).map(|_| today - Days::new(random.random_range(0..=HISTORY_DAYS))).collect();
    created.sort_unstable();
    created
        .into_iter()
        .enumerate()
        .filter_map(|(index, created)| {
            let client = &clients[(index * 3 + random.random_range(0..3)) % clients.len()];
            build_job(reference, client, staff, index, created, today, random)
        })
        .collect()
}

fn build_job(
    reference: &Reference,
    client: &RosterClient,
    staff: &[NamedRef],
    index: usize,
    created: NaiveDate,
    today: NaiveDate,
    random: &mut impl Rng,
) -> Option<JobRecord> {
    let template = reference.templates.choose(random);
    let start = created + Days::new(random.random_range(0..10));
    let due = start + Days::new(random.random_range(14..120));
    let state = pick_state(reference, start, due, today, random)?;
    let completed = match state.kind {
        StateKind::Completed => Some((due - Days::new(random.random_range(0..10))).clamp(start, today)),
        _ => None,
    };
    let category = template
        .and_then(|template| reference.categories.get(template.category))
        .or_else(|| reference.categories.choose(random));
    let team_size = random.random_range(1..=3);
    let mut team: Vec<NamedRef> = staff.choose_multiple(random, team_size).cloned().collect();
    team.shuffle(random);
    let tasks =
        build_tasks(reference, template.map(|template| template.tasks.as_slice()), &team, state, start, due, random);
    let estimate: i32 = tasks.iter().filter_map(|task| task.estimated_minutes).sum();
    let internal_id = 1_100_001 + index as u64;

    let mut job = Job::default();
    job.id = Some(number('J', index as u32 + 1));
    job.uuid = Some(random_uuid(random));
    job.name = Some(job_name(template.map(|template| template.template.name.as_deref().unwrap_or_default()), start));
    job.description = Some(format!("{} for {}", job.name.as_deref().unwrap_or_default(), client_name(client)));
    job.state = Some(state.name().to_owned());
    job.client_order_number = Some(if random.random_bool(0.2) {
        format!("PO-{}", random.random_range(10_000..99_999))
    } else {
        String::new()
    });
    job.budget = random.random_bool(0.6).then(|| money(time_amount(estimate, hourly_rate())));
    job.job_type = category.and_then(|category| category.name.clone());
    job.start_date = Some(day(start));
    job.due_date = Some(day(due));
    job.completed_date = completed.map(day);
    job.client = Some(client.client.clone());
    job.contact = client.contact.clone();
    job.manager = team.first().cloned();
    job.partner = random.random_bool(0.9).then(|| staff.choose(random).cloned()).flatten();
    job.internal_id = Some(internal_id.to_string());
    job.assigned = Some(team.iter().map(|member| job_staff(member, None)).collect());
    job.tasks = Some(tasks);
    job.milestones = Some(build_milestones(start, due, today, random));
    job.notes = Some(build_notes(&team, created, today, random));
    job.web_url = Some(format!("https://practicemanager.xero.com/Job/{internal_id}/Detail"));

    Some(JobRecord {
        job: Arc::new(job),
        state_code: state.code,
        state_kind: state.kind,
        category: category.and_then(|category| category.uuid),
        created,
        documents: Vec::new(),
        costs: build_costs(start, today, random),
    })
}

fn client_name(client: &RosterClient) -> &str {
    client.client.name.as_deref().unwrap_or_default()
}

/// `Quarterly BAS - Mar 2025`, `Individual tax return - FY2025`.
fn job_name(template: Option<&str>, start: NaiveDate) -> String {
    let template = template.unwrap_or("General work");
    let financial_year = if start.month() >= 7 { start.year() + 1 } else { start.year() };
    if template.contains("tax") || template.contains("annual") || template.contains("compliance") {
        format!("{template} - FY{financial_year}")
    } else {
        format!("{template} - {}", start.format("%b %Y"))
    }
}

/// A state that fits the dates: long-overdue jobs are mostly completed, future ones planned.
fn pick_state<'a>(
    reference: &'a Reference,
    start: NaiveDate,
    due: NaiveDate,
    today: NaiveDate,
    random: &mut impl Rng,
) -> Option<&'a JobStateEntry> {
    let code = if due + Days::new(21) < today {
        match random.random_range(0..100) {
            0..85 => "COMPLETED",
            85..90 => "CANCELLED",
            90..95 => "WAITINGCLIENT",
            _ => "INPROGRESS",
        }
    } else if start > today {
        "PLANNED"
    } else {
        match random.random_range(0..100) {
            0..50 => "INPROGRESS",
            50..65 => "WAITINGCLIENT",
            65..80 => "REVIEW",
            80..90 => "PLANNED",
            _ => "ONHOLD",
        }
    };
    reference.state_by_code(code).or_else(|| reference.job_states.first())
}

fn build_tasks(
    reference: &Reference,
    template: Option<&[crate::practice::work::reference::TemplateTask]>,
    team: &[NamedRef],
    state: &JobStateEntry,
    start: NaiveDate,
    due: NaiveDate,
    random: &mut impl Rng,
) -> Vec<JobTask> {
    let plan: Vec<(usize, i32)> = match template {
        Some(tasks) => tasks.iter().map(|task| (task.task_type, task.estimated_minutes)).collect(),
        None => (0..random.random_range(2..=5))
            .map(|_| (random.random_range(0..reference.task_types.len()), random.random_range(2..=24) * 15))
            .collect(),
    };
    let done = match state.kind {
        StateKind::Completed => plan.len(),
        StateKind::Cancelled => 0,
        StateKind::Current => random.random_range(0..=plan.len()),
    };
    let span = (due - start).num_days().max(1) as u64;
    plan.into_iter()
        .enumerate()
        .filter_map(|(position, (task_type, estimate))| {
            let task_type = reference.task_types.get(task_type)?;
            let mut task = JobTask::default();
            task.uuid = Some(random_uuid(random));
            task.task_uuid = task_type.uuid;
            task.name = task_type.name.clone();
            task.description = Some(String::new());
            let variance = random.random_range(-2..=4) * 15;
            task.estimated_minutes = Some((estimate + variance).max(15));
            task.actual_minutes = Some(0);
            task.completed = Some(position < done);
            task.billable = Some(task_type.name.as_deref() != Some("Admin") && random.random_bool(0.95));
            task.folder = Some(pick(random, work_words::FOLDERS).to_owned());
            if random.random_bool(0.6) {
                let task_start = start + Days::new(random.random_range(0..span));
                let task_due = task_start + Days::new(random.random_range(1..=14));
                task.start_date = Some(day(task_start));
                task.due_date = Some(day(task_due));
                let member = team.choose(random).cloned().unwrap_or_default();
                task.assigned = Some(vec![job_staff(&member, task.estimated_minutes)]);
            }
            Some(task)
        })
        .collect()
}

fn build_milestones(start: NaiveDate, due: NaiveDate, today: NaiveDate, random: &mut impl Rng) -> Vec<Milestone> {
    let span = (due - start).num_days().max(1) as u64;
    (0..random.random_range(0..=2))
        .map(|_| {
            let date = start + Days::new(random.random_range(0..=span));
            let mut milestone = Milestone::default();
            milestone.uuid = Some(random_uuid(random));
            milestone.date = Some(day(date));
            milestone.description = Some(pick(random, work_words::MILESTONES).to_owned());
            milestone.completed = Some(date < today && random.random_bool(0.8));
            milestone.folder = Some(String::new());
            milestone
        })
        .collect()
}

fn build_notes(team: &[NamedRef], created: NaiveDate, today: NaiveDate, random: &mut impl Rng) -> Vec<Note> {
    let age = (today - created).num_days().max(0) as u64;
    (0..random.random_range(0..=2))
        .map(|_| {
            let (title, body) = work_words::NOTES.choose(random).copied().unwrap_or_default();
            let author = team.choose(random).and_then(|member| member.name.clone()).unwrap_or_default();
            let date = created + Days::new(random.random_range(0..=age));
            let mut note = Note::default();
            note.uuid = Some(random_uuid(random));
            note.title = Some(title.to_owned());
            note.text = Some(body.to_owned());
            note.folder = Some(pick(random, work_words::FOLDERS).to_owned());
            note.date = Some(moment(date.and_time(clock(random))));
            note.created_by = Some(author);
            let comments = (0..random.random_range(0..=1))
                .map(|_| {
                    let mut comment = NoteComment::default();
                    comment.uuid = Some(random_uuid(random));
                    comment.text = Some(pick(random, work_words::COMMENTS).to_owned());
                    comment.date = Some(moment(date.and_time(clock(random))));
                    comment.created_by = team.choose(random).and_then(|member| member.name.clone());
                    comment
                })
                .collect();
            note.comments = Some(comments);
            note
        })
        .collect()
}

/// A time of the working day.
fn clock(random: &mut impl Rng) -> NaiveTime {
    NaiveTime::from_hms_opt(random.random_range(8..18), random.random_range(0..60), random.random_range(0..60))
        .unwrap_or(NaiveTime::MIN)
}

fn build_costs(start: NaiveDate, today: NaiveDate, random: &mut impl Rng) -> Vec<Arc<JobCost>> {
    if !random.random_bool(0.3) {
        return Vec::new();
    }
    (0..random.random_range(1..=3))
        .map(|_| {
            let (description, code, unit_cost, unit_price) =
                work_words::DISBURSEMENTS.choose(random).copied().unwrap_or_default();
            let mut cost = JobCost::default();
            cost.uuid = Some(random_uuid(random));
            cost.date = Some(day(start.min(today)));
            cost.description = Some(description.to_owned());
            cost.code = Some(code.to_owned());
            cost.note = Some(String::new());
            cost.quantity = Some(Decimal::new(random.random_range(1..=3) * 100, 2));
            cost.unit_cost = Some(cents(unit_cost));
            cost.unit_price = Some(cents(unit_price));
            cost.billable = Some(random.random_bool(0.9));
            Arc::new(cost)
        })
        .collect()
}

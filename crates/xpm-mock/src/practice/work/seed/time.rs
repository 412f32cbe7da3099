//! Seeded time: entries against job tasks between each job's start and today, some entered with
//! start and end times, a few negative corrections. Each task's actual minutes are the sum.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use uuid::Uuid;
use xpm_api::model::{JobReference, NamedRef, Time};
use xpm_api::value::ClockTime;
use xpm_synth::work_words::{self, pick};

use crate::practice::work::ids::{day, named, random_uuid};
use crate::practice::work::jobs::JobRecord;
use crate::practice::work::reference::StateKind;

/// At most this many entries per job task.
const MAX_ENTRIES_PER_TASK: i32 = 8;

/// Generates time for `jobs` and sets their tasks' actual minutes.
pub(super) fn generate(
    jobs: &mut [JobRecord],
    staff: &[NamedRef],
    today: NaiveDate,
    random: &mut impl Rng,
) -> Vec<Time> {
    let mut entries = Vec::new();
    for record in jobs.iter_mut() {
        let Some(start) = record.job.start_date.map(|date| date.naive_date()) else { continue };
        let end = match record.state_kind {
            StateKind::Completed => record.job.completed_date.map_or(today, |date| date.naive_date()),
            StateKind::Cancelled => start + Days::new(7),
            StateKind::Current => today,
        }
        .min(today);
        if end < start {
            continue;
        }
        let team: Vec<NamedRef> =
            record.job.assigned.iter().flatten().map(|member| named(member.uuid, member.name.clone())).collect();
        let job = job_reference(record.number(), record.name());
        let mut actual: HashMap<Uuid, i32> = HashMap::new();
        for task in record.tasks() {
            let Some(task_uuid) = task.uuid else { continue };
            let share = match (record.state_kind, task.completed) {
                (StateKind::Completed, _) | (_, Some(true)) => random.random_range(60..=130),
                (StateKind::Cancelled, _) => random.random_range(0..=30),
                _ => random.random_range(0..=80),
            };
            // Time is recorded in five-minute steps.
            let mut remaining = task.estimated_minutes.unwrap_or_default() * share / 500 * 5;
            let worker = task
                .assigned
                .iter()
                .flatten()
                .next()
                .map(|member| named(member.uuid, member.name.clone()))
                .or_else(|| team.choose(random).cloned())
                .or_else(|| staff.choose(random).cloned())
                .unwrap_or_default();
            let task_ref = named(task.uuid, task.name.clone());
            let mut count = 0;
            while remaining > 0 && count < MAX_ENTRIES_PER_TASK {
                let minutes = (random.random_range(2..=16) * 15).min(remaining.max(15));
                remaining -= minutes;
                count += 1;
                let date = start + Days::new(random.random_range(0..=(end - start).num_days().max(0) as u64));
                let entry = entry(&job, &task_ref, &worker, date, minutes, task.billable.unwrap_or(true), random);
                *actual.entry(task_uuid).or_default() += minutes;
                entries.push(entry);
                if random.random_bool(0.03) {
                    let correction = -(random.random_range(1..=4) * 15);
                    let mut fix = self::entry(&job, &task_ref, &worker, date, correction, true, random);
                    fix.note = Some(pick(random, work_words::CORRECTIONS).to_owned());
                    fix.start = None;
                    fix.end = None;
                    *actual.entry(task_uuid).or_default() += correction;
                    entries.push(fix);
                }
            }
        }
        for task in record.job_mut().tasks.iter_mut().flatten() {
            if let Some(minutes) = task.uuid.and_then(|uuid| actual.get(&uuid)) {
                task.actual_minutes = Some(*minutes);
            }
        }
    }
    entries
}

fn entry(
    job: &JobReference,
    task: &NamedRef,
    staff: &NamedRef,
    date: NaiveDate,
    minutes: i32,
    billable: bool,
    random: &mut impl Rng,
) -> Time {
    let mut time = Time::default();
    let uuid = random_uuid(random);
    time.uuid = Some(uuid);
    time.job = Some(job.clone());
    time.task = Some(task.clone());
    time.staff = Some(staff.clone());
    time.date = Some(day(date));
    time.minutes = Some(minutes);
    time.note = Some(pick(random, work_words::TIME_NOTES).to_owned());
    time.billable = Some(billable);
    if minutes > 0 && random.random_bool(0.2) {
        let start_minute = random.random_range(32..=56) * 15;
        let end_minute = start_minute + minutes;
        if end_minute < 24 * 60 {
            time.start = ClockTime::from_hm((start_minute / 60) as u32, (start_minute % 60) as u32);
            time.end = ClockTime::from_hm((end_minute / 60) as u32, (end_minute % 60) as u32);
        }
    }
    time.web_url = Some(format!("https://practicemanager.xero.com/Time/{uuid}/Detail"));
    time
}

/// A job as time entries name it: number and name.
fn job_reference(id: &str, name: &str) -> JobReference {
    let mut job = JobReference::default();
    job.id = Some(id.to_owned());
    job.name = Some(name.to_owned());
    job
}

//! Recording time: add, update and delete entries, keeping each job task's actual minutes equal
//! to the time recorded against it.

use std::sync::Arc;

use uuid::Uuid;
use xpm_api::model::{JobReference, Time};
use xpm_api::request::{TimeAddRequest, TimeUpdateRequest};
use xpm_api::value::{ClockTime, XpmDate};

use super::book::Work;
use super::custom_fields::ValueOwner;
use super::error::{WorkError, WorkResult};
use super::ids::{day, named};
use super::roster::Roster;

/// What a time entry body says, whichever of add or update it came from.
struct Entry<'a> {
    job: &'a str,
    task: Option<Uuid>,
    staff: Option<Uuid>,
    date: Option<XpmDate>,
    minutes: Option<i32>,
    start: Option<ClockTime>,
    end: Option<ClockTime>,
    note: Option<&'a str>,
}

/// The minutes an entry lasts: `Minutes` if given, otherwise `End - Start`.
fn duration(minutes: Option<i32>, start: Option<ClockTime>, end: Option<ClockTime>) -> WorkResult<i32> {
    match (minutes, start, end) {
        (Some(minutes), _, _) => Ok(minutes),
        (None, Some(start), Some(end)) => {
            let minutes = (end.value() - start.value()).num_minutes();
            if minutes <= 0 {
                return Err(WorkError::invalid("End must be after Start"));
            }
            i32::try_from(minutes).map_err(|_| WorkError::invalid("Start and End are too far apart"))
        }
        (None, Some(_), None) => Err(WorkError::invalid("End is required with Start")),
        (None, None, Some(_)) => Err(WorkError::invalid("Start is required with End")),
        (None, None, None) => Err(WorkError::invalid("either Minutes or Start and End are required")),
    }
}

impl Work {
    /// `time.api/add`: records time against a task on a job.
    pub(crate) fn add_time(&mut self, roster: &dyn Roster, request: &TimeAddRequest) -> WorkResult<Arc<Time>> {
        let entry = Entry {
            job: request.job.as_deref().unwrap_or_default(),
            task: request.task_uuid,
            staff: request.staff_uuid,
            date: request.date,
            minutes: request.minutes,
            start: request.start,
            end: request.end,
            note: request.note.as_deref(),
        };
        let mut time = Time::default();
        time.uuid = Some(Uuid::new_v4());
        self.fill_time(roster, &mut time, &entry)?;
        if let Some(uuid) = time.uuid {
            time.web_url = Some(format!("https://practicemanager.xero.com/Time/{uuid}/Detail"));
        }
        self.count_minutes(&time, 1);
        Ok(self.times.insert(time))
    }

    /// `time.api/update`: changes the fields the request gives. An entry recorded with start
    /// and end loses them when only `Minutes` is sent.
    pub(crate) fn update_time(&mut self, roster: &dyn Roster, request: &TimeUpdateRequest) -> WorkResult<Arc<Time>> {
        let uuid = request.uuid.ok_or_else(|| WorkError::invalid("UUID is required"))?;
        let old = Arc::clone(self.times.get(uuid).ok_or_else(|| time_not_found(uuid))?);
        let old_job = old.job.as_ref().and_then(|job| job.id.clone()).unwrap_or_default();
        let times_given = request.start.is_some() || request.end.is_some();
        let entry = Entry {
            job: request.job.as_deref().filter(|job| !job.trim().is_empty()).unwrap_or(&old_job),
            task: request.task_uuid.or(old.task.as_ref().and_then(|task| task.uuid)),
            staff: request.staff_uuid.or(old.staff.as_ref().and_then(|staff| staff.uuid)),
            date: request.date.or(old.date),
            minutes: request.minutes.or(if times_given { None } else { old.minutes }),
            start: if request.minutes.is_some() && !times_given { None } else { request.start.or(old.start) },
            end: if request.minutes.is_some() && !times_given { None } else { request.end.or(old.end) },
            note: request.note.as_deref().or(old.note.as_deref()),
        };
        let mut time = (*old).clone();
        self.fill_time(roster, &mut time, &entry)?;
        self.count_minutes(&old, -1);
        self.count_minutes(&time, 1);
        Ok(self.times.insert(time))
    }

    /// `time.api/delete/{uuid}`.
    pub(crate) fn delete_time(&mut self, uuid: Uuid) -> WorkResult<()> {
        let time = self.times.remove(uuid).ok_or_else(|| time_not_found(uuid))?;
        self.count_minutes(&time, -1);
        self.custom_fields.forget_owner(&ValueOwner::Time(uuid));
        Ok(())
    }

    /// Checks an entry's references and writes it into `time`.
    fn fill_time(&self, roster: &dyn Roster, time: &mut Time, entry: &Entry<'_>) -> WorkResult<()> {
        let number = entry.job.trim();
        if number.is_empty() {
            return Err(WorkError::invalid("Job is required"));
        }
        let job = self.jobs.get(number).ok_or_else(|| WorkError::invalid(format!("job {number} not found")))?;
        let task_uuid = entry.task.ok_or_else(|| WorkError::invalid("TaskUUID is required"))?;
        let task = job.task(task_uuid).ok_or_else(|| {
            WorkError::invalid(format!(
                "TaskUUID {task_uuid} is not a task on job {}; use the job task's UUID (Job/Tasks/Task/UUID)",
                job.number()
            ))
        })?;
        let staff_uuid = entry.staff.ok_or_else(|| WorkError::invalid("StaffUUID is required"))?;
        let staff = roster
            .staff_ref(staff_uuid)
            .ok_or_else(|| WorkError::invalid(format!("staff member {staff_uuid} not found")))?;
        let date = entry.date.ok_or_else(|| WorkError::invalid("Date is required (yyyyMMdd)"))?;
        let minutes = duration(entry.minutes, entry.start, entry.end)?;
        let mut job_reference = JobReference::default();
        job_reference.id = job.job.id.clone();
        job_reference.name = job.job.name.clone();
        time.job = Some(job_reference);
        time.task = Some(named(task.uuid, task.name.clone()));
        time.staff = Some(staff);
        time.date = Some(day(date.naive_date()));
        time.minutes = Some(minutes);
        time.note = Some(entry.note.unwrap_or_default().to_owned());
        time.billable = Some(task.billable.unwrap_or(true));
        time.start = entry.start;
        time.end = entry.end;
        Ok(())
    }

    /// Adds (`sign` 1) or removes (`sign` -1) an entry's minutes on its job task.
    pub(crate) fn count_minutes(&mut self, time: &Time, sign: i32) {
        let job = time.job.as_ref().and_then(|job| job.id.as_deref());
        let task = time.task.as_ref().and_then(|task| task.uuid);
        let (Some(job), Some(task)) = (job, task) else { return };
        if let Some(task) = self.jobs.get_mut(job).and_then(|record| record.task_mut(task)) {
            let actual = task.actual_minutes.unwrap_or_default() + sign * time.minutes.unwrap_or_default();
            task.actual_minutes = Some(actual);
        }
    }
}

fn time_not_found(uuid: Uuid) -> WorkError {
    WorkError::not_found(format!("time entry {uuid} not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_win_over_start_and_end() {
        let nine = ClockTime::from_hm(9, 0);
        let half_ten = ClockTime::from_hm(10, 30);
        assert_eq!(duration(Some(-15), nine, half_ten), Ok(-15));
        assert_eq!(duration(None, nine, half_ten), Ok(90));
        assert!(duration(None, half_ten, nine).is_err());
        assert!(duration(None, nine, None).is_err());
        assert!(duration(None, None, None).is_err());
    }
}

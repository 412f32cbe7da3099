//! Records time against a job task, reads it back, corrects it and deletes it.
//!
//! `cargo run -p xpm-client --example add_time`

mod common;

use std::error::Error;

use chrono::Utc;
use xpm_api::request::{TimeAddRequest, TimeUpdateRequest};
use xpm_api::value::XpmDate;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let demo = common::start(30).await?;
    println!("emulator at {}", demo.running.base_url());
    let (client, tenant) = (&demo.client, demo.tenant);

    // Time is recorded against a task on a job: the job task's UUID, not the task type's.
    let jobs = client.jobs(tenant).current().detailed(true).send().await?;
    let (job, task) = jobs
        .iter()
        .find_map(|job| Some((job.number()?, job.tasks.as_ref()?.first()?.clone())))
        .ok_or("no current job has a task")?;
    let staff = client.staff(tenant).list().send().await?.into_iter().next().ok_or("the practice has no staff")?;
    println!(
        "job {job}, task {:?}, staff {:?}",
        task.name.as_deref().unwrap_or("?"),
        staff.name.as_deref().unwrap_or("?")
    );

    let today = Utc::now().date_naive();
    let (task, staff_id) = (task.id().ok_or("a task without a UUID")?, staff.id().ok_or("staff without a UUID")?);
    let request = TimeAddRequest::new(&job)
        .task_uuid(task)
        .staff_uuid(staff_id)
        .date(XpmDate::compact(today))
        .minutes(90)
        .note("Reconciled the bank feeds");
    let time = client.time(tenant);
    let added = time.add(&request).await?;
    let id = added.id().ok_or("XPM returned no UUID")?;
    println!("added {id}: {} minutes", added.minutes.unwrap_or_default());

    let corrected = time.update(&TimeUpdateRequest::new(id).minutes(105)).await?;
    println!("corrected to {} minutes", corrected.minutes.unwrap_or_default());

    let today_entries = time.list(today, today).send().await?;
    let minutes: i32 = today_entries.iter().filter_map(|entry| entry.minutes).sum();
    println!("{} entries today, {minutes} minutes in all", today_entries.len());
    let on_job = time.for_job(&job).send().await?;
    println!("{} entries on {job}", on_job.len());

    time.delete(id).await?;
    println!("deleted {id}");
    Ok(())
}

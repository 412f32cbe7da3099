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
        .find_map(|job| Some((job.id.clone()?, job.tasks.as_ref()?.first()?.clone())))
        .ok_or("no current job has a task")?;
    let staff = client.staff(tenant).list().await?.into_iter().next().ok_or("the practice has no staff")?;
    println!(
        "job {job}, task {:?}, staff {:?}",
        task.name.as_deref().unwrap_or("?"),
        staff.name.as_deref().unwrap_or("?")
    );

    let today = Utc::now().date_naive();
    let mut request = TimeAddRequest::default();
    request.job = Some(job.clone());
    request.task_uuid = task.uuid;
    request.staff_uuid = staff.uuid;
    request.date = Some(XpmDate::compact(today));
    request.minutes = Some(90);
    request.note = Some("Reconciled the bank feeds".into());
    let time = client.time(tenant);
    let added = time.add(&request).await?;
    let uuid = added.uuid.ok_or("XPM returned no UUID")?;
    println!("added {uuid}: {} minutes", added.minutes.unwrap_or_default());

    let mut correction = TimeUpdateRequest::default();
    correction.uuid = Some(uuid);
    correction.minutes = Some(105);
    let corrected = time.update(&correction).await?;
    println!("corrected to {} minutes", corrected.minutes.unwrap_or_default());

    let today_entries = time.list(today, today).send().await?;
    let minutes: i32 = today_entries.iter().filter_map(|entry| entry.minutes).sum();
    println!("{} entries today, {minutes} minutes in all", today_entries.len());
    let on_job = time.for_job(&job).await?;
    println!("{} entries on {job}", on_job.len());

    time.delete(uuid).await?;
    println!("deleted {uuid}");
    Ok(())
}

//! Reads three years of jobs with `job.api/list`, which takes less than a year per call: the
//! stream cuts the range into windows and yields each job once.
//!
//! `cargo run -p xpm-client --example job_history`

mod common;

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{Datelike, Months, Utc};
use futures_util::TryStreamExt;
use xpm_api::model::Job;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let demo = common::start(120).await?;
    println!("emulator at {}", demo.running.base_url());
    let to = Utc::now().date_naive();
    let from = to.checked_sub_months(Months::new(36)).and_then(|date| date.succ_opt()).ok_or("date out of range")?;

    let jobs: Vec<Job> = demo.client.jobs(demo.tenant).list(from, to).stream().try_collect().await?;
    let calls = demo.running.emulator().journal().count("JobV31_List");
    println!("{} jobs created from {from} to {to}, in {calls} calls", jobs.len());

    let mut by_state: BTreeMap<&str, usize> = BTreeMap::new();
    for job in &jobs {
        *by_state.entry(job.state.as_deref().unwrap_or("?")).or_default() += 1;
    }
    for (state, count) in by_state {
        println!("  {state:<20} {count}");
    }
    let mut by_year: BTreeMap<i32, usize> = BTreeMap::new();
    for start in jobs.iter().filter_map(|job| job.start_date) {
        *by_year.entry(start.naive_date().year()).or_default() += 1;
    }
    println!("started per year: {by_year:?}");
    Ok(())
}

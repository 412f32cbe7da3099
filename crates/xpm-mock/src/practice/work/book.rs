//! [`Work`]: the stores of the work book, generated together from the practice seed.

use std::time::Instant;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::billing::Billing;
use super::custom_fields::CustomFields;
use super::jobs::Jobs;
use super::price_list::PriceList;
use super::reference::Reference;
use super::roster::Roster;
use super::seed;
use super::times::Times;
use crate::config::PracticeSeed;
use crate::practice::Directory;

/// The practice's work book: jobs with their tasks, notes, documents and costs; time; the task
/// types, categories, job states and templates; the price list; invoices and quotes; custom
/// field definitions and the values jobs, tasks, costs and time entries hold.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Work {
    /// Task types, categories, job states, templates.
    pub(crate) reference: Reference,
    /// Jobs.
    pub(crate) jobs: Jobs,
    /// Time entries.
    pub(crate) times: Times,
    /// The price list.
    pub(crate) price_list: PriceList,
    /// Invoices and quotes.
    pub(crate) billing: Billing,
    /// Custom field definitions and values.
    pub(crate) custom_fields: CustomFields,
}

impl Work {
    /// Generates the work book for `seed`, referring to the directory's clients and staff.
    ///
    /// One value is drawn from `random`; everything else comes from generators seeded by it,
    /// so the work book does not shift when the directory draws more or less. Dates are laid
    /// out around the day the emulator starts, so current jobs stay current and time spans the
    /// last eighteen months whenever it runs.
    pub fn generate(seed: &PracticeSeed, directory: &Directory, random: &mut ChaCha8Rng) -> Self {
        let started = Instant::now();
        let work = Self::generate_with(directory, random.random(), chrono::Utc::now().date_naive());
        tracing::debug!(
            practice = %seed.name,
            jobs = work.jobs.len(),
            times = work.times.len(),
            costs = work.price_list.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "work book generated"
        );
        work
    }

    /// Generates the work book from `roster`, with dates around `today`.
    pub(crate) fn generate_with(roster: &dyn Roster, work_seed: u64, today: chrono::NaiveDate) -> Self {
        seed::generate(roster, work_seed, today)
    }

    /// How many jobs the practice has.
    pub fn job_count(&self) -> usize {
        self.jobs.len()
    }

    /// How many time entries the practice has.
    pub fn time_count(&self) -> usize {
        self.times.len()
    }
}

//! The seeded work book: reference lists, price list, custom fields, jobs, time, invoices and
//! quotes, each from its own ChaCha8 stream of the work seed, so that changing how one part is
//! generated leaves the others as they were.

mod billing;
mod catalogue;
mod jobs;
mod time;

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::book::Work;
use super::jobs::Jobs;
use super::reference::Reference;
use super::roster::Roster;
use super::times::Times;

/// At most this many jobs, however large the practice: about one job per three clients.
const MAX_JOBS: usize = 6_000;

/// A generator on stream `stream` of `work_seed`.
fn stream(work_seed: u64, stream: u64) -> ChaCha8Rng {
    let mut random = ChaCha8Rng::seed_from_u64(work_seed);
    random.set_stream(stream);
    random
}

/// Builds the work book around `today`.
pub(super) fn generate(roster: &dyn Roster, work_seed: u64, today: NaiveDate) -> Work {
    let reference = Reference::generate(&mut stream(work_seed, 0));
    let custom_fields = catalogue::custom_fields(&mut stream(work_seed, 1));
    let price_list = catalogue::price_list(&mut stream(work_seed, 2));

    let clients = roster.active_clients();
    let staff = roster.all_staff();
    let job_count = if staff.is_empty() { 0 } else { clients.len().div_ceil(3).min(MAX_JOBS) };
    let mut seeded = jobs::generate(&reference, &clients, &staff, job_count, today, &mut stream(work_seed, 3));
    let mut entries = time::generate(&mut seeded, &staff, today, &mut stream(work_seed, 4));
    let billing = billing::generate(&mut seeded, &mut entries, &clients, today, &mut stream(work_seed, 5));

    let mut work = Work { reference, price_list, custom_fields, billing, ..Work::default() };
    catalogue::job_values(&mut work.custom_fields, &seeded, &mut stream(work_seed, 6));
    let mut job_store = Jobs::default();
    for job in seeded {
        // Seeded numbers are unique by construction.
        let _ = job_store.insert(job);
    }
    work.jobs = job_store;
    let mut times = Times::default();
    for entry in entries {
        times.insert(entry);
    }
    work.times = times;
    work
}

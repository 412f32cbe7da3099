//! The worker's loop: claim due practices up to the concurrency, run each one's sync under its
//! lease, and on a stop request claim nothing more, let running syncs finish within the grace
//! period, then abandon the rest (their leases released so that another worker takes them).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use xpm_client::XpmClient;
use xpm_store::Store;

use super::worker_sync::{Ending, Finished, chain, sync_under_lease};
use crate::exit::CliResult;

/// A practice this worker can sync: it has a client for it.
#[derive(Clone)]
pub(crate) struct Practice {
    pub(crate) tenant: Uuid,
    /// As the server named it (escaped before it is logged).
    pub(crate) name: String,
    pub(crate) client: XpmClient,
}

/// How the worker runs (`xpmkit worker`'s flags).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) worker_id: Arc<str>,
    pub(crate) interval: Duration,
    pub(crate) lease: Duration,
    pub(crate) concurrency: usize,
    pub(crate) once: bool,
    pub(crate) grace: Duration,
    /// What each sync reads, and how strictly.
    pub(crate) options: xpm_sync::SyncOptions,
}

impl Settings {
    /// How long an idle worker waits before looking for due practices again: a quarter of the
    /// lease (so a dead worker's practices are taken over soon after its lease ends), at most 5 s
    /// (so a practice falling due waits little), at least 100 ms (not a busy loop).
    pub(crate) fn poll(&self) -> Duration {
        (self.lease / 4).clamp(Duration::from_millis(100), Duration::from_secs(5))
    }
}

/// What a worker did, for its exit.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) synced: u64,
    pub(crate) failed: u64,
    pub(crate) abandoned: u64,
    pub(crate) lost: u64,
}

impl Summary {
    fn count(&mut self, ending: Ending) {
        match ending {
            Ending::Synced => self.synced += 1,
            Ending::Failed => self.failed += 1,
            Ending::Abandoned => self.abandoned += 1,
            Ending::Lost => self.lost += 1,
        }
    }
}

/// Runs until `claiming` is cancelled (or, with `once`, until nothing is due), then stops as the
/// module says. Database errors while claiming are logged and retried at the next poll: a
/// worker outlives a database restart.
pub(crate) async fn run(
    settings: &Settings,
    practices: &[Practice],
    store: &Store,
    claiming: &CancellationToken,
    abandoning: &CancellationToken,
) -> CliResult<Summary> {
    tracing::info!(
        worker = %settings.worker_id,
        practices = practices.len(),
        interval = ?settings.interval,
        lease = ?settings.lease,
        concurrency = settings.concurrency,
        database = %store.location().shown(),
        "worker started"
    );
    let mut summary = Summary::default();
    let mut running: JoinSet<Finished> = JoinSet::new();
    let mut busy: BTreeSet<Uuid> = BTreeSet::new();
    while !claiming.is_cancelled() {
        let free = settings.concurrency.saturating_sub(running.len());
        let mut nothing_due = false;
        if free > 0 {
            // A practice still running here is never claimed again, even if its lease lapsed
            // while a renewal was failing.
            let among: Vec<Uuid> =
                practices.iter().map(|practice| practice.tenant).filter(|tenant| !busy.contains(tenant)).collect();
            match store.claim_due(&settings.worker_id, &among, free, settings.lease).await {
                Ok(leases) => {
                    nothing_due = leases.is_empty();
                    for lease in leases {
                        let Some(practice) = practices.iter().find(|practice| practice.tenant == lease.tenant) else {
                            continue;
                        };
                        busy.insert(lease.tenant);
                        let job = sync_under_lease(
                            practice.clone(),
                            store.clone(),
                            lease,
                            settings.clone(),
                            abandoning.clone(),
                        );
                        running.spawn(job);
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %chain(&error), "claiming failed; trying again");
                }
            }
        }
        if settings.once && nothing_due && running.is_empty() {
            tracing::info!("nothing more is due");
            break;
        }
        tokio::select! {
            () = claiming.cancelled() => {}
            Some(joined) = running.join_next(), if !running.is_empty() => finish(joined, &mut busy, &mut summary),
            () = tokio::time::sleep(settings.poll()), if running.len() < settings.concurrency => {}
        }
    }
    if !running.is_empty() {
        tracing::info!(running = running.len(), grace = ?settings.grace, "stopping: no new claims; letting running syncs finish");
        let grace = tokio::time::sleep(settings.grace);
        tokio::pin!(grace);
        let mut abandoned = false;
        loop {
            tokio::select! {
                joined = running.join_next() => match joined {
                    Some(joined) => finish(joined, &mut busy, &mut summary),
                    None => break,
                },
                () = &mut grace, if !abandoned => {
                    tracing::info!(running = running.len(), "grace period over: abandoning running syncs");
                    abandoning.cancel();
                    abandoned = true;
                }
                () = abandoning.cancelled(), if !abandoned => abandoned = true,
            }
        }
    }
    tracing::info!(
        worker = %settings.worker_id,
        synced = summary.synced,
        failed = summary.failed,
        abandoned = summary.abandoned,
        lost = summary.lost,
        "worker stopped"
    );
    Ok(summary)
}

fn finish(joined: Result<Finished, tokio::task::JoinError>, busy: &mut BTreeSet<Uuid>, summary: &mut Summary) {
    match joined {
        Ok(finished) => {
            busy.remove(&finished.tenant);
            summary.count(finished.ending);
        }
        // A panicked sync: its practice stays marked busy (its lease lapses and another worker
        // takes it over), which is the safe side.
        Err(error) => tracing::error!(error = %error, "a sync task ended abnormally"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_worker_polls_a_quarter_of_the_lease_within_bounds() {
        let settings = |lease| Settings {
            worker_id: Arc::from("w"),
            interval: Duration::from_secs(900),
            lease,
            concurrency: 1,
            once: false,
            grace: Duration::ZERO,
            options: xpm_sync::SyncOptions::default(),
        };
        assert_eq!(settings(Duration::from_secs(2)).poll(), Duration::from_millis(500));
        assert_eq!(settings(Duration::from_secs(60)).poll(), Duration::from_secs(5));
        assert_eq!(settings(Duration::from_millis(200)).poll(), Duration::from_millis(100));
    }
}

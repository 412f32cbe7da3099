//! One claimed practice: its sync runs while the lease is renewed beside it, and the lease is
//! released with the practice's next due time. The sync is crash-safe (data and cursors commit
//! together, a run resumes after its completed steps), so abandoning it, by dropping it between
//! two awaits, loses at most the uncommitted batch.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use xpm_store::{Lease, Store};
use xpm_sync::Syncer;

use super::worker_loop::{Practice, Settings};
use crate::terminal::escape_controls;

/// How soon a failed sync is tried again, unless its interval is shorter: soon enough to ride
/// out a blip, not so soon that a broken connection fills the log.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// How a claimed practice's turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Synced; next due after its interval.
    Synced,
    /// The sync failed; tried again after [`RETRY_AFTER_FAILURE`] (or its interval if shorter).
    Failed,
    /// Stopped for shutdown; released as due now, for another worker.
    Abandoned,
    /// Another worker took it over (this worker's lease had lapsed); left alone.
    Lost,
}

/// A finished turn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Finished {
    pub(crate) tenant: Uuid,
    pub(crate) ending: Ending,
}

/// Syncs `practice` under `lease`, renewing it a third of a lease apart, until the sync ends,
/// the lease is lost, or `abandoning` is cancelled; then releases the lease as the ending says.
pub(crate) async fn sync_under_lease(
    practice: Practice,
    store: Store,
    lease: Lease,
    settings: Settings,
    abandoning: CancellationToken,
) -> Finished {
    let shown = escape_controls(&practice.name).into_owned();
    match &lease.taken_over_from {
        Some(previous) => tracing::info!(
            tenant = %lease.tenant, practice = %shown, generation = lease.generation, from = %previous,
            "claimed: took over from a worker whose lease expired"
        ),
        None => tracing::info!(tenant = %lease.tenant, practice = %shown, generation = lease.generation, "claimed"),
    }
    let options = settings.options.clone().practice_name(practice.name.clone());
    let syncer = Syncer::new(&practice.client, &store, lease.tenant).options(options);
    // Boxed so that it can be dropped before the release: an abandoned sync may hold the
    // store's writer (an open batch), which a release on SQLite waits for.
    let mut sync = Box::pin(syncer.run());
    // Renewals run beside the sync, not between its steps: on SQLite a renewal waits for the
    // store's writer, which the sync may hold, so the sync must go on meanwhile.
    let mut renewing = Box::pin(keep_renewing(&store, &lease, settings.lease));
    let ending = tokio::select! {
        outcome = &mut sync => match outcome {
            Ok(report) => {
                tracing::info!(
                    tenant = %lease.tenant, practice = %shown, run = report.run.0, changes = report.changes(),
                    calls = report.calls, seconds = report.duration.as_secs_f64(), "synced"
                );
                Ending::Synced
            }
            Err(error) => {
                tracing::warn!(tenant = %lease.tenant, practice = %shown, error = %chain(&error), "sync failed");
                Ending::Failed
            }
        },
        () = &mut renewing => Ending::Lost,
        () = abandoning.cancelled() => Ending::Abandoned,
    };
    drop((sync, renewing));
    let next_due_in = match ending {
        Ending::Synced => Some(lease.interval),
        Ending::Failed => Some(lease.interval.min(RETRY_AFTER_FAILURE)),
        Ending::Abandoned => Some(Duration::ZERO),
        Ending::Lost => None,
    };
    match next_due_in {
        Some(next_due_in) => release(&store, &lease, &shown, ending, next_due_in).await,
        None => tracing::warn!(tenant = %lease.tenant, practice = %shown, "lease lost to another worker: sync stopped"),
    }
    Finished { tenant: lease.tenant, ending }
}

/// Renews `lease` a third of `lease_for` apart; returns once it is lost: taken over, or not
/// renewed in time because the database failed.
async fn keep_renewing(store: &Store, lease: &Lease, lease_for: Duration) {
    let period = lease_for / 3;
    let mut renewals = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    // A renewal that took long is followed by the next a third of a lease later, not by a burst.
    renewals.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Until when the lease surely holds by this process's clock: measured from before each
    // renewal was asked for, so it errs early.
    let mut held_until = Instant::now() + lease_for;
    loop {
        renewals.tick().await;
        let asked = Instant::now();
        match store.renew_lease(lease, lease_for).await {
            Ok(Some(_)) => held_until = asked + lease_for,
            Ok(None) => return,
            Err(error) if Instant::now() >= held_until => {
                tracing::warn!(
                    tenant = %lease.tenant, error = %chain(&error),
                    "cannot renew the lease, which has lapsed: stopping this sync"
                );
                return;
            }
            Err(error) => {
                tracing::warn!(tenant = %lease.tenant, error = %chain(&error), "cannot renew the lease; trying again");
            }
        }
    }
}

async fn release(store: &Store, lease: &Lease, shown: &str, ending: Ending, next_due_in: Duration) {
    match store.release_lease(lease, next_due_in).await {
        Ok(true) => tracing::info!(
            tenant = %lease.tenant, practice = %shown, ending = ?ending, next_due_in = ?next_due_in, "released"
        ),
        Ok(false) => {
            tracing::warn!(tenant = %lease.tenant, practice = %shown, "already taken over; nothing to release")
        }
        // The lease then lapses on its own and another worker takes the practice over.
        Err(error) => {
            tracing::warn!(tenant = %lease.tenant, error = %chain(&error), "cannot release the lease; it will lapse");
        }
    }
}

/// An error and its causes, `: `-separated, for one log line.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

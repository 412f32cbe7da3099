//! The client step: `client.api/list?detailed=true`, with `modifiedsince` on incremental runs,
//! streamed into the store batch by batch. A detailed client carries its contacts, their links
//! (position, primary), its group memberships and relationships, so one list fills them all.
//!
//! Batches commit together, a few thousand clients at a time, with the run's progress; the
//! watermark (the server's time at the start of the run), the reconciliation time and the
//! vanished clients go in the last transaction, so a crash leaves data committed and the cursor
//! behind it, never ahead.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use futures_util::{Stream, TryStreamExt as _};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use xpm_api::model::Client;
use xpm_api::value::YesNo;
use xpm_client::ErrorKind;
use xpm_store::{ClientBatch, EncodedClients, EntityKind, FirstLoad, WriteTx};

use super::RunContext;
use crate::SyncError;
use crate::progress::Progress;
use crate::report::{RunReport, StepOutcome};
use crate::state::{CLIENTS_RECONCILED, CLIENTS_WATERMARK, cursor_time};

/// The step's key in the resume marker.
pub(crate) const KEY: &str = "clients";

/// Attempts of the whole step when the list breaks off mid-body (a reset or a truncated answer
/// is not retried by the client once items have been handed out).
const ATTEMPTS: u32 = 2;

/// Reads every client (`since` is `None`, a reconciliation) or those changed since `since`.
pub(crate) async fn pull(context: &mut RunContext<'_>, since: Option<DateTime<Utc>>) -> Result<StepOutcome, SyncError> {
    let mut attempt = 0;
    // What the reading counts besides the store's changes, restored before a second reading so
    // that the clients read twice are counted once.
    let counted = (
        context.report.archived_clients,
        context.report.deleted_clients,
        context.report.pending.clone(),
        context.report.warnings.len(),
        context.report.unparsed_values,
    );
    loop {
        attempt += 1;
        match pull_once(context, since).await {
            Err(SyncError::Client { source, .. })
                if attempt < ATTEMPTS && matches!(source.kind(), ErrorKind::Transport | ErrorKind::Decode) =>
            {
                tracing::warn!(error = %source, "the client list broke off; reading it again");
                let warnings;
                (
                    context.report.archived_clients,
                    context.report.deleted_clients,
                    context.report.pending,
                    warnings,
                    context.report.unparsed_values,
                ) = counted.clone();
                context.report.warnings.truncate(warnings);
            }
            outcome => return outcome,
        }
    }
}

async fn pull_once(context: &mut RunContext<'_>, since: Option<DateTime<Utc>>) -> Result<StepOutcome, SyncError> {
    let mut list = context.client.clients(context.tenant).list().detailed(true).tolerant(!context.options.strict);
    if let Some(since) = since {
        list = list.modified_since(since);
    }
    let batch_size = context.options.batch_size;
    // The list is read, decoded and encoded (each client's JSON) by a task of its own while the
    // batch before is stored, so that this work and writing (the database's own thread or
    // server) overlap instead of taking turns. One batch waits in the channel at most, so memory
    // holds three.
    let (batches, mut received) = mpsc::channel(1);
    let reader = tokio::spawn(read_batches(list.stream(), batch_size, since.is_none(), batches));
    // Ends the reader if storing fails (or this future is dropped) before the list is read.
    let mut reader = AbortOnDrop(reader);
    // A reconciliation of a practice with no clients stored yet (its first sync) need not
    // compare each batch with what is stored.
    let mut load = match since {
        None => context.store.first_load(context.tenant).await?,
        Some(_) => None,
    };
    let mut stored = 0_u64;
    // Several batches go in one transaction (see `SyncOptions::commit_size`).
    let mut open: Option<Open> = None;
    let commit_size = context.options.commit_size as u64;
    while let Some(batch) = received.recv().await {
        let mut tx = match open.take() {
            Some(tx) => tx,
            None => Open::begin(context).await?,
        };
        let read = tx.store(context, batch, load.as_mut()).await?;
        stored += read;
        match tx.uncommitted >= commit_size {
            true => tx.commit(context, None).await?,
            false => open = Some(tx),
        }
        context.tell(Progress::Stored { entity: "client", so_far: stored });
    }
    let (batch, seen) = match (&mut reader.0).await {
        Ok(Ok(read)) => read,
        Ok(Err(source)) => {
            // What was stored before the break is kept, as if each batch had committed: the
            // step's second reading then finds it unchanged, and the counts stay true.
            if let Some(tx) = open {
                tx.commit(context, None).await?;
            }
            return Err(SyncError::Client { step: KEY, source });
        }
        Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // Only dropping `reader` aborts it, and it is still held here.
            Err(error) => unreachable!("the client list reader was cancelled: {error}"),
        },
    };
    let mut tx = match open {
        Some(tx) => tx,
        None => Open::begin(context).await?,
    };
    stored += tx.store(context, batch, load.as_mut()).await?;
    let server_start = context.server_start();
    let mut cursors = vec![(CLIENTS_WATERMARK, cursor_time(server_start))];
    if since.is_none() {
        let vanished: Vec<String> = context
            .store
            .keys(context.tenant, EntityKind::Client)
            .await?
            .into_iter()
            .filter(|key| !seen.contains(key))
            .collect();
        let removed = tx.write.mark_removed(context.tenant, EntityKind::Client, &vanished).await;
        let removed = tx.kept_on_error(context, removed)?;
        context.report.add_removed("client", removed);
        context.clients_changed |= removed > 0;
        cursors.push((CLIENTS_RECONCILED, cursor_time(server_start)));
    }
    for (name, value) in cursors {
        let set = tx.write.set_cursor(context.tenant, name, &value).await;
        tx.kept_on_error(context, set)?;
    }
    tx.commit(context, Some(KEY)).await?;
    context.tell(Progress::Stored { entity: "client", so_far: stored });
    Ok(StepOutcome::Done)
}

/// An open write transaction of the step, with what the run's report said when it began: if
/// the transaction fails, the report is put back, so that it counts only what was committed.
struct Open {
    write: WriteTx,
    /// Clients stored in it so far.
    uncommitted: u64,
    report: RunReport,
}

impl Open {
    async fn begin(context: &RunContext<'_>) -> Result<Self, SyncError> {
        Ok(Self { write: context.begin().await?, uncommitted: 0, report: context.report.clone() })
    }

    /// Stores `batch` in the transaction (see [`store_batch`]).
    async fn store(
        &mut self,
        context: &mut RunContext<'_>,
        batch: EncodedClients,
        load: Option<&mut FirstLoad>,
    ) -> Result<u64, SyncError> {
        let stored = store_batch(context, &mut self.write, batch, load).await;
        let read = self.kept_on_error(context, stored)?;
        self.uncommitted += read;
        Ok(read)
    }

    /// `outcome`, having put the report back if it is an error (the transaction is then
    /// dropped, which rolls it back).
    fn kept_on_error<T, E: Into<SyncError>>(
        &self,
        context: &mut RunContext<'_>,
        outcome: Result<T, E>,
    ) -> Result<T, SyncError> {
        outcome.map_err(|error| {
            context.report = self.report.clone();
            error.into()
        })
    }

    async fn commit(self, context: &mut RunContext<'_>, completed: Option<&str>) -> Result<(), SyncError> {
        let Self { write, report, .. } = self;
        context.commit(write, completed).await.inspect_err(|_| context.report = report)
    }
}

/// Reads the list into batches of `batch_size`, sending each full one to `batches` encoded;
/// returns the last (partial) batch and, when `reconcile`, every key the list held (to find the
/// clients XPM no longer has). Stops early, without an error, once nobody receives.
async fn read_batches(
    mut items: impl Stream<Item = Result<Client, xpm_client::Error>> + Unpin,
    batch_size: usize,
    reconcile: bool,
    batches: mpsc::Sender<EncodedClients>,
) -> Result<(EncodedClients, HashSet<String>), xpm_client::Error> {
    let mut batch = Vec::with_capacity(batch_size);
    let mut seen = HashSet::new();
    while let Some(client) = items.try_next().await? {
        if reconcile && let Some(uuid) = client.uuid {
            seen.insert(uuid.to_string());
        }
        batch.push(client);
        if batch.len() >= batch_size {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
            if batches.send(EncodedClients::encode(full)).await.is_err() {
                break;
            }
        }
    }
    Ok((EncodedClients::encode(batch), seen))
}

/// A spawned task that is aborted when its handle is dropped.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Stores `batch` in `write`, as part of `load` when there is one, leaving out what has a
/// pending local change. Returns how many clients were read.
async fn store_batch(
    context: &mut RunContext<'_>,
    write: &mut WriteTx,
    batch: EncodedClients,
    load: Option<&mut FirstLoad>,
) -> Result<u64, SyncError> {
    let read = batch.len() as u64;
    for client in batch.clients() {
        context.report.note_unparsed("client", client.uuid.map(|uuid| uuid.to_string()), client);
        context.report.archived_clients += u64::from(client.is_archived == Some(YesNo::Yes));
        context.report.deleted_clients += u64::from(client.is_deleted == Some(YesNo::Yes));
    }
    if !context.pending.is_empty() {
        // A pending local change rewrites the batch (its clients left out, its contacts kept
        // as stored), so the JSON encoded with it is dropped and written again.
        let mut clients = batch.into_clients();
        let protected = context.pending.protect(context.store, context.tenant, &mut clients).await?;
        context.report.add_pending("client", protected.clients);
        context.report.add_pending("contact", protected.contacts);
        let counts = match (clients.is_empty(), load) {
            (true, _) => None,
            (false, Some(load)) => Some(write.load_clients(context.tenant, &clients, load).await?),
            (false, None) => Some(write.upsert_clients(context.tenant, &clients).await?),
        };
        return Ok(record(context, counts, read));
    }
    let counts = match batch.is_empty() {
        true => None,
        false => Some(write.store_clients(context.tenant, &batch, load).await?),
    };
    // Freeing 500 detailed clients (a few hundred thousand allocations) was a sixth of this
    // task's work, on the path between one batch's writes and the next's; a blocking thread
    // frees them while the next batch is stored.
    tokio::task::spawn_blocking(move || drop(batch));
    Ok(record(context, counts, read))
}

/// Counts what storing a batch of `read` clients did, and returns `read`.
fn record(context: &mut RunContext<'_>, counts: Option<ClientBatch>, read: u64) -> u64 {
    if let Some(counts) = counts {
        context.clients_changed |= counts.clients.changed() + counts.contacts.changed() > 0;
        context.report.add("client", counts.clients);
        context.report.add("contact", counts.contacts);
    }
    read
}

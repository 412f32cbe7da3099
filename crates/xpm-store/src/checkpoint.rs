//! SQLite checkpoints off the writer's path.
//!
//! In WAL mode a commit appends pages to the `-wal` file, and a checkpoint copies them into the
//! database file. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 pages,
//! on the committing connection: in a first sync it was a tenth of the writer's work, on the
//! path between one batch and the next. The store's writer turns it off
//! (`wal_autocheckpoint = 0`) and, after each commit, asks a task of its own to run a `PASSIVE`
//! checkpoint on a reading connection, which copies what is committed while the writer goes on
//! (neither waits for the other). Kicks that arrive while one runs make one more, not one each.
//! A crash at any point is safe: the WAL holds every commit until a checkpoint has copied it,
//! and the next connection to open the database recovers it.
//!
//! SQLite starts the WAL file over only when a write transaction begins after a checkpoint
//! copied all of it; a writer that begins its next transaction as soon as it commits (a first
//! sync) never gives it that moment, so the WAL grows by what is written (115 MB for 15,000
//! detailed clients). Past [`WAL_LIMIT`] the writer checkpoints itself before it begins, which
//! lets the WAL start over; once the writes end, a background checkpoint copies the rest and
//! the next write starts it over, truncated to [`WAL_LIMIT`] (`journal_size_limit`).
//! <https://www.sqlite.org/wal.html#automatic_checkpoint>,
//! <https://www.sqlite.org/pragma.html#pragma_wal_checkpoint>

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use sqlx::AnyPool;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The size of the WAL file past which the writer checkpoints before it begins, and to which
/// SQLite truncates the file when it starts it over.
pub(crate) const WAL_LIMIT: u64 = 256 * 1024 * 1024;

/// Runs checkpoints in the background when asked (see the module docs). Cheap to clone.
#[derive(Clone)]
pub(crate) struct Checkpointer {
    inner: Arc<Mutex<Option<Running>>>,
    /// The database's `-wal` file.
    wal: Arc<PathBuf>,
    /// [`WAL_LIMIT`], but in tests.
    limit: u64,
}

struct Running {
    /// Capacity one: a kick while one is waiting is the same kick.
    kicks: mpsc::Sender<()>,
    task: JoinHandle<()>,
}

impl Checkpointer {
    /// Starts the task, which checkpoints the database at `database` through a connection of
    /// `pool`.
    pub(crate) fn start(pool: AnyPool, database: &std::path::Path) -> Self {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        let (kicks, mut kicked) = mpsc::channel(1);
        let task = tokio::spawn(async move {
            while kicked.recv().await.is_some() {
                // PASSIVE never waits for readers or the writer; what it cannot copy now, the
                // next one will. An error (the pool closing, a full disk) leaves the pages in
                // the WAL, where they are safe, for the next checkpoint.
                if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                    tracing::debug!(%error, "a background checkpoint failed; the WAL keeps the pages");
                }
            }
        });
        Self {
            inner: Arc::new(Mutex::new(Some(Running { kicks, task }))),
            wal: Arc::new(PathBuf::from(wal)),
            limit: WAL_LIMIT,
        }
    }

    /// Whether the WAL has grown past [`WAL_LIMIT`] (a missing file has not).
    pub(crate) fn wal_over_limit(&self) -> bool {
        std::fs::metadata(self.wal.as_path()).is_ok_and(|metadata| metadata.len() > self.limit)
    }

    /// Asks for a checkpoint of what is committed so far; returns at once.
    pub(crate) fn kick(&self) {
        if let Ok(running) = self.inner.lock()
            && let Some(running) = running.as_ref()
        {
            // Full: one is already asked for, and it will see this commit too.
            let _ = running.kicks.try_send(());
        }
    }

    /// Lets the checkpoint asked for last finish, and stops the task.
    pub(crate) async fn stop(&self) {
        let running = self.inner.lock().ok().and_then(|mut running| running.take());
        if let Some(Running { kicks, task }) = running {
            drop(kicks);
            if let Err(error) = task.await {
                tracing::debug!(%error, "the checkpoint task ended abnormally");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Row as _;

    use crate::{DatabaseLocation, Store};

    /// Commits about 24 MB (1,500 pages of 16 KiB, over SQLite's automatic threshold of 1,000).
    async fn commit_a_large_write(store: &Store) {
        let tenant = uuid::Uuid::from_u128(7);
        let value = "x".repeat(20_000);
        let mut write = store.write().await.expect("begin");
        for index in 0..1_200 {
            write.set_cursor(tenant, &format!("cursor-{index}"), &value).await.expect("cursor");
        }
        write.commit().await.expect("commit");
    }

    fn file_size(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).expect("the database file").len()
    }

    #[tokio::test]
    async fn the_writer_never_checkpoints_in_its_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store.db");
        let store = Store::open_location(DatabaseLocation::Sqlite(path.clone())).await.expect("open");
        store.checkpoints.as_ref().expect("SQLite has a checkpointer").stop().await;
        let before = file_size(&path);
        commit_a_large_write(&store).await;
        assert_eq!(file_size(&path), before, "the commit copied pages into the database file itself");
        store.close().await;
    }

    #[tokio::test]
    async fn past_the_limit_the_writer_checkpoints_before_it_begins() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store.db");
        let mut store = Store::open_location(DatabaseLocation::Sqlite(path.clone())).await.expect("open");
        let checkpoints = store.checkpoints.as_mut().expect("SQLite has a checkpointer");
        checkpoints.stop().await;
        checkpoints.limit = 10_000_000;
        let before = file_size(&path);
        commit_a_large_write(&store).await;
        assert_eq!(file_size(&path), before, "nothing checkpointed yet");
        let write = store.write().await.expect("begin");
        assert!(file_size(&path) > before + 20_000_000, "the writer copied the WAL before it began");
        write.rollback().await.expect("rollback");
        store.close().await;
    }

    #[tokio::test]
    async fn a_commit_is_checkpointed_in_the_background() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store.db");
        let store = Store::open_location(DatabaseLocation::Sqlite(path.clone())).await.expect("open");
        let before = file_size(&path);
        commit_a_large_write(&store).await;
        // Stopping lets the checkpoint the commit asked for finish.
        store.checkpoints.as_ref().expect("SQLite has a checkpointer").stop().await;
        assert!(file_size(&path) > before + 20_000_000, "the committed pages are in the database file");
        let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&store.pool).await.expect("checkpoint");
        let (log, copied): (i64, i64) = (row.get(1), row.get(2));
        assert_eq!(log, copied, "every frame of the WAL was copied already");
        store.close().await;
    }
}

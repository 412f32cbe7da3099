//! Keeping the state file current: requests that may change state mark it changed, a background
//! task saves at most once a second, and the emulator saves once more when it stops.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use parking_lot::Mutex;
use tokio::sync::Notify;

use super::{StateError, file, snapshot};
use crate::shared::Shared;

/// How long the autosave waits after a change before saving, gathering the changes that follow:
/// a burst of writes costs one save, and a save happens at most once per this interval.
pub(crate) const AUTOSAVE_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// The state file of a running emulator and how far it is behind.
#[derive(Debug)]
pub(crate) struct StateKeeper {
    path: PathBuf,
    /// The lock beside the file, held while this emulator keeps it.
    _lock: Option<std::fs::File>,
    /// Counts requests that may have changed state.
    changes: AtomicU64,
    /// The count the file was last saved at.
    saved: AtomicU64,
    /// Held while saving, so saves never interleave.
    saving: Mutex<()>,
    /// Wakes the autosave task.
    changed: Notify,
}

impl StateKeeper {
    /// A keeper for the file at `path`, holding its lock (see [`super::lock`]).
    pub(crate) fn new(path: PathBuf, lock: Option<std::fs::File>) -> Self {
        Self {
            path,
            _lock: lock,
            changes: AtomicU64::new(0),
            saved: AtomicU64::new(0),
            saving: Mutex::new(()),
            changed: Notify::new(),
        }
    }

    /// The state file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Notes that state may have changed; the autosave task saves within [`AUTOSAVE_DELAY`].
    pub(crate) fn mark_changed(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
        self.changed.notify_one();
    }

    /// Whether something may have changed since the last save.
    fn is_behind(&self) -> bool {
        self.saved.load(Ordering::SeqCst) != self.changes.load(Ordering::SeqCst)
    }

    /// Writes the state of `shared` to the file now.
    pub(crate) fn save(&self, shared: &Shared) -> Result<(), StateError> {
        let _saving = self.saving.lock();
        // Read before encoding: a change made while encoding leaves the keeper behind, so it is
        // saved again.
        let changes = self.changes.load(Ordering::SeqCst);
        let bytes = snapshot::encode(shared, &self.path)?;
        file::write_atomically(&self.path, &bytes)?;
        self.saved.store(changes, Ordering::SeqCst);
        Ok(())
    }
}

/// Saves the state within [`AUTOSAVE_DELAY`] of each change, until aborted. A failed save is
/// logged (the path and the operating system's reason, never the content) and tried again at the
/// next change; the save at shutdown reports its failure to the caller.
pub(crate) async fn autosave(shared: Arc<Shared>) {
    let Some(keeper) = shared.state.as_ref() else { return };
    loop {
        keeper.changed.notified().await;
        tokio::time::sleep(AUTOSAVE_DELAY).await;
        if !keeper.is_behind() {
            continue;
        }
        let saving = Arc::clone(&shared);
        let saved = tokio::task::spawn_blocking(move || saving.save_state()).await;
        match saved {
            Ok(Ok(())) => tracing::debug!(path = %keeper.path().display(), "emulator state saved"),
            Ok(Err(error)) => tracing::error!("{error}"),
            Err(join) => tracing::error!("the emulator state save stopped: {join}"),
        }
    }
}

/// Marks the state changed after any request that may change it: every method but `GET`, `HEAD`
/// and `OPTIONS`, and the authorize endpoint, which with automatic consent records an
/// authorisation on a `GET`.
pub(crate) async fn note_changes(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let Some(keeper) = shared.state.as_ref() else { return next.run(request).await };
    let changes = may_change(request.method(), request.uri().path());
    let response = next.run(request).await;
    if changes {
        keeper.mark_changed();
    }
    response
}

/// Whether a request may change what the state file keeps.
fn may_change(method: &Method, path: &str) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
        || path.eq_ignore_ascii_case("/identity/connect/authorize")
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::clock::Clock;
    use crate::config::{EmulatorConfig, LimitSettings, PracticeSeed};

    #[test]
    fn writes_and_sign_ins_count_as_changes_and_reads_do_not() {
        assert!(may_change(&Method::POST, "/practicemanager/3.1/client.api/add"));
        assert!(may_change(&Method::PUT, "/__admin/limits"));
        assert!(may_change(&Method::DELETE, "/connections/1"));
        assert!(may_change(&Method::GET, "/identity/connect/authorize"), "auto-consent connects on a GET");
        assert!(!may_change(&Method::GET, "/practicemanager/3.1/client.api/list"));
        assert!(!may_change(&Method::HEAD, "/connections"));
    }

    /// The autosave waits out its delay on the tokio clock (paused here, so no real second
    /// passes), then saves on a blocking thread; the test waits for that save to land.
    #[tokio::test(start_paused = true)]
    async fn a_change_is_saved_once_the_autosave_delay_has_passed() {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let path = directory.path().join("state.json");
        let config = EmulatorConfig {
            practices: vec![PracticeSeed { name: "Autosaved".into(), clients: 3, seed: 1 }],
            ..EmulatorConfig::default()
        };
        let clock = Clock::manual(DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default());
        let (shared, _) = super::super::open(config, clock, &path).expect("opens");
        let shared = Arc::new(shared);
        let keeper = shared.state.as_ref().expect("a keeper");
        let task = tokio::spawn(autosave(Arc::clone(&shared)));

        shared.limits.set_settings(LimitSettings::OFF);
        keeper.mark_changed();
        assert!(keeper.is_behind());
        tokio::time::sleep(AUTOSAVE_DELAY / 2).await;
        assert!(keeper.is_behind(), "nothing is saved before the delay");
        tokio::time::sleep(AUTOSAVE_DELAY).await;
        while keeper.is_behind() {
            tokio::task::yield_now().await;
        }
        task.abort();
        let text = std::fs::read_to_string(&path).expect("reads");
        assert!(text.contains("\"enabled\":false"), "the change is in the file");
    }
}

//! The refresh lock: only one process at a time refreshes a connection's tokens.
//!
//! Xero rotates the refresh token on every use, so two processes refreshing at once would leave
//! one of them holding a dead token. A caller takes [`TokenStore::lock_refresh`](super::TokenStore::lock_refresh),
//! loads the tokens again (another process may have refreshed them meanwhile), refreshes only if
//! they are still stale, saves, then drops the lock.

use std::fs::File;
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long to sleep between attempts to take a lock another process holds.
const POLL: Duration = Duration::from_millis(20);

/// A held refresh lock; dropping it releases the lock.
#[must_use = "the lock is released as soon as it is dropped"]
pub struct RefreshLock {
    /// The locked file, or `None` for stores that live in one process only.
    _file: Option<File>,
    /// Whatever else holds the lock (for stores that lock elsewhere, such as in a database);
    /// dropping it releases the lock.
    _guard: Option<Box<dyn Send>>,
}

impl std::fmt::Debug for RefreshLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshLock")
            .field("file", &self._file)
            .field("guard", &self._guard.as_ref().map(|_| "held"))
            .finish()
    }
}

impl RefreshLock {
    /// A lock that excludes nothing, for stores that no other process shares (such as
    /// [`MemoryStore`](super::MemoryStore)); the client's in-process single-flight is enough there.
    pub fn in_process() -> Self {
        Self { _file: None, _guard: None }
    }

    /// A lock held by `guard`, released when `guard` is dropped: for stores that lock somewhere
    /// else than a file, such as a database.
    pub fn holding(guard: impl Send + 'static) -> Self {
        Self { _file: None, _guard: Some(Box::new(guard)) }
    }

    /// Takes an exclusive advisory lock (`flock`) on `path`, creating the file with mode 0600,
    /// waiting up to `timeout`. Returns `Ok(None)` on timeout. The operating system releases the
    /// lock if the holder dies, so a crashed process never blocks the others.
    pub fn acquire_file(path: &Path, timeout: Duration) -> io::Result<Option<Self>> {
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path)?;
        let deadline = Instant::now() + timeout;
        loop {
            if try_lock(&file)? {
                return Ok(Some(Self { _file: Some(file), _guard: None }));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            std::thread::sleep(POLL.min(deadline - now));
        }
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(errno) if errno == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(errno) => Err(errno.into()),
    }
}

/// Without `flock`, the lock file only serialises nothing: other platforms get the in-process
/// single-flight alone.
#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

//! The emulator's state file (`xpmkit mock --state FILE`, [`crate::Emulator::open`]): everything
//! an emulator restart would otherwise lose, so stored connections stay usable across restarts.
//!
//! The file keeps every practice's data (with the id counters, so new ids never collide), the
//! registered apps with their secrets, redirect URIs and approved scopes, authorisations,
//! connections, the records of the codes, refresh tokens and access tokens identity issued (by
//! their SHA-256: never a usable token), the signing key (so issued tokens still verify), the
//! rate-limit settings, and the clock when it is virtual. It does not keep the request journal,
//! fault rules (they come from `--faults` on each start and `POST /__admin/faults`), or
//! rate-limit counters.
//!
//! - `snapshot`: the versioned JSON document, written from and read into the live state.
//! - `file`: reading, and the atomic 0600 replace.
//! - `keeper`: marking changes, the autosave task, the middleware that notices writes.
//! - `pairs`, `secret`: serde helpers for maps with compound keys and for secrets.

mod error;
mod file;
mod keeper;
pub(crate) mod pairs;
pub(crate) mod secret;
mod snapshot;

use std::path::Path;

pub use error::StateError;
pub(crate) use keeper::{StateKeeper, autosave, note_changes};

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::shared::Shared;

/// How an emulator's state came about when it opened its state file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateOrigin {
    /// There was no file: the emulator started from its configuration and created the file.
    Created,
    /// The file was loaded. `overridden` describes each setting of the configuration that the
    /// file's state replaced (practices and their seeds, rate limits): the file wins, since its
    /// connections and tokens belong to its practices.
    Loaded {
        /// One line per overridden setting.
        overridden: Vec<String>,
    },
}

/// Loads the state at `path`, or starts from `config` if there is no file there. Either way the
/// file is written once before this returns, so a directory it cannot be saved in is found now
/// rather than at the first change. A file that cannot be loaded is left untouched.
pub(crate) fn open(config: EmulatorConfig, clock: Clock, path: &Path) -> Result<(Shared, StateOrigin), StateError> {
    let lock = lock(path)?;
    let (mut shared, origin) = match file::read(path)? {
        Some(bytes) => {
            let (shared, overridden) = snapshot::decode(&bytes, path)?.restore(config, clock, path)?;
            (shared, StateOrigin::Loaded { overridden })
        }
        None => {
            let fault_seed = config.fault_seed;
            (Shared::new(config, clock, fault_seed), StateOrigin::Created)
        }
    };
    shared.state = Some(StateKeeper::new(path.to_owned(), lock));
    shared.save_state()?;
    Ok((shared, origin))
}

/// Takes an exclusive `flock` on `<file>.lock` beside the state file (created 0600), held for
/// the emulator's life and released by the operating system if it dies, so that a second
/// emulator on the same file stops at once instead of overwriting the first one's saves.
/// Without `flock` (not Unix) there is no lock.
fn lock(path: &Path) -> Result<Option<std::fs::File>, StateError> {
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        let mut name = path.as_os_str().to_owned();
        name.push(".lock");
        let lock = std::path::PathBuf::from(name);
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&lock).map_err(|source| StateError::Write { path: lock.clone(), source })?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(Some(file)),
            Err(errno) if errno == rustix::io::Errno::WOULDBLOCK => {
                Err(StateError::InUse { path: path.to_owned(), lock })
            }
            Err(errno) => Err(StateError::Write { path: lock, source: errno.into() }),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(None)
    }
}

#[cfg(test)]
mod tests;

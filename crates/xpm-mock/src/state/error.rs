//! Why a state file could not be loaded or saved. Every message names the file, says what is
//! wrong and what to do; none quotes the file's content, which holds secrets.

use std::path::PathBuf;

/// A state file that cannot be loaded, or state that cannot be saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The file exists but cannot be read.
    #[error("cannot read the emulator state file {}: {source}", path.display())]
    Read {
        /// The state file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not complete JSON: cut short by a crash or a full disk, or damaged.
    #[error(
        "the emulator state file {} is damaged: {detail}. It was left as it is; move it aside (or delete it) to \
         start with a fresh state",
        path.display()
    )]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// What is wrong, and where.
        detail: String,
    },
    /// The file was written by an emulator with another state format.
    #[error(
        "the emulator state file {} has format_version {found}, but this emulator reads format_version {supported}; \
         run the xpmkit that wrote it, or move the file aside to start with a fresh state",
        path.display()
    )]
    UnknownVersion {
        /// The state file.
        path: PathBuf,
        /// The version the file names (as written).
        found: String,
        /// The version this emulator reads and writes.
        supported: u32,
    },
    /// The file is JSON but not a state this emulator can take up.
    #[error(
        "the emulator state file {} cannot be used: at `{at}`: {detail}. It was left as it is; move it aside to \
         start with a fresh state",
        path.display()
    )]
    Invalid {
        /// The state file.
        path: PathBuf,
        /// Where in the file (a JSON path such as `practices[0].practice.work`).
        at: String,
        /// What is wrong there.
        detail: String,
    },
    /// Another emulator runs on the same file: two would overwrite each other's saves.
    #[error(
        "another emulator is using the state file {} (its lock {} is held); stop that one, or give this one \
         another --state FILE",
        path.display(), lock.display()
    )]
    InUse {
        /// The state file.
        path: PathBuf,
        /// The lock file beside it.
        lock: PathBuf,
    },
    /// The state could not be written.
    #[error("cannot save the emulator state to {}: {source}; check that its directory exists and is writable", path.display())]
    Write {
        /// The state file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

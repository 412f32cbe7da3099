//! Reading the state file, and replacing it atomically.
//!
//! A save writes a temporary file in the same directory (so the rename cannot cross file
//! systems), created with mode 0600 because the state holds app secrets and the private signing
//! key, flushes it to disk, renames it over the state file (POSIX `rename(2)` replaces the target
//! atomically: a reader sees the old file or the new one, never half of one) and flushes the
//! directory so the rename itself survives a crash.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::StateError;

/// The file's bytes (wiped from memory when dropped: they hold secrets), or `None` if there is
/// no file yet.
pub(super) fn read(path: &Path) -> Result<Option<Zeroizing<Vec<u8>>>, StateError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StateError::Read { path: path.to_owned(), source }),
    }
}

/// Replaces the file at `path` with `bytes`, atomically, leaving it with mode 0600.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let failed = |source: std::io::Error| StateError::Write { path: path.to_owned(), source };
    let directory = directory_of(path);
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    // `tempfile` creates the file with mode 0600 on Unix (`O_EXCL`, `0o600`), so the secrets are
    // never readable by others, not even between creation and a later `chmod`.
    let mut temporary =
        tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(&directory).map_err(failed)?;
    temporary.write_all(bytes).map_err(failed)?;
    temporary.as_file().sync_all().map_err(failed)?;
    temporary.persist(path).map_err(|error| failed(error.error))?;
    sync_directory(&directory).map_err(failed)
}

/// The directory a path is in (`.` for a bare file name).
fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Flushes a directory's entries, so a rename in it is durable.
#[cfg(unix)]
fn sync_directory(directory: &Path) -> std::io::Result<()> {
    std::fs::File::open(directory)?.sync_all()
}

/// Windows has no handle to flush a directory through; the rename is still atomic.
#[cfg(not(unix))]
fn sync_directory(_directory: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_replaces_the_file_whole_and_leaves_no_temporary_file() {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let path = directory.path().join("state.json");
        write_atomically(&path, b"first").expect("writes");
        write_atomically(&path, b"second").expect("replaces");
        assert_eq!(read(&path).expect("reads").as_deref().map(Vec::as_slice), Some(&b"second"[..]));
        let names: Vec<_> =
            std::fs::read_dir(directory.path()).expect("lists").flatten().map(|entry| entry.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_file_is_none_and_a_missing_directory_is_a_write_error() {
        let directory = tempfile::tempdir().expect("a temporary directory");
        assert!(read(&directory.path().join("absent.json")).expect("reads").is_none());
        let nowhere = directory.path().join("no-such-directory").join("state.json");
        let error = write_atomically(&nowhere, b"{}").expect_err("no directory");
        assert!(error.to_string().contains("no-such-directory"), "{error}");
    }
}

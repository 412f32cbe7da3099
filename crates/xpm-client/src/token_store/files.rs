//! Private file helpers for the encrypted store: owner-only directories and files, atomic writes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Write};
use std::path::{Path, PathBuf};

use uuid::Uuid;

/// Creates `dir` (and its parents) readable by the owner only (0700 on Unix).
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The permission bits of `dir` if group or others may write to it (Unix); `None` otherwise.
pub(crate) fn writable_by_others(dir: &Path) -> io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(dir)?.permissions().mode() & 0o7777;
        Ok((mode & 0o022 != 0).then_some(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

/// What [`read_regular_file`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Capped {
    /// Nothing at the path.
    Missing,
    /// A link, device, pipe or directory: never read, since a link to `/dev/zero` reads without
    /// end and a pipe blocks.
    NotRegular,
    /// A regular file longer than the cap.
    TooLarge,
    /// The file's bytes.
    Read(Vec<u8>),
}

/// Reads `path` if it is a regular file (not a link to one) of at most `max` bytes.
pub(crate) fn read_regular_file(path: &Path, max: u64) -> io::Result<Capped> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if !metadata.file_type().is_file() => return Ok(Capped::NotRegular),
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Capped::Missing),
        Err(error) => return Err(error),
    }
    let mut options = OpenOptions::new();
    options.read(true);
    // The path was a regular file a moment ago; refusing links here too closes the gap in which
    // it could have been replaced by one.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    let file = match options.open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Capped::Missing),
        Err(_) if fs::symlink_metadata(path).is_ok_and(|metadata| !metadata.file_type().is_file()) => {
            return Ok(Capped::NotRegular);
        }
        Err(error) => return Err(error),
    };
    if !file.metadata()?.file_type().is_file() {
        return Ok(Capped::NotRegular);
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max { Ok(Capped::TooLarge) } else { Ok(Capped::Read(bytes)) }
}

/// Opens a new file that must not exist yet, readable by the owner only (0600 on Unix).
fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A fresh temporary path beside `path`, hidden and unique, so that a crash leaves no file that
/// looks like a record.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", Uuid::new_v4().simple()))
}

/// Writes `bytes` to a fresh 0600 temporary file beside `path` and flushes it to disk.
fn write_temporary(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let temporary = temporary_beside(path);
    let written = create_private_file(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(temporary),
        Err(error) => {
            let _ = fs::remove_file(&temporary);
            Err(error)
        }
    }
}

/// Flushes a directory entry change (a rename or a new link) to disk.
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Replaces `path` with `bytes` atomically: readers see the old content or the new, never a mix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = write_temporary(path, bytes)?;
    if let Err(error) = fs::rename(&temporary, path) {
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    sync_parent(path)
}

/// Creates `path` with `bytes` unless it exists. Returns `false` if another writer got there
/// first; the file is never seen half-written either way.
pub(crate) fn create_atomically(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let temporary = write_temporary(path, bytes)?;
    // A hard link fails if the target exists, unlike a rename, which would replace it.
    let linked = fs::hard_link(&temporary, path);
    let _ = fs::remove_file(&temporary);
    match linked {
        Ok(()) => sync_parent(path).map(|()| true),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(error),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn only_regular_files_within_the_cap_are_read() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("record");
        assert_eq!(read_regular_file(&path, 4)?, Capped::Missing);
        fs::write(&path, b"four")?;
        assert_eq!(read_regular_file(&path, 4)?, Capped::Read(b"four".to_vec()));
        assert_eq!(read_regular_file(&path, 3)?, Capped::TooLarge);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&path, &link)?;
        assert_eq!(read_regular_file(&link, 4)?, Capped::NotRegular, "a link, even to a regular file");
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero)?;
        assert_eq!(read_regular_file(&zero, 4)?, Capped::NotRegular);
        assert_eq!(read_regular_file(Path::new("/dev/zero"), 4)?, Capped::NotRegular);
        assert_eq!(read_regular_file(dir.path(), 4)?, Capped::NotRegular);
        Ok(())
    }

    #[test]
    fn atomic_writes_are_private_and_leave_no_temporary_files() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let private = dir.path().join("private");
        create_private_dir(&private)?;
        assert_eq!(fs::metadata(&private)?.permissions().mode() & 0o777, 0o700);

        let path = private.join("record");
        write_atomically(&path, b"one")?;
        write_atomically(&path, b"two")?;
        assert_eq!(fs::read(&path)?, b"two");
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);

        assert!(!create_atomically(&path, b"three")?);
        assert_eq!(fs::read(&path)?, b"two");
        assert!(create_atomically(&private.join("other"), b"four")?);
        assert_eq!(fs::read_dir(&private)?.count(), 2);
        Ok(())
    }
}

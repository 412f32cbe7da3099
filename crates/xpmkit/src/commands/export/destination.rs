//! Where an export goes. Exports hold personal data (tax numbers, bank details, birth dates), so
//! rows reach a terminal only when asked for by name (`--out -`); without `--out` they go to
//! standard output only when that is a pipe or a file. A file is written under a temporary name
//! beside it, readable by its owner only, and renamed into place once complete, so a failed
//! export never leaves half a file behind (or half-replaces an earlier one).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::exit::{CliError, CliResult};

/// Where the rows go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// `--out` as given (`-` is standard output), or standard output when it is not a terminal.
    pub(crate) fn choose(out: Option<&Path>, stdout_is_terminal: bool, what: &str) -> CliResult<Self> {
        match out {
            Some(path) if path.as_os_str() == "-" => Ok(Self::Stdout),
            Some(path) => Ok(Self::File(path.to_owned())),
            None if stdout_is_terminal => Err(CliError::Usage {
                message: format!(
                    "not printing {what} to the terminal: exports hold personal data (tax numbers, bank details, \
                     birth dates); write them to a file with --out FILE, or pass --out - to print them anyway"
                ),
            }),
            None => Ok(Self::Stdout),
        }
    }

    /// How the closing note names it.
    pub(crate) fn shown(&self) -> String {
        match self {
            Self::Stdout => "standard output".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }

    /// Opens it for writing.
    pub(crate) fn open(&self) -> CliResult<Output> {
        match self {
            Self::Stdout => Ok(Output::Stdout(BufWriter::new(std::io::stdout()))),
            Self::File(path) => {
                let directory = match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                };
                // tempfile creates the file with mode 0600: the export is its owner's alone.
                let file =
                    tempfile::Builder::new().prefix(".xpmkit-export-").tempfile_in(directory).map_err(|error| {
                        CliError::Usage { message: format!("cannot write in {}: {error}", directory.display()) }
                    })?;
                Ok(Output::File { writer: BufWriter::new(file), path: path.clone() })
            }
        }
    }
}

/// An open destination.
pub(crate) enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    File { writer: BufWriter<tempfile::NamedTempFile>, path: PathBuf },
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Self::Stdout(writer) => writer.write(bytes),
            Self::File { writer, .. } => writer.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::Stdout(writer) => writer.flush(),
            Self::File { writer, .. } => writer.flush(),
        }
    }
}

impl Output {
    /// Makes the output final: flushed, and a file renamed into place.
    pub(crate) fn commit(self) -> CliResult<()> {
        match self {
            Self::Stdout(mut writer) => Ok(writer.flush()?),
            Self::File { writer, path } => {
                let file = writer.into_inner().map_err(|error| error.into_error())?;
                file.as_file().sync_all()?;
                file.persist(&path).map_err(|error| CliError::Usage {
                    message: format!("cannot write {}: {}", path.display(), error.error),
                })?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_reach_a_terminal_only_when_asked_for() {
        let refused = Target::choose(None, true, "clients").expect_err("refused");
        assert!(refused.to_string().contains("--out -"), "{refused}");
        assert_eq!(refused.exit_code(), crate::exit::USAGE);
        assert_eq!(Target::choose(None, false, "clients").ok(), Some(Target::Stdout));
        assert_eq!(Target::choose(Some(Path::new("-")), true, "clients").ok(), Some(Target::Stdout));
        let file = Target::choose(Some(Path::new("out.csv")), true, "clients").ok();
        assert_eq!(file, Some(Target::File("out.csv".into())));
    }

    #[test]
    fn a_file_appears_only_when_complete_and_only_for_its_owner() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("clients.csv");
        let target = Target::File(path.clone());
        let mut output = target.open().expect("open");
        output.write_all(b"name\nHarbour Trust\n").expect("write");
        output.flush().expect("flush");
        assert!(!path.exists(), "nothing under the final name before the commit");
        output.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "name\nHarbour Trust\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let abandoned = target.open().expect("open");
        drop(abandoned);
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1, "an abandoned export leaves nothing");
    }
}

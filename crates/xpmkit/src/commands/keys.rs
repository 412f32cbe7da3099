//! `xpmkit keys rotate` and `xpmkit keys status`.

use crate::exit::CliResult;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::PathBuf;

use anyhow::Context as _;
use xpm_client::token_store::keys::{self, KeySource, MasterKey};
use xpm_client::token_store::{EncryptedFileStore, TokenStore as _};

use super::connections_file;
use crate::cli::{DataDirArgs, KeysCommand};

pub(crate) fn run(command: KeysCommand) -> CliResult<()> {
    match command {
        KeysCommand::Rotate(args) => rotate(&data_dir(args)?),
        KeysCommand::Status(args) => status(&data_dir(args)?),
    }
}

fn data_dir(args: DataDirArgs) -> CliResult<PathBuf> {
    connections_file::data_dir(args.data_dir.as_deref())
}

fn rotate(data_dir: &std::path::Path) -> CliResult<()> {
    let Some(current) = connections_file::key_resolver(data_dir).find()? else {
        eprintln!("no master key in {} yet: nothing to rotate", data_dir.display());
        return Ok(());
    };
    let store = EncryptedFileStore::open(data_dir, current.key.clone())?;
    match current.source {
        KeySource::File(path) | KeySource::Created(path) => {
            // The new key is on disk before any record is sealed with it; an interrupted rotation
            // leaves it in the pending file, and running again finishes the job with it.
            let pending = keys::pending_key_file_path(data_dir);
            let (new_key, store) = match keys::read_key_file(&pending)? {
                Some(pending_key) => {
                    eprintln!("resuming an interrupted rotation to key {}", pending_key.id());
                    (pending_key.clone(), store.with_previous_key(pending_key))
                }
                None => {
                    let new_key = MasterKey::generate();
                    keys::write_key_file(&pending, &new_key)?;
                    (new_key, store)
                }
            };
            let report = store.rotate(new_key.clone()).context("re-sealing the token records")?;
            keys::write_key_file(&path, &new_key)?;
            fs::remove_file(&pending).with_context(|| format!("removing {}", pending.display()))?;
            say!(
                "re-sealed {} token record(s) with key {} (was {}); {} now holds the new key",
                report.resealed,
                report.new_key,
                report.old_key,
                path.display()
            )?;
        }
        KeySource::Env { variable } => {
            let new_key = MasterKey::generate();
            // Printed before any record is sealed with it, so that an interruption cannot lose it.
            eprintln!(
                "the new master key follows on standard output, once; it is saved nowhere: store it now \
                 and set {variable} to it"
            );
            let mut out = io::stdout().lock();
            writeln!(out, "{}", new_key.to_base64().as_str())?;
            out.flush()?;
            let new_id = new_key.id();
            let report = store.rotate(new_key).with_context(|| {
                format!(
                    "re-sealing the token records with key {new_id}: records already re-sealed need the new \
                     key printed above, the others the old one"
                )
            })?;
            eprintln!(
                "re-sealed {} token record(s) with key {} (was {}); set {variable} to the new key \
                 before running xpmkit again",
                report.resealed, report.new_key, report.old_key
            );
        }
        other => return Err(anyhow::anyhow!("cannot rotate a key from {other}").into()),
    }
    Ok(())
}

fn status(data_dir: &std::path::Path) -> CliResult<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "data directory: {}", data_dir.display())?;
    let Some(current) = connections_file::key_resolver(data_dir).find()? else {
        writeln!(out, "master key: none yet (a key file is created on first use)")?;
        return Ok(());
    };
    writeln!(out, "master key: {} from {}", current.key.id(), current.source)?;
    let pending = keys::pending_key_file_path(data_dir);
    if pending.exists() {
        writeln!(out, "an interrupted rotation left {}: run `xpmkit keys rotate` again", pending.display())?;
    }
    let current_id = current.key.id();
    let store = EncryptedFileStore::open(data_dir, current.key)?;
    let mut by_key = BTreeMap::new();
    for (_, key_id) in store.record_keys()? {
        *by_key.entry(key_id).or_insert(0_usize) += 1;
    }
    let total = store.connections()?.len();
    let current_count = by_key.remove(&current_id).unwrap_or(0);
    writeln!(out, "token records: {total} ({current_count} sealed with the current key)")?;
    for (key_id, count) in by_key {
        writeln!(out, "  {count} sealed with another key {key_id}: they do not open with the current key")?;
    }
    Ok(())
}

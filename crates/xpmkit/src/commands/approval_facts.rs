//! The live configuration the approval kit reports on, read once: stored connections and their
//! granted scopes, the sealed token store and its key, the database, the security settings and
//! admin users, the audit chain, readiness marks and the latest contract-suite run.
//!
//! Nothing here holds a secret: keys are described by id and source, tokens by count, the
//! database by its printable location (no password).

use std::path::{Path, PathBuf};

use xpm_client::token_store::keys::KeySource;
use xpm_store::{
    AdminUser, AuditChain, AuditEntry, Backend, DatabaseLocation, ReadinessMark, SecuritySettings, Store, VerifyRun,
};

use super::connections_file::{self, SavedConnection};
use super::database;
use crate::cli::ApprovalStoreArgs;
use crate::exit::{CliError, CliResult};

/// Audit actions the approval commands write and read.
pub(crate) const ACCESS_REQUEST_ACTION: &str = "access_request.written";
/// See [`ACCESS_REQUEST_ACTION`].
pub(crate) const EVIDENCE_ACTION: &str = "evidence.written";

/// Where the master key comes from and which it is.
#[derive(Debug, Clone)]
pub(crate) struct KeyFacts {
    /// The key's id (a fingerprint prefix, not the key).
    pub(crate) id: String,
    /// Where it comes from, as `xpmkit keys status` says it.
    pub(crate) source: String,
    /// Whether it is a key file inside the data directory, beside the sealed tokens.
    pub(crate) beside_tokens: bool,
}

/// The sealed token store.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenFacts {
    /// The master key, when one exists.
    pub(crate) key: Option<KeyFacts>,
    /// Sealed records in the data directory.
    pub(crate) records: usize,
    /// Of them, the ones sealed with the current key.
    pub(crate) records_with_current_key: usize,
}

/// The database holding the mirrored practices.
#[derive(Debug, Clone)]
pub(crate) struct DatabaseFacts {
    /// Printable location (no password).
    pub(crate) shown: String,
    /// Its engine.
    pub(crate) backend: Backend,
    /// For PostgreSQL, the `sslmode` of the URL (`None`: not given, so libpq's default `prefer`).
    pub(crate) sslmode: Option<String>,
}

impl DatabaseFacts {
    /// The engine's name as people write it.
    pub(crate) fn engine(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "SQLite",
            _ => "PostgreSQL",
        }
    }

    /// Whether the connection to the database must use TLS (PostgreSQL `sslmode` require or
    /// stricter), or needs none (an embedded SQLite file never leaves the machine).
    pub(crate) fn transport_encrypted(&self) -> bool {
        match self.backend {
            Backend::Sqlite => true,
            _ => matches!(self.sslmode.as_deref(), Some("require" | "verify-ca" | "verify-full")),
        }
    }
}

/// Everything the approval kit reads.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub(crate) data_dir: PathBuf,
    pub(crate) connections: Vec<SavedConnection>,
    pub(crate) tokens: TokenFacts,
    pub(crate) database: DatabaseFacts,
    pub(crate) settings: SecuritySettings,
    pub(crate) users: Vec<AdminUser>,
    pub(crate) audit: AuditChain,
    pub(crate) marks: Vec<ReadinessMark>,
    pub(crate) verify_xero: Option<VerifyRun>,
    pub(crate) last_purge: Option<AuditEntry>,
    pub(crate) last_access_request: Option<AuditEntry>,
    pub(crate) last_evidence: Option<AuditEntry>,
}

impl Facts {
    /// The stored connections made with `profile` (`xero` or `mock`).
    pub(crate) fn connections_on(&self, profile: &str) -> Vec<&SavedConnection> {
        self.connections.iter().filter(|connection| connection.profile == profile).collect()
    }

    /// The admin users with a TOTP authenticator enrolled.
    pub(crate) fn enrolled_users(&self) -> usize {
        self.users.iter().filter(|user| user.totp_enrolled).count()
    }
}

/// Who the command line acts as in the audit log: `cli:<login name>`.
pub(crate) fn actor() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default();
    let user: String = user.chars().filter(|character| !character.is_control()).take(64).collect();
    if user.is_empty() { "cli".to_owned() } else { format!("cli:{user}") }
}

/// Opens the store `args` name (creating the default SQLite file when missing) and returns it
/// with the data directory.
pub(crate) async fn open(args: &ApprovalStoreArgs) -> CliResult<(Store, PathBuf)> {
    let data_dir = connections_file::data_dir(args.data_dir.as_deref())?;
    let store = database::open(&args.database, &data_dir).await?;
    Ok((store, data_dir))
}

/// Reads the facts from `store` and the files in `data_dir`.
pub(crate) async fn read(store: &Store, data_dir: &Path) -> CliResult<Facts> {
    let stored = |error| CliError::Store(error);
    Ok(Facts {
        data_dir: data_dir.to_owned(),
        connections: connections_file::load(data_dir)?,
        tokens: token_facts(data_dir)?,
        database: database_facts(store.location()),
        settings: store.security_settings().await.map_err(stored)?,
        users: store.admin_users().await.map_err(stored)?,
        audit: store.audit_chain().await.map_err(stored)?,
        marks: store.readiness_marks().await.map_err(stored)?,
        verify_xero: store.latest_verify_run("xero").await.map_err(stored)?,
        last_purge: latest(store, xpm_store::PURGE_ACTION).await?,
        last_access_request: latest(store, ACCESS_REQUEST_ACTION).await?,
        last_evidence: latest(store, EVIDENCE_ACTION).await?,
    })
}

async fn latest(store: &Store, action: &str) -> CliResult<Option<AuditEntry>> {
    Ok(store.audit_entries(action, 1).await.map_err(CliError::Store)?.into_iter().next())
}

fn token_facts(data_dir: &Path) -> CliResult<TokenFacts> {
    let Some(loaded) = connections_file::key_resolver(data_dir).find()? else {
        // No key: records, if any, cannot be opened; count the files only.
        let records = std::fs::read_dir(data_dir.join("tokens"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|entry| entry.path().extension().is_some_and(|extension| extension == "sealed"))
                    .count()
            })
            .unwrap_or(0);
        return Ok(TokenFacts { key: None, records, records_with_current_key: 0 });
    };
    let beside_tokens = match &loaded.source {
        KeySource::File(path) | KeySource::Created(path) => path.starts_with(data_dir),
        _ => false,
    };
    let key = KeyFacts { id: loaded.key.id().to_string(), source: loaded.source.to_string(), beside_tokens };
    let current = loaded.key.id();
    let store = xpm_client::token_store::EncryptedFileStore::open(data_dir, loaded.key)?;
    let record_keys = store.record_keys()?;
    let records_with_current_key = record_keys.iter().filter(|(_, key_id)| *key_id == current).count();
    Ok(TokenFacts { key: Some(key), records: record_keys.len(), records_with_current_key })
}

fn database_facts(location: &DatabaseLocation) -> DatabaseFacts {
    let sslmode = match location {
        DatabaseLocation::Postgres(url) => {
            url.query_pairs().find(|(name, _)| name == "sslmode").map(|(_, value)| value.into_owned())
        }
        _ => None,
    };
    DatabaseFacts { shown: location.shown(), backend: location.backend(), sslmode }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_required_sslmode_counts_as_encrypted() {
        let check =
            |text: &str| database_facts(&DatabaseLocation::parse(text).expect("location")).transport_encrypted();
        assert!(check("/srv/xpmkit/xpmkit.db"));
        assert!(check("postgres://app:pw@db.internal/xpm?sslmode=verify-full"));
        assert!(!check("postgres://app:pw@db.internal/xpm"));
        assert!(!check("postgres://app:pw@db.internal/xpm?sslmode=prefer"));
    }
}

//! Why a store operation failed, phrased so that the message says what to do about it.

/// A store failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database location is not a path, a `sqlite:` URL or a `postgres://` URL.
    #[error(
        "cannot use {shown} as a database: {reason}; give a file path, sqlite:///path/to/xpmkit.db \
         or postgres://user:password@host:5432/database"
    )]
    BadLocation {
        /// The location with any password replaced by `***`.
        shown: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No data directory could be found for the default SQLite database.
    #[error("no data directory for the default database: set XDG_DATA_HOME or HOME, or give a database location")]
    NoDataDirectory,
    /// The directory for the SQLite file could not be created.
    #[error("cannot create the database directory {path}")]
    CreateDirectory {
        /// The directory.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Connecting to the database failed.
    #[error("cannot connect to the database at {shown}: {advice}")]
    Connect {
        /// The location with any password replaced by `***`.
        shown: String,
        /// What to check.
        advice: &'static str,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// Applying the schema migrations failed.
    #[error(
        "cannot bring the database schema up to date at {shown}; if another xpmkit version created it, \
         use that version or a fresh database"
    )]
    Migrate {
        /// The location with any password replaced by `***`.
        shown: String,
        /// The cause.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// A query failed.
    #[error("database {action} failed")]
    Query {
        /// What the store was doing, e.g. `upsert into clients`.
        action: String,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// A stored value could not be read back (the row was edited by hand or by another program).
    #[error("the stored {what} is unreadable: {reason}")]
    Corrupt {
        /// What was being read.
        what: String,
        /// What is wrong.
        reason: String,
    },
    /// The database token store's own thread failed (it runs the queries of the synchronous
    /// `TokenStore` calls).
    #[error("the database token store's thread {what}")]
    TokenThread {
        /// What went wrong.
        what: &'static str,
        /// The cause, when the operating system gave one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The lock file beside a SQLite database could not be opened or locked.
    #[error("cannot take the lock {path}")]
    Lock {
        /// The lock file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An item lacks the identifier the store keys it by.
    #[error("cannot store a {entity} without its {key}: XPM sent one without it")]
    MissingKey {
        /// The kind of entity.
        entity: &'static str,
        /// The missing key field.
        key: &'static str,
    },
    /// An export asked for a field the entity does not have.
    #[error("{entity} have no field `{field}`")]
    UnknownField {
        /// The entity exported.
        entity: &'static str,
        /// The field asked for.
        field: String,
    },
    /// An item could not be encoded as JSON for its raw column.
    #[error("cannot encode a {entity} as JSON")]
    Encode {
        /// The kind of entity.
        entity: &'static str,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
}

impl StoreError {
    /// A query failure while doing `action`.
    pub(crate) fn query(action: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Self {
        let action = action.into();
        move |source| Self::Query { action, source }
    }
}

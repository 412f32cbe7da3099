//! Where the mirrored practice is kept, for every command that syncs, pushes or reads it:
//! `--database-url`, else `XPMKIT_DATABASE_URL`, else `xpmkit.db` in the data directory.

use std::path::Path;

use xpm_store::{DatabaseLocation, Store};

use crate::cli::DatabaseArgs;
use crate::exit::{CliError, CliResult};

/// The environment variable naming the database, as `--database-url` does.
pub(crate) const DATABASE_URL_ENV: &str = "XPMKIT_DATABASE_URL";

/// The database `args` name, else the SQLite file in `data_dir`.
pub(crate) fn location(args: &DatabaseArgs, data_dir: &Path) -> CliResult<DatabaseLocation> {
    match args.database_url.as_deref() {
        Some(text) => DatabaseLocation::parse(text).map_err(CliError::Store),
        None => Ok(DatabaseLocation::default_in(data_dir)),
    }
}

/// Opens the store `args` name (migrating its schema), else the SQLite file in `data_dir`.
pub(crate) async fn open(args: &DatabaseArgs, data_dir: &Path) -> CliResult<Store> {
    let location = location(args, data_dir)?;
    tracing::debug!(database = %location.shown(), "opening the store");
    Store::open_location(location).await.map_err(CliError::Store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_sqlite_file_in_the_data_directory() {
        let args = DatabaseArgs { database_url: None };
        let location = location(&args, Path::new("/srv/xpmkit")).expect("a location");
        assert_eq!(location, DatabaseLocation::Sqlite("/srv/xpmkit/xpmkit.db".into()));
    }

    #[test]
    fn a_bad_location_is_a_usage_error_without_the_password() {
        let args = DatabaseArgs { database_url: Some("mysql://admin:hunter2@db/xpm".to_owned()) };
        let error = location(&args, Path::new("/srv/xpmkit")).expect_err("refused");
        assert_eq!(error.exit_code(), crate::exit::USAGE);
        let text = error.to_string();
        assert!(text.contains("postgres") && !text.contains("hunter2"), "{text}");
    }
}

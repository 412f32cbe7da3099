//! Where the database is: a SQLite file (the default, in the data directory) or a PostgreSQL
//! server. Parsed once, so a bad URL fails before any connection is attempted.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::StoreError;

/// The SQLite file name used in the data directory when no location is given.
pub const DEFAULT_DATABASE_FILE: &str = "xpmkit.db";

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// An embedded SQLite file, in WAL mode.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A validated database location.
///
/// `Debug` and [`shown`](Self::shown) replace a URL's password with `***`, so the location can be
/// logged and put in error messages.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// A SQLite database file, created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(url::Url),
}

impl DatabaseLocation {
    /// Parses a location: `postgres://…` or `postgresql://…`, `sqlite://PATH` or `sqlite:PATH`, or
    /// a plain file path.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(StoreError::BadLocation {
                shown: "an empty text".to_owned(),
                reason: "it is empty".to_owned(),
            });
        }
        if let Some((scheme, _)) = trimmed.split_once("://").filter(|(scheme, _)| !scheme.contains(['/', '\\'])) {
            return match scheme.to_ascii_lowercase().as_str() {
                "postgres" | "postgresql" => parse_postgres(trimmed),
                "sqlite" => Ok(Self::sqlite_path(&trimmed["sqlite://".len()..], trimmed)?),
                other => Err(StoreError::BadLocation {
                    shown: redact_text(trimmed),
                    reason: format!("the scheme {other:?} is not supported (use postgres or sqlite)"),
                }),
            };
        }
        if let Some(path) = trimmed.strip_prefix("sqlite:") {
            return Self::sqlite_path(path, trimmed);
        }
        Ok(Self::Sqlite(PathBuf::from(trimmed)))
    }

    /// `xpmkit.db` in `data_dir`.
    pub fn default_in(data_dir: &Path) -> Self {
        Self::Sqlite(data_dir.join(DEFAULT_DATABASE_FILE))
    }

    /// The given location, or else `xpmkit.db` in the default data directory for `app_name`
    /// (`$XDG_DATA_HOME/<app>` or `~/.local/share/<app>`).
    pub fn or_default(given: Option<&str>, app_name: &str) -> Result<Self, StoreError> {
        match given {
            Some(text) => Self::parse(text),
            None => xpm_client::token_store::keys::default_data_dir(app_name)
                .map(|dir| Self::default_in(&dir))
                .ok_or(StoreError::NoDataDirectory),
        }
    }

    /// The engine.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The location for messages and logs, without a password.
    pub fn shown(&self) -> String {
        match self {
            Self::Sqlite(path) => path.display().to_string(),
            Self::Postgres(url) => redact_url(url),
        }
    }

    /// The URL sqlx connects with (it holds the password: never log it).
    pub(crate) fn connect_url(&self) -> String {
        match self {
            // `mode=rwc` creates the file when missing. The path goes in as is: sqlx reads
            // everything between `sqlite://` and `?` as the file name.
            Self::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Self::Postgres(url) => url.to_string(),
        }
    }

    fn sqlite_path(path: &str, whole: &str) -> Result<Self, StoreError> {
        if path.is_empty() || path.contains('?') {
            return Err(StoreError::BadLocation {
                shown: whole.to_owned(),
                reason: "a SQLite location is a file path, without options".to_owned(),
            });
        }
        if path == ":memory:" {
            return Err(StoreError::BadLocation {
                shown: whole.to_owned(),
                reason: "an in-memory database keeps nothing and cannot be shared by the store's connections; \
                         use a file (a temporary directory in tests)"
                    .to_owned(),
            });
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }
}

fn parse_postgres(text: &str) -> Result<DatabaseLocation, StoreError> {
    let url = url::Url::parse(text)
        .map_err(|error| StoreError::BadLocation { shown: redact_text(text), reason: error.to_string() })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(StoreError::BadLocation { shown: redact_url(&url), reason: "it names no host".to_owned() });
    }
    if url.path().trim_start_matches('/').is_empty() {
        return Err(StoreError::BadLocation {
            shown: redact_url(&url),
            reason: "it names no database (add /DATABASE after the host)".to_owned(),
        });
    }
    Ok(DatabaseLocation::Postgres(url))
}

fn redact_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Only fails for URLs that cannot have a password, which this one has.
        let _ = shown.set_password(Some("***"));
    }
    // Query parameters can carry a password too (`?password=`): leave them out.
    shown.set_query(None);
    shown.to_string()
}

/// Redacts a text that did not parse as a URL: everything between `://` and `@` may hold a
/// password, so it is dropped whole.
fn redact_text(text: &str) -> String {
    match (text.find("://"), text.rfind('@')) {
        (Some(start), Some(at)) if at > start => format!("{}://***@{}", &text[..start], &text[at + 1..]),
        _ => text.to_owned(),
    }
}

impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(&redact_url(url)).finish(),
        }
    }
}

impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: Result<DatabaseLocation, &str>) {
        match (DatabaseLocation::parse(text), expected) {
            (Ok(location), Ok(expected)) => assert_eq!(location, expected, "{text}"),
            (Err(error), Err(fragment)) => {
                let message = error.to_string();
                assert!(message.contains(fragment), "{text}: {message}");
                assert!(!message.contains("hunter2"), "{text}: the password leaked: {message}");
            }
            (got, expected) => panic!("{text}: got {got:?}, expected {expected:?}"),
        }
    }

    fn postgres(text: &str) -> DatabaseLocation {
        DatabaseLocation::Postgres(url::Url::parse(text).expect("test URL"))
    }

    #[test]
    fn locations_parse_by_scheme() {
        check("/var/lib/xpmkit/xpmkit.db", Ok(DatabaseLocation::Sqlite("/var/lib/xpmkit/xpmkit.db".into())));
        check("relative.db", Ok(DatabaseLocation::Sqlite("relative.db".into())));
        check("sqlite:///tmp/x.db", Ok(DatabaseLocation::Sqlite("/tmp/x.db".into())));
        check("sqlite:data/x.db", Ok(DatabaseLocation::Sqlite("data/x.db".into())));
        check("postgres://xpm:hunter2@db:5432/xpm", Ok(postgres("postgres://xpm:hunter2@db:5432/xpm")));
        check("postgresql://db/xpm", Ok(postgres("postgresql://db/xpm")));
        check("", Err("it is empty"));
        check("mysql://xpm:hunter2@db/xpm", Err("scheme \"mysql\" is not supported"));
        check("postgres://xpm:hunter2@db:5432", Err("names no database"));
        check("postgres://xpm:hunter2@db:notaport/xpm", Err("cannot use postgres://***@db:notaport/xpm"));
        check("sqlite::memory:", Err("in-memory database keeps nothing"));
        check("sqlite://x.db?mode=ro", Err("without options"));
    }

    #[test]
    fn passwords_never_show() {
        let location = DatabaseLocation::parse("postgres://xpm:hunter2@db/xpm?password=hunter2").expect("valid URL");
        assert_eq!(location.shown(), "postgres://xpm:***@db/xpm");
        assert!(!format!("{location:?} {location}").contains("hunter2"));
        assert!(location.connect_url().contains("hunter2"), "sqlx still gets the password");
    }
}

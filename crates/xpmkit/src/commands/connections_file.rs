//! What `connect`, `tenants`, `disconnect`, `call` and `push` share: the data directory,
//! `connections.json` (who connected, where, and which practices; no secrets), the sealed token
//! store beside it, the app's OAuth client for a saved connection, and the XPM client for it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use xpm_client::config::{AppCredentials, Endpoints};
use xpm_client::oauth::{self, OAuthClient};
use xpm_client::secret::ClientSecret;
use xpm_client::token_store::{ConnectionId, EncryptedFileStore, KeyResolver, StoredTokens, TokenStore as _, keys};
use xpm_mock::config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::exit::{CliError, CliResult};

/// The file, in the data directory, that lists connections and their practices.
const CONNECTIONS_FILE: &str = "connections.json";

/// The largest `connections.json` read: a few hundred bytes per connection.
const MAX_CONNECTIONS_FILE_BYTES: u64 = 16 << 20;

/// The environment variable that holds the token store's master key (README, "Connecting").
pub(crate) const MASTER_KEY_ENV: &str = "XPMKIT_MASTER_KEY";

/// The name of the data directory under `$XDG_DATA_HOME` (or `~/.local/share`).
const DATA_DIR_NAME: &str = "xpmkit";

/// One stored connection as `connections.json` keeps it: who, where, and which practices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SavedConnection {
    pub(crate) connection_id: uuid::Uuid,
    /// `xero` or `mock`.
    pub(crate) profile: String,
    pub(crate) issuer: String,
    pub(crate) client_id: String,
    #[serde(default)]
    pub(crate) user: Option<String>,
    pub(crate) scope: String,
    pub(crate) connected_at: chrono::DateTime<chrono::Utc>,
    pub(crate) tenants: Vec<SavedTenant>,
}

/// One practice a connection reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SavedTenant {
    pub(crate) tenant_id: uuid::Uuid,
    pub(crate) name: String,
    /// The id `DELETE /connections/{id}` takes.
    pub(crate) xero_connection_id: uuid::Uuid,
}

impl SavedConnection {
    /// Whether the connection was made against the emulator.
    pub(crate) fn is_mock(&self) -> bool {
        self.profile == "mock"
    }

    /// The endpoints it was made against: the emulator at its issuer, or Xero.
    pub(crate) fn endpoints(&self) -> Endpoints {
        if self.is_mock() { Endpoints::emulator(&self.issuer) } else { Endpoints::xero() }
    }

    /// The app's OAuth client for refreshing or revoking this connection's tokens, with the
    /// client secret from `secret_env` as `connect` reads it.
    pub(crate) fn oauth_client(&self, secret_env: Option<&str>) -> CliResult<OAuthClient> {
        let credentials = AppCredentials {
            client_id: self.client_id.clone(),
            client_secret: client_secret(secret_env, self.is_mock(), &self.client_id)?,
            // Refresh and revocation send no redirect URI; the authorisation had its own.
            redirect_uri: format!("http://localhost{}", oauth::CALLBACK_PATH),
        };
        Ok(OAuthClient::new(self.endpoints(), credentials).context("cannot set up the OAuth client")?)
    }
}

/// The data directory: `--data-dir` (or `XPMKIT_DATA_DIR`), else `$XDG_DATA_HOME/xpmkit`, else
/// `~/.local/share/xpmkit`.
pub(crate) fn data_dir(explicit: Option<&Path>) -> CliResult<PathBuf> {
    explicit.map(Path::to_owned).or_else(|| keys::default_data_dir(DATA_DIR_NAME)).ok_or_else(|| CliError::Usage {
        message: "no data directory: pass --data-dir or set XPMKIT_DATA_DIR".to_owned(),
    })
}

/// Where the master key of `data_dir` comes from: `XPMKIT_MASTER_KEY`, else the key file.
pub(crate) fn key_resolver(data_dir: &Path) -> KeyResolver {
    KeyResolver::new(data_dir).env_var(MASTER_KEY_ENV)
}

/// The encrypted token store of `data_dir`, with its master key (created on first use).
pub(crate) fn open_store(data_dir: &Path) -> CliResult<EncryptedFileStore> {
    let loaded = key_resolver(data_dir).resolve().context("cannot get the master key of the token store")?;
    Ok(EncryptedFileStore::open(data_dir, loaded.key).context("cannot open the token store")?)
}

/// The encrypted token store of `data_dir` if a master key exists; never creates one.
pub(crate) fn find_store(data_dir: &Path) -> CliResult<Option<EncryptedFileStore>> {
    match key_resolver(data_dir).find().context("cannot read the master key of the token store")? {
        Some(loaded) => {
            Ok(Some(EncryptedFileStore::open(data_dir, loaded.key).context("cannot open the token store")?))
        }
        None => Ok(None),
    }
}

/// The stored tokens of `connection`, once their sealed binding says `oauth` may send them.
///
/// `connections.json` decides which endpoints `oauth` uses, and anyone who can write it could
/// point them elsewhere; the binding sealed with the tokens cannot be edited. Records sealed
/// before bindings existed are refused, so that no path sends unchecked tokens.
pub(crate) fn bound_tokens(
    store: &EncryptedFileStore,
    connection: ConnectionId,
    oauth: &OAuthClient,
) -> CliResult<StoredTokens> {
    let tokens = store.load(connection)?.ok_or_else(|| CliError::NotConnected {
        message: format!("no tokens are stored for connection {connection}; run `xpmkit connect`"),
    })?;
    let Some(binding) = &tokens.binding else {
        return Err(CliError::NotConnected {
            message: format!(
                "the tokens of connection {connection} were stored before xpmkit sealed where they may be \
                 sent; run `xpmkit connect` again to store them with that binding"
            ),
        });
    };
    binding.check(connection, oauth.endpoints(), oauth.client_id()).map_err(|error| CliError::NotConnected {
        message: format!("{error}; connections.json may have been edited"),
    })?;
    Ok(tokens)
}

/// The XPM client for `connection`, whose stored tokens must be bound to it (see
/// [`bound_tokens`]); `secret_env` names the variable holding a web app's client secret.
pub(crate) fn xpm_client(
    connection: &SavedConnection,
    data_dir: &Path,
    secret_env: Option<&str>,
    format: xpm_client::Format,
) -> CliResult<xpm_client::XpmClient> {
    let store = find_store(data_dir)?.ok_or_else(|| CliError::NotConnected {
        message: format!(
            "no master key for the token store in {} (nor {MASTER_KEY_ENV}), so the tokens cannot be read; run \
             `xpmkit connect` again",
            data_dir.display()
        ),
    })?;
    let oauth = connection.oauth_client(secret_env)?;
    let connection_id = ConnectionId(connection.connection_id);
    bound_tokens(&store, connection_id, &oauth)?;
    let client = xpm_client::XpmClient::builder(oauth, std::sync::Arc::new(store), connection_id)
        .format(format)
        .user_agent(super::USER_AGENT)
        .build()
        .context("cannot set up the XPM client")?;
    Ok(client)
}

/// Writes `connections` to `connections.json` atomically. Returns the file.
pub(crate) fn write(data_dir: &Path, connections: &[SavedConnection]) -> CliResult<PathBuf> {
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let path = data_dir.join(CONNECTIONS_FILE);
    let temporary = data_dir.join(format!(".{CONNECTIONS_FILE}.tmp"));
    let json = serde_json::to_vec_pretty(connections)?;
    std::fs::write(&temporary, json).with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, &path).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(path)
}

/// The saved connections; none when the file does not exist yet.
pub(crate) fn load(data_dir: &Path) -> CliResult<Vec<SavedConnection>> {
    let path = data_dir.join(CONNECTIONS_FILE);
    let metadata = match std::fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(anyhow::Error::new(error).context(format!("cannot read {}", path.display())).into()),
    };
    // A link to /dev/zero would read without end; a real list of connections is small.
    if !metadata.file_type().is_file() || metadata.len() > MAX_CONNECTIONS_FILE_BYTES {
        return Err(anyhow::anyhow!(
            "{} is not a regular file of at most {} MiB; remove it and run `xpmkit connect` again",
            path.display(),
            MAX_CONNECTIONS_FILE_BYTES >> 20
        )
        .into());
    }
    let mut bytes = Vec::new();
    let file = std::fs::File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_CONNECTIONS_FILE_BYTES), &mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(serde_json::from_slice(&bytes).with_context(|| format!("{} is not readable", path.display()))?)
}

/// Adds or replaces `saved` in `connections.json`. Returns the file.
pub(crate) fn upsert(data_dir: &Path, saved: SavedConnection) -> CliResult<PathBuf> {
    let mut connections = load(data_dir)?;
    connections.retain(|existing| existing.connection_id != saved.connection_id);
    connections.push(saved);
    write(data_dir, &connections)
}

/// Forgets the connections that `fresh` makes stale: made by the same user with the same app at
/// the same place, reaching no practice `fresh` does not. Signing in again (after an emulator
/// restart, or once tokens need reauthorisation) then leaves one connection, not two. Returns
/// the ones removed, whose tokens the caller deletes.
pub(crate) fn replace_stale(data_dir: &Path, fresh: &SavedConnection) -> CliResult<Vec<SavedConnection>> {
    let connections = load(data_dir)?;
    let (stale, kept): (Vec<SavedConnection>, Vec<SavedConnection>) =
        connections.into_iter().partition(|existing| is_replaced_by(existing, fresh));
    if !stale.is_empty() {
        write(data_dir, &kept)?;
    }
    Ok(stale)
}

fn is_replaced_by(existing: &SavedConnection, fresh: &SavedConnection) -> bool {
    existing.connection_id != fresh.connection_id
        && existing.user.is_some()
        && existing.user == fresh.user
        && existing.client_id == fresh.client_id
        && existing.profile == fresh.profile
        && existing.issuer.trim_end_matches('/') == fresh.issuer.trim_end_matches('/')
        && existing.tenants.iter().all(|old| fresh.tenants.iter().any(|new| new.tenant_id == old.tenant_id))
}

/// The client secret: from the environment variable named by `--client-secret-env`, else the
/// demo secret for the emulator's demo app, else none (a PKCE-only app).
pub(crate) fn client_secret(variable: Option<&str>, mock: bool, client_id: &str) -> CliResult<Option<ClientSecret>> {
    match variable {
        Some(variable) => Ok(Some(ClientSecret::new(std::env::var(variable).map_err(|_| CliError::Usage {
            message: format!("--client-secret-env names `{variable}`, which is not set (or not unicode)"),
        })?))),
        None if mock && client_id == DEMO_CLIENT_ID => Ok(Some(ClientSecret::new(DEMO_CLIENT_SECRET))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(id: u128, tenant: &str) -> SavedConnection {
        SavedConnection {
            connection_id: uuid::Uuid::from_u128(id),
            profile: "mock".into(),
            issuer: "http://127.0.0.1:8700".into(),
            client_id: DEMO_CLIENT_ID.into(),
            user: None,
            scope: "openid".into(),
            connected_at: chrono::Utc::now(),
            tenants: vec![SavedTenant {
                tenant_id: uuid::Uuid::from_u128(9),
                name: tenant.into(),
                xero_connection_id: uuid::Uuid::from_u128(10),
            }],
        }
    }

    #[test]
    fn connecting_again_replaces_the_saved_connection() {
        let directory = std::env::temp_dir().join(format!("xpmkit-connect-test-{}", uuid::Uuid::new_v4()));
        let first = upsert(&directory, saved(1, "Old name"));
        assert!(first.is_ok(), "{first:?}");
        let _ = upsert(&directory, saved(2, "Other"));
        let _ = upsert(&directory, saved(1, "New name"));
        let connections = load(&directory).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&directory);
        assert_eq!(connections.len(), 2);
        let names: Vec<&str> = connections.iter().flat_map(|c| c.tenants.iter().map(|t| t.name.as_str())).collect();
        assert_eq!(names, ["Other", "New name"]);
    }

    #[test]
    fn signing_in_again_replaces_the_stale_connection_only() {
        let directory = std::env::temp_dir().join(format!("xpmkit-stale-test-{}", uuid::Uuid::new_v4()));
        let with_user = |id, user: &str| SavedConnection { user: Some(user.into()), ..saved(id, "Practice") };
        let _ = upsert(&directory, with_user(1, "a@example.com"));
        let _ = upsert(&directory, with_user(2, "b@example.com"));
        let _ = upsert(&directory, SavedConnection { client_id: "other-app".into(), ..with_user(3, "a@example.com") });
        let fresh = with_user(4, "a@example.com");
        let _ = upsert(&directory, fresh.clone());
        let replaced = replace_stale(&directory, &fresh)
            .map(|stale| stale.iter().map(|c| c.connection_id.as_u128()).collect::<Vec<_>>());
        let kept: Vec<u128> = load(&directory).unwrap_or_default().iter().map(|c| c.connection_id.as_u128()).collect();
        let _ = std::fs::remove_dir_all(&directory);
        assert!(replaced.is_ok_and(|ids| ids == [1]));
        assert_eq!(kept, [2, 3, 4]);
    }

    #[test]
    fn the_data_dir_flag_wins_and_mock_connections_reach_their_emulator() {
        assert!(data_dir(Some(Path::new("/x"))).is_ok_and(|path| path == Path::new("/x")));
        let connection = saved(1, "Practice");
        assert_eq!(connection.endpoints().api_base, "http://127.0.0.1:8700/practicemanager/3.1");
        let xero = SavedConnection { profile: "xero".into(), ..connection };
        assert_eq!(xero.endpoints(), Endpoints::xero());
    }
}

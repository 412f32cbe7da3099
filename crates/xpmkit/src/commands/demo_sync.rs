//! The sync half of `xpmkit demo`: mirror the emulated practice into a fresh database, let a
//! colleague edit a client in XPM, sync again incrementally, and show a few stored rows.

use anyhow::Context as _;
use uuid::Uuid;
use xpm_api::ids::ClientId;
use xpm_api::model::Client;
use xpm_api::request::ClientUpdateRequest;
use xpm_client::XpmClient;
use xpm_store::{DatabaseLocation, EntityKind, Store};
use xpm_sync::{SyncOptions, sync_practice};

use super::sync_summary::bytes_text;
use crate::exit::{CliError, CliResult};

/// Steps 9 to 12 of the demo. With `database_url` the database is kept; without it a SQLite file
/// in a temporary directory is used and removed at the end.
pub(crate) async fn run(client: &XpmClient, tenant: Uuid, database_url: Option<&str>) -> CliResult<()> {
    let (location, scratch) = match database_url {
        Some(url) => (DatabaseLocation::parse(url).map_err(CliError::Store)?, None),
        None => {
            let dir = tempfile_dir()?;
            (DatabaseLocation::Sqlite(dir.join("xpmkit.db")), Some(dir))
        }
    };
    let shown = location.shown();
    let store = Store::open_location(location).await.map_err(CliError::Store)?;
    let options = SyncOptions::default().practice_name("Demo Practice (AU)");
    let first = sync_practice(client, &store, tenant, &options).await.context("the first sync failed")?;
    say!(
        "9. synced the practice into {shown}: {} clients, {} contacts (with their links), {} groups, {} staff \
         in {} ms, {} calls, {} streamed into the database as it downloaded",
        first.counts_of("client").added,
        first.counts_of("contact").added,
        first.counts_of("group").added,
        first.counts_of("staff").added,
        first.duration.as_millis(),
        first.calls,
        bytes_text(first.bytes)
    )?;

    let uuid = live_client(&store, tenant).await?;
    let change = ClientUpdateRequest::new(ClientId::from(uuid)).email("accounts@harbour.example");
    client.clients(tenant).update(&change).await?;
    say!("10. a colleague changed client {uuid}'s email in XPM (client.api/update)")?;

    // PUSH (issue 11, write-back): the demo's local contact edit, queued in the outbox, and
    // `xpmkit push` sending it go here, between the edit in XPM and the incremental sync.

    let second = sync_practice(client, &store, tenant, &options).await.context("the incremental sync failed")?;
    say!(
        "11. incremental sync (client.api/list?modifiedsince=, from the server's clock less an overlap): \
         {} client updated, {} changes in all, {} calls, {}, {} ms",
        second.counts_of("client").updated,
        second.changes(),
        second.calls,
        bytes_text(second.bytes),
        second.duration.as_millis()
    )?;

    say!("12. a few stored rows (the whole item is kept as JSON beside its columns):")?;
    let mut keys = store.keys(tenant, EntityKind::Client).await.map_err(CliError::Store)?;
    keys.sort();
    for key in keys.iter().take(3) {
        let Some(stored) = store.get::<Client>(tenant, EntityKind::Client, key).await.map_err(CliError::Store)? else {
            continue;
        };
        let contacts =
            store.client_contacts(tenant, key.parse().context("a UUID key")?).await.map_err(CliError::Store)?;
        let client = stored.item;
        let name = client.name.as_deref().unwrap_or("?");
        say!(
            "    {key}  {}  {}  {} contact(s), updated {}",
            crate::terminal::escape_controls(name),
            crate::terminal::escape_controls(client.email.as_deref().unwrap_or("-")),
            contacts.len(),
            stored.updated_at
        )?;
    }
    store.close().await;
    if let Some(dir) = scratch {
        let _ = std::fs::remove_dir_all(dir);
        say!("    (the demo database was temporary; `--database-url FILE` keeps one to explore with `xpmkit status`)")?;
    }
    Ok(())
}

/// The first stored client (by UUID) that is neither archived nor deleted: one XPM lets edit.
async fn live_client(store: &Store, tenant: Uuid) -> CliResult<Uuid> {
    let mut keys = store.keys(tenant, EntityKind::Client).await.map_err(CliError::Store)?;
    keys.sort();
    for key in keys {
        let Some(stored) = store.get::<Client>(tenant, EntityKind::Client, &key).await.map_err(CliError::Store)? else {
            continue;
        };
        let flagged = |flag: Option<xpm_api::value::YesNo>| flag.is_some_and(|flag| flag.is_yes());
        if !flagged(stored.item.is_archived) && !flagged(stored.item.is_deleted) {
            return Ok(key.parse().context("a stored client key is not a UUID")?);
        }
    }
    Err(anyhow::anyhow!("the practice has no live client to edit").into())
}

/// A new private directory under the system's temporary directory.
fn tempfile_dir() -> CliResult<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("xpmkit-demo-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

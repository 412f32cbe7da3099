//! The sync half of `xpmkit demo`: mirror the emulated practice into a fresh database, let a
//! colleague edit a client in XPM while a contact is edited locally, sync again incrementally
//! (which leaves the local edit alone), push the edit to XPM, and show a few stored rows.

use anyhow::Context as _;
use uuid::Uuid;
use xpm_api::ids::{ClientId, ContactId};
use xpm_api::model::{Client, Contact};
use xpm_api::request::{ClientUpdateRequest, ContactRequest};
use xpm_client::XpmClient;
use xpm_store::{DatabaseLocation, EntityKind, Store};
use xpm_sync::{Change, Outcome, PushOptions, SyncOptions, push, sync_practice};

use super::sync_summary::bytes_text;
use crate::exit::{CliError, CliResult};

/// Steps 9 to 14 of the demo. With `database_url` the database is kept; without it a SQLite file
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

    let (uuid, contact, contact_name) = editable(&store, tenant).await?;
    let change = ClientUpdateRequest::new(ClientId::from(uuid)).email("accounts@harbour.example");
    client.clients(tenant).update(&change).await?;
    say!("10. a colleague changed client {uuid}'s email in XPM (client.api/update)")?;

    let mobile = "+61 400 555 010";
    let mut write = store.write().await.map_err(CliError::Store)?;
    let update = Change::contact_update(ContactId::from(contact), ContactRequest::new(contact_name).mobile(mobile));
    xpm_sync::queue(&mut write, tenant, update).await.map_err(CliError::Push)?;
    write.commit().await.map_err(CliError::Store)?;
    say!("11. you changed contact {contact}'s mobile locally: queued in the outbox, based on the stored copy")?;

    let second = sync_practice(client, &store, tenant, &options).await.context("the incremental sync failed")?;
    say!(
        "12. incremental sync (client.api/list?modifiedsince=, from the server's clock less an overlap): \
         {} client updated, {} changes in all, {} record(s) with a local change left alone, {} calls, {}, {} ms",
        second.counts_of("client").updated,
        second.changes(),
        second.pending.values().sum::<u64>(),
        second.calls,
        bytes_text(second.bytes),
        second.duration.as_millis()
    )?;

    let pushed = push(client, &store, tenant, &PushOptions::default()).await.map_err(CliError::Push)?;
    for entry in &pushed.entries {
        say!(
            "13. push: {} {} (checked against XPM's record first, then read back and stored)",
            entry.outcome.label(),
            entry.description
        )?;
        if let Outcome::Failed { reason }
        | Outcome::Unknown { reason }
        | Outcome::Deferred { reason }
        | Outcome::Conflict { reason, .. } = &entry.outcome
        {
            return Err(anyhow::anyhow!("the demo's push did not go through: {reason}").into());
        }
    }
    let stored =
        store.get::<Contact>(tenant, EntityKind::Contact, &contact.to_string()).await.map_err(CliError::Store)?;
    let in_store = stored.and_then(|stored| stored.item.mobile).unwrap_or_default();
    say!("    the store now holds mobile {in_store} for that contact, as XPM does")?;

    say!("14. a few stored rows (the whole item is kept as JSON beside its columns):")?;
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

/// The first stored client (by UUID) that is neither archived nor deleted and has a live
/// contact, with that contact (the first by name) and its name: records XPM lets edit.
async fn editable(store: &Store, tenant: Uuid) -> CliResult<(Uuid, Uuid, String)> {
    let flagged = |flag: Option<xpm_api::value::YesNo>| flag.is_some_and(|flag| flag.is_yes());
    let mut keys = store.keys(tenant, EntityKind::Client).await.map_err(CliError::Store)?;
    keys.sort();
    for key in keys {
        let Some(stored) = store.get::<Client>(tenant, EntityKind::Client, &key).await.map_err(CliError::Store)? else {
            continue;
        };
        if flagged(stored.item.is_archived) || flagged(stored.item.is_deleted) {
            continue;
        }
        let client: Uuid = key.parse().context("a stored client key is not a UUID")?;
        let links = store.client_contacts(tenant, client).await.map_err(CliError::Store)?;
        let contact = links
            .into_iter()
            .filter(|link| !flagged(link.contact.is_deleted))
            .find_map(|link| Some((link.contact.uuid?, link.contact.name?)));
        if let Some((contact, name)) = contact {
            return Ok((client, contact, name));
        }
    }
    Err(anyhow::anyhow!("the practice has no live client with a live contact to edit").into())
}

/// A new private directory under the system's temporary directory.
fn tempfile_dir() -> CliResult<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("xpmkit-demo-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

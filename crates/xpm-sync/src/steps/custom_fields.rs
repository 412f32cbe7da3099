//! Custom field values of the clients and jobs a run added or changed. XPM serves them one
//! entity per call (`client.api/get/{uuid}/customfield`, `job.api/get/{number}/customfield`), so
//! reading them for every record each run would spend the day's budget: only the records this
//! run's change log names are read, after the definitions (`customfield.api/definition`, one
//! call) say a kind holds fields at all. What the budget leaves unread waits in the
//! [`CUSTOM_FIELDS_PENDING`] cursor for the next run, committed with each batch of values.

use std::collections::BTreeSet;

use futures_util::TryStreamExt as _;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::ids::{ClientId, JobNumber};
use xpm_api::model::CustomFieldDefinition;
use xpm_client::ErrorKind;
use xpm_client::api::CustomFieldOwner;
use xpm_store::{EntityKind, RunId};

use super::RunContext;
use crate::SyncError;
use crate::progress::Progress;
use crate::state::CUSTOM_FIELDS_PENDING;

/// The name of the phase in errors.
const STEP: &str = "custom fields";

/// Owners whose values commit together (with the pending list).
const VALUES_PER_COMMIT: usize = 50;

/// Reads the values of the clients and jobs this run changed, and of those an earlier run left
/// pending, and those `resumed` (an interrupted run) changed, as far as the budget allows.
pub(crate) async fn read_changed(context: &mut RunContext<'_>, resumed: Option<RunId>) -> Result<(), SyncError> {
    let mut owners = pending_owners(context).await?;
    for run in std::iter::once(context.run).chain(resumed) {
        for key in context.store.changed_keys(context.tenant, run, EntityKind::Client).await? {
            owners.insert(format!("client:{key}"));
        }
        for key in context.store.changed_keys(context.tenant, run, EntityKind::Job).await? {
            owners.insert(format!("job:{key}"));
        }
    }
    if owners.is_empty() {
        return Ok(());
    }
    if calls_left(context) == 0 {
        let mut write = context.begin().await?;
        write_pending(context, &mut write, &owners).await?;
        context.commit(write, None).await?;
        context.report.custom_fields_deferred = owners.len() as u64;
        return Ok(());
    }
    let fail = |source| SyncError::Client { step: STEP, source };
    let read = context.client.custom_fields(context.tenant).definitions().stream().try_collect().await;
    let definitions: Vec<CustomFieldDefinition> = match read {
        Ok(definitions) => definitions,
        // A connection without a scope for custom fields: nothing to read, nothing queued.
        Err(xpm_client::Error::ScopeNotGranted { operation, .. }) => {
            tracing::warn!(%operation, "the connection holds no scope for custom fields; values not read");
            return Ok(());
        }
        Err(source) => return Err(fail(source)),
    };
    let used = |flag: fn(&CustomFieldDefinition) -> Option<bool>| definitions.iter().any(|d| flag(d) == Some(true));
    let (clients_hold, jobs_hold) = (used(|d| d.use_client), used(|d| d.use_job));
    let mut write = context.begin().await?;
    write.upsert_custom_field_definitions(context.tenant, &definitions).await?;
    // Kinds no field applies to hold no values: nothing to read for them.
    owners.retain(|owner| (clients_hold && owner.starts_with("client:")) || (jobs_hold && owner.starts_with("job:")));
    write_pending(context, &mut write, &owners).await?;
    context.commit(write, None).await?;

    let mut left: Vec<String> = owners.into_iter().collect();
    let mut since_commit = 0;
    let mut write = context.begin().await?;
    while let Some(owner_key) = left.last().cloned() {
        if calls_left(context) == 0 {
            break;
        }
        if let Some((kind, id, owner)) = parse_owner(&owner_key) {
            match context.client.custom_fields(context.tenant).values(&owner).stream().try_collect::<Vec<_>>().await {
                Ok(values) => {
                    write.replace_custom_field_values(context.tenant, kind, &id, &values).await?;
                    context.report.custom_fields_read += 1;
                }
                // The record went between the list and this call, XPM refuses its fields, or
                // the connection may not read them: nothing to store; the next change reads it.
                Err(error)
                    if matches!(error.kind(), ErrorKind::Xpm | ErrorKind::InvalidCall)
                        || matches!(error, xpm_client::Error::ScopeNotGranted { .. }) =>
                {
                    tracing::warn!(owner = %owner_key, error = %error, "custom field values not read");
                }
                Err(source) => {
                    write_pending(context, &mut write, &left).await?;
                    context.commit(write, None).await?;
                    return Err(fail(source));
                }
            }
        }
        left.pop();
        since_commit += 1;
        if since_commit >= VALUES_PER_COMMIT {
            write_pending(context, &mut write, &left).await?;
            context.commit(write, None).await?;
            context.tell(Progress::Stored { entity: "custom field values", so_far: context.report.custom_fields_read });
            write = context.begin().await?;
            since_commit = 0;
        }
    }
    write_pending(context, &mut write, &left).await?;
    context.commit(write, None).await?;
    context.report.custom_fields_deferred = left.len() as u64;
    Ok(())
}

/// Calls this run may still make: its share of the day's budget less what it made.
fn calls_left(context: &RunContext<'_>) -> u64 {
    context.calls_allowed.saturating_sub(context.client.usage().calls)
}

async fn pending_owners(context: &RunContext<'_>) -> Result<BTreeSet<String>, SyncError> {
    let Some(cursor) = context.store.cursor(context.tenant, CUSTOM_FIELDS_PENDING).await? else {
        return Ok(BTreeSet::new());
    };
    serde_json::from_str(&cursor.value).map_err(|_| SyncError::Cursor {
        name: CUSTOM_FIELDS_PENDING,
        value: cursor.value.clone(),
        expected: "a JSON list of `client:<uuid>` and `job:<number>`",
    })
}

async fn write_pending<'o>(
    context: &RunContext<'_>,
    write: &mut xpm_store::WriteTx,
    owners: impl IntoIterator<Item = &'o String>,
) -> Result<(), SyncError> {
    let owners: Vec<&String> = owners.into_iter().collect();
    if owners.is_empty() {
        write.clear_cursor(context.tenant, CUSTOM_FIELDS_PENDING).await?;
    } else {
        let text = serde_json::to_string(&owners).map_err(|_| SyncError::Cursor {
            name: CUSTOM_FIELDS_PENDING,
            value: format!("{} owners", owners.len()),
            expected: "something JSON can hold",
        })?;
        write.set_cursor(context.tenant, CUSTOM_FIELDS_PENDING, &text).await?;
    }
    Ok(())
}

/// `client:<uuid>` or `job:<number>` as the owner kind, the stored owner key and the client's
/// owner; `None` for anything else (logged and dropped: a hand-edited cursor).
fn parse_owner(key: &str) -> Option<(CustomFieldOwnerKind, String, CustomFieldOwner)> {
    let parsed = if let Some(uuid) = key.strip_prefix("client:") {
        uuid.parse::<ClientId>()
            .ok()
            .map(|id| (CustomFieldOwnerKind::Client, uuid.to_owned(), CustomFieldOwner::Client(id)))
    } else if let Some(number) = key.strip_prefix("job:") {
        number
            .parse::<JobNumber>()
            .ok()
            .map(|id| (CustomFieldOwnerKind::Job, number.to_owned(), CustomFieldOwner::Job(id)))
    } else {
        None
    };
    if parsed.is_none() {
        tracing::warn!(owner = key, "not a client or job of the custom field queue; dropped");
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_parse_as_clients_and_jobs_only() {
        let client = parse_owner("client:0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b").expect("a client");
        assert_eq!(
            (client.0, client.1.as_str()),
            (CustomFieldOwnerKind::Client, "0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b")
        );
        let job = parse_owner("job:J000309").expect("a job");
        assert_eq!((job.0, job.1.as_str()), (CustomFieldOwnerKind::Job, "J000309"));
        assert!(parse_owner("contact:0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b").is_none());
        assert!(parse_owner("client:not-a-uuid").is_none());
    }
}

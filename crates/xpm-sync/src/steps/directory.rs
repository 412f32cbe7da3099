//! Staff (`staff.api/list`) and client groups (`clientgroup.api/list`): small lists read whole,
//! each stored in one transaction with its refresh time; members absent from a list are marked
//! removed. Group memberships come with the detailed clients.

use futures_util::TryStreamExt as _;
use xpm_api::model::{ClientGroup, Staff};
use xpm_store::EntityKind;

use super::RunContext;
use crate::SyncError;
use crate::plan::RunKind;
use crate::progress::Progress;
use crate::report::StepOutcome;
use crate::state::{GROUPS_REFRESHED, STAFF_REFRESHED, cursor_time};

/// The staff step's key in the resume marker.
pub(crate) const STAFF_KEY: &str = "staff";
/// The groups step's key in the resume marker.
pub(crate) const GROUPS_KEY: &str = "groups";

/// Reads every staff member.
pub(crate) async fn staff(context: &mut RunContext<'_>) -> Result<StepOutcome, SyncError> {
    let fail = |source| SyncError::Client { step: STAFF_KEY, source };
    let staff: Vec<Staff> = context.client.staff(context.tenant).list().stream().try_collect().await.map_err(fail)?;
    let keys = staff.iter().filter_map(|member| member.uuid.map(|uuid| uuid.to_string())).collect();
    let mut write = context.begin().await?;
    let counts = write.upsert_staff(context.tenant, &staff).await?;
    context.report.add("staff", counts);
    let removed = mark_vanished(context, &mut write, EntityKind::Staff, keys).await?;
    context.report.add_removed("staff", removed);
    write.set_cursor(context.tenant, STAFF_REFRESHED, &cursor_time(context.server_now())).await?;
    context.commit(write, Some(STAFF_KEY)).await?;
    context.tell(Progress::Stored { entity: "staff", so_far: staff.len() as u64 });
    Ok(StepOutcome::Done)
}

/// Reads every client group, unless this incremental run saw no client change and the groups
/// were read recently (see [`SyncOptions::groups_max_age`](crate::SyncOptions::groups_max_age)).
pub(crate) async fn groups(context: &mut RunContext<'_>) -> Result<StepOutcome, SyncError> {
    if context.kind == RunKind::Incremental && !context.clients_changed {
        let max_age = chrono::Duration::from_std(context.options.groups_max_age).unwrap_or(chrono::Duration::MAX);
        let fresh = context.groups_refreshed.is_some_and(|at| context.server_now() - at < max_age);
        if fresh {
            return Ok(StepOutcome::Skipped { reason: "no client changed and the groups were read recently" });
        }
    }
    let fail = |source| SyncError::Client { step: GROUPS_KEY, source };
    let groups: Vec<ClientGroup> =
        context.client.client_groups(context.tenant).list().stream().try_collect().await.map_err(fail)?;
    let keys = groups.iter().filter_map(|group| group.uuid.map(|uuid| uuid.to_string())).collect();
    let mut write = context.begin().await?;
    let counts = write.upsert_groups(context.tenant, &groups).await?;
    context.report.add("group", counts);
    let removed = mark_vanished(context, &mut write, EntityKind::Group, keys).await?;
    context.report.add_removed("group", removed);
    write.set_cursor(context.tenant, GROUPS_REFRESHED, &cursor_time(context.server_now())).await?;
    context.commit(write, Some(GROUPS_KEY)).await?;
    context.tell(Progress::Stored { entity: "group", so_far: groups.len() as u64 });
    Ok(StepOutcome::Done)
}

/// Marks the stored entities of `entity` that a complete list left out as removed.
async fn mark_vanished(
    context: &RunContext<'_>,
    write: &mut xpm_store::WriteTx,
    entity: EntityKind,
    listed: std::collections::HashSet<String>,
) -> Result<usize, SyncError> {
    let vanished: Vec<String> =
        context.store.keys(context.tenant, entity).await?.into_iter().filter(|key| !listed.contains(key)).collect();
    Ok(write.mark_removed(context.tenant, entity, &vanished).await?)
}

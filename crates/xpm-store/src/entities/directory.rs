//! Client groups (with their members) and staff.

use std::collections::HashSet;

use sqlx::AnyConnection;
use xpm_api::model::{ClientGroup, Staff};

use crate::StoreError;
use crate::columns::{Column, Value, shown, text, yes_no};
use crate::events::EntityKind;
use crate::upsert::{Context, Table, Upserted, replace_children, upsert};

pub(crate) static GROUPS: Table<ClientGroup> = Table {
    name: "client_groups",
    entity: EntityKind::Group,
    key_column: "uuid",
    key: |group| group.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("name", |g| text(&g.name)),
        Column::new("taxable", |g| yes_no(&g.taxable)),
        Column::new("web_url", |g| text(&g.web_url)),
    ],
};

pub(crate) static STAFF: Table<Staff> = Table {
    name: "staff",
    entity: EntityKind::Staff,
    key_column: "uuid",
    key: |staff| staff.uuid.map(|uuid| uuid.to_string()),
    columns: &[
        Column::new("name", |s| text(&s.name)),
        Column::new("email", |s| text(&s.email)),
        Column::new("phone", |s| text(&s.phone)),
        Column::new("mobile", |s| text(&s.mobile)),
        Column::new("address", |s| text(&s.address)),
        Column::new("payroll_code", |s| text(&s.payroll_code)),
        Column::new("web_url", |s| text(&s.web_url)),
    ],
};

/// Stores groups. A group that carries its members (`get`, `add`, `members`) replaces the
/// stored membership; a `list` item (no members) leaves it alone.
pub(crate) async fn upsert_groups(
    connection: &mut AnyConnection,
    context: &Context,
    groups: &[ClientGroup],
) -> Result<Upserted, StoreError> {
    let outcome = upsert(connection, context, &GROUPS, groups).await?;
    let mut parents = Vec::new();
    let mut members = Vec::new();
    for &index in &outcome.changed {
        let group = &groups[index];
        let Some(clients) = &group.clients else { continue };
        let key = outcome.keys[index].as_str();
        parents.push(key);
        let mut joined = HashSet::new();
        for client in clients {
            let Some(uuid) = client.uuid else { continue };
            if joined.insert(uuid) {
                members.push(vec![
                    Value::Text(Some(key.into())),
                    shown(&Some(uuid)),
                    Value::Text(client.name.as_deref().map(Into::into)),
                    text(&group.name),
                ]);
            }
        }
    }
    let columns = ["group_uuid", "client_uuid", "client_name", "group_name"];
    replace_children(connection, context, "group_members", "group_uuid", &parents, &columns, members).await?;
    Ok(outcome)
}

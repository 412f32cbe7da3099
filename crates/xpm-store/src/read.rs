//! Reading the mirror back: items as XPM sent them, links, counts and the change log.

use serde::de::DeserializeOwned;
use sqlx::Row as _;
use sqlx::any::AnyRow;
use uuid::Uuid;
use xpm_api::catalog::CustomFieldOwnerKind;
use xpm_api::model::{Contact, CustomFieldValue};

use crate::entities::clients::FirstLoad;
use crate::entities::custom_fields::owner_kind_name;
use crate::events::{ChangeEvent, ChangeKind, EntityKind};
use crate::writer::table_of;
use crate::{Store, StoreError};

/// A stored item and whether XPM still has it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Stored<T> {
    /// The item, decoded from its raw JSON.
    pub item: T,
    /// When the stored copy last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// When reconciliation found it gone from XPM.
    pub removed_at: Option<String>,
}

/// A contact as linked to one client.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ContactLink {
    /// The contact, with `position` and `is_primary` filled from the link.
    pub contact: Contact,
}

/// A practice the store holds data for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Practice {
    /// The tenant id.
    pub tenant: Uuid,
    /// Its name.
    pub name: String,
    /// The connection that reaches it.
    pub connection: Option<Uuid>,
}

fn read_error(action: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { action: action.to_owned(), source }
}

impl Store {
    /// The practices, by name.
    pub async fn practices(&self) -> Result<Vec<Practice>, StoreError> {
        let rows = sqlx::query("SELECT tenant_id, name, connection_id FROM practices ORDER BY name, tenant_id")
            .fetch_all(&self.pool)
            .await
            .map_err(read_error("read of practices"))?;
        rows.iter()
            .map(|row| {
                let tenant: String = row.try_get(0).map_err(read_error("read of practices"))?;
                let connection: Option<String> = row.try_get(2).map_err(read_error("read of practices"))?;
                Ok(Practice {
                    tenant: parse_uuid("practice tenant id", &tenant)?,
                    name: row.try_get(1).map_err(read_error("read of practices"))?,
                    connection: connection.as_deref().map(|id| parse_uuid("practice connection id", id)).transpose()?,
                })
            })
            .collect()
    }

    /// How many entities of a kind `tenant` has (not counting ones marked removed).
    pub async fn count(&self, tenant: Uuid, entity: EntityKind) -> Result<u64, StoreError> {
        let (table, _) = table_of(entity);
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = $1 AND removed_at IS NULL");
        let row =
            sqlx::query(&sql).bind(tenant.to_string()).fetch_one(&self.pool).await.map_err(read_error("count"))?;
        let count: i64 = row.try_get(0).map_err(read_error("count"))?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// The keys (UUIDs, or jobs' numbers) of every entity of a kind `tenant` has that is not
    /// marked removed: what a complete list from XPM is compared with to find the vanished.
    pub async fn keys(&self, tenant: Uuid, entity: EntityKind) -> Result<Vec<String>, StoreError> {
        let (table, key_column) = table_of(entity);
        let sql = format!("SELECT {key_column} FROM {table} WHERE tenant_id = $1 AND removed_at IS NULL");
        let rows = sqlx::query(&sql)
            .bind(tenant.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(read_error("read of keys"))?;
        rows.iter().map(|row| row.try_get::<String, _>(0).map_err(read_error("read of keys"))).collect()
    }

    /// A [`FirstLoad`] of `tenant`'s clients when it has nothing stored that the detailed client
    /// list fills (no client, contact, contact link, group membership or relationship, not even
    /// one marked removed); `None` otherwise, when batches must be compared with what is stored.
    pub async fn first_load(&self, tenant: Uuid) -> Result<Option<FirstLoad>, StoreError> {
        let sql = ["clients", "contacts", "client_contacts", "group_members", "relationships"]
            .map(|table| format!("SELECT 1 FROM {table} WHERE tenant_id = $1"))
            .join(" UNION ALL ");
        let row = sqlx::query(&format!("{sql} LIMIT 1"))
            .bind(tenant.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(read_error("read of stored clients"))?;
        Ok(row.is_none().then(FirstLoad::default))
    }

    /// One stored entity (`key` is its UUID, or a job's number), decoded as `T` (the model type
    /// of `entity`, e.g. [`xpm_api::model::Client`] for [`EntityKind::Client`]).
    pub async fn get<T: DeserializeOwned>(
        &self,
        tenant: Uuid,
        entity: EntityKind,
        key: &str,
    ) -> Result<Option<Stored<T>>, StoreError> {
        let (table, key_column) = table_of(entity);
        let sql = format!("SELECT raw, updated_at, removed_at FROM {table} WHERE tenant_id = $1 AND {key_column} = $2");
        let row = sqlx::query(&sql)
            .bind(tenant.to_string())
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(read_error("read of one entity"))?;
        let Some(row) = row else { return Ok(None) };
        let raw: String = row.try_get(0).map_err(read_error("read of one entity"))?;
        let item = serde_json::from_str(&raw).map_err(|error| StoreError::Corrupt {
            what: format!("{} {key}", entity.as_str()),
            reason: error.to_string(),
        })?;
        Ok(Some(Stored {
            item,
            updated_at: row.try_get(1).map_err(read_error("read of one entity"))?,
            removed_at: row.try_get(2).map_err(read_error("read of one entity"))?,
        }))
    }

    /// The contacts linked to a client, with each link's position and primary flag.
    pub async fn client_contacts(&self, tenant: Uuid, client: Uuid) -> Result<Vec<ContactLink>, StoreError> {
        let rows = sqlx::query(
            "SELECT contacts.raw, client_contacts.position, \
             CAST(CASE WHEN client_contacts.is_primary THEN 1 WHEN NOT client_contacts.is_primary THEN 0 END AS BIGINT) \
             FROM client_contacts JOIN contacts ON contacts.tenant_id = client_contacts.tenant_id \
             AND contacts.uuid = client_contacts.contact_uuid \
             WHERE client_contacts.tenant_id = $1 AND client_contacts.client_uuid = $2 ORDER BY contacts.name, contacts.uuid",
        )
        .bind(tenant.to_string())
        .bind(client.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(read_error("read of client_contacts"))?;
        rows.iter()
            .map(|row| {
                let mut contact: Contact = decode_raw(row, "contact")?;
                contact.position = row.try_get(1).map_err(read_error("read of client_contacts"))?;
                // sqlx's Any driver cannot decode SQLite booleans, so the query hands out 1 or 0.
                let primary: Option<i64> = row.try_get(2).map_err(read_error("read of client_contacts"))?;
                contact.is_primary = primary.map(|flag| (flag != 0).into());
                Ok(ContactLink { contact })
            })
            .collect()
    }

    /// The clients of a group, by UUID.
    pub async fn group_members(&self, tenant: Uuid, group: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let rows = sqlx::query(
            "SELECT client_uuid FROM group_members WHERE tenant_id = $1 AND group_uuid = $2 ORDER BY client_uuid",
        )
        .bind(tenant.to_string())
        .bind(group.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(read_error("read of group_members"))?;
        rows.iter()
            .map(|row| {
                let uuid: String = row.try_get(0).map_err(read_error("read of group_members"))?;
                parse_uuid("group member", &uuid)
            })
            .collect()
    }

    /// The relationships stored for a client, as XPM sent them.
    pub async fn relationships(
        &self,
        tenant: Uuid,
        client: Uuid,
    ) -> Result<Vec<xpm_api::model::Relationship>, StoreError> {
        let rows = sqlx::query("SELECT raw FROM relationships WHERE tenant_id = $1 AND client_uuid = $2 ORDER BY uuid")
            .bind(tenant.to_string())
            .bind(client.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(read_error("read of relationships"))?;
        rows.iter().map(|row| decode_raw(row, "relationship")).collect()
    }

    /// The custom field values one entity holds.
    pub async fn custom_field_values(
        &self,
        tenant: Uuid,
        kind: CustomFieldOwnerKind,
        owner: &str,
    ) -> Result<Vec<CustomFieldValue>, StoreError> {
        let rows = sqlx::query(
            "SELECT raw FROM custom_field_values WHERE tenant_id = $1 AND owner = $2 ORDER BY definition_uuid",
        )
        .bind(tenant.to_string())
        .bind(format!("{}:{owner}", owner_kind_name(kind)))
        .fetch_all(&self.pool)
        .await
        .map_err(read_error("read of custom_field_values"))?;
        rows.iter().map(|row| decode_raw(row, "custom field value")).collect()
    }

    /// The keys of the `entity` records that run `run` added, updated or restored (each once,
    /// sorted).
    pub async fn changed_keys(
        &self,
        tenant: Uuid,
        run: crate::RunId,
        entity: EntityKind,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT entity_key FROM change_events WHERE tenant_id = $1 AND run_id = $2 AND entity = $3 \
             AND change IN ($4, $5, $6) ORDER BY entity_key",
        )
        .bind(tenant.to_string())
        .bind(run.0)
        .bind(entity.as_str())
        .bind(ChangeKind::Added.as_str())
        .bind(ChangeKind::Updated.as_str())
        .bind(ChangeKind::Restored.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(read_error("read of change_events"))?;
        rows.iter().map(|row| row.try_get(0).map_err(read_error("read of change_events"))).collect()
    }

    /// Logged changes of `tenant` after event `after` (0 for the start), oldest first.
    pub async fn events(&self, tenant: Uuid, after: i64, limit: u32) -> Result<Vec<ChangeEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, tenant_id, run_id, at, entity, entity_key, change, old, new FROM change_events \
             WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(tenant.to_string())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(read_error("read of change_events"))?;
        rows.iter().map(event_from_row).collect()
    }
}

fn event_from_row(row: &AnyRow) -> Result<ChangeEvent, StoreError> {
    let read = read_error("read of change_events");
    let change: String = row.try_get(6).map_err(&read)?;
    let json = |index: usize| -> Result<Option<serde_json::Value>, StoreError> {
        let text: Option<String> = row.try_get(index).map_err(&read)?;
        text.map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|error| StoreError::Corrupt { what: "change event".to_owned(), reason: error.to_string() })
    };
    Ok(ChangeEvent {
        id: row.try_get(0).map_err(&read)?,
        tenant: row.try_get(1).map_err(&read)?,
        run: row.try_get(2).map_err(&read)?,
        at: row.try_get(3).map_err(&read)?,
        entity: row.try_get(4).map_err(&read)?,
        key: row.try_get(5).map_err(&read)?,
        change: ChangeKind::parse(&change).ok_or_else(|| StoreError::Corrupt {
            what: "change event".to_owned(),
            reason: format!("unknown change {change:?}"),
        })?,
        old: json(7)?,
        new: json(8)?,
    })
}

fn decode_raw<T: DeserializeOwned>(row: &AnyRow, what: &str) -> Result<T, StoreError> {
    let raw: String = row.try_get(0).map_err(read_error("read of raw JSON"))?;
    serde_json::from_str(&raw).map_err(|error| StoreError::Corrupt { what: what.to_owned(), reason: error.to_string() })
}

fn parse_uuid(what: &str, text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text)
        .map_err(|error| StoreError::Corrupt { what: what.to_owned(), reason: format!("{text:?}: {error}") })
}

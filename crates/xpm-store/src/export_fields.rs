//! What an export can hold: the fields of each exportable entity, with their types and the SQL
//! expression that reads each one.
//!
//! The fields come from the same column lists the writer uses (`entities/`), so a column added
//! there is exportable at once; a column's type is the kind of value its reader gives for an
//! empty item (a NULL text, integer or flag), so it is not declared twice either.

use std::fmt;

use crate::columns::Value;
use crate::entities::{clients, directory, work};
use crate::upsert::Table;

/// The entities `xpmkit export` writes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExportEntity {
    /// Clients (table `clients`).
    Clients,
    /// Contacts, one row per link to a client (tables `contacts` and `client_contacts`).
    Contacts,
    /// Client groups (table `client_groups`).
    Groups,
    /// Jobs (table `jobs`).
    Jobs,
    /// Time entries (table `time_entries`).
    Time,
}

impl ExportEntity {
    /// Every exportable entity.
    pub const ALL: [Self; 5] = [Self::Clients, Self::Contacts, Self::Groups, Self::Jobs, Self::Time];

    /// The name the CLI takes (`clients`, `contacts`, `groups`, `jobs`, `time`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clients => "clients",
            Self::Contacts => "contacts",
            Self::Groups => "groups",
            Self::Jobs => "jobs",
            Self::Time => "time",
        }
    }

    /// The entity called `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|entity| entity.as_str() == name)
    }

    /// Every field the entity exports, in the default order: its key, its columns, the link
    /// fields (contacts), `updated_at`, then `removed` and `removed_at`.
    pub fn fields(self) -> Vec<ExportField> {
        self.definitions().into_iter().map(|definition| definition.field).collect()
    }

    /// The default selection: every field, without `removed` and `removed_at` unless removed
    /// rows are included.
    pub fn default_fields(self, include_removed: bool) -> Vec<ExportField> {
        self.fields()
            .into_iter()
            .filter(|field| include_removed || !matches!(field.name, REMOVED | REMOVED_AT))
            .collect()
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Self::Clients => clients::CLIENTS.name,
            Self::Contacts => clients::CONTACTS.name,
            Self::Groups => directory::GROUPS.name,
            Self::Jobs => work::JOBS.name,
            Self::Time => work::TIME_ENTRIES.name,
        }
    }

    pub(crate) fn key_column(self) -> &'static str {
        match self {
            Self::Jobs => work::JOBS.key_column,
            _ => "uuid",
        }
    }

    /// Why a row counts as removed, as SQL over the entity's table (as `alias`): `gone` when
    /// reconciliation found it missing from XPM, else `deleted` or `archived` from XPM's flags;
    /// NULL when it is live.
    pub(crate) fn removed_expression(self, alias: &str) -> String {
        let gone = format!("WHEN {alias}.removed_at IS NOT NULL THEN 'gone'");
        match self {
            Self::Clients => format!(
                "CASE {gone} WHEN {alias}.is_deleted THEN 'deleted' WHEN {alias}.is_archived THEN 'archived' END"
            ),
            Self::Contacts => format!("CASE {gone} WHEN {alias}.is_deleted THEN 'deleted' END"),
            Self::Groups | Self::Jobs | Self::Time => format!("CASE {gone} END"),
        }
    }

    /// Each field with the SQL that reads it.
    pub(crate) fn definitions(self) -> Vec<FieldDefinition> {
        let key = self.key_column();
        let mut fields = vec![FieldDefinition::column(key, FieldKind::Text)];
        let columns = match self {
            Self::Clients => typed_columns(&clients::CLIENTS),
            Self::Contacts => typed_columns(&clients::CONTACTS),
            Self::Groups => typed_columns(&directory::GROUPS),
            Self::Jobs => typed_columns(&work::JOBS),
            Self::Time => typed_columns(&work::TIME_ENTRIES),
        };
        fields.extend(columns);
        if self == Self::Contacts {
            fields.extend([
                FieldDefinition::new("client_uuid", FieldKind::Text, "l.client_uuid".to_owned()),
                FieldDefinition::new("client_name", FieldKind::Text, "k.name".to_owned()),
                FieldDefinition::new("position", FieldKind::Text, "l.position".to_owned()),
                FieldDefinition::new("is_primary", FieldKind::Boolean, flag_as_integer("l.is_primary")),
            ]);
        }
        fields.push(FieldDefinition::column("updated_at", FieldKind::Text));
        fields.push(FieldDefinition::new(REMOVED, FieldKind::Text, self.removed_expression("t")));
        fields.push(FieldDefinition::column(REMOVED_AT, FieldKind::Text));
        fields
    }
}

impl fmt::Display for ExportEntity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The field saying why a row is removed (`gone`, `deleted`, `archived`), empty when it is not.
pub const REMOVED: &str = "removed";
/// The field holding when reconciliation found a row gone from XPM.
pub const REMOVED_AT: &str = "removed_at";

/// The type of an exported field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldKind {
    /// Text: names, UUIDs, dates and decimals as XPM wrote them.
    Text,
    /// A whole number.
    Integer,
    /// A flag (XPM's `Yes`/`No` and `true`/`false` alike).
    Boolean,
}

/// One exportable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ExportField {
    /// Its name: the store's column name (`name`, `tax_number`, `client_uuid`, …).
    pub name: &'static str,
    /// The type of its values.
    pub kind: FieldKind,
}

/// A field and the SQL expression (over `t`, and `l`/`k` for contact links) that reads it as
/// text or a BIGINT, the two types sqlx's `Any` driver reads alike on both backends.
#[derive(Debug, Clone)]
pub(crate) struct FieldDefinition {
    pub(crate) field: ExportField,
    pub(crate) expression: String,
}

impl FieldDefinition {
    fn new(name: &'static str, kind: FieldKind, expression: String) -> Self {
        Self { field: ExportField { name, kind }, expression }
    }

    /// A column of the entity's own table.
    fn column(name: &'static str, kind: FieldKind) -> Self {
        let column = format!("t.{name}");
        let expression = match kind {
            FieldKind::Text => column,
            FieldKind::Integer => format!("CAST({column} AS BIGINT)"),
            FieldKind::Boolean => flag_as_integer(&column),
        };
        Self::new(name, kind, expression)
    }
}

/// A boolean column as 1, 0 or NULL: sqlx's `Any` driver cannot decode SQLite's booleans.
fn flag_as_integer(column: &str) -> String {
    format!("CAST(CASE WHEN {column} THEN 1 WHEN NOT {column} THEN 0 END AS BIGINT)")
}

/// The table's columns with their types, read from what each column's reader gives for an
/// empty item.
fn typed_columns<T: Default>(table: &Table<T>) -> Vec<FieldDefinition> {
    let blank = T::default();
    table
        .columns
        .iter()
        .map(|column| {
            let kind = match (column.read)(&blank) {
                Value::Text(_) => FieldKind::Text,
                Value::Int(_) => FieldKind::Integer,
                Value::Bool(_) => FieldKind::Boolean,
            };
            FieldDefinition::column(column.name, kind)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_start_with_the_key_and_end_with_the_bookkeeping() {
        for entity in ExportEntity::ALL {
            let names: Vec<&str> = entity.fields().iter().map(|field| field.name).collect();
            assert_eq!(names[0], entity.key_column(), "{entity}");
            assert_eq!(&names[names.len() - 3..], ["updated_at", REMOVED, REMOVED_AT], "{entity}");
            let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
            assert_eq!(unique.len(), names.len(), "{entity}: {names:?}");
            assert!(!names.contains(&"raw") && !names.contains(&"tenant_id"), "{entity}");
            assert_eq!(ExportEntity::parse(entity.as_str()), Some(entity));
        }
    }

    #[test]
    fn types_come_from_the_column_readers() {
        let kind = |entity: ExportEntity, name: &str| {
            entity.fields().into_iter().find(|field| field.name == name).map(|field| field.kind)
        };
        assert_eq!(kind(ExportEntity::Clients, "tax_number"), Some(FieldKind::Text));
        assert_eq!(kind(ExportEntity::Clients, "is_archived"), Some(FieldKind::Boolean));
        assert_eq!(kind(ExportEntity::Clients, "balance_month"), Some(FieldKind::Integer));
        assert_eq!(kind(ExportEntity::Contacts, "is_primary"), Some(FieldKind::Boolean));
        assert_eq!(kind(ExportEntity::Time, "minutes"), Some(FieldKind::Integer));
        assert_eq!(kind(ExportEntity::Jobs, "budget"), Some(FieldKind::Text), "decimals keep their scale as text");
    }

    #[test]
    fn removed_fields_are_left_out_of_the_default_unless_asked_for() {
        let names = |include| -> Vec<&str> {
            ExportEntity::Groups.default_fields(include).iter().map(|field| field.name).collect()
        };
        assert_eq!(names(false), ["uuid", "name", "taxable", "web_url", "updated_at"]);
        assert_eq!(names(true), ["uuid", "name", "taxable", "web_url", "updated_at", REMOVED, REMOVED_AT]);
    }
}

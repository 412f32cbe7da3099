//! The change log: one event per row that really changed, with the fields' old and new values.

use serde_json::{Map, Value as Json};

/// The kinds of entity the store mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntityKind {
    /// A client.
    Client,
    /// A contact (its own fields; the link to a client is part of the client).
    Contact,
    /// A client group.
    Group,
    /// A staff member.
    Staff,
    /// A job.
    Job,
    /// A task on a job.
    JobTask,
    /// A task type (`task.api`).
    TaskType,
    /// A time entry.
    Time,
    /// A job category.
    Category,
    /// A custom field definition.
    CustomFieldDefinition,
}

impl EntityKind {
    /// The name stored in `change_events.entity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Contact => "contact",
            Self::Group => "group",
            Self::Staff => "staff",
            Self::Job => "job",
            Self::JobTask => "job_task",
            Self::TaskType => "task_type",
            Self::Time => "time",
            Self::Category => "category",
            Self::CustomFieldDefinition => "custom_field_definition",
        }
    }
}

/// What happened to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// First stored. The event carries no values: the row is the new value.
    Added,
    /// Fields changed: the event carries the changed fields' old and new values.
    Updated,
    /// Gone from XPM (the row stays, with `removed_at` set). The event's old value is the last
    /// stored item.
    Removed,
    /// Seen again after being marked removed. The event's new value is the whole item.
    Restored,
}

impl ChangeKind {
    /// The name stored in `change_events.change`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Updated => "updated",
            Self::Removed => "removed",
            Self::Restored => "restored",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "added" => Self::Added,
            "updated" => Self::Updated,
            "removed" => Self::Removed,
            "restored" => Self::Restored,
            _ => return None,
        })
    }
}

/// One logged change.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChangeEvent {
    /// Position in the log (increasing).
    pub id: i64,
    /// The practice.
    pub tenant: String,
    /// The sync run that made the change, if any.
    pub run: Option<i64>,
    /// When it was stored (RFC 3339, UTC).
    pub at: String,
    /// The kind of entity, as [`EntityKind::as_str`] names it.
    pub entity: String,
    /// The entity's key (a UUID, or a job number).
    pub key: String,
    /// What happened.
    pub change: ChangeKind,
    /// Old values: the changed fields (updated) or the whole item (removed).
    pub old: Option<Json>,
    /// New values: the changed fields (updated) or the whole item (restored).
    pub new: Option<Json>,
}

/// The top-level fields that differ between two JSON objects, as `(old, new)` objects holding
/// only those fields (a field absent on one side is absent from that side's object).
pub(crate) fn field_changes(old: &str, new: &str) -> (Option<String>, Option<String>) {
    let (Ok(Json::Object(old)), Ok(Json::Object(new))) =
        (serde_json::from_str::<Json>(old), serde_json::from_str::<Json>(new))
    else {
        // Not objects (never written by this store): keep both whole.
        return (Some(old.to_owned()), Some(new.to_owned()));
    };
    let mut old_fields = Map::new();
    let mut new_fields = Map::new();
    for (name, value) in &old {
        if new.get(name) != Some(value) {
            old_fields.insert(name.clone(), value.clone());
        }
    }
    for (name, value) in &new {
        if old.get(name) != Some(value) {
            new_fields.insert(name.clone(), value.clone());
        }
    }
    (Some(Json::Object(old_fields).to_string()), Some(Json::Object(new_fields).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_kept() {
        let (old, new) = field_changes(
            r#"{"uuid":"a","name":"Harbour","email":"a@x","fax":""}"#,
            r#"{"uuid":"a","name":"Harbour Trust","email":"a@x","phone":"1"}"#,
        );
        assert_eq!(old.as_deref(), Some(r#"{"fax":"","name":"Harbour"}"#));
        assert_eq!(new.as_deref(), Some(r#"{"name":"Harbour Trust","phone":"1"}"#));
    }
}

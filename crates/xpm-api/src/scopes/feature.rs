//! Features: the coarse-grained things an integration wants to do, each a set of operations.

use std::fmt;
use std::str::FromStr;

use super::error::ParseFeatureError;
use crate::catalog::{OPERATIONS, Operation, OperationId, Tag, suggest};

/// Something an integration wants to do, such as reading clients or writing time entries.
///
/// Each feature is a fixed set of operations (see [`Feature::operations`]); together the
/// features cover the whole catalog. A `write` feature holds only the non-`GET` operations; the
/// scope the planner picks for it usually grants the matching reads as well.
///
/// Parsing accepts the spellings people use: `read clients`, `clients:read`, `read-client`,
/// `write time entries`, `custom_fields.read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Feature {
    /// List, search and get clients, client documents (`ClientV31` reads except contacts).
    ReadClients,
    /// Add, update, archive and delete clients, their documents and relationships.
    WriteClients,
    /// List and get contacts.
    ReadContacts,
    /// Add, update and delete contacts, and link them to clients.
    WriteContacts,
    /// List and get client groups.
    ReadGroups,
    /// Add and delete client groups and manage their members.
    WriteGroups,
    /// List and get staff.
    ReadStaff,
    /// Add, update, delete, enable and disable staff, and reset their passwords.
    WriteStaff,
    /// Read jobs, job tasks, job costs and documents, and the jobs of a staff member.
    ReadJobs,
    /// Every job write: add, update, state, assign, tasks, costs, notes, quotes, estimates.
    WriteJobs,
    /// Read time entries.
    ReadTime,
    /// Add, update and delete time entries.
    WriteTime,
    /// Read invoices and their payments (invoices are read-only in XPM 3.1).
    ReadInvoices,
    /// Read quotes (read-only in XPM 3.1).
    ReadQuotes,
    /// Read the practice's cost items (`cost.api`, not job costs).
    ReadCosts,
    /// Add, update and delete cost items.
    WriteCosts,
    /// Read custom field definitions and the values on clients, contacts, jobs, tasks, costs
    /// and time entries.
    ReadCustomFields,
    /// Manage custom field definitions and update custom field values.
    WriteCustomFields,
    /// Read categories.
    ReadCategories,
    /// Read job templates.
    ReadTemplates,
    /// Read job states.
    ReadJobStates,
    /// Read task types (`task.api`, not the tasks on a job).
    ReadTasks,
}

/// What a feature reads or writes; several tags can map to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Clients,
    Contacts,
    Groups,
    Staff,
    Jobs,
    Time,
    Invoices,
    Quotes,
    Costs,
    CustomFields,
    Categories,
    Templates,
    JobStates,
    Tasks,
}

/// The `ClientV31` operations that act on contacts rather than clients.
const CONTACT_OPERATIONS: &[OperationId] = &[
    OperationId::ClientContacts,
    OperationId::ClientContactGet,
    OperationId::ClientContactPost,
    OperationId::ClientContactPut,
    OperationId::ClientContactDelete,
    OperationId::ClientClientContact,
];

impl Resource {
    /// The plural name used in feature strings.
    const fn name(self) -> &'static str {
        match self {
            Resource::Clients => "clients",
            Resource::Contacts => "contacts",
            Resource::Groups => "groups",
            Resource::Staff => "staff",
            Resource::Jobs => "jobs",
            Resource::Time => "time",
            Resource::Invoices => "invoices",
            Resource::Quotes => "quotes",
            Resource::Costs => "costs",
            Resource::CustomFields => "custom fields",
            Resource::Categories => "categories",
            Resource::Templates => "templates",
            Resource::JobStates => "job states",
            Resource::Tasks => "tasks",
        }
    }

    /// Whether `operation` acts on this resource.
    fn contains(self, operation: &Operation) -> bool {
        let is_contact = CONTACT_OPERATIONS.contains(&operation.id);
        match self {
            Resource::Clients => operation.tag == Tag::Client && !is_contact,
            Resource::Contacts => operation.tag == Tag::Client && is_contact,
            Resource::Groups => operation.tag == Tag::ClientGroup,
            Resource::Staff => operation.tag == Tag::Staff,
            Resource::Jobs => matches!(operation.tag, Tag::Job | Tag::Job2),
            Resource::Time => operation.tag == Tag::Time,
            Resource::Invoices => operation.tag == Tag::Invoice,
            Resource::Quotes => operation.tag == Tag::Quote,
            Resource::Costs => operation.tag == Tag::Cost,
            Resource::CustomFields => operation.tag == Tag::CustomField,
            Resource::Categories => operation.tag == Tag::Category,
            Resource::Templates => operation.tag == Tag::Template,
            Resource::JobStates => operation.tag == Tag::JobState,
            Resource::Tasks => operation.tag == Tag::Task,
        }
    }

    /// Recognizes a resource from its words run together and made singular, e.g. `timeentry`.
    fn from_key(key: &str) -> Option<Resource> {
        Some(match key {
            "client" => Resource::Clients,
            "contact" | "clientcontact" => Resource::Contacts,
            "group" | "clientgroup" => Resource::Groups,
            "staff" | "staffmember" => Resource::Staff,
            "job" => Resource::Jobs,
            "time" | "timesheet" | "timeentry" => Resource::Time,
            "invoice" => Resource::Invoices,
            "quote" => Resource::Quotes,
            "cost" | "costitem" => Resource::Costs,
            "customfield" | "customfieldvalue" | "customfielddefinition" => Resource::CustomFields,
            "category" => Resource::Categories,
            "template" | "jobtemplate" => Resource::Templates,
            "jobstate" | "state" => Resource::JobStates,
            "task" | "tasktype" => Resource::Tasks,
            _ => return None,
        })
    }
}

impl Feature {
    /// Every feature.
    pub const ALL: [Feature; 22] = [
        Feature::ReadClients,
        Feature::WriteClients,
        Feature::ReadContacts,
        Feature::WriteContacts,
        Feature::ReadGroups,
        Feature::WriteGroups,
        Feature::ReadStaff,
        Feature::WriteStaff,
        Feature::ReadJobs,
        Feature::WriteJobs,
        Feature::ReadTime,
        Feature::WriteTime,
        Feature::ReadInvoices,
        Feature::ReadQuotes,
        Feature::ReadCosts,
        Feature::WriteCosts,
        Feature::ReadCustomFields,
        Feature::WriteCustomFields,
        Feature::ReadCategories,
        Feature::ReadTemplates,
        Feature::ReadJobStates,
        Feature::ReadTasks,
    ];

    /// The canonical spelling, e.g. `"read custom fields"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Feature::ReadClients => "read clients",
            Feature::WriteClients => "write clients",
            Feature::ReadContacts => "read contacts",
            Feature::WriteContacts => "write contacts",
            Feature::ReadGroups => "read groups",
            Feature::WriteGroups => "write groups",
            Feature::ReadStaff => "read staff",
            Feature::WriteStaff => "write staff",
            Feature::ReadJobs => "read jobs",
            Feature::WriteJobs => "write jobs",
            Feature::ReadTime => "read time",
            Feature::WriteTime => "write time",
            Feature::ReadInvoices => "read invoices",
            Feature::ReadQuotes => "read quotes",
            Feature::ReadCosts => "read costs",
            Feature::WriteCosts => "write costs",
            Feature::ReadCustomFields => "read custom fields",
            Feature::WriteCustomFields => "write custom fields",
            Feature::ReadCategories => "read categories",
            Feature::ReadTemplates => "read templates",
            Feature::ReadJobStates => "read job states",
            Feature::ReadTasks => "read tasks",
        }
    }

    /// Whether the feature only reads.
    pub const fn is_read_only(self) -> bool {
        self.parts().1
    }

    /// Whether `operation` is part of this feature.
    pub fn includes(self, operation: &Operation) -> bool {
        let (resource, read) = self.parts();
        resource.contains(operation) && operation.is_read() == read
    }

    /// The feature's operations, in catalog order.
    pub fn operations(self) -> impl Iterator<Item = &'static Operation> {
        OPERATIONS.iter().filter(move |operation| self.includes(operation))
    }

    /// The resource and whether the feature reads (`true`) or writes it.
    const fn parts(self) -> (Resource, bool) {
        match self {
            Feature::ReadClients => (Resource::Clients, true),
            Feature::WriteClients => (Resource::Clients, false),
            Feature::ReadContacts => (Resource::Contacts, true),
            Feature::WriteContacts => (Resource::Contacts, false),
            Feature::ReadGroups => (Resource::Groups, true),
            Feature::WriteGroups => (Resource::Groups, false),
            Feature::ReadStaff => (Resource::Staff, true),
            Feature::WriteStaff => (Resource::Staff, false),
            Feature::ReadJobs => (Resource::Jobs, true),
            Feature::WriteJobs => (Resource::Jobs, false),
            Feature::ReadTime => (Resource::Time, true),
            Feature::WriteTime => (Resource::Time, false),
            Feature::ReadInvoices => (Resource::Invoices, true),
            Feature::ReadQuotes => (Resource::Quotes, true),
            Feature::ReadCosts => (Resource::Costs, true),
            Feature::WriteCosts => (Resource::Costs, false),
            Feature::ReadCustomFields => (Resource::CustomFields, true),
            Feature::WriteCustomFields => (Resource::CustomFields, false),
            Feature::ReadCategories => (Resource::Categories, true),
            Feature::ReadTemplates => (Resource::Templates, true),
            Feature::ReadJobStates => (Resource::JobStates, true),
            Feature::ReadTasks => (Resource::Tasks, true),
        }
    }

    /// The feature for a resource and access, if XPM has operations for it.
    fn from_parts(resource: Resource, read: bool) -> Option<Feature> {
        Feature::ALL.into_iter().find(|feature| feature.parts() == (resource, read))
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Classifies a word as read (`Some(true)`), write (`Some(false)`) or neither.
fn access_word(word: &str) -> Option<bool> {
    match word {
        "read" | "reads" | "view" | "get" | "list" | "readonly" | "ro" => Some(true),
        "write" | "writes" | "manage" | "edit" | "update" | "create" | "modify" | "rw" => Some(false),
        _ => None,
    }
}

/// Runs words together and makes the result singular: `time entries` → `timeentry`.
fn resource_key(words: &[&str]) -> String {
    let joined = words.concat();
    if let Some(stem) = joined.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = joined.strip_suffix('s').filter(|stem| !stem.ends_with('s')) {
        stem.to_owned()
    } else {
        joined
    }
}

impl FromStr for Feature {
    type Err = ParseFeatureError;

    /// Parses `read clients`, `clients:read`, `write-time`, `read custom fields` and the like:
    /// an access word (`read`/`view` or `write`/`manage`) first or last, and a resource,
    /// singular or plural, with spaces, `-`, `_`, `:`, `.` or `/` between words.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let lower = input.trim().to_ascii_lowercase();
        let mut words: Vec<&str> =
            lower.split(|c: char| c.is_whitespace() || "-_:./,".contains(c)).filter(|word| !word.is_empty()).collect();
        let read = match (words.first(), words.last()) {
            (Some(first), _) if access_word(first).is_some() => {
                let read = access_word(first);
                words.remove(0);
                read
            }
            (_, Some(last)) if access_word(last).is_some() => {
                let read = access_word(last);
                words.pop();
                read
            }
            _ => None,
        };
        let Some(resource) = Resource::from_key(&resource_key(&words)) else {
            let access = match read {
                Some(true) => "read ",
                Some(false) => "write ",
                None => "",
            };
            let reordered = format!("{access}{}", words.join(" "));
            let suggestion = suggest::closest(&reordered, Feature::ALL.map(Feature::as_str), suggest::loose)
                .and_then(|name| name.parse().ok());
            return Err(ParseFeatureError::Unknown { input: input.to_owned(), suggestion });
        };
        let Some(read) = read else {
            return Err(ParseFeatureError::MissingAccess { input: input.to_owned(), resource: resource.name() });
        };
        Feature::from_parts(resource, read)
            .ok_or_else(|| ParseFeatureError::ReadOnlyResource { input: input.to_owned(), resource: resource.name() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let actual = match input.parse::<Feature>() {
            Ok(feature) => format!("ok {feature}"),
            Err(error) => error.to_string(),
        };
        assert_eq!(actual, expect, "input {input:?}");
    }

    #[test]
    fn canonical_names_round_trip() {
        for feature in Feature::ALL {
            assert_eq!(feature.as_str().parse::<Feature>(), Ok(feature));
        }
    }

    #[test]
    fn accepts_common_spellings() {
        check("clients:read", "ok read clients");
        check("read-client", "ok read clients");
        check("Write Contacts", "ok write contacts");
        check("custom_fields.read", "ok read custom fields");
        check("write time entries", "ok write time");
        check("view client groups", "ok read groups");
        check("read jobstates", "ok read job states");
        check("categories:read", "ok read categories");
        check("manage staff", "ok write staff");
        check("read task", "ok read tasks");
    }

    #[test]
    fn explains_what_is_wrong() {
        check("write invoices", "xpm 3.1 has no write operations for invoices; use `read invoices`");
        check("categories:write", "xpm 3.1 has no write operations for categories; use `read categories`");
        check(
            "clients",
            "`clients` does not say whether to read or write clients; use `read clients` or `write clients`",
        );
        check("read clinets", "unknown feature `read clinets`; did you mean `read clients`?");
        check("read dragons", "unknown feature `read dragons`; features look like `read clients` or `write time`");
    }

    #[test]
    fn every_feature_has_operations_of_one_access() {
        for feature in Feature::ALL {
            let operations: Vec<_> = feature.operations().collect();
            assert!(!operations.is_empty(), "{feature} has no operations");
            for operation in operations {
                assert_eq!(operation.is_read(), feature.is_read_only(), "{feature}: {}", operation.id);
            }
        }
    }

    #[test]
    fn features_cover_every_operation_exactly_once() {
        for operation in OPERATIONS {
            let owners: Vec<_> = Feature::ALL.into_iter().filter(|feature| feature.includes(operation)).collect();
            assert_eq!(owners.len(), 1, "{} belongs to {owners:?}", operation.id);
        }
    }
}

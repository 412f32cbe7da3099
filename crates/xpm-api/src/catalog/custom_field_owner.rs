//! The kinds of entity that hold custom field values, and the operations that read and write them.

use super::id::OperationId;

/// A kind of entity whose custom field values `customfield.api` … `/customfield` reads and writes.
///
/// Each kind has one get and one update operation, and names its entity with one path
/// parameter. A definition applies to a kind only when its flag (`UseClient`, `UseJob`, …) is
/// set, as the `CustomFieldDefinition` schema of the XPM 3.1 OpenAPI file describes.
///
/// ```
/// use xpm_api::catalog::{CustomFieldOwnerKind, OperationId};
///
/// let kind = CustomFieldOwnerKind::of(OperationId::CustomFieldUpdateJob);
/// assert_eq!(kind, Some(CustomFieldOwnerKind::Job));
/// assert_eq!(CustomFieldOwnerKind::Job.path_param(), "jobNumber");
/// assert_eq!(CustomFieldOwnerKind::Job.get_operation(), OperationId::CustomFieldGetJob);
/// assert_eq!(CustomFieldOwnerKind::of(OperationId::CustomFieldDefinition), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomFieldOwnerKind {
    /// A client, by UUID.
    Client,
    /// A contact, by UUID.
    Contact,
    /// A job, by number (`J000309`).
    Job,
    /// A task on a job, by the job task's UUID.
    JobTask,
    /// A cost on a job, by UUID.
    JobCost,
    /// A time entry, by UUID.
    Time,
}

impl CustomFieldOwnerKind {
    /// Every kind, in the order the OpenAPI file lists their operations' flags.
    pub const ALL: [Self; 6] = [Self::Client, Self::Contact, Self::Job, Self::JobTask, Self::JobCost, Self::Time];

    /// The kind whose values `operation` reads or writes; `None` for every other operation.
    pub const fn of(operation: OperationId) -> Option<Self> {
        use OperationId as Id;
        let kind = match operation {
            Id::CustomFieldGetClientByIdentifier | Id::CustomFieldUpdateClientByIdentifier => Self::Client,
            Id::CustomFieldGetContactByIdentifier | Id::CustomFieldUpdateContactByIdentifier => Self::Contact,
            Id::CustomFieldGetJob | Id::CustomFieldUpdateJob => Self::Job,
            Id::CustomFieldGetJobTaskByIdentifier | Id::CustomFieldUpdateJobTaskByIdentifier => Self::JobTask,
            Id::CustomFieldGetJobCostByIdentifier | Id::CustomFieldUpdateJobCostByIdentifier => Self::JobCost,
            Id::CustomFieldGetTimeByIdentifier | Id::CustomFieldUpdateTimeByIdentifier => Self::Time,
            _ => return None,
        };
        Some(kind)
    }

    /// The operation that reads this kind's values (`GET …/customfield`).
    pub const fn get_operation(self) -> OperationId {
        match self {
            Self::Client => OperationId::CustomFieldGetClientByIdentifier,
            Self::Contact => OperationId::CustomFieldGetContactByIdentifier,
            Self::Job => OperationId::CustomFieldGetJob,
            Self::JobTask => OperationId::CustomFieldGetJobTaskByIdentifier,
            Self::JobCost => OperationId::CustomFieldGetJobCostByIdentifier,
            Self::Time => OperationId::CustomFieldGetTimeByIdentifier,
        }
    }

    /// The operation that sets or clears this kind's values (`PUT …/customfield`).
    pub const fn update_operation(self) -> OperationId {
        match self {
            Self::Client => OperationId::CustomFieldUpdateClientByIdentifier,
            Self::Contact => OperationId::CustomFieldUpdateContactByIdentifier,
            Self::Job => OperationId::CustomFieldUpdateJob,
            Self::JobTask => OperationId::CustomFieldUpdateJobTaskByIdentifier,
            Self::JobCost => OperationId::CustomFieldUpdateJobCostByIdentifier,
            Self::Time => OperationId::CustomFieldUpdateTimeByIdentifier,
        }
    }

    /// The path parameter that names the entity: a job's number, every other entity's UUID.
    pub const fn path_param(self) -> &'static str {
        match self {
            Self::Job => "jobNumber",
            Self::Client | Self::Contact | Self::JobTask | Self::JobCost | Self::Time => "identifier",
        }
    }

    /// The definition element whose `true` lets a field hold values on this kind.
    pub const fn definition_flag(self) -> &'static str {
        match self {
            Self::Client => "UseClient",
            Self::Contact => "UseContact",
            Self::Job => "UseJob",
            Self::JobTask => "UseJobTask",
            Self::JobCost => "UseJobCost",
            Self::Time => "UseJobTime",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_owns_its_two_operations_and_their_path_parameter() {
        for kind in CustomFieldOwnerKind::ALL {
            for id in [kind.get_operation(), kind.update_operation()] {
                assert_eq!(CustomFieldOwnerKind::of(id), Some(kind), "{id:?}");
                let path = id.operation().path;
                assert!(path.contains(&format!("{{{}}}", kind.path_param())), "{path}");
                assert!(path.ends_with("/customfield"), "{path}");
            }
        }
    }

    #[test]
    fn only_value_operations_have_an_owner() {
        let owned =
            super::super::OPERATIONS.iter().filter(|operation| CustomFieldOwnerKind::of(operation.id).is_some());
        assert_eq!(owned.count(), 2 * CustomFieldOwnerKind::ALL.len());
    }
}

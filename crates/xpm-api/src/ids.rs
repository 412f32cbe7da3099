//! Typed identifiers: a client's UUID is a [`ClientId`], a staff member's a [`StaffId`], a job's
//! number a [`JobNumber`], so that one kind of id cannot be passed where another is expected.
//!
//! The UUID ids are `Copy` newtypes over [`Uuid`] with [`Display`](fmt::Display), [`FromStr`],
//! `From<Uuid>`, `.uuid()` and a transparent serde form. Models keep their `Uuid` fields (the
//! codecs and the emulator work on them) and offer typed accessors: [`Client::id`],
//! [`Job::number`] …
//!
//! ```
//! use xpm_api::ids::{ClientId, JobNumber};
//!
//! let client: ClientId = "0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b".parse()?;
//! assert_eq!(client.to_string(), "0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
//! let job: JobNumber = "J000309".parse()?;
//! assert_eq!(job.as_str(), "J000309");
//! # Ok::<(), xpm_api::ids::InvalidId>(())
//! ```
//!
//! One kind of id does not stand in for another:
//!
//! ```compile_fail
//! use xpm_api::ids::{ClientId, StaffId};
//!
//! fn staff_member(id: StaffId) -> StaffId { id }
//! staff_member(ClientId::from(uuid::Uuid::nil()));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{Category, Client, ClientGroup, Contact, Cost, CustomFieldDefinition, Job, JobCost, JobTask, Staff};
use crate::model::{Task, Time};
use crate::value::Uuid;

/// Text that is not an id of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {kind}, found {found:?}")]
pub struct InvalidId {
    /// What was expected, e.g. `a client UUID`.
    pub kind: &'static str,
    /// The text, shortened if long.
    pub found: String,
}

/// Declares a UUID id newtype with its conversions.
macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// The id of the entity with this UUID.
            #[must_use]
            pub const fn new(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID, as XPM writes it in `UUID` elements and `{identifier}` paths.
            #[must_use]
            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, formatter)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|_| InvalidId { kind: $kind, found: crate::xml::error::excerpt(text) })
            }
        }
    };
}

uuid_id!(
    /// A client (`client.api/get/{uuid}`).
    ClientId, "a client UUID"
);
uuid_id!(
    /// A contact (`client.api/contact/{uuid}`).
    ContactId, "a contact UUID"
);
uuid_id!(
    /// A staff member (`staff.api/get/{uuid}`).
    StaffId, "a staff UUID"
);
uuid_id!(
    /// A client group (`clientgroup.api/get/{uuid}`).
    GroupId, "a client group UUID"
);
uuid_id!(
    /// A task type of the practice (`task.api/get/{uuid}`), which job tasks are instances of.
    TaskId, "a task UUID"
);
uuid_id!(
    /// A task on a job: what time entries are recorded against (`JobTask.UUID`).
    JobTaskId, "a job task UUID"
);
uuid_id!(
    /// A time entry (`time.api/get/{uuid}`).
    TimeId, "a time entry UUID"
);
uuid_id!(
    /// A cost in the practice's cost list (`cost.api/get/{uuid}`).
    CostId, "a cost UUID"
);
uuid_id!(
    /// A cost on a job (`JobCost.UUID`).
    JobCostId, "a job cost UUID"
);
uuid_id!(
    /// A custom field definition (`customfield.api/get/{uuid}`).
    CustomFieldId, "a custom field UUID"
);
uuid_id!(
    /// A job category (`category.api/list`).
    CategoryId, "a category UUID"
);

/// A job's number, e.g. `J000309`: how XPM names jobs in paths (`job.api/get/{number}`) and
/// bodies (`<Job>`, `<ID>`).
///
/// Practices choose their own prefix and numbering, so any text is accepted except what would
/// change the path it is sent in: it must not be empty, and must not hold whitespace, control
/// characters, `/`, `?`, `#` or `%`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JobNumber(String);

impl JobNumber {
    /// Checks `number` and wraps it.
    ///
    /// ```
    /// use xpm_api::ids::JobNumber;
    ///
    /// assert!(JobNumber::new("J000309").is_ok());
    /// assert!(JobNumber::new("J0/../x").is_err());
    /// ```
    pub fn new(number: impl Into<String>) -> Result<Self, InvalidId> {
        let number = number.into();
        let refused = |char: char| char.is_whitespace() || char.is_control() || matches!(char, '/' | '?' | '#' | '%');
        if number.is_empty() || number.contains(refused) {
            return Err(InvalidId { kind: "a job number like J000309", found: crate::xml::error::excerpt(&number) });
        }
        Ok(Self(number))
    }

    /// The number as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl FromStr for JobNumber {
    type Err = InvalidId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::new(text)
    }
}

impl TryFrom<String> for JobNumber {
    type Error = InvalidId;

    fn try_from(number: String) -> Result<Self, Self::Error> {
        Self::new(number)
    }
}

impl From<JobNumber> for String {
    fn from(number: JobNumber) -> Self {
        number.0
    }
}

impl AsRef<str> for JobNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Declares `fn $method(&self) -> Option<$id>` on a model, reading its `$field` UUID.
macro_rules! typed_accessor {
    ($($model:ty => $method:ident: $id:ident from $field:ident;)*) => {
        $(
            impl $model {
                #[doc = concat!("The [`", stringify!($id), "`] in `", stringify!($field), "`, if the answer carried it.")]
                #[must_use]
                pub fn $method(&self) -> Option<$id> {
                    self.$field.map($id)
                }
            }
        )*
    };
}

typed_accessor! {
    Client => id: ClientId from uuid;
    Contact => id: ContactId from uuid;
    Staff => id: StaffId from uuid;
    ClientGroup => id: GroupId from uuid;
    Task => id: TaskId from uuid;
    JobTask => id: JobTaskId from uuid;
    JobTask => task_id: TaskId from task_uuid;
    Time => id: TimeId from uuid;
    Cost => id: CostId from uuid;
    JobCost => id: JobCostId from uuid;
    CustomFieldDefinition => id: CustomFieldId from uuid;
    Category => id: CategoryId from uuid;
}

impl Job {
    /// The job's number (its `ID`), if the answer carried a valid one.
    #[must_use]
    pub fn number(&self) -> Option<JobNumber> {
        self.id.as_deref().and_then(|number| JobNumber::new(number).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_ids_parse_print_and_serialize_as_the_uuid() {
        let text = "0b8f1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
        let id: StaffId = text.parse().expect("a uuid");
        assert_eq!(id.to_string(), text);
        assert_eq!(serde_json::to_string(&id).ok(), Some(format!("\"{text}\"")));
        assert_eq!(serde_json::from_str::<StaffId>(&format!("\"{text}\"")).ok(), Some(id));
        let error = "J000309".parse::<StaffId>().expect_err("not a uuid");
        assert_eq!(error.to_string(), "expected a staff UUID, found \"J000309\"");
    }

    #[test]
    fn job_numbers_refuse_what_would_change_a_path() {
        for good in ["J000309", "2024-001", "ABC.12"] {
            assert_eq!(good.parse::<JobNumber>().map(|number| number.to_string()).ok().as_deref(), Some(good));
        }
        for bad in ["", "J 1", "J/1", "J?1", "J#1", "J%2F", "J\n1"] {
            assert!(bad.parse::<JobNumber>().is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<JobNumber>("\"a/b\"").is_err());
    }

    #[test]
    fn models_answer_with_typed_ids() {
        let uuid = Uuid::from_u128(7);
        assert_eq!(Client::default().id(), None);
        let client = Client { uuid: Some(uuid), ..Client::default() };
        assert_eq!(client.id(), Some(ClientId::new(uuid)));
        let job = Job { id: Some("J000001".into()), ..Job::default() };
        assert_eq!(job.number().map(String::from).as_deref(), Some("J000001"));
    }
}

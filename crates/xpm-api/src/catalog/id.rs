//! Typed names for the 102 operations and the spec's 14 tags.
//!
//! An [`OperationId`] is the spec's `operationId` as a value the compiler checks: a misspelt
//! id does not build, and a `match` over every id is exhaustive. Strings appear only at the
//! edges (command-line arguments, the request journal, JSON), through [`OperationId::as_str`]
//! and [`str::parse`].

use std::fmt;
use std::str::FromStr;

use super::error::CatalogError;
use super::operation::Operation;
use super::operations::{OPERATION_COUNT, OPERATIONS, lookup};

/// Declares [`OperationId`] from `Variant => "operationId"` pairs, in the table's order, so the
/// variant's discriminant is its index in [`OPERATIONS`].
macro_rules! operation_ids {
    ($($variant:ident => $id:literal,)*) => {
        /// One of the 102 operations of XPM 3.1, named after the spec's `operationId` without
        /// its `V31_` infix (`ClientV31_List` is [`OperationId::ClientList`]).
        ///
        /// ```
        /// use xpm_api::catalog::{OperationId, Paging};
        ///
        /// let id = OperationId::TimeList;
        /// assert_eq!(id.as_str(), "TimeV31_List");
        /// assert_eq!(id.operation().path, "/time.api/list");
        /// assert_eq!(id.operation().paging, Paging::DateWindow);
        /// assert_eq!("timev31_list".parse(), Ok(id));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum OperationId {
            $(
                #[doc = concat!("`", $id, "`")]
                $variant,
            )*
        }

        impl OperationId {
            /// Every operation, in spec order (the order of [`OPERATIONS`]).
            pub const ALL: [OperationId; OPERATION_COUNT] = [$(OperationId::$variant),*];

            /// The spec's `operationId`, e.g. `"ClientV31_List"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(OperationId::$variant => $id,)*
                }
            }
        }
    };
}

operation_ids! {
    CategoryList => "CategoryV31_List",
    ClientList => "ClientV31_List",
    ClientPagedList => "ClientV31_PagedList",
    ClientSearch => "ClientV31_Search",
    ClientGetByIdentifier => "ClientV31_GetByIdentifier",
    ClientAdd => "ClientV31_Add",
    ClientUpdate => "ClientV31_Update",
    ClientContacts => "ClientV31_Contacts",
    ClientContactPost => "ClientV31_ContactPost",
    ClientContactGet => "ClientV31_ContactGet",
    ClientContactPut => "ClientV31_ContactPut",
    ClientContactDelete => "ClientV31_ContactDelete",
    ClientClientContact => "ClientV31_ClientContact",
    ClientArchive => "ClientV31_Archive",
    ClientDelete => "ClientV31_Delete",
    ClientDocument => "ClientV31_Document",
    ClientDocuments => "ClientV31_Documents",
    ClientAddRelationship => "ClientV31_AddRelationship",
    ClientUpdateRelationship => "ClientV31_UpdateRelationship",
    ClientDeleteRelationship => "ClientV31_DeleteRelationship",
    ClientGroupGetByIdentifier => "ClientGroupV31_GetByIdentifier",
    ClientGroupList => "ClientGroupV31_List",
    ClientGroupAdd => "ClientGroupV31_Add",
    ClientGroupMembers => "ClientGroupV31_Members",
    ClientGroupDelete => "ClientGroupV31_Delete",
    CostGetByIdentifier => "CostV31_GetByIdentifier",
    CostDelete => "CostV31_Delete",
    CostDeleteAll => "CostV31_DeleteAll",
    CostAdd => "CostV31_Add",
    CostUpdate => "CostV31_Update",
    CostList => "CostV31_List",
    CustomFieldGetClientByIdentifier => "CustomFieldV31_GetClientByIdentifier",
    CustomFieldUpdateClientByIdentifier => "CustomFieldV31_UpdateClientByIdentifier",
    CustomFieldGetContactByIdentifier => "CustomFieldV31_GetContactByIdentifier",
    CustomFieldUpdateContactByIdentifier => "CustomFieldV31_UpdateContactByIdentifier",
    CustomFieldGetJob => "CustomFieldV31_GetJob",
    CustomFieldUpdateJob => "CustomFieldV31_UpdateJob",
    CustomFieldGetTimeByIdentifier => "CustomFieldV31_GetTimeByIdentifier",
    CustomFieldUpdateTimeByIdentifier => "CustomFieldV31_UpdateTimeByIdentifier",
    CustomFieldGetJobTaskByIdentifier => "CustomFieldV31_GetJobTaskByIdentifier",
    CustomFieldUpdateJobTaskByIdentifier => "CustomFieldV31_UpdateJobTaskByIdentifier",
    CustomFieldGetJobCostByIdentifier => "CustomFieldV31_GetJobCostByIdentifier",
    CustomFieldUpdateJobCostByIdentifier => "CustomFieldV31_UpdateJobCostByIdentifier",
    CustomFieldDefinition => "CustomFieldV31_Definition",
    CustomFieldGetByIdentifier => "CustomFieldV31_GetByIdentifier",
    CustomFieldAdd => "CustomFieldV31_Add",
    CustomFieldUpdate => "CustomFieldV31_Update",
    CustomFieldDelete => "CustomFieldV31_Delete",
    InvoiceCurrent => "InvoiceV31_Current",
    InvoiceDraft => "InvoiceV31_Draft",
    InvoiceList => "InvoiceV31_List",
    InvoiceJob => "InvoiceV31_Job",
    InvoiceGet => "InvoiceV31_Get",
    InvoicePayments => "InvoiceV31_Payments",
    JobCurrent => "JobV31_Current",
    JobList => "JobV31_List",
    JobClientByIdentifier => "JobV31_ClientByIdentifier",
    JobGet => "JobV31_Get",
    JobState => "JobV31_State",
    JobAdd => "JobV31_Add",
    JobUpdate => "JobV31_Update",
    JobReOrderTasks => "JobV31_ReOrderTasks",
    JobNote => "JobV31_Note",
    JobDocument => "JobV31_Document",
    JobTasks => "JobV31_Tasks",
    JobAssign => "JobV31_Assign",
    JobDelete => "JobV31_Delete",
    JobTaskAdd => "JobV31_TaskAdd",
    JobTaskUpdate => "JobV31_TaskUpdate",
    JobCosts => "JobV31_Costs",
    JobCostAdd => "JobV31_CostAdd",
    JobCostUpdate => "JobV31_CostUpdate",
    JobApplyTemplate => "JobV31_ApplyTemplate",
    JobDocuments => "JobV31_Documents",
    JobCompleteTask => "JobV31_CompleteTask",
    JobReOpenTask => "JobV31_ReOpenTask",
    JobCreateQuote => "JobV31_CreateQuote",
    JobCreateEstimate => "JobV31_CreateEstimate",
    Job2StaffByIdentifier => "Job2V31_StaffByIdentifier",
    JobStateList => "JobStateV31_List",
    QuoteCurrent => "QuoteV31_Current",
    QuoteDraft => "QuoteV31_Draft",
    QuoteList => "QuoteV31_List",
    QuoteGet => "QuoteV31_Get",
    StaffList => "StaffV31_List",
    StaffGetByUuid => "StaffV31_GetByUuid",
    StaffAdd => "StaffV31_Add",
    StaffUpdate => "StaffV31_Update",
    StaffDelete => "StaffV31_Delete",
    StaffEnable => "StaffV31_Enable",
    StaffDisable => "StaffV31_Disable",
    StaffForgottenPassword => "StaffV31_ForgottenPassword",
    TaskList => "TaskV31_List",
    TaskGet => "TaskV31_Get",
    TemplateList => "TemplateV31_List",
    TimeJob => "TimeV31_Job",
    TimeList => "TimeV31_List",
    TimeStaff => "TimeV31_Staff",
    TimeGet => "TimeV31_Get",
    TimeAdd => "TimeV31_Add",
    TimeUpdate => "TimeV31_Update",
    TimeDelete => "TimeV31_Delete",
}

impl OperationId {
    /// The catalog entry: method, path, scopes, paging, DTOs and statuses.
    pub fn operation(self) -> &'static Operation {
        // The table is built in this enum's order; `operations::concat` checks it at compile time.
        &OPERATIONS[self as usize]
    }

    /// The spec's tag of this operation.
    pub fn tag(self) -> Tag {
        self.operation().tag
    }
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OperationId {
    type Err = CatalogError;

    /// Parses an `operationId` ignoring ASCII case; an unknown id names the nearest one.
    fn from_str(id: &str) -> Result<Self, Self::Err> {
        lookup(id).map(|operation| operation.id)
    }
}

impl serde::Serialize for OperationId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for OperationId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        id.parse().map_err(serde::de::Error::custom)
    }
}

/// The spec's tags: one per resource family, each operation has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    /// `CategoryV31`: job categories.
    Category,
    /// `ClientV31`: clients, their contacts, documents and relationships.
    Client,
    /// `ClientGroupV31`: client groups.
    ClientGroup,
    /// `CostV31`: the practice's cost items.
    Cost,
    /// `CustomFieldV31`: custom field definitions, and values of clients, contacts, jobs and
    /// time entries (whose paths live under those resources' `.api` prefixes).
    CustomField,
    /// `InvoiceV31`: invoices and payments.
    Invoice,
    /// `JobV31`: jobs, their tasks, notes, documents and costs.
    Job,
    /// `Job2V31`: the one job operation XPM versioned apart (jobs of a staff member).
    Job2,
    /// `JobStateV31`: job states.
    JobState,
    /// `QuoteV31`: quotes.
    Quote,
    /// `StaffV31`: staff.
    Staff,
    /// `TaskV31`: task types.
    Task,
    /// `TemplateV31`: job templates.
    Template,
    /// `TimeV31`: time entries.
    Time,
}

impl Tag {
    /// Every tag, in spec order.
    pub const ALL: [Tag; 14] = [
        Tag::Category,
        Tag::Client,
        Tag::ClientGroup,
        Tag::Cost,
        Tag::CustomField,
        Tag::Invoice,
        Tag::Job,
        Tag::Job2,
        Tag::JobState,
        Tag::Quote,
        Tag::Staff,
        Tag::Task,
        Tag::Template,
        Tag::Time,
    ];

    /// The tag as the spec spells it, e.g. `"ClientV31"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Tag::Category => "CategoryV31",
            Tag::Client => "ClientV31",
            Tag::ClientGroup => "ClientGroupV31",
            Tag::Cost => "CostV31",
            Tag::CustomField => "CustomFieldV31",
            Tag::Invoice => "InvoiceV31",
            Tag::Job => "JobV31",
            Tag::Job2 => "Job2V31",
            Tag::JobState => "JobStateV31",
            Tag::Quote => "QuoteV31",
            Tag::Staff => "StaffV31",
            Tag::Task => "TaskV31",
            Tag::Template => "TemplateV31",
            Tag::Time => "TimeV31",
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Tag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_its_own_table_entry() {
        for (index, id) in OperationId::ALL.into_iter().enumerate() {
            assert_eq!(id as usize, index);
            assert_eq!(id.operation().id, id);
            assert_eq!(id.as_str().parse(), Ok(id));
            assert!(id.as_str().starts_with(id.tag().as_str()), "{id} is tagged {}", id.tag());
        }
    }

    #[test]
    fn ids_serialize_as_the_spec_spells_them() {
        let json = serde_json::to_string(&OperationId::Job2StaffByIdentifier).expect("serializes");
        assert_eq!(json, "\"Job2V31_StaffByIdentifier\"");
        let back: OperationId = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, OperationId::Job2StaffByIdentifier);
        let error = serde_json::from_str::<OperationId>("\"ClientV31_Lsit\"").expect_err("a typo");
        assert!(error.to_string().contains("did you mean `ClientV31_List`"), "{error}");
    }
}

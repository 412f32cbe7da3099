//! Request bodies for XPM's write operations, as XML and as JSON.
//!
//! Each type implements [`RequestBody`]: it knows its XML root element and the OpenAPI schema
//! its JSON form follows, and decodes as well as encodes both (the emulator reads what the
//! client writes). Types are named after the OpenAPI request DTOs without the `Dto` suffix.

#[macro_use]
mod body;
#[macro_use]
mod client_fields;
mod client;
mod client_update;
mod contact;
mod cost;
mod custom_field;
mod document;
mod group;
mod job;
mod job_assign;
mod job_task;
mod relationship;
mod staff;
mod time;

pub use body::RequestBody;
pub use client::{ClientAddRequest, ClientArchiveRequest, ClientDeleteRequest, ContactInsertItem};
pub use client_update::ClientUpdateRequest;
pub use contact::{ClientAddContactsRequest, ContactLinkItem, ContactRequest, ContactRequestClient};
pub use cost::{CostAddRequest, CostDeleteAllRequest, CostDeleteRequest, CostUpdateRequest};
pub use custom_field::{
    AddCustomFieldDefinitionRequest, Clearable, CustomFieldValueRequest, CustomFieldValuesUpdateRequest,
    DeleteCustomFieldDefinitionRequest, OptionList, UpdateCustomFieldDefinitionRequest,
};
pub use document::{ClientDocumentRequest, JobDocumentRequest};
pub use group::{ClientGroupAddRequest, ClientGroupDeleteRequest, ClientGroupMembersRequest, GroupMember};
pub use job::{
    InvalidTaskMode, JobAddRequest, JobApplyTemplateRequest, JobDeleteRequest, JobNoteRequest, JobReorderTasksRequest,
    JobStateRequest, JobTaskReorderItem, JobUpdateRequest, TaskMode,
};
pub use job_assign::{JobAssignRequest, RoleAssignment, RoleRemoval, StaffAssignment};
pub use job_task::{JobCostAddRequest, JobCostUpdateRequest, JobTaskAddRequest, JobTaskUpdateRequest};
pub use relationship::{
    ClientRelationshipAddRequest, ClientRelationshipDeleteRequest, ClientRelationshipUpdateRequest,
};
pub use staff::{StaffAddRequest, StaffIdentifierRequest, StaffUpdateRequest};
pub use time::{TimeAddRequest, TimeUpdateRequest};

//! Typed XPM 3.1 resources. Each type decodes from XML and JSON and encodes to both.

mod category;
mod client;
mod common;
mod contact;
mod cost;
mod custom_field;
mod group;
mod invoice;
mod job;
mod job_state;
mod quote;
mod staff;
mod task;
mod template;
mod time;

pub use category::Category;
pub use client::{AutoBasOptInCriteria, Client, ClientType, Relationship};
pub use common::{Document, NamedRef, Note, NoteComment};
pub use contact::Contact;
pub use cost::{Cost, JobCost};
pub use custom_field::{CustomFieldData, CustomFieldDefinition, CustomFieldValue};
pub use group::ClientGroup;
pub use invoice::{Invoice, InvoiceCost, InvoiceJob, InvoicePayment, InvoiceTask};
pub use job::{Job, JobStaff, JobTask, Milestone};
pub use job_state::JobState;
pub use quote::{Quote, QuoteCost, QuoteOption, QuoteTask};
pub use staff::Staff;
pub use task::Task;
pub use template::Template;
pub use time::{JobReference, Time};

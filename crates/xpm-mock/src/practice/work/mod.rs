//! The work book: jobs, tasks, time, and the practice's price list, templates and states.
//!
//! [`Work`] holds one store per resource family. Changes go through `Work` methods that check
//! every reference first (clients, contacts and staff through the `Roster` trait, read from the
//! directory) and keep derived values in step: a job task's actual minutes are the time recorded
//! against it, and deleting a job removes its time and custom field values.

mod billing;
mod book;
mod custom_fields;
mod definitions;
mod error;
mod ids;
mod job_edit;
mod job_parts;
mod jobs;
mod price_list;
mod reference;
mod roster;
mod seed;
mod time_edit;
mod times;

#[cfg(test)]
mod tests;

pub(crate) use self::billing::{InvoiceRecord, QuoteRecord, invoice_summary, quote_summary};
pub use self::book::Work;
pub(crate) use self::custom_fields::ValueOwner;
pub(crate) use self::error::WorkError;
pub(crate) use self::jobs::JobRecord;

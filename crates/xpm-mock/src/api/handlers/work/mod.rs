//! Jobs, job tasks, notes, documents and costs, task types, time, categories, job states,
//! templates, the cost list, invoices, quotes, custom field definitions, and job, task, cost and
//! time custom field values.

pub(super) mod billing;
pub(super) mod costs;
pub(super) mod custom_fields;
pub(super) mod job_writes;
pub(super) mod jobs;
pub(super) mod reference;
mod support;
pub(super) mod time;

#[cfg(test)]
mod tests;

//! Jobs, job tasks, notes, documents and costs, task types, time, categories, job states,
//! templates, the cost list, invoices, quotes, custom field definitions, and job, task, cost and
//! time custom field values.

mod billing;
mod costs;
mod custom_fields;
mod dispatch;
mod job_writes;
mod jobs;
mod reference;
mod support;
mod time;

#[cfg(test)]
mod tests;

pub(crate) use dispatch::handle;

//! Clients, contacts, client groups, relationships, client documents, staff, and client and
//! contact custom field values.

mod clients;
mod contacts;
mod dispatch;
mod extras;
mod groups;
mod paging;
mod staff;
mod support;

#[cfg(test)]
mod tests;

pub(crate) use dispatch::handle;

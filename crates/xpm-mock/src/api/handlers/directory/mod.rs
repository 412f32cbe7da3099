//! Clients, contacts, client groups, relationships, client documents, staff, and client and
//! contact custom field values.

pub(super) mod clients;
pub(super) mod contacts;
pub(super) mod extras;
pub(super) mod groups;
mod paging;
pub(super) mod staff;
mod support;

#[cfg(test)]
mod tests;

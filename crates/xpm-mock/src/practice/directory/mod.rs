//! Clients, contacts, groups, relationships, staff and client documents.
//!
//! The [`Directory`] is the state behind `client.api`, `clientgroup.api` and `staff.api`. It is
//! generated from the practice seed ([`Directory::generate`]) and changed only by the API
//! handlers; the work book reads clients, contacts and staff through its read-only accessors.

mod book;
mod client_fields;
mod clients;
mod contacts;
mod documents;
mod error;
mod groups;
mod relationships;
mod seed;
mod shapes;
mod staff;

#[cfg(test)]
mod tests;

pub use book::Directory;
pub use contacts::MAX_CONTACTS_PER_LINK;
pub use error::DirectoryError;
pub use relationships::{ClientRelationship, RELATIONSHIP_TYPES};
pub use shapes::{Page, paged_shape};

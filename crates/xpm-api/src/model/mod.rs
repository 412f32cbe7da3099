//! Typed XPM 3.1 resources. Each type decodes from XML and JSON and encodes to both.

mod client;
mod common;
mod contact;
mod group;
mod staff;

pub use client::{AutoBasOptInCriteria, Client, ClientType, Relationship};
pub use common::{Document, NamedRef, Note, NoteComment};
pub use contact::Contact;
pub use group::ClientGroup;
pub use staff::Staff;

//! The operation table, one file per resource family, generated once from the spec and
//! maintained by hand since; `tests/it/catalog.rs` fails on any drift from the spec.

pub(super) mod billing;
pub(super) mod client;
pub(super) mod client_group;
pub(super) mod custom_field;
pub(super) mod job;
pub(super) mod practice;
mod scope_sets;
pub(super) mod staff;
pub(super) mod time;

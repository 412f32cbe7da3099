//! One module per family of XPM entities: how each model maps to its table and child tables.

pub(crate) mod clients;
pub(crate) mod custom_fields;
pub(crate) mod directory;
pub(crate) mod windows;
pub(crate) mod work;

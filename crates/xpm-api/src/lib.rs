//! Xero Practice Manager 3.1 models, codecs, operation catalog and scope planner.

pub mod catalog;
pub mod scopes;

//! Xero Practice Manager 3.1 models, codecs, operation catalog and scope planner.

// Declared first so that `xpm_record!` is in scope for the model modules.
#[macro_use]
pub mod xml;

pub mod catalog;
pub mod ids;
pub mod model;
pub mod request;
pub mod response;
pub mod scopes;
pub mod value;

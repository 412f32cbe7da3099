//! The typed API (`xpm_client::api`) against the emulator: a round trip per area, the paged and
//! date-window streams, and JSON answers giving the same models as XML.

mod clients;
mod contacts;
mod custom_fields;
mod formats;
mod groups;
mod jobs;
mod reference;
mod staff;
mod time;

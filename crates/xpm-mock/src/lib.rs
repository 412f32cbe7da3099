//! An emulator of Xero identity and the Xero Practice Manager 3.1 API.
//!
//! It behaves like Xero closely enough that an app built against it works against Xero by
//! changing base URLs: OAuth 2.0 with PKCE and refresh-token rotation, the scope-approval gate
//! that blocks XPM scopes until Xero approves an app, per-tenant rate limits, XML by default and
//! JSON on request, and fault injection for the failures real integrations meet.

mod admin;
mod admin_guard;
pub mod admin_index;
mod api;
pub mod clock;
pub mod config;
mod drift;
pub mod faults;
mod identity;
pub mod journal;
pub mod limits;
mod listener;
pub mod practice;
pub mod profile;
mod server;
mod shared;
pub mod state;

pub use admin_guard::exposure_warning;
pub use clock::Clock;
pub use config::EmulatorConfig;
pub use profile::{EmulatorProfile, ProfileError};
pub use server::{Emulator, RunningEmulator};
pub use state::{StateError, StateOrigin};

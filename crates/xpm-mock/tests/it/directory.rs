//! The directory operations (clients, contacts, groups, relationships, staff, client and contact
//! custom fields) over HTTP, with a token obtained through the real authorisation-code flow.
//! Responses are decoded with xpm-api's own codecs, compared element by element with Xero's
//! captured samples, and, in JSON mode, key by key with the OpenAPI DTOs.

use reqwest::StatusCode;
use uuid::Uuid;
use xpm_api::model::Client;

mod clients;
mod contacts;
mod extras;
mod groups;
mod json;
mod paging;
mod shapes;
mod staff;
mod structure;

pub(crate) use crate::harness::Api;

impl Api {
    /// An emulator with `clients` seeded clients, no rate limits and a manual clock.
    async fn directory(clients: usize) -> Self {
        Self::launch("Directory Practice", clients, 4242, "practicemanager").await
    }

    /// Every client in `client.api/list`'s plain shape.
    async fn all_clients(&self) -> Vec<Client> {
        self.get("/client.api/list").await.expect(StatusCode::OK).list()
    }
}

/// The UUID of a decoded item, which every item here has.
fn id(uuid: Option<Uuid>) -> Uuid {
    uuid.expect("a UUID")
}

fn is_yes(flag: Option<xpm_api::value::YesNo>) -> bool {
    flag.is_some_and(xpm_api::value::YesNo::is_yes)
}

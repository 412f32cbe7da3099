//! The work operations (jobs, tasks, time, costs, invoices, quotes, categories, job states,
//! templates, custom fields) over HTTP, with a token obtained through the real
//! authorisation-code flow. XML replies are decoded with xpm-api's codecs; JSON replies are
//! checked key by key against the OpenAPI response DTOs.

use chrono::{Days, NaiveDate, Utc};
use reqwest::StatusCode;
use uuid::Uuid;

mod billing;
mod coverage;
mod fields;
mod jobs;
mod json;
mod time;

pub(crate) use crate::harness::Api;

impl Api {
    /// An emulator with `clients` seeded clients and no rate limits, and a token for the broad
    /// `practicemanager` scope.
    async fn work(clients: usize) -> Self {
        Self::work_with_scopes(clients, "practicemanager").await
    }

    /// As [`Api::work`], with a token for the XPM scopes `scopes` (space-separated).
    async fn work_with_scopes(clients: usize, scopes: &str) -> Self {
        Self::launch("Work Practice", clients, 2718, scopes).await
    }

    /// The UUIDs of an active client and of a staff member.
    async fn client_and_staff(&self) -> (Uuid, Uuid) {
        let clients: Vec<xpm_api::model::Client> =
            self.get("/client.api/paged-list").await.expect(StatusCode::OK).list();
        let staff: Vec<xpm_api::model::Staff> = self.get("/staff.api/list").await.expect(StatusCode::OK).list();
        let client = clients.first().and_then(|client| client.uuid).expect("a client");
        (client, staff.first().and_then(|staff| staff.uuid).expect("a staff member"))
    }
}

/// Today as the seed and the emulator see it.
fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `yyyyMMdd`, as XPM requests and query parameters write dates.
fn compact(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// The window `[today - from_days_ago, today - to_days_ago]` as `from=…&to=…`.
fn window(from_days_ago: u64, to_days_ago: u64) -> String {
    let from = today() - Days::new(from_days_ago);
    let to = today() - Days::new(to_days_ago);
    format!("from={}&to={}", compact(from), compact(to))
}

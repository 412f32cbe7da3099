//! A journal of every API request, for tests and for `/__admin/journal`.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::Serialize;
use uuid::Uuid;

/// One request as the emulator saw it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// When it arrived (emulator clock).
    pub at: DateTime<Utc>,
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// The query string of an API call (`detailed=true&modifiedSince=2026-05-04T09:07:00`);
    /// identity requests leave it out, since theirs carry codes and state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The catalog operation, or the identity endpoint (`token`, `authorize`, `connections` …).
    pub operation: Option<&'static str>,
    /// The `Xero-Tenant-Id`, when one was sent and valid.
    pub tenant: Option<Uuid>,
    /// The calling app.
    pub client_id: Option<String>,
    /// The scope that granted the call.
    pub scope: Option<&'static str>,
    /// For token requests: the grant type.
    pub grant_type: Option<String>,
    /// Response status.
    pub status: u16,
    /// Time spent in the emulator, in microseconds.
    pub micros: u64,
    /// The injected fault, if any.
    pub fault: Option<&'static str>,
}

impl JournalEntry {
    /// Starts an entry for a request.
    pub(crate) fn new(at: DateTime<Utc>, method: &str, path: &str) -> Self {
        Self {
            at,
            method: method.to_owned(),
            path: path.to_owned(),
            query: None,
            operation: None,
            tenant: None,
            client_id: None,
            scope: None,
            grant_type: None,
            status: 0,
            micros: 0,
            fault: None,
        }
    }

    /// Records the outcome.
    pub(crate) fn finish(&mut self, status: u16, elapsed: Duration) {
        self.status = status;
        self.micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    }
}

/// The most recent requests, oldest first, bounded so a long-running emulator stays small.
#[derive(Debug)]
pub struct Journal {
    entries: Mutex<VecDeque<JournalEntry>>,
    capacity: usize,
}

impl Journal {
    /// A journal keeping the last `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))), capacity }
    }

    /// Appends an entry, dropping the oldest when full.
    pub fn record(&self, entry: JournalEntry) {
        let mut entries = self.entries.lock();
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// A copy of the entries, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.lock().iter().cloned().collect()
    }

    /// Entries for one operation id (API operations, or `token` for the token endpoint).
    pub fn count(&self, operation: &str) -> usize {
        self.entries.lock().iter().filter(|entry| entry.operation == Some(operation)).count()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.entries.lock().clear();
    }
}

//! `GET /__admin`: the admin API's index, so the URL the emulator prints answers with what it
//! offers rather than a 404.

use axum::Json;
use serde::Serialize;

/// One admin route: its methods, path and what it does.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AdminRoute {
    /// The HTTP methods it answers, e.g. `GET, DELETE`.
    pub methods: &'static str,
    /// The path, with `{placeholders}`.
    pub path: &'static str,
    /// What it does, and the body it takes.
    pub does: &'static str,
}

/// Every admin route. README.md ("The admin API") lists the same; a test keeps them together.
pub const ADMIN_ROUTES: &[AdminRoute] = &[
    AdminRoute { methods: "GET", path: "/__admin", does: "this index" },
    AdminRoute {
        methods: "GET, DELETE",
        path: "/__admin/journal",
        does: "every request the emulator saw (`?operation=ClientV31_List` filters); DELETE forgets them",
    },
    AdminRoute {
        methods: "POST",
        path: "/__admin/reset",
        does: "clears the journal, the fault rules and the rate-limit counters; practices, apps, connections, \
               tokens and the clock are kept",
    },
    AdminRoute {
        methods: "GET, POST",
        path: "/__admin/clock",
        does: "reads the clock; POST sets it (`{\"now\": \"2026-01-01T00:00:00Z\"}`) or moves it \
               (`{\"advanceSeconds\": 1860}`)",
    },
    AdminRoute {
        methods: "GET, POST, DELETE",
        path: "/__admin/faults",
        does: "lists the fault rules; POST adds one rule or an array of them; DELETE clears them",
    },
    AdminRoute {
        methods: "GET, PUT",
        path: "/__admin/limits",
        does: "reads the rate-limit settings; PUT replaces them (`enabled`, `concurrent`, `perMinute`, `perDay`, \
               `appPerMinute`, `offsetWindows`, `retryAfterOnAppLimit`)",
    },
    AdminRoute { methods: "GET", path: "/__admin/tenants", does: "the practices' tenant ids and names" },
    AdminRoute {
        methods: "GET, POST",
        path: "/__admin/apps",
        does: "lists the registered apps (never a secret); POST registers or replaces one: `{\"clientId\", \
               \"name\"?, \"clientSecret\"?, \"redirectUris\", \"requestedScopes\"?, \"approvedScopes\"?}`",
    },
    AdminRoute {
        methods: "POST",
        path: "/__admin/apps/{client_id}/approve",
        does: "approves XPM scopes for an app as Xero's review does: `{\"scopes\": [...]}`, all it requested \
               when left out",
    },
    AdminRoute {
        methods: "POST",
        path: "/__admin/apps/{client_id}/revoke",
        does: "withdraws approval of `{\"scopes\": [...]}` (every scope when left out); tokens holding them \
               stop working. `/revoke-approval` is the same",
    },
];

/// The index as JSON: `{"routes": [{"methods", "path", "does"}, …]}`.
pub(crate) async fn index() -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "about": "the admin API of the xpmkit emulator: for tests and scripts, not part of Xero's API",
        "routes": ADMIN_ROUTES,
    }))
}

//! The readiness checklist's items: Xero's approval steps and the controls xpmkit adds, each
//! with how it is decided (automatically from the configuration, by hand, or either) and the
//! next step when it is not done.

use serde::Serialize;

use super::approval_facts::Facts;

/// How an item is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decided {
    /// Only by what xpmkit can see; a mark cannot make it done.
    Auto,
    /// Only by hand: xpmkit cannot see it.
    Manual,
    /// By what xpmkit can see, else by a mark.
    AutoOrMark,
}

/// One checklist item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    /// Stable id (kebab-case), what `readiness mark` takes.
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) decided: Decided,
    /// What to do when it is not done.
    pub(crate) next: &'static str,
}

/// The items, in the order the approval goes.
pub(crate) const ITEMS: &[Item] = &[
    Item {
        id: "developer-app",
        title: "Developer app created",
        decided: Decided::AutoOrMark,
        next: "create the app at https://developer.xero.com/app/manage, then `xpmkit readiness mark developer-app --note \"client id …\"`",
    },
    Item {
        id: "oauth-flow",
        title: "OAuth 2.0 flow working",
        decided: Decided::AutoOrMark,
        next: "`xpmkit mock` and `xpmkit connect --profile mock` prove the flow before approval; `xpmkit connect` proves it on Xero",
    },
    Item {
        id: "test-practice",
        title: "Test practice connected",
        decided: Decided::AutoOrMark,
        next: "get an XPM test practice from Xero, then `xpmkit connect` once the scopes are approved (mark it by hand until then)",
    },
    Item {
        id: "scopes-identified",
        title: "XPM scopes identified",
        decided: Decided::AutoOrMark,
        next: "`xpmkit access-request --feature \"read clients\" …` (or `xpmkit scopes plan`) names the least-privilege scopes",
    },
    Item {
        id: "access-request-submitted",
        title: "Access request submitted",
        decided: Decided::AutoOrMark,
        next: "submit the pack `xpmkit access-request` wrote to Xero, then `xpmkit readiness mark access-request-submitted --note \"ticket …\"`",
    },
    Item {
        id: "security-assessment",
        title: "Security assessment prepared",
        decided: Decided::Manual,
        next: "`xpmkit evidence --out DIR`, close its gaps, answer Xero's self-assessment, then mark it",
    },
    Item {
        id: "advanced-tier",
        title: "Advanced tier reviewed",
        decided: Decided::Manual,
        next: "check the app's tier in Xero's developer portal (the XPM API is offered from the Advanced tier up), then mark it",
    },
    Item {
        id: "mock-api-ready",
        title: "Mock API structure ready",
        decided: Decided::AutoOrMark,
        next: "`xpmkit mock`, then `xpmkit connect --profile mock` and build against the emulator",
    },
    Item {
        id: "client-communication-plan",
        title: "Client communication plan",
        decided: Decided::Manual,
        next: "tell the practices what the integration reads and writes, and when it goes live; then mark it",
    },
    Item {
        id: "approval-buffer",
        title: "Buffer for approval delays",
        decided: Decided::Manual,
        next: "plan days to weeks for Xero's review (the self-assessment alone is reviewed over 5-10 working days); then mark it",
    },
    Item {
        id: "tokens-sealed",
        title: "Tokens sealed",
        decided: Decided::Auto,
        next: "`xpmkit connect` stores tokens sealed; `xpmkit keys status` shows the key and records",
    },
    Item {
        id: "mfa-enforced",
        title: "MFA enforced",
        decided: Decided::Auto,
        next: "`xpmkit security set mfa_required true` and `xpmkit security add-user EMAIL --role admin --totp-enrolled` for each admin user",
    },
    Item {
        id: "audit-chain",
        title: "Audit chain intact",
        decided: Decided::Auto,
        next: "the audit log starts with the first security change or mark (`xpmkit security set …`); a broken chain needs investigating",
    },
    Item {
        id: "retention-set",
        title: "Retention set",
        decided: Decided::Auto,
        next: "`xpmkit security set retention_days 365` (the days data is kept)",
    },
    Item {
        id: "contract-suite-xero",
        title: "Contract suite run on Xero",
        decided: Decided::Auto,
        next: "run the contract suite against Xero once the scopes are approved: `xpmkit verify --profile xero --out verify.md`",
    },
];

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum State {
    /// Done, as xpmkit can see.
    Done,
    /// Marked done by hand.
    Marked,
    /// Not done, and xpmkit can see that.
    Gap,
    /// Not done as far as anyone said: only a person can tell.
    ManualPending,
}

impl State {
    pub(crate) fn is_done(self) -> bool {
        matches!(self, Self::Done | Self::Marked)
    }
}

/// An item checked against the configuration.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Checked {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) state: State,
    /// How it was decided: `auto: …` or `marked by hand on DATE: note`.
    pub(crate) how: String,
    /// The next step, when not done.
    pub(crate) next: Option<&'static str>,
}

/// What xpmkit can see of an item: done with why, or not with why; `None` when it cannot tell.
fn automatic(id: &str, facts: &Facts) -> Option<(bool, String)> {
    let xero = facts.connections_on("xero");
    let mock = facts.connections_on("mock");
    let granted = |connections: &[&super::connections_file::SavedConnection]| {
        let mut scopes: Vec<&str> = connections
            .iter()
            .flat_map(|connection| connection.scope.split_whitespace())
            .filter(|scope| scope.starts_with("practicemanager"))
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        scopes.join(" ")
    };
    Some(match id {
        "developer-app" if !xero.is_empty() => {
            let ids: Vec<&str> = xero.iter().map(|connection| connection.client_id.as_str()).collect();
            (true, format!("a Xero connection was made with client id {}", ids.join(", ")))
        }
        "oauth-flow" if !facts.connections.is_empty() => (
            true,
            format!(
                "{} stored connection(s): {} to Xero, {} to the emulator; scopes granted: {}",
                facts.connections.len(),
                xero.len(),
                mock.len(),
                granted(&facts.connections.iter().collect::<Vec<_>>()).if_empty("none of XPM's")
            ),
        ),
        "test-practice" => {
            let practices: Vec<&str> = xero
                .iter()
                .flat_map(|connection| connection.tenants.iter().map(|tenant| tenant.name.as_str()))
                .collect();
            if practices.is_empty() {
                return None;
            }
            (true, format!("connected to Xero practice(s) {}", practices.join(", ")))
        }
        "scopes-identified" => {
            let entry = facts.last_access_request.as_ref()?;
            (true, format!("access-request pack written on {} for {}", day(&entry.at), scopes_of(&entry.detail)))
        }
        "access-request-submitted" if !granted(&xero).is_empty() => {
            (true, format!("Xero granted {} (approval came through)", granted(&xero)))
        }
        "mock-api-ready" if !mock.is_empty() => {
            (true, format!("{} connection(s) to the emulator at {}", mock.len(), mock[0].issuer))
        }
        "tokens-sealed" => tokens_sealed(facts),
        "mfa-enforced" => mfa_enforced(facts),
        "audit-chain" => match (facts.audit.entries, facts.audit.broken_at) {
            (0, _) => (false, "the audit log is empty".to_owned()),
            (entries, Some(id)) => (false, format!("the chain breaks at entry {id} of {entries}")),
            (entries, None) => (
                true,
                format!(
                    "{entries} entries, every hash verified, oldest {}",
                    facts.audit.oldest_at.as_deref().map(day).unwrap_or_default()
                ),
            ),
        },
        "retention-set" => match facts.settings.retention_days {
            Some(days) => (true, format!("retention_days = {days}")),
            None => (false, "retention_days is not set".to_owned()),
        },
        "contract-suite-xero" => match &facts.verify_xero {
            None => (false, "no contract-suite run on Xero is recorded".to_owned()),
            Some(run) if run.finished_at.is_none() => {
                (false, format!("the run of {} did not finish", day(&run.started_at)))
            }
            Some(run) => (
                run.failed == 0,
                format!("last run on {}: {} passed, {} failed", day(&run.started_at), run.passed, run.failed),
            ),
        },
        _ => return None,
    })
}

fn tokens_sealed(facts: &Facts) -> (bool, String) {
    let tokens = &facts.tokens;
    match &tokens.key {
        None if tokens.records > 0 => {
            (false, format!("{} token record(s) but no master key to open them", tokens.records))
        }
        None => (false, "no master key and no tokens yet (nothing connected)".to_owned()),
        Some(_) if tokens.records == 0 => (false, "no token records yet (nothing connected)".to_owned()),
        Some(key) => (
            tokens.records_with_current_key == tokens.records,
            format!(
                "{} of {} record(s) sealed ({}) with key {} from {}",
                tokens.records_with_current_key,
                tokens.records,
                xpm_client::token_store::SEAL_ALGORITHM,
                key.id,
                key.source
            ),
        ),
    }
}

fn mfa_enforced(facts: &Facts) -> (bool, String) {
    let users = facts.users.len();
    let enrolled = facts.enrolled_users();
    match facts.settings.mfa_required {
        Some(true) if users == 0 => (false, "mfa_required = true, but there are no admin users".to_owned()),
        Some(true) => {
            (enrolled == users, format!("mfa_required = true; {enrolled} of {users} admin user(s) have TOTP enrolled"))
        }
        Some(false) => (false, "mfa_required = false".to_owned()),
        None => (false, "mfa_required is not set".to_owned()),
    }
}

/// The scopes an access-request audit entry recorded.
fn scopes_of(detail: &str) -> String {
    serde_json::from_str::<serde_json::Value>(detail)
        .ok()
        .and_then(|value| value["scopes"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "the features given".to_owned())
}

/// The date part of an RFC 3339 time.
pub(crate) fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

trait IfEmpty {
    fn if_empty(self, instead: &str) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, instead: &str) -> String {
        if self.is_empty() { instead.to_owned() } else { self }
    }
}

/// What xpmkit knows of an item only a person can mark done.
fn pending_context(id: &str, facts: &Facts) -> String {
    match (id, &facts.last_evidence) {
        ("security-assessment", Some(entry)) => {
            let gaps = serde_json::from_str::<serde_json::Value>(&entry.detail)
                .ok()
                .and_then(|detail| detail["gaps"].as_u64());
            let gaps = gaps.map(|gaps| format!(" with {gaps} gap(s)")).unwrap_or_default();
            format!("not marked; evidence written on {}{gaps}", day(&entry.at))
        }
        _ => "not marked; xpmkit cannot see this".to_owned(),
    }
}

/// Checks every item against `facts`.
pub(crate) fn check(facts: &Facts) -> Vec<Checked> {
    ITEMS
        .iter()
        .map(|item| {
            let seen = automatic(item.id, facts);
            let mark = facts.marks.iter().find(|mark| mark.item == item.id);
            let (state, how) = match (item.decided, seen, mark) {
                (_, Some((true, why)), _) => (State::Done, format!("auto: {why}")),
                (Decided::Auto, Some((false, why)), _) => (State::Gap, format!("auto: {why}")),
                (Decided::Auto, None, _) => (State::Gap, "auto: nothing to check yet".to_owned()),
                (_, _, Some(mark)) => {
                    let note = mark.note.as_deref().map(|note| format!(": {note}")).unwrap_or_default();
                    (State::Marked, format!("marked by hand on {} by {}{note}", day(&mark.marked_at), mark.marked_by))
                }
                (_, Some((false, why)), None) => (State::Gap, format!("auto: {why}")),
                (_, None, None) => (State::ManualPending, pending_context(item.id, facts)),
            };
            let next = (!state.is_done()).then_some(item.next);
            Checked { id: item.id, title: item.title, state, how, next }
        })
        .collect()
}

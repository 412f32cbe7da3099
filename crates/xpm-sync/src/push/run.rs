//! Sending the outbox: one entry at a time, in the order queued (see the module docs of
//! [`push`](super) for the rules).

use serde_json::{Map, Value as Json};
use uuid::Uuid;
use xpm_client::{Error, ErrorKind, XpmClient};
use xpm_store::{OutboxEntry, OutboxStatus, Store};

use super::PushError;
use super::change::{Action, Change};
use super::compare::{FieldDifference, check_request, differences};
use super::failure::{WriteFailure, classify};
use super::records::{self, Record, ignored_fields, unchecked_fields};
use super::report::{EntryReport, Outcome, PushReport};

/// How to push.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PushOptions {
    /// Only say what would be sent: no call to XPM, nothing changed in the store.
    pub dry_run: bool,
}

impl PushOptions {
    /// Options for a dry run.
    pub fn dry_run() -> Self {
        Self { dry_run: true }
    }
}

/// Sends the pending (and reconciles the `sending`) outbox entries of `tenant` to XPM, in the
/// order they were queued, and reports each one's outcome. Holds the practice's outbox lock for
/// the whole run ([`PushError::Busy`] when another push holds it). Stops early, leaving the rest
/// for the next push, when XPM cannot be reached or the connection cannot make calls.
#[tracing::instrument(skip_all, fields(tenant = %tenant), err)]
pub async fn push(
    client: &XpmClient,
    store: &Store,
    tenant: Uuid,
    options: &PushOptions,
) -> Result<PushReport, PushError> {
    let mut report = PushReport::default();
    let queued = store.outbox(tenant, &[OutboxStatus::Pending, OutboxStatus::Sending]).await?;
    if options.dry_run {
        for entry in &queued {
            let (description, outcome) = match Change::from_entry(entry) {
                Ok(change) if entry.status == OutboxStatus::Sending => (change.describe(), Outcome::WouldReconcile),
                Ok(change) => (change.describe(), Outcome::WouldSend),
                Err(error) => (format!("entry {}", entry.id.0), Outcome::Failed { reason: error.to_string() }),
            };
            report.entries.push(EntryReport { id: entry.id, description, outcome });
        }
        return Ok(report);
    }
    let Some(lock) = store.try_lock_outbox(tenant).await? else { return Err(PushError::Busy { tenant }) };
    let pushed = push_locked(client, store, tenant, report).await;
    lock.release().await;
    pushed
}

/// [`push`] once it holds the outbox lock.
async fn push_locked(
    client: &XpmClient,
    store: &Store,
    tenant: Uuid,
    mut report: PushReport,
) -> Result<PushReport, PushError> {
    // Read again under the lock: a push that ended meanwhile may have sent some.
    let queued = store.outbox(tenant, &[OutboxStatus::Pending, OutboxStatus::Sending]).await?;
    let pusher = Pusher { client, store, tenant };
    for (position, entry) in queued.iter().enumerate() {
        let (description, step) = match Change::from_entry(entry) {
            Ok(change) => (change.describe(), pusher.entry(entry, &change).await?),
            Err(error) => {
                let reason = error.to_string();
                let mut write = store.write().await?;
                write.mark_failed(entry.id, OutboxStatus::Failed, &reason).await?;
                write.commit().await?;
                (format!("entry {}", entry.id.0), Step::go_on(Outcome::Failed { reason }))
            }
        };
        tracing::info!(entry = entry.id.0, outcome = step.outcome.label(), "{description}");
        report.entries.push(EntryReport { id: entry.id, description, outcome: step.outcome });
        if let Some((reason, kind)) = step.stop {
            report.stopped = Some(reason);
            report.stopped_kind = kind;
            report.not_reached = queued.len() - position - 1;
            break;
        }
    }
    Ok(report)
}

/// An entry's outcome, and whether the push stops after it (why, and the kind of client
/// failure that stopped it).
struct Step {
    outcome: Outcome,
    stop: Option<(String, Option<ErrorKind>)>,
}

impl Step {
    fn go_on(outcome: Outcome) -> Self {
        Self { outcome, stop: None }
    }
}

/// What XPM holds for a create.
enum Found {
    /// Nothing the create would have made.
    Absent,
    /// The one record that matches every field sent.
    Record(Box<Record>),
    /// Records that cannot be told apart from what the create would have made.
    Ambiguous(String, Vec<FieldDifference>),
}

struct Pusher<'a> {
    client: &'a XpmClient,
    store: &'a Store,
    tenant: Uuid,
}

impl Pusher<'_> {
    async fn entry(&self, entry: &OutboxEntry, change: &Change) -> Result<Step, PushError> {
        match change.action() {
            Action::Create => self.create(entry, change).await,
            Action::Update => self.update(entry, change).await,
        }
    }

    async fn create(&self, entry: &OutboxEntry, change: &Change) -> Result<Step, PushError> {
        if entry.status == OutboxStatus::Sending {
            // Sent by an earlier push whose answer never came: look before sending again.
            match self.look_for(change).await {
                Ok(Found::Absent) => {}
                Ok(Found::Record(record)) => return self.adopt(entry, change, *record).await,
                Ok(Found::Ambiguous(reason, differences)) => return self.conflict(entry, reason, differences).await,
                Err(error) => return self.unknown(entry, format!("cannot check XPM for it: {error}")).await,
            }
        }
        self.send(entry, change).await
    }

    async fn update(&self, entry: &OutboxEntry, change: &Change) -> Result<Step, PushError> {
        let current = match records::read_current(self.client, self.tenant, change).await {
            Ok(Some(current)) => current,
            Ok(None) => return self.fail(entry, "the update names no record".to_owned()).await,
            Err(error) => {
                return match classify(&error) {
                    WriteFailure::Refused(reason) => {
                        self.fail(entry, format!("cannot read the record from XPM: {reason}")).await
                    }
                    // A read changes nothing: the entry stays as it was for the next push.
                    WriteFailure::NotSent(reason, _) | WriteFailure::Unknown(reason) => {
                        let reason = format!("cannot read the record from XPM: {reason}");
                        Ok(Step {
                            outcome: Outcome::Deferred { reason: reason.clone() },
                            stop: Some((reason, Some(error.kind()))),
                        })
                    }
                };
            }
        };
        match self.judge_update(entry, change, &current) {
            UpdateState::Conflict(differences) => {
                let reason = "the record changed in XPM since the stored copy the update is based on".to_owned();
                self.conflict(entry, reason, differences).await
            }
            UpdateState::AlreadyApplied => self.adopt(entry, change, current).await,
            UpdateState::ToSend => self.send(entry, change).await,
        }
    }

    /// Compares XPM's record with the stored copy the update was based on: fields that changed
    /// to the values the update sends are its own effect (an earlier attempt that took, or the
    /// same edit made in XPM); any other change is someone else's edit.
    fn judge_update(&self, entry: &OutboxEntry, change: &Change, current: &Record) -> UpdateState {
        let base: Map<String, Json> = match entry.change.base_version.as_deref().map(serde_json::from_str) {
            Some(Ok(Json::Object(base))) => base,
            _ => Map::new(),
        };
        let current_fields = current.fields();
        let check = check_request(&change.fields(), &current_fields, unchecked_fields(change));
        let touched: Vec<String> = check
            .agreeing
            .iter()
            .cloned()
            .chain(check.disagreeing.iter().map(|difference| difference.field.clone()))
            .collect();
        let changed = differences(&base, &current_fields, ignored_fields(change), &touched);
        let others: Vec<FieldDifference> =
            changed.into_iter().filter(|difference| !check.agreeing.contains(&difference.field)).collect();
        if !others.is_empty() {
            UpdateState::Conflict(others)
        } else if check.disagreeing.is_empty()
            && check.unverifiable.is_empty()
            && !matches!(change, Change::GroupMembers(_))
        {
            UpdateState::AlreadyApplied
        } else {
            UpdateState::ToSend
        }
    }

    /// Marks the entry `sending` (committed), sends it, and records the outcome.
    async fn send(&self, entry: &OutboxEntry, change: &Change) -> Result<Step, PushError> {
        let mut write = self.store.write().await?;
        write.mark_sending(entry.id).await?;
        write.commit().await?;
        match records::send(self.client, self.tenant, change).await {
            Ok(answer) => {
                let key = change.key().or_else(|| answer.key());
                let mut stored = match key.as_deref() {
                    Some(key) => records::read_back(self.client, self.tenant, change, key).await.unwrap_or_else(|error| {
                        tracing::warn!(error = %error, "reading the record back failed; storing XPM's answer instead");
                        Vec::new()
                    }),
                    None => Vec::new(),
                };
                if stored.is_empty() {
                    stored.push(answer);
                }
                let mut write = self.store.write().await?;
                for record in &stored {
                    record.store(&mut write, self.tenant).await?;
                }
                write.mark_sent(entry.id, key.as_deref()).await?;
                write.commit().await?;
                Ok(Step::go_on(Outcome::Sent { key }))
            }
            Err(error) => match classify(&error) {
                WriteFailure::Refused(reason) => self.fail(entry, reason).await,
                WriteFailure::NotSent(reason, kind) => {
                    let mut write = self.store.write().await?;
                    write.release(entry.id, &reason).await?;
                    write.commit().await?;
                    Ok(Step { outcome: Outcome::Deferred { reason: reason.clone() }, stop: Some((reason, Some(kind))) })
                }
                WriteFailure::Unknown(reason) => self.after_unknown(entry, change, reason).await,
            },
        }
    }

    /// The answer to a write was lost: check XPM now. A create found there is adopted; one not
    /// found is left `sending` rather than sent again at once, since XPM may still be working on
    /// it; the next push checks again.
    async fn after_unknown(&self, entry: &OutboxEntry, change: &Change, reason: String) -> Result<Step, PushError> {
        let reason = format!("the answer was lost ({reason})");
        match change.action() {
            Action::Create => match self.look_for(change).await {
                Ok(Found::Record(record)) => self.adopt(entry, change, *record).await,
                Ok(Found::Absent) => self.unknown(entry, format!("{reason}; XPM does not show it yet")).await,
                Ok(Found::Ambiguous(why, _)) => self.unknown(entry, format!("{reason}; {why}")).await,
                Err(error) => self.unknown(entry, format!("{reason}; cannot check XPM for it: {error}")).await,
            },
            Action::Update => match records::read_current(self.client, self.tenant, change).await {
                Ok(Some(current))
                    if matches!(self.judge_update(entry, change, &current), UpdateState::AlreadyApplied) =>
                {
                    self.adopt(entry, change, current).await
                }
                _ => self.unknown(entry, reason).await,
            },
        }
    }

    /// Looks in XPM for the record a create would have made (see the module docs for the rule).
    async fn look_for(&self, change: &Change) -> Result<Found, Error> {
        let candidates = records::look_for_created(self.client, self.tenant, change).await?;
        if candidates.is_empty() {
            return Ok(Found::Absent);
        }
        let sent = change.fields();
        let mut matching = Vec::new();
        let mut differing = Vec::new();
        for candidate in candidates {
            let check = check_request(&sent, &candidate.fields(), records::unchecked_fields(change));
            if check.disagreeing.is_empty() {
                matching.push(candidate);
            } else {
                differing.extend(check.disagreeing);
            }
        }
        let entity = change.entity().as_str();
        match matching.len() {
            1 => Ok(Found::Record(Box::new(matching.remove(0)))),
            0 => Ok(Found::Ambiguous(
                format!(
                    "XPM has a {entity} like it that differs in fields sent, which may be this create altered by XPM or another record: check XPM"
                ),
                differing,
            )),
            several => Ok(Found::Ambiguous(
                format!(
                    "{several} {entity} records in XPM match every field sent, so which one this create made cannot be told: check XPM"
                ),
                Vec::new(),
            )),
        }
    }

    async fn adopt(&self, entry: &OutboxEntry, change: &Change, record: Record) -> Result<Step, PushError> {
        let key = change.key().or_else(|| record.key()).unwrap_or_default();
        let mut stored = records::read_back(self.client, self.tenant, change, &key).await.unwrap_or_default();
        if stored.is_empty() {
            stored.push(record);
        }
        let mut write = self.store.write().await?;
        for record in &stored {
            record.store(&mut write, self.tenant).await?;
        }
        write.mark_sent(entry.id, Some(&key)).await?;
        write.commit().await?;
        Ok(Step::go_on(Outcome::Adopted { key }))
    }

    async fn conflict(
        &self,
        entry: &OutboxEntry,
        reason: String,
        differences: Vec<FieldDifference>,
    ) -> Result<Step, PushError> {
        let listed: Vec<String> = differences.iter().map(ToString::to_string).collect();
        let stored = if listed.is_empty() { reason.clone() } else { format!("{reason}: {}", listed.join("; ")) };
        let mut write = self.store.write().await?;
        write.mark_failed(entry.id, OutboxStatus::Conflict, &stored).await?;
        write.commit().await?;
        Ok(Step::go_on(Outcome::Conflict { reason, differences }))
    }

    async fn fail(&self, entry: &OutboxEntry, reason: String) -> Result<Step, PushError> {
        let mut write = self.store.write().await?;
        write.mark_failed(entry.id, OutboxStatus::Failed, &reason).await?;
        write.commit().await?;
        Ok(Step::go_on(Outcome::Failed { reason }))
    }

    async fn unknown(&self, entry: &OutboxEntry, reason: String) -> Result<Step, PushError> {
        let mut write = self.store.write().await?;
        write.mark_unknown(entry.id, &reason).await?;
        write.commit().await?;
        Ok(Step { outcome: Outcome::Unknown { reason: reason.clone() }, stop: Some((reason, None)) })
    }
}

/// Where an update stands against XPM's record.
enum UpdateState {
    /// Someone else changed these fields since the stored copy.
    Conflict(Vec<FieldDifference>),
    /// XPM already holds every value the update sends.
    AlreadyApplied,
    /// Safe to send.
    ToSend,
}

//! Write-back: creates and updates queued in the store's outbox, sent to XPM by [`push`] so that
//! nothing is ever created twice and nobody's edit is overwritten.
//!
//! # Queueing
//!
//! [`queue`] adds a [`Change`] (a typed request: `ClientAddRequest`, `ClientUpdateRequest`,
//! `ContactRequest`, `ClientGroupAddRequest`, `ClientGroupMembersRequest`, `JobAddRequest`,
//! `JobUpdateRequest`, `TimeAddRequest`, `TimeUpdateRequest`) in the caller's write transaction.
//! An update keeps the stored copy of its record (its JSON) as the version it is based on.
//! [`Store::pending_keys`](xpm_store::Store::pending_keys) tells a pull which records have a
//! change waiting, so that it does not overwrite them.
//!
//! # Never sent twice
//!
//! XPM has no idempotency keys: a create sent twice makes two records. So:
//!
//! 1. An entry is marked `sending`, and that is committed, before its request goes out.
//! 2. A refusal (`<Status>ERROR</Status>`, with HTTP 200 or not, or a 4xx) marks it `failed`
//!    with XPM's message. A request that provably never left (no connection made, a rate limit,
//!    a token that needs signing in again) goes back to `pending`, its attempt counted, and the
//!    push stops.
//! 3. Any other failure (timeout, reset, a cut or unreadable answer, a 5xx) leaves the outcome
//!    unknown. XPM is checked at once: a create found there is adopted (read back, stored, marked
//!    `sent` with its key); otherwise the entry stays `sending` and the push stops. An entry found
//!    `sending` when a push starts (the same, or a push killed after sending) is checked the
//!    same way before anything is sent, and sent again only if XPM provably lacks it.
//! 4. One push at a time per practice: a push holds the practice's outbox lock (a file lock
//!    beside a SQLite database, an advisory lock on PostgreSQL), which the system releases when
//!    the process dies. Without it a second push could take the first one's in-flight entry
//!    for a lost one.
//!
//! **How a create is looked for.** A client by name (`client.api/search`, detailed, then the
//! exact name); a contact by name among its client's contacts (`client.api/get`); a group by
//! name (`clientgroup.api/list`); a job among its client's jobs (`job.api/client`) by the number
//! it asked for, else by name; a time entry among its job's entries (`time.api/job`) by staff
//! member and date. Each record so found is then compared with every field the request sent
//! that the record shows (text, flags, numbers and dates compared by meaning, references by
//! their UUID); a field the record does not show is not compared.
//!
//! - No such record: provably absent, so the create is sent (again).
//! - Exactly one record agreeing on every compared field: adopted as this create's record.
//! - Otherwise (several agree, or only records that differ in a field sent):
//!   the entry becomes a `conflict` for a person to resolve; nothing is sent.
//!
//! **Limits of the rule.** A record that already existed with exactly the fields sent is
//! adopted as if the create had made it (no duplicate, but no second record either, should one
//! have been wanted). XPM's search is trusted to find a client by its exact name as soon as the
//! create returns; a time entry is told from others of the same staff member and day only by
//! its minutes, note and task. A create that XPM applied but altered (normalising a phone
//! number, say) matches nothing exactly and becomes a conflict rather than a resend.
//!
//! # Conflicts
//!
//! Before an update is sent, the record is read from XPM and compared with the stored copy it
//! was based on, field by field (leaving out lists that are entities of their own, such as a
//! client's contacts or a job's tasks, and fields the stored copy lacks unless the update sets
//! them). A field that changed to a value other than the one the update sends is someone
//! else's edit: the entry becomes a `conflict` listing those fields, and XPM keeps the edit. If
//! XPM already holds every value sent, the update is adopted without a call.
//!
//! # After a write
//!
//! The record is read back (`get`) and stored in the same transaction that marks the entry
//! `sent`, so the store holds what XPM holds.
//!
//! ```no_run
//! # async fn example(client: xpm_client::XpmClient, store: xpm_store::Store, tenant: uuid::Uuid) -> Result<(), xpm_sync::PushError> {
//! use xpm_sync::{Outcome, PushOptions, push};
//!
//! let report = push(&client, &store, tenant, &PushOptions::default()).await?;
//! for entry in &report.entries {
//!     if let Outcome::Conflict { differences, .. } = &entry.outcome {
//!         eprintln!("{}: changed in XPM meanwhile: {differences:?}", entry.description);
//!     }
//! }
//! # Ok(()) }
//! ```

mod change;
mod compare;
mod error;
mod failure;
mod records;
mod report;
mod run;

pub use change::{Action, Change, queue};
pub use compare::FieldDifference;
pub use error::PushError;
pub use report::{EntryReport, Outcome, PushReport};
pub use run::{PushOptions, push};

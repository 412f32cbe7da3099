//! The accepted-scope lists the spec repeats, named once.
//!
//! Order follows the spec (broad scopes first) so the table reads like the YAML.

use crate::catalog::Scope;

/// Reads of shared resources with no area scope (categories, templates, task types, invoices,
/// quotes, cost items, custom field definitions).
pub(super) const SHARED_READ: &[Scope] = &[Scope::PracticeManager, Scope::PracticeManagerRead];
/// Writes of shared resources: only the all-powerful scope.
pub(super) const SHARED_WRITE: &[Scope] = &[Scope::PracticeManager];
/// Reads of clients, contacts, groups and client custom field values.
pub(super) const CLIENT_READ: &[Scope] =
    &[Scope::PracticeManager, Scope::PracticeManagerRead, Scope::Client, Scope::ClientRead];
/// Writes of clients, contacts, groups and client custom field values.
pub(super) const CLIENT_WRITE: &[Scope] = &[Scope::PracticeManager, Scope::Client];
/// Reads of jobs, job states and job task/cost custom field values.
pub(super) const JOB_READ: &[Scope] = &[Scope::PracticeManager, Scope::PracticeManagerRead, Scope::Job, Scope::JobRead];
/// Writes of jobs and job task/cost custom field values.
pub(super) const JOB_WRITE: &[Scope] = &[Scope::PracticeManager, Scope::Job];
/// Reads of staff.
pub(super) const STAFF_READ: &[Scope] =
    &[Scope::PracticeManager, Scope::PracticeManagerRead, Scope::Staff, Scope::StaffRead];
/// Writes of staff.
pub(super) const STAFF_WRITE: &[Scope] = &[Scope::PracticeManager, Scope::Staff];
/// Reads of time entries and their custom field values.
pub(super) const TIME_READ: &[Scope] =
    &[Scope::PracticeManager, Scope::PracticeManagerRead, Scope::Time, Scope::TimeRead];
/// Writes of time entries and their custom field values.
pub(super) const TIME_WRITE: &[Scope] = &[Scope::PracticeManager, Scope::Time];

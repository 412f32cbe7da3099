//! A typed, async client for Xero Practice Manager 3.1.
//!
//! Layers, bottom up: configuration profiles for Xero and the emulator ([`config`]); secret
//! newtypes that never print ([`secret`]); the encrypted token store ([`token_store`]); OAuth 2.0
//! with PKCE, refresh rotation and id_token validation ([`oauth`]); `/connections`
//! ([`connections`]); the rate [`Governor`]; single-flight token refresh; the
//! transport ([`XpmClient`]) that sends any catalog operation as a [`Call`]; and on top the typed
//! handlers of [`api`].
//!
//! # The typed API
//!
//! `client.clients(tenant)`, `client.jobs(tenant)` … return a handler per area. Methods that
//! answer one entity or write send at once (`get`, `add`, `update`, `delete`); methods that
//! answer a list return a builder ending in `.send()` (the whole list) or `.stream()`, a
//! [`futures_util::Stream`] that fetches the next page or window, or decodes the next item, only
//! when the items before it have been taken ([`api`] states the rules). Entities are named by the
//! typed ids of [`xpm_api::ids`]; requests are [`xpm_api::request`] types built with `new` and
//! a setter per field, answers [`xpm_api::model`] types, and writes answer with the entity as
//! XPM stored it. Calls are XML unless a handler says `.format(Format::Json)`. `examples/` runs
//! each area against the in-process emulator.
//!
//! Clients: a filtered list, the whole detailed list decoded while it downloads (it has no
//! paging and can run to tens of megabytes), every active client page by page, and the writes.
//!
//! ```no_run
//! # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
//! use chrono::{Duration, Utc};
//! use futures_util::TryStreamExt;
//! use xpm_api::request::{ClientAddRequest, ClientUpdateRequest};
//!
//! let clients = client.clients(tenant);
//! let changed = clients.list().detailed(true).modified_since(Utc::now() - Duration::days(1)).send().await?;
//! let mut everyone = clients.list().detailed(true).stream();
//! while let Some(one) = everyone.try_next().await? {
//!     println!("{} has {} contacts", one.name.unwrap_or_default(), one.contacts.map_or(0, |list| list.len()));
//! }
//! let mut active = clients.paged().page_size(100).stream();
//! while let Some(one) = active.try_next().await? {
//!     println!("{}", one.name.unwrap_or_default());
//! }
//! let found = clients.search("holdings").send().await?;
//! let added = clients.add(&ClientAddRequest::new("Kauri Holdings Ltd").email("office@kauri.example")).await?;
//! let Some(id) = added.id() else { return Ok(()) };
//! clients.update(&ClientUpdateRequest::new(id).phone("+64 9 555 0100")).await?;
//! let detailed = clients.get(id).await?;
//! clients.archive(id).await?;
//! clients.delete(id).await?;
//! # Ok(()) }
//! ```
//!
//! Contacts: every contact through its page tokens, and a contact on one client.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     owner: xpm_api::ids::ClientId,
//! # ) -> Result<(), xpm_client::Error> {
//! use futures_util::TryStreamExt;
//! use xpm_api::model::Contact;
//! use xpm_api::request::ContactRequest;
//!
//! let contacts = client.contacts(tenant);
//! let everyone: Vec<Contact> = contacts.paged().page_size(500).stream().try_collect().await?;
//! let added = contacts.add(owner, &ContactRequest::new("Ana Ruiz").position("Director")).await?;
//! let Some(id) = added.id() else { return Ok(()) };
//! let at_client = contacts.clone().scoped_to_client(owner).get(id).await?; // with its position
//! contacts.update(id, &ContactRequest::default().phone("+64 9 555 0100")).await?;
//! contacts.delete(id).await?;
//! # Ok(()) }
//! ```
//!
//! Client groups and staff.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     member: xpm_api::ids::ClientId,
//! # ) -> Result<(), xpm_client::Error> {
//! use xpm_api::request::{ClientGroupAddRequest, ClientGroupMembersRequest, StaffAddRequest};
//!
//! let groups = client.client_groups(tenant);
//! let group = groups.add(&ClientGroupAddRequest::new("Family trusts")).await?;
//! let Some(group_id) = group.id() else { return Ok(()) };
//! groups.members(&ClientGroupMembersRequest::new(group_id).add_client(member)).await?;
//! let with_members = groups.get(group_id).await?;
//! groups.delete(group_id).await?;
//!
//! let staff = client.staff(tenant);
//! let everyone = staff.list().send().await?;
//! let added = staff.add(&StaffAddRequest::new("Mere Tane").email("mere@practice.example")).await?;
//! # Ok(()) }
//! ```
//!
//! Jobs: current ones, a client's, any date range as windows under a year (each job once), and a
//! state change by the state's interface code; then the lookups jobs refer to.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     owner: xpm_api::ids::ClientId,
//! # ) -> Result<(), Box<dyn std::error::Error>> {
//! use chrono::NaiveDate;
//! use futures_util::TryStreamExt;
//! use xpm_api::ids::JobNumber;
//! use xpm_api::model::Job;
//!
//! let jobs = client.jobs(tenant);
//! let current = jobs.current().detailed(true).send().await?;
//! let theirs = jobs.for_client(owner).send().await?;
//! let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(2016, 1, 1), NaiveDate::from_ymd_opt(2025, 12, 31)) else {
//!     return Ok(());
//! };
//! let ten_years: Vec<Job> = jobs.list(from, to).stream().try_collect().await?; // ten calls
//! let number: JobNumber = "J000309".parse()?;
//! let job = jobs.get(&number).await?;
//! jobs.set_state(&number, "COMPLETED").await?;
//!
//! let task_types = client.tasks(tenant).list().send().await?;
//! let categories = client.categories(tenant).list().send().await?;
//! let states = client.job_states(tenant).list().send().await?; // display names, not codes
//! # Ok(()) }
//! ```
//!
//! Time: a window of everyone's entries, one staff member's, a job's, and the writes.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     (job, task, staff): (xpm_api::ids::JobNumber, xpm_api::ids::JobTaskId, xpm_api::ids::StaffId),
//! #     (from, to): (chrono::NaiveDate, chrono::NaiveDate),
//! # ) -> Result<(), xpm_client::Error> {
//! use xpm_api::request::TimeAddRequest;
//! use xpm_api::value::XpmDate;
//!
//! let time = client.time(tenant);
//! let week = time.list(from, to).send().await?;
//! let mine = time.list(from, to).staff(staff).send().await?;
//! let on_the_job = time.for_job(&job).send().await?;
//! let request = TimeAddRequest::new(&job)
//!     .task_uuid(task) // the job task (Job/Tasks/Task/UUID), not the task type
//!     .staff_uuid(staff)
//!     .date(XpmDate::compact(to))
//!     .minutes(90);
//! let entry = time.add(&request).await?;
//! # Ok(()) }
//! ```
//!
//! Custom fields, in JSON for a change.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     (owner, field): (xpm_api::ids::ClientId, xpm_api::ids::CustomFieldId),
//! # ) -> Result<(), xpm_client::Error> {
//! use xpm_api::request::{CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
//! use xpm_client::Format;
//! use xpm_client::api::CustomFieldOwner;
//!
//! let fields = client.custom_fields(tenant).format(Format::Json);
//! let definitions = fields.definitions().send().await?;
//! let owner = CustomFieldOwner::Client(owner);
//! let values = CustomFieldValuesUpdateRequest::new(vec![CustomFieldValueRequest::new(field).text("Email")]);
//! fields.update_values(&owner, &values).await?;
//! let values = fields.values(&owner).send().await?;
//! # Ok(()) }
//! ```
//!
//! Anything else: [`XpmClient::raw`] names the operation and leaves the rest to [`Call`].
//!
//! ```no_run
//! # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
//! use xpm_api::catalog::OperationId;
//! use xpm_api::model::Template;
//!
//! let call = client.raw(OperationId::TemplateList, tenant);
//! let (templates, _envelope) = client.send(call).await?.list::<Template>()?;
//! # Ok(()) }
//! ```

pub mod api;
mod body_cap;
mod body_stream;
pub mod call;
mod client;
pub mod clock;
pub mod config;
pub mod connections;
mod error;
mod governor;
mod meter;
pub mod oauth;
pub mod secret;
mod session;
mod stream;
mod take;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod token_store;

pub use body_stream::BodyStream;
pub use call::{Call, Format, Response};
pub use client::{RetryPolicy, XpmClient, XpmClientBuilder};
pub use error::{Error, ErrorKind, ParameterLocation};
pub use governor::{Governor, LimitProblem, Limits, Remaining};
pub use meter::Usage;
pub use session::Grant;
pub use stream::ItemStream;

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
//! `client.clients(tenant)`, `client.jobs(tenant)` … return a handler per area. Its methods send
//! at once (`get`, `add`, `update`, `delete`) or return a builder ending in `.send()`; paged and
//! date-window lists also end in `.stream()`, a [`futures_util::Stream`] that fetches the next
//! page or window only when the items before it have been taken. Requests are
//! [`xpm_api::request`] types, answers [`xpm_api::model`] types, and writes answer with the
//! entity as XPM stored it. Calls are XML unless a handler says `.format(Format::Json)`.
//! `examples/` runs each area against the in-process emulator.
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
//! let mut everyone = clients.list().detailed(true).stream().await?;
//! while let Some(one) = everyone.try_next().await? {
//!     println!("{} has {} contacts", one.name.unwrap_or_default(), one.contacts.map_or(0, |list| list.len()));
//! }
//! let mut active = clients.paged().page_size(100).stream();
//! while let Some(one) = active.try_next().await? {
//!     println!("{}", one.name.unwrap_or_default());
//! }
//! let found = clients.search("holdings").send().await?;
//! let added = clients.add(&ClientAddRequest::new("Kauri Holdings Ltd")).await?;
//! let Some(uuid) = added.uuid else { return Ok(()) };
//! let mut change = ClientUpdateRequest::new(uuid);
//! change.email = Some("office@kauri.example".into());
//! clients.update(&change).await?;
//! let detailed = clients.get(uuid).await?;
//! clients.archive(uuid).await?;
//! clients.delete(uuid).await?;
//! # Ok(()) }
//! ```
//!
//! Contacts: every contact through its page tokens, and a contact on one client.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     client_uuid: uuid::Uuid,
//! # ) -> Result<(), xpm_client::Error> {
//! use futures_util::TryStreamExt;
//! use xpm_api::model::Contact;
//! use xpm_api::request::ContactRequest;
//!
//! let contacts = client.contacts(tenant);
//! let everyone: Vec<Contact> = contacts.paged().page_size(500).stream().try_collect().await?;
//! let mut request = ContactRequest::default();
//! request.name = Some("Ana Ruiz".into());
//! request.position = Some("Director".into());
//! let added = contacts.add(client_uuid, &request).await?;
//! let Some(uuid) = added.uuid else { return Ok(()) };
//! let at_client = contacts.clone().for_client(client_uuid).get(uuid).await?; // with its position
//! let mut change = ContactRequest::default();
//! change.phone = Some("+64 9 555 0100".into());
//! contacts.update(uuid, &change).await?;
//! contacts.delete(uuid).await?;
//! # Ok(()) }
//! ```
//!
//! Client groups and staff.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     member: uuid::Uuid,
//! # ) -> Result<(), xpm_client::Error> {
//! use xpm_api::request::{ClientGroupAddRequest, ClientGroupMembersRequest, StaffAddRequest};
//!
//! let groups = client.client_groups(tenant);
//! let mut request = ClientGroupAddRequest::default();
//! request.name = Some("Family trusts".into());
//! let group = groups.add(&request).await?;
//! let Some(group_uuid) = group.uuid else { return Ok(()) };
//! groups.members(&ClientGroupMembersRequest::new(group_uuid).add_client(member)).await?;
//! let with_members = groups.get(group_uuid).await?;
//! groups.delete(group_uuid).await?;
//!
//! let staff = client.staff(tenant);
//! let everyone = staff.list().await?;
//! let mut request = StaffAddRequest::default();
//! request.name = Some("Mere Tane".into());
//! let added = staff.add(&request).await?;
//! # Ok(()) }
//! ```
//!
//! Jobs: current ones, any date range as windows under a year (each job once), and a state change
//! by the state's interface code; then the lookups jobs refer to.
//!
//! ```no_run
//! # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
//! use chrono::NaiveDate;
//! use futures_util::TryStreamExt;
//! use xpm_api::model::Job;
//!
//! let jobs = client.jobs(tenant);
//! let current = jobs.current().detailed(true).send().await?;
//! let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(2016, 1, 1), NaiveDate::from_ymd_opt(2025, 12, 31)) else {
//!     return Ok(());
//! };
//! let ten_years: Vec<Job> = jobs.list(from, to).stream().try_collect().await?; // ten calls
//! let job = jobs.get("J000309").await?;
//! jobs.set_state("J000309", "COMPLETED").await?;
//!
//! let task_types = client.tasks(tenant).list().await?;
//! let categories = client.categories(tenant).list().await?;
//! let states = client.job_states(tenant).list().await?; // display names, not codes
//! # Ok(()) }
//! ```
//!
//! Time: a window of everyone's entries, one staff member's, and the writes.
//!
//! ```no_run
//! # async fn example(
//! #     client: xpm_client::XpmClient,
//! #     tenant: uuid::Uuid,
//! #     (task, staff): (uuid::Uuid, uuid::Uuid),
//! #     (from, to): (chrono::NaiveDate, chrono::NaiveDate),
//! # ) -> Result<(), xpm_client::Error> {
//! use xpm_api::request::TimeAddRequest;
//! use xpm_api::value::XpmDate;
//!
//! let time = client.time(tenant);
//! let week = time.list(from, to).send().await?;
//! let mine = time.list(from, to).staff(staff).send().await?;
//! let mut request = TimeAddRequest::default();
//! request.job = Some("J000309".into());
//! request.task_uuid = Some(task); // the job task's UUID (Job/Tasks/Task/UUID)
//! request.staff_uuid = Some(staff);
//! request.date = Some(XpmDate::compact(to));
//! request.minutes = Some(90);
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
//! #     (client_uuid, field): (uuid::Uuid, uuid::Uuid),
//! # ) -> Result<(), xpm_client::Error> {
//! use xpm_api::request::{CustomFieldValueRequest, CustomFieldValuesUpdateRequest};
//! use xpm_client::Format;
//! use xpm_client::api::CustomFieldOwner;
//!
//! let fields = client.custom_fields(tenant).format(Format::Json);
//! let definitions = fields.definitions().await?;
//! let owner = CustomFieldOwner::Client(client_uuid);
//! let mut value = CustomFieldValueRequest::default();
//! value.uuid = Some(field);
//! value.text = Some("Email".into());
//! fields.update_values(&owner, &CustomFieldValuesUpdateRequest::new(vec![value])).await?;
//! let values = fields.values(&owner).await?;
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
pub mod call;
mod client;
pub mod clock;
pub mod config;
pub mod connections;
mod error;
mod governor;
pub mod oauth;
pub mod secret;
mod session;
mod stream;
mod take;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod token_store;

pub use call::{Call, Format, Response};
pub use client::{RetryPolicy, XpmClient, XpmClientBuilder};
pub use error::{Error, ErrorKind, ParameterLocation};
pub use governor::{Governor, LimitProblem, Limits, Remaining};
pub use session::Grant;
pub use stream::ItemStream;

//! The typed API: one handler per area, reached from [`XpmClient`].
//!
//! A handler (`client.clients(tenant)`) holds the client, the tenant and the format. XML is the
//! default; every handler takes `.format(Format::Json)`. Requests are `xpm_api::request` types
//! (built with `new` and a setter per field) and answers `xpm_api::model` types; writes answer
//! with the entity as XPM stored it. Entities are named by the typed ids of [`xpm_api::ids`]
//! (`ClientId`, `StaffId`, `JobNumber` …), so one kind cannot be passed for another.
//!
//! # One shape
//!
//! - **A method that answers one entity, or writes, sends at once**: `get`, `add`, `update`,
//!   `delete`, `archive`, `set_state`, `link`, `members` are `async fn`s.
//! - **A method that answers a list returns a builder** that ends in `send()` (the whole list)
//!   or `stream()` (the items one at a time). Every `stream()` is a plain method returning
//!   `impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static`; nothing is sent until the
//!   stream is first polled, and the stream ends after the first error. The builders are
//!   [`ListBuilder`] (one answer, decoded while it downloads), [`PagedBuilder`] (token pages,
//!   `send()` answers one [`Page`]), [`DateWindowBuilder`] (a date range, `stream()` cut into
//!   windows under a year) and [`ListClientsBuilder`] / [`SearchClientsBuilder`] for the client
//!   list's own options.
//! - **`for_<owner>(id)` filters a list**: it returns the same list builder as the area's other
//!   lists, holding the items that belong to the owner (`jobs().for_client(client)`,
//!   `time().for_job(&number)`). A filter that needs the list's other arguments is a builder
//!   method instead (`time().list(from, to).staff(staff)`).
//! - **`scoped_to_<owner>(id)` narrows the handler**: it returns the same handler, whose calls
//!   then act in that owner's context (`contacts().scoped_to_client(client).get(contact)` reads
//!   the contact's position at that client).
//!
//! ```no_run
//! # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, owner: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
//! use futures_util::TryStreamExt;
//! use xpm_api::model::Staff;
//!
//! let staff: Vec<Staff> = client.staff(tenant).list().send().await?;
//! let mut jobs = client.jobs(tenant).for_client(owner).detailed(true).stream();
//! while let Some(job) = jobs.try_next().await? {
//!     println!("{}", job.name.unwrap_or_default());
//! }
//! # Ok(()) }
//! ```
//!
//! An operation without a handler method is one [`XpmClient::raw`] call away.

/// Declares an area's handler: the struct, `new`, and the `format` opt-in every handler has.
macro_rules! handler {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            target: $crate::api::target::Target,
        }

        impl $name {
            pub(crate) fn new(target: $crate::api::target::Target) -> Self {
                Self { target }
            }

            /// Sends and answers in `format` (XML unless the client was built otherwise).
            #[must_use]
            pub fn format(self, format: $crate::call::Format) -> Self {
                Self { target: self.target.with_format(format) }
            }
        }
    };
}

mod categories;
mod clients;
mod contacts;
mod custom_fields;
mod date_window;
mod groups;
mod job_states;
mod jobs;
mod list;
mod page;
mod staff;
mod target;
mod tasks;
mod time;
mod window;

use uuid::Uuid;
use xpm_api::catalog::OperationId;

pub use categories::CategoriesHandler;
pub use clients::{ClientsHandler, ListClientsBuilder, SearchClientsBuilder};
pub use contacts::ContactsHandler;
pub use custom_fields::{CustomFieldOwner, CustomFieldsHandler};
pub use date_window::DateWindowBuilder;
pub use groups::ClientGroupsHandler;
pub use job_states::JobStatesHandler;
pub use jobs::JobsHandler;
pub use list::ListBuilder;
pub use page::{Page, PagedBuilder};
pub use staff::StaffHandler;
pub use tasks::TasksHandler;
pub use time::TimeHandler;

use self::target::Target;
use crate::call::Call;
use crate::client::XpmClient;

impl XpmClient {
    /// Clients of `tenant` (`client.api`).
    pub fn clients(&self, tenant: Uuid) -> ClientsHandler {
        ClientsHandler::new(Target::new(self, tenant))
    }

    /// Contacts of `tenant` (`client.api/contact*`).
    pub fn contacts(&self, tenant: Uuid) -> ContactsHandler {
        ContactsHandler::new(Target::new(self, tenant))
    }

    /// Client groups of `tenant` (`clientgroup.api`).
    pub fn client_groups(&self, tenant: Uuid) -> ClientGroupsHandler {
        ClientGroupsHandler::new(Target::new(self, tenant))
    }

    /// Staff of `tenant` (`staff.api`).
    pub fn staff(&self, tenant: Uuid) -> StaffHandler {
        StaffHandler::new(Target::new(self, tenant))
    }

    /// Jobs of `tenant` (`job.api`).
    pub fn jobs(&self, tenant: Uuid) -> JobsHandler {
        JobsHandler::new(Target::new(self, tenant))
    }

    /// Task types of `tenant` (`task.api`).
    pub fn tasks(&self, tenant: Uuid) -> TasksHandler {
        TasksHandler::new(Target::new(self, tenant))
    }

    /// Time entries of `tenant` (`time.api`).
    pub fn time(&self, tenant: Uuid) -> TimeHandler {
        TimeHandler::new(Target::new(self, tenant))
    }

    /// Job categories of `tenant` (`category.api`).
    pub fn categories(&self, tenant: Uuid) -> CategoriesHandler {
        CategoriesHandler::new(Target::new(self, tenant))
    }

    /// Job states of `tenant` (`jobstate.api`).
    pub fn job_states(&self, tenant: Uuid) -> JobStatesHandler {
        JobStatesHandler::new(Target::new(self, tenant))
    }

    /// Custom field definitions and values of `tenant` (`customfield.api` and the
    /// `…/customfield` operations).
    pub fn custom_fields(&self, tenant: Uuid) -> CustomFieldsHandler {
        CustomFieldsHandler::new(Target::new(self, tenant))
    }

    /// A call to any catalog operation ([`OperationId::JobDocuments`]), for what the handlers do
    /// not cover: fill it in with [`Call::path_param`], [`Call::query`] and [`Call::body`] (or
    /// [`Call::raw_body`]), send it with [`XpmClient::send`] and decode the
    /// [`Response`](crate::Response) with the method matching the operation's payload. The
    /// call goes through the same scopes check, rate governor and retries as every other.
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use xpm_api::catalog::OperationId;
    /// use xpm_api::model::Document;
    ///
    /// let call = client.raw(OperationId::JobDocuments, tenant).path_param("id", "J000042");
    /// let (documents, _envelope) = client.send(call).await?.list::<Document>()?;
    /// # Ok(()) }
    /// ```
    pub fn raw(&self, operation: OperationId, tenant: Uuid) -> Call {
        Call::new(operation, tenant)
    }
}

//! The typed API: one handler per area, reached from [`XpmClient`].
//!
//! A handler (`client.clients(tenant)`) holds the client, the tenant and the format. Its methods
//! either send at once (`get`, `add`, `delete` …) or return a builder that ends in `send()`;
//! paged and date-window lists also end in `stream()`, which fetches the next page or window
//! only once the items before it have been taken. XML is the default; every handler takes
//! `.format(Format::Json)`. Requests are `xpm_api::request` types and answers `xpm_api::model`
//! types; writes answer with the entity as XPM stored it.
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
mod groups;
mod job_states;
mod jobs;
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
pub use groups::ClientGroupsHandler;
pub use job_states::JobStatesHandler;
pub use jobs::{JobsBuilder, JobsHandler, ListJobsBuilder};
pub use page::{Page, PagedBuilder};
pub use staff::StaffHandler;
pub use tasks::TasksHandler;
pub use time::{ListTimeBuilder, TimeHandler};

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

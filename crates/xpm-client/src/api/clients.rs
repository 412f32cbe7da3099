//! Clients (`client.api`): list, paged list, search, get, add, update, archive, delete.

use chrono::{DateTime, Utc};
use futures_util::Stream;
use xpm_api::catalog::OperationId;
use xpm_api::ids::ClientId;
use xpm_api::model::Client;
use xpm_api::request::{ClientAddRequest, ClientArchiveRequest, ClientDeleteRequest, ClientUpdateRequest};

use super::list::items;
use super::page::PagedBuilder;
use super::target::Target;
use crate::call::Call;
use crate::error::Error;

const LIST: OperationId = OperationId::ClientList;
const PAGED_LIST: OperationId = OperationId::ClientPagedList;
const SEARCH: OperationId = OperationId::ClientSearch;
const GET: OperationId = OperationId::ClientGetByIdentifier;
const ADD: OperationId = OperationId::ClientAdd;
const UPDATE: OperationId = OperationId::ClientUpdate;
const ARCHIVE: OperationId = OperationId::ClientArchive;
const DELETE: OperationId = OperationId::ClientDelete;

handler! {
    /// The clients of one tenant, from [`XpmClient::clients`](crate::XpmClient::clients).
    ClientsHandler
}

impl ClientsHandler {
    /// Every client, archived and deleted ones included (`ClientV31_List`), in one answer.
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use chrono::{Duration, Utc};
    /// use futures_util::TryStreamExt;
    ///
    /// let clients = client.clients(tenant);
    /// let changed = clients.list().modified_since(Utc::now() - Duration::days(1)).send().await?;
    /// let mut everyone = clients.list().detailed(true).stream();
    /// while let Some(one) = everyone.try_next().await? {
    ///     println!("{}", one.name.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListClientsBuilder {
        ListClientsBuilder { target: self.target.clone(), detailed: None, modified_since: None, tolerant: false }
    }

    /// Active clients page by page, in the reduced shape (`ClientV31_PagedList`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use futures_util::TryStreamExt;
    /// use xpm_api::model::Client;
    ///
    /// let first = client.clients(tenant).paged().page_size(100).send().await?;
    /// let active: Vec<Client> = client.clients(tenant).paged().page_size(500).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn paged(&self) -> PagedBuilder<Client> {
        PagedBuilder::new(self.target.clone(), PAGED_LIST)
    }

    /// Clients whose name matches `query` (`ClientV31_Search`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// let found = client.clients(tenant).search("holdings").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn search(&self, query: impl Into<String>) -> SearchClientsBuilder {
        SearchClientsBuilder { target: self.target.clone(), query: query.into(), detailed: None }
    }

    /// One client in the detailed shape (`ClientV31_GetByIdentifier`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// let detailed = client.clients(tenant).get(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: ClientId) -> Result<Client, Error> {
        self.target.by_identifier(GET, id.uuid()).await
    }

    /// Creates a client (and the contacts in the request) and returns it as XPM stored it, with
    /// its new `uuid` (`ClientV31_Add`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::{ClientAddRequest, ContactInsertItem};
    ///
    /// let request = ClientAddRequest::new("Harbour Trust")
    ///     .email("office@harbour.example")
    ///     .phone("+64 9 555 0100")
    ///     .contacts([ContactInsertItem::new("Ana Ruiz").is_primary(true)]);
    /// let added = client.clients(tenant).add(&request).await?;
    /// let id = added.id(); // the new client's ClientId
    /// # Ok(()) }
    /// ```
    pub async fn add(&self, client: &ClientAddRequest) -> Result<Client, Error> {
        self.target.write(ADD, client).await
    }

    /// Changes the fields the request sets and returns the client (`ClientV31_Update`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// use xpm_api::request::ClientUpdateRequest;
    ///
    /// let change = ClientUpdateRequest::new(id).email("accounts@harbour.example");
    /// let updated = client.clients(tenant).update(&change).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, client: &ClientUpdateRequest) -> Result<Client, Error> {
        self.target.write(UPDATE, client).await
    }

    /// Archives a client and returns it (`ClientV31_Archive`).
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// let archived = client.clients(tenant).archive(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn archive(&self, id: ClientId) -> Result<Client, Error> {
        let call = self.target.call(ARCHIVE).body(&ClientArchiveRequest::new(id))?;
        self.target.single(call).await
    }

    /// Deletes a client (`ClientV31_Delete`). XPM keeps it in [`list`](Self::list), marked deleted.
    ///
    /// ```no_run
    /// # async fn example(client: xpm_client::XpmClient, tenant: uuid::Uuid, id: xpm_api::ids::ClientId) -> Result<(), xpm_client::Error> {
    /// client.clients(tenant).delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: ClientId) -> Result<(), Error> {
        let call = self.target.call(DELETE).body(&ClientDeleteRequest::new(id))?;
        self.target.status(call).await.map(drop)
    }
}

/// `ClientV31_List` with its options; [`send`](Self::send) fetches the list, and
/// [`stream`](Self::stream) yields it while it downloads.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct ListClientsBuilder {
    target: Target,
    detailed: Option<bool>,
    modified_since: Option<DateTime<Utc>>,
    tolerant: bool,
}

impl ListClientsBuilder {
    /// Whether to return the detailed shape (contacts, notes, groups …). On a large practice the
    /// detailed list takes minutes.
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.detailed = Some(detailed);
        self
    }

    /// Only clients changed at or after `since` (sent to whole seconds, UTC).
    pub fn modified_since(mut self, since: DateTime<Utc>) -> Self {
        self.modified_since = Some(since);
        self
    }

    /// Decodes the list tolerantly (XML): a value in a form the model does not expect leaves
    /// its field unset and is kept on the client (`unparsed()`) instead of failing the whole
    /// list (see [`Call::tolerant`]).
    pub fn tolerant(mut self, tolerant: bool) -> Self {
        self.tolerant = tolerant;
        self
    }

    /// Fetches the list.
    pub async fn send(self) -> Result<Vec<Client>, Error> {
        let call = self.call();
        Ok(self.target.list(call).await?.0)
    }

    /// Yields the clients while the list downloads: XPM has no paging for this list, and a large
    /// practice's detailed list runs to tens of megabytes, which this never holds whole. A failure
    /// inside the body ends the stream with an error. The call is sent when the stream is first
    /// polled.
    pub fn stream(self) -> impl Stream<Item = Result<Client, Error>> + Send + Unpin + 'static {
        let call = self.call();
        items(self.target, call)
    }

    fn call(&self) -> Call {
        self.target
            .call(LIST)
            .query_opt("detailed", self.detailed.map(|detailed| detailed.to_string()))
            .query_opt("modifiedSince", self.modified_since.map(|since| since.format("%Y-%m-%dT%H:%M:%S").to_string()))
            .tolerant(self.tolerant)
    }
}

/// `ClientV31_Search` with its options; [`send`](Self::send) runs the search, and
/// [`stream`](Self::stream) yields the clients found while they download.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct SearchClientsBuilder {
    target: Target,
    query: String,
    detailed: Option<bool>,
}

impl SearchClientsBuilder {
    /// Whether to return the detailed shape.
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.detailed = Some(detailed);
        self
    }

    /// Runs the search.
    pub async fn send(self) -> Result<Vec<Client>, Error> {
        let call = self.call();
        Ok(self.target.list(call).await?.0)
    }

    /// Yields the clients found while the answer downloads; the stream ends after the first
    /// error.
    pub fn stream(self) -> impl Stream<Item = Result<Client, Error>> + Send + Unpin + 'static {
        let call = self.call();
        items(self.target, call)
    }

    fn call(&self) -> Call {
        self.target
            .call(SEARCH)
            .query("query", self.query.clone())
            .query_opt("detailed", self.detailed.map(|detailed| detailed.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use xpm_api::request::RequestBody;

    use super::*;
    use crate::api::target::assert_bodies;

    #[test]
    fn each_operation_takes_the_body_sent() {
        assert_bodies(&[
            (LIST, None),
            (PAGED_LIST, None),
            (SEARCH, None),
            (GET, None),
            (ADD, Some(ClientAddRequest::JSON_SCHEMA)),
            (UPDATE, Some(ClientUpdateRequest::JSON_SCHEMA)),
            (ARCHIVE, Some(ClientArchiveRequest::JSON_SCHEMA)),
            (DELETE, Some(ClientDeleteRequest::JSON_SCHEMA)),
        ]);
    }
}

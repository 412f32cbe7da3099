//! Clients (`client.api`): list, paged list, search, get, add, update, archive, delete.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use xpm_api::catalog::OperationId;
use xpm_api::model::Client;
use xpm_api::request::{ClientAddRequest, ClientArchiveRequest, ClientDeleteRequest, ClientUpdateRequest};

use super::page::PagedBuilder;
use super::target::Target;
use crate::call::Call;
use crate::error::Error;
use crate::stream::ItemStream;

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
    pub fn list(&self) -> ListClientsBuilder {
        ListClientsBuilder { target: self.target.clone(), detailed: None, modified_since: None }
    }

    /// Active clients page by page, in the reduced shape (`ClientV31_PagedList`).
    pub fn paged(&self) -> PagedBuilder<Client> {
        PagedBuilder::new(self.target.clone(), PAGED_LIST)
    }

    /// Clients whose name matches `query` (`ClientV31_Search`).
    pub fn search(&self, query: impl Into<String>) -> SearchClientsBuilder {
        SearchClientsBuilder { target: self.target.clone(), query: query.into(), detailed: None }
    }

    /// One client in the detailed shape (`ClientV31_GetByIdentifier`).
    pub async fn get(&self, uuid: Uuid) -> Result<Client, Error> {
        self.target.by_identifier(GET, uuid).await
    }

    /// Creates a client (and the contacts in the request) and returns it as XPM stored it, with
    /// its new `uuid` (`ClientV31_Add`).
    pub async fn add(&self, client: &ClientAddRequest) -> Result<Client, Error> {
        self.target.write(ADD, client).await
    }

    /// Changes the fields the request sets and returns the client (`ClientV31_Update`).
    pub async fn update(&self, client: &ClientUpdateRequest) -> Result<Client, Error> {
        self.target.write(UPDATE, client).await
    }

    /// Archives a client and returns it (`ClientV31_Archive`).
    pub async fn archive(&self, uuid: Uuid) -> Result<Client, Error> {
        let call = self.target.call(ARCHIVE).body(&ClientArchiveRequest::new(uuid))?;
        self.target.single(call).await
    }

    /// Deletes a client (`ClientV31_Delete`). XPM keeps it in [`list`](Self::list), marked deleted.
    pub async fn delete(&self, uuid: Uuid) -> Result<(), Error> {
        let call = self.target.call(DELETE).body(&ClientDeleteRequest::new(uuid))?;
        self.target.status(call).await.map(drop)
    }
}

/// `ClientV31_List` with its options; [`send`](Self::send) fetches the list.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` is called"]
pub struct ListClientsBuilder {
    target: Target,
    detailed: Option<bool>,
    modified_since: Option<DateTime<Utc>>,
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

    /// Fetches the list.
    pub async fn send(self) -> Result<Vec<Client>, Error> {
        let call = self.call();
        Ok(self.target.list(call).await?.0)
    }

    /// Yields the clients while the list downloads: XPM has no paging for this list, and a large
    /// practice's detailed list runs to tens of megabytes, which this never holds whole. A failure
    /// inside the body ends the stream with an error.
    pub async fn stream(self) -> Result<ItemStream<Client>, Error> {
        let call = self.call();
        self.target.stream(call).await
    }

    fn call(&self) -> Call {
        self.target
            .call(LIST)
            .query_opt("detailed", self.detailed.map(|detailed| detailed.to_string()))
            .query_opt("modifiedSince", self.modified_since.map(|since| since.format("%Y-%m-%dT%H:%M:%S").to_string()))
    }
}

/// `ClientV31_Search` with its options; [`send`](Self::send) runs the search.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` is called"]
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
        let call = self
            .target
            .call(SEARCH)
            .query("query", self.query)
            .query_opt("detailed", self.detailed.map(|detailed| detailed.to_string()));
        Ok(self.target.list(call).await?.0)
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

//! Token paging, as `client.api/paged-list` and `client.api/contacts` do it: one page with
//! [`PagedBuilder::send`], or every item of every page with [`PagedBuilder::stream`].

use std::collections::VecDeque;
use std::marker::PhantomData;

use futures_util::{Stream, stream};
use xpm_api::catalog::OperationId;
use xpm_api::response::Resource;

use super::target::Target;
use crate::error::Error;

/// The page sizes XPM accepts.
const PAGE_SIZES: std::ops::RangeInclusive<u32> = 1..=500;

/// One page of a token-paged list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page, in the server's order.
    pub items: Vec<T>,
    /// The token of the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

/// A token-paged list: set the page size (and a token to resume from), then fetch one page with
/// [`send`](Self::send) or walk all of them with [`stream`](Self::stream).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct PagedBuilder<T> {
    target: Target,
    operation: OperationId,
    page_size: Option<u32>,
    page_token: Option<String>,
    item: PhantomData<fn() -> T>,
}

impl<T: Resource + Send + 'static> PagedBuilder<T> {
    pub(crate) fn new(target: Target, operation: OperationId) -> Self {
        Self { target, operation, page_size: None, page_token: None, item: PhantomData }
    }

    /// Items per page, 1–500 (XPM's default is 50).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Starts from the page this token names (a [`Page::next_page_token`]) instead of the first.
    pub fn page_token(mut self, token: impl Into<String>) -> Self {
        self.page_token = Some(token.into());
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<T>, Error> {
        fetch(&self.target, self.operation, self.page_size, self.page_token).await
    }

    /// Every item from this page on, fetching each next page only once the items before it have
    /// been taken. The stream ends after the first error.
    pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        let state = Cursor { builder: self, buffered: VecDeque::new(), next: Next::First };
        Box::pin(stream::try_unfold(state, |mut cursor| async move {
            loop {
                if let Some(item) = cursor.buffered.pop_front() {
                    return Ok(Some((item, cursor)));
                }
                let token = match std::mem::replace(&mut cursor.next, Next::Done) {
                    Next::Done => return Ok(None),
                    Next::First => cursor.builder.page_token.clone(),
                    Next::Token(token) => Some(token),
                };
                let builder = &cursor.builder;
                let page = fetch::<T>(&builder.target, builder.operation, builder.page_size, token).await?;
                cursor.next = page.next_page_token.map_or(Next::Done, Next::Token);
                cursor.buffered = page.items.into();
            }
        }))
    }
}

/// Where a stream is: the items fetched but not yet taken, and which page comes next.
struct Cursor<T> {
    builder: PagedBuilder<T>,
    buffered: VecDeque<T>,
    next: Next,
}

enum Next {
    First,
    Token(String),
    Done,
}

async fn fetch<T: Resource>(
    target: &Target,
    operation: OperationId,
    page_size: Option<u32>,
    page_token: Option<String>,
) -> Result<Page<T>, Error> {
    if let Some(size) = page_size.filter(|size| !PAGE_SIZES.contains(size)) {
        return Err(Error::InvalidPageSize { operation, size, allowed: PAGE_SIZES });
    }
    let call = target
        .call(operation)
        .query_opt("pageSize", page_size.map(|size| size.to_string()))
        .query_opt("pageToken", page_token);
    let (items, envelope) = target.list::<T>(call).await?;
    let next_page_token = envelope.pagination.as_ref().and_then(|pagination| pagination.next_page_token());
    Ok(Page { items, next_page_token })
}

//! Lists that come in one answer: [`ListBuilder`], and the stream every builder's `stream()`
//! shares when its list has no paging.

use std::marker::PhantomData;

use futures_util::{Stream, TryStreamExt, stream};
use xpm_api::model::Job;
use xpm_api::response::Resource;

use super::target::Target;
use crate::call::Call;
use crate::error::Error;

/// A list XPM answers in one response (staff, task types, a client's jobs …): fetch it whole with
/// [`send`](Self::send), or take the items while the body downloads with
/// [`stream`](Self::stream).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `send` or `stream` is called"]
pub struct ListBuilder<T> {
    target: Target,
    call: Call,
    item: PhantomData<fn() -> T>,
}

impl<T: Resource + Send + 'static> ListBuilder<T> {
    pub(crate) fn new(target: Target, call: Call) -> Self {
        Self { target, call, item: PhantomData }
    }

    /// Decodes the list tolerantly (XML): a value in a form the model does not expect leaves
    /// its field unset and is kept on the item (`unparsed()`) instead of failing the whole list
    /// (see [`Call::tolerant`]).
    pub fn tolerant(mut self, tolerant: bool) -> Self {
        self.call = self.call.tolerant(tolerant);
        self
    }

    /// Fetches the list.
    pub async fn send(self) -> Result<Vec<T>, Error> {
        Ok(self.target.list(self.call).await?.0)
    }

    /// Yields the items while the answer downloads, holding one at a time. The stream ends
    /// after the first error; the call is sent when the stream is first polled.
    pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        items(self.target, self.call)
    }
}

impl ListBuilder<Job> {
    /// Whether to return the detailed shape (tasks, milestones, notes).
    pub fn detailed(mut self, detailed: bool) -> Self {
        self.call = self.call.query("detailed", detailed.to_string());
        self
    }
}

/// The items of `call`'s list answer, decoded while it downloads; sending starts at the first
/// poll, and a failure to send is the stream's only item.
pub(crate) fn items<T: Resource + Send + 'static>(
    target: Target,
    call: Call,
) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
    Box::pin(stream::once(async move { target.stream::<T>(call).await }).try_flatten())
}

//! An answer's body handed on as it downloads, undecoded: for callers that pass a long list on
//! as received (`xpmkit call --raw`) without holding it.
//!
//! The head of the body (its first 4 KiB) is read before the call counts as answered, because
//! XPM writes `<Status>` first: an `ERROR` answer fails the call as it does for
//! [`XpmClient::send`](crate::XpmClient::send), and only a body that did not say so up front
//! is handed on. The rest is not checked: a caller passing bytes on cannot take them back.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use xpm_api::catalog::Operation;

use crate::body_cap::{ERROR_BODY_LIMIT, read_truncated};
use crate::call::{Format, Response};
use crate::error::Error;
use crate::governor::Admission;
use crate::take::{Attempt, Success, TakeBody, log_attempt, transport_failure};

/// How much of the body is read to look for an `ERROR` status before it is handed on.
const HEAD: usize = 4096;

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The chunks of an answer's body as they arrive, the head first. Ends after the first error.
pub struct BodyStream {
    operation: &'static Operation,
    attempts: u32,
    format: Format,
    head: Option<Bytes>,
    rest: Option<Chunks>,
    /// The call's in-flight slot, given back when the body has ended or the stream is dropped.
    admission: Option<Admission>,
}

impl std::fmt::Debug for BodyStream {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("BodyStream")
            .field("operation", &self.operation.id)
            .field("format", &self.format)
            .field("ended", &self.rest.is_none())
            .finish_non_exhaustive()
    }
}

impl BodyStream {
    /// The body's format, by the answer's content type.
    pub fn format(&self) -> Format {
        self.format
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        let Some(rest) = self.rest.as_mut() else { return Poll::Ready(None) };
        let polled = rest.as_mut().poll_next(context);
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(ended) => {
                self.rest = None;
                self.admission = None;
                let operation = self.operation;
                Poll::Ready(ended.map(|failed| {
                    failed.map_err(|source| Error::Transport {
                        operation: operation.id,
                        attempts: self.attempts,
                        retry_safe: operation.retry_safe,
                        source,
                    })
                }))
            }
        }
    }
}

/// The body's head checked for an `ERROR` status, the rest left for a [`BodyStream`].
pub(crate) struct RawBody(PhantomData<()>);

impl TakeBody for RawBody {
    type Output = BodyStream;

    async fn take(success: Success) -> Attempt<BodyStream> {
        let Success {
            operation,
            tenant,
            status,
            format,
            remaining,
            attempt,
            may_retry,
            started,
            mut answer,
            admission,
            ..
        } = success;
        log_attempt(operation, tenant, Some(status), attempt, started, remaining);
        let mut head = BytesMut::new();
        let mut ended = false;
        while head.len() < HEAD {
            match answer.chunk().await {
                Ok(Some(chunk)) => head.extend_from_slice(&chunk),
                Ok(None) => {
                    ended = true;
                    break;
                }
                Err(error) => return transport_failure(operation, attempt, may_retry, error),
            }
        }
        let probe = |body: Bytes| {
            Response { operation, status: status.as_u16(), format, body, remaining, attempts: attempt, tolerant: false }
                .error_up_front()
        };
        let head = head.freeze();
        if let Some(error) = probe(head.clone()) {
            if ended {
                return Attempt::Fail(error);
            }
            // An ERROR body is short; read the rest of it (within reason) to decode it whole.
            let mut whole = BytesMut::from(&head[..]);
            return match read_truncated(answer, ERROR_BODY_LIMIT).await {
                Ok(rest) => {
                    whole.extend_from_slice(&rest);
                    Attempt::Fail(probe(whole.freeze()).unwrap_or(error))
                }
                Err(error) => transport_failure(operation, attempt, may_retry, error),
            };
        }
        let rest: Option<Chunks> = (!ended).then(|| Box::pin(answer.bytes_stream()) as Chunks);
        let admission = rest.is_some().then_some(admission);
        Attempt::Done(BodyStream { operation, attempts: attempt, format, head: Some(head), rest, admission })
    }
}

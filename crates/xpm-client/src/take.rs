//! What one attempt comes to, and the two ways a 2xx answer's body is taken: read whole
//! ([`Buffered`], for `send`) or handed to a stream that decodes it while it downloads
//! ([`Streamed`], for `send_stream`). The attempt loop is generic over them, so neither path
//! has a branch for the other's kind of answer.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use uuid::Uuid;
use xpm_api::catalog::Operation;
use xpm_api::response::Resource;

use crate::body_cap::{CappedError, read_capped};
use crate::call::{Format, Response};
use crate::error::Error;
use crate::governor::{Admission, LimitProblem, Remaining};
use crate::meter::Meter;
use crate::stream::{ItemStream, Unread};

/// What one attempt came to.
pub(crate) enum Attempt<T> {
    Done(T),
    /// A 5xx, timeout or reset on a retry-safe operation: back off, try again.
    Retry,
    /// A 429: wait (the governor already blocks for `Retry-After`), try again.
    RateLimited {
        problem: LimitProblem,
        retry_after: Option<Duration>,
        wait: Duration,
    },
    RefreshAndRetry,
    Fail(Error),
}

/// A 2xx answer whose body has not been read, with the call's in-flight slot still held.
pub(crate) struct Success {
    pub(crate) operation: &'static Operation,
    pub(crate) tenant: Uuid,
    pub(crate) status: StatusCode,
    pub(crate) format: Format,
    pub(crate) remaining: Remaining,
    pub(crate) attempt: u32,
    pub(crate) may_retry: bool,
    pub(crate) started: Instant,
    pub(crate) answer: reqwest::Response,
    pub(crate) admission: Admission,
    /// The longest body read whole.
    pub(crate) max_body: u64,
    /// Where the body's bytes are counted.
    pub(crate) meter: Arc<Meter>,
    /// Whether an XML list is decoded tolerantly.
    pub(crate) tolerant: bool,
}

/// How the body of a 2xx answer is taken.
pub(crate) trait TakeBody {
    /// What the call returns.
    type Output;

    /// Takes the body of `success`, holding its slot until the server is done with the call.
    fn take(success: Success) -> impl Future<Output = Attempt<Self::Output>> + Send;
}

/// The body read whole, then checked for an `ERROR` envelope up front.
pub(crate) struct Buffered;

impl TakeBody for Buffered {
    type Output = Response;

    async fn take(success: Success) -> Attempt<Response> {
        let Success {
            operation,
            tenant,
            status,
            format,
            remaining,
            attempt,
            may_retry,
            started,
            answer,
            admission,
            max_body,
            meter,
            tolerant,
        } = success;
        // The slot stays held until the whole body is in: the server counts the call until then.
        let body = read_capped(answer, max_body).await;
        drop(admission);
        log_attempt(operation, tenant, Some(status), attempt, started, remaining);
        let body = match body {
            Ok(body) => {
                meter.downloaded(body.len());
                body
            }
            // Not retried: the same answer would come again.
            Err(CappedError::TooLarge) => {
                return Attempt::Fail(Error::BodyTooLarge { operation: operation.id, limit: max_body });
            }
            Err(CappedError::Transport(error)) => return transport_failure(operation, attempt, may_retry, error),
        };
        let response =
            Response { operation, status: status.as_u16(), format, body, remaining, attempts: attempt, tolerant };
        match response.error_up_front() {
            Some(error) => Attempt::Fail(error),
            None => Attempt::Done(response),
        }
    }
}

/// The body left for a stream of `T` to decode as it arrives; the slot goes with it.
pub(crate) struct Streamed<T>(PhantomData<fn() -> T>);

impl<T: Resource + Send + 'static> TakeBody for Streamed<T> {
    type Output = ItemStream<T>;

    async fn take(success: Success) -> Attempt<ItemStream<T>> {
        let Success {
            operation,
            tenant,
            status,
            format,
            remaining,
            attempt,
            started,
            answer,
            admission,
            meter,
            tolerant,
            ..
        } = success;
        log_attempt(operation, tenant, Some(status), attempt, started, remaining);
        let unread = Unread { operation, status: status.as_u16(), format, body: answer, admission, meter, tolerant };
        Attempt::Done(unread.into_items())
    }
}

/// A request that could not be sent or whose answer could not be read.
pub(crate) fn transport_failure<T>(
    operation: &'static Operation,
    attempt: u32,
    may_retry: bool,
    error: reqwest::Error,
) -> Attempt<T> {
    if may_retry {
        tracing::debug!(operation = operation.id.as_str(), attempt, error = %error, "transport failure; will retry");
        return Attempt::Retry;
    }
    Attempt::Fail(Error::Transport {
        operation: operation.id,
        attempts: attempt,
        retry_safe: operation.retry_safe,
        source: error,
    })
}

/// The one event per attempt: operation, tenant, status, attempt, latency, remaining limits.
pub(crate) fn log_attempt(
    operation: &'static Operation,
    tenant: Uuid,
    status: Option<StatusCode>,
    attempt: u32,
    started: Instant,
    remaining: Remaining,
) {
    tracing::debug!(
        target: "xpm_client::call",
        operation = operation.id.as_str(),
        %tenant,
        status = status.map(|status| status.as_u16()),
        attempt,
        latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        minute_remaining = remaining.minute,
        day_remaining = remaining.day,
        app_minute_remaining = remaining.app_minute,
        "xpm call"
    );
}

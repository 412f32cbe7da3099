//! Lists decoded while they download: a 50 MB `client.api/list?detailed=true` yields its first
//! client after the first few kilobytes and never sits in memory whole.
//!
//! The body's chunks feed a blocking task ([`SyncIoBridge`] over a [`StreamReader`]) that runs
//! xpm-api's pull decoder and hands items over a small bounded channel, so a slow consumer slows
//! the download instead of growing a buffer. The call's in-flight slot is held until the body
//! ends or the stream is dropped. Both formats stream: XML through [`XmlList`], JSON through
//! [`stream_list_json`]; neither is subject to the buffered-body ceiling
//! ([`XpmClientBuilder::max_body_bytes`](crate::XpmClientBuilder::max_body_bytes)), since neither
//! holds more than a read buffer and the items decoded ahead.

use std::io::BufReader;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use futures_util::{Stream, TryStreamExt};
use tokio::sync::mpsc;
use tokio_util::io::{StreamReader, SyncIoBridge};
use xpm_api::catalog::Operation;
use xpm_api::response::{Envelope, JsonListError, Resource, XmlList, stream_list_json};

use crate::call::{Format, response_error};
use crate::error::Error;
use crate::governor::Admission;
use crate::meter::Meter;

/// Items decoded ahead of the consumer.
const AHEAD: usize = 64;
/// The decoder's read buffer.
const READ_BUFFER: usize = 64 * 1024;

/// The items of a list answer, as they arrive. Ends after the first error.
///
/// Once it has ended without an error, [`envelope`](Self::envelope) holds what came around the
/// items (paging links, record counts).
#[derive(Debug)]
pub struct ItemStream<T> {
    items: mpsc::Receiver<Result<T, Error>>,
    envelope: Arc<OnceLock<Envelope>>,
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.poll_recv(context)
    }
}

impl<T> ItemStream<T> {
    /// A stream fed through the returned sender; the envelope goes in the returned slot before
    /// the sender is dropped.
    pub(crate) fn channel(capacity: usize) -> (mpsc::Sender<Result<T, Error>>, Arc<OnceLock<Envelope>>, Self) {
        let (sender, items) = mpsc::channel(capacity);
        let envelope = Arc::new(OnceLock::new());
        (sender, Arc::clone(&envelope), Self { items, envelope })
    }

    /// The answer's envelope (pagination, records …), once the stream has ended well: `None`
    /// before the end, and after an error.
    pub fn envelope(&self) -> Option<&Envelope> {
        self.envelope.get()
    }
}

/// A 2xx answer whose body has not been read yet.
pub(crate) struct Unread {
    pub(crate) operation: &'static Operation,
    pub(crate) status: u16,
    pub(crate) format: Format,
    pub(crate) body: reqwest::Response,
    pub(crate) admission: Admission,
    /// Where the body's bytes are counted as they arrive.
    pub(crate) meter: Arc<Meter>,
    /// Whether an XML list is decoded tolerantly.
    pub(crate) tolerant: bool,
}

impl Unread {
    /// Decodes the body as a list of `T` on a blocking task. Must be called within a tokio runtime.
    pub(crate) fn into_items<T: Resource + Send + 'static>(self) -> ItemStream<T> {
        let (sender, envelope_slot, stream) = ItemStream::channel(AHEAD);
        let Unread { operation, status, format, body, admission, meter, tolerant } = self;
        let chunks =
            body.bytes_stream().inspect_ok(move |chunk| meter.downloaded(chunk.len())).map_err(std::io::Error::other);
        let reader = SyncIoBridge::new(StreamReader::new(chunks));
        tokio::task::spawn_blocking(move || {
            // Released when the body is done or the consumer has gone.
            let _slot = admission;
            let fail = |error| response_error(operation, status, error);
            let envelope = match format {
                Format::Xml => {
                    let mut list = XmlList::<_, T>::new(BufReader::with_capacity(READ_BUFFER, reader));
                    if tolerant {
                        list = list.tolerant();
                    }
                    for item in list.by_ref() {
                        let stop = item.is_err();
                        if sender.blocking_send(item.map_err(fail)).is_err() || stop {
                            return;
                        }
                    }
                    list.envelope().clone()
                }
                Format::Json => {
                    // The sink's error is that the consumer has gone: nothing more to do.
                    let streamed =
                        stream_list_json::<T, _, ()>(reader, |item| sender.blocking_send(Ok(item)).map_err(|_| ()));
                    match streamed {
                        Ok(envelope) => envelope,
                        Err(JsonListError::Response(error)) => {
                            let _ = sender.blocking_send(Err(fail(error)));
                            return;
                        }
                        Err(_) => return,
                    }
                }
            };
            let _ = envelope_slot.set(envelope);
        });
        stream
    }
}

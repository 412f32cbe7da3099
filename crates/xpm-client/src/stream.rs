//! Lists decoded while they download: a 50 MB `client.api/list?detailed=true` yields its first
//! client after the first few kilobytes and never sits in memory whole.
//!
//! The body's chunks feed a blocking task ([`SyncIoBridge`] over a [`StreamReader`]) that runs
//! xpm-api's pull decoder and hands items over a small bounded channel, so a slow consumer slows
//! the download instead of growing a buffer. The call's in-flight slot is held until the body
//! ends or the stream is dropped.

use std::io::{BufReader, Read};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::{Stream, TryStreamExt};
use tokio::sync::mpsc;
use tokio_util::io::{StreamReader, SyncIoBridge};
use xpm_api::catalog::Operation;
use xpm_api::response::{Resource, XmlList, decode_list_json};

use crate::call::{Format, response_error};
use crate::error::Error;
use crate::governor::Admission;
use crate::meter::Meter;

/// Items decoded ahead of the consumer.
const AHEAD: usize = 64;
/// The decoder's read buffer.
const READ_BUFFER: usize = 64 * 1024;

/// The items of a list answer, as they arrive. Ends after the first error.
#[derive(Debug)]
pub struct ItemStream<T> {
    items: mpsc::Receiver<Result<T, Error>>,
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.poll_recv(context)
    }
}

impl<T> ItemStream<T> {
    /// A stream fed through the returned sender.
    pub(crate) fn channel(capacity: usize) -> (mpsc::Sender<Result<T, Error>>, Self) {
        let (sender, items) = mpsc::channel(capacity);
        (sender, Self { items })
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
}

impl Unread {
    /// Decodes the body as a list of `T` on a blocking task. Must be called within a tokio runtime.
    pub(crate) fn into_items<T: Resource + Send + 'static>(self) -> ItemStream<T> {
        let (sender, stream) = ItemStream::channel(AHEAD);
        let Unread { operation, status, format, body, admission, meter } = self;
        let chunks =
            body.bytes_stream().inspect_ok(move |chunk| meter.downloaded(chunk.len())).map_err(std::io::Error::other);
        let reader = SyncIoBridge::new(StreamReader::new(chunks));
        tokio::task::spawn_blocking(move || {
            // Released when the body is done or the consumer has gone.
            let _slot = admission;
            let fail = |error| response_error(operation, status, error);
            match format {
                Format::Xml => {
                    for item in XmlList::<_, T>::new(BufReader::with_capacity(READ_BUFFER, reader)) {
                        let stop = item.is_err();
                        if sender.blocking_send(item.map_err(fail)).is_err() || stop {
                            return;
                        }
                    }
                }
                // JSON has no pull decoder here: read the body, then hand the items over.
                Format::Json => {
                    let mut body = Vec::new();
                    let mut reader = reader;
                    let decoded = match reader.read_to_end(&mut body) {
                        Ok(_) => decode_list_json::<T>(&body).map(|(items, _)| items).map_err(fail),
                        Err(error) => Err(Error::Decode {
                            operation: operation.id,
                            source: xpm_api::xml::DecodeError::new(xpm_api::xml::DecodeErrorKind::Io(error), 0),
                        }),
                    };
                    match decoded {
                        Ok(items) => {
                            for item in items {
                                if sender.blocking_send(Ok(item)).is_err() {
                                    return;
                                }
                            }
                        }
                        Err(error) => {
                            let _ = sender.blocking_send(Err(error));
                        }
                    }
                }
            }
        });
        stream
    }
}

//! `xpmkit call` on list operations: the answer is printed while it downloads, one item at a
//! time ([`XpmClient::send_stream`]) or, with `--raw`, as the body's chunks arrive
//! ([`XpmClient::send_body_stream`]), so a detailed 15,000-client list (about 48 MB) is never held
//! and the client's ceiling on buffered answers does not apply. The output is what printing the
//! whole answer gave ([`call_output`](super::call_output)).
//!
//! A list that fails part way (a dropped connection, an `ERROR` status after the items, a
//! malformed item) has printed the items before the failure; the exit code and the error on
//! standard error say that the output is incomplete.

use std::collections::HashSet;
use std::io::{self, BufWriter, IsTerminal as _, Write as _};

use futures_util::StreamExt as _;
use tokio::runtime::Runtime;
use xpm_api::catalog::Operation;
use xpm_api::response::{Envelope, PayloadVisitor, Resource};
use xpm_client::{Call, Error, XpmClient};

use super::call_all::{self, Step, Walk};
use super::call_output::{AnswerWriter, ArrayWriter, RawCopy, item_value};
use crate::exit::CliError;

/// Why a streamed list stopped.
#[derive(Debug)]
pub(crate) enum Failed {
    /// The call failed before its body: tokens, limits, an error status.
    Sending(Error),
    /// The body failed: an `ERROR` status, a malformed item, a dropped connection.
    Body(Error),
    /// Anything else: writing the output, bad paging parameters.
    Cli(CliError),
}

impl From<io::Error> for Failed {
    fn from(error: io::Error) -> Self {
        Self::Cli(error.into())
    }
}

impl From<serde_json::Error> for Failed {
    fn from(error: serde_json::Error) -> Self {
        Self::Cli(error.into())
    }
}

/// Builds the call with the user's parameters, the given query parameters replacing theirs.
pub(crate) type MakeCall<'a> = dyn Fn(&[(String, String)]) -> Call + 'a;

/// A list call, dispatched on the resource type by [`Payload::visit`](xpm_api::response::Payload::visit);
/// `None` for an operation whose answer is not a list.
pub(crate) struct ListJob<'a> {
    pub(crate) runtime: &'a Runtime,
    pub(crate) client: &'a XpmClient,
    pub(crate) make_call: &'a MakeCall<'a>,
    pub(crate) operation: &'static Operation,
    pub(crate) query: &'a [(String, String)],
    /// `--all`: every page, as one array (`None`) or JSON lines (`Some(true)`).
    pub(crate) all: Option<bool>,
}

impl PayloadVisitor for ListJob<'_> {
    type Output = Option<Result<(), Failed>>;

    fn list<T: Resource>(self) -> Self::Output {
        Some(match self.all {
            None => print_answer::<T>(self.runtime, self.client, (self.make_call)(&[])),
            Some(jsonl) => print_every_page::<T>(&self, jsonl),
        })
    }

    fn single<T: Resource>(self) -> Self::Output {
        None
    }

    fn status(self) -> Self::Output {
        None
    }
}

/// Sends `call` and hands each item of its answer to `each`; returns the answer's envelope.
fn each_item<T: Resource>(
    runtime: &Runtime,
    client: &XpmClient,
    call: Call,
    mut each: impl FnMut(T) -> Result<(), Failed>,
) -> Result<Envelope, Failed> {
    let mut items = runtime.block_on(client.send_stream::<T>(call)).map_err(Failed::Sending)?;
    while let Some(item) = runtime.block_on(items.next()) {
        each(item.map_err(Failed::Body)?)?;
    }
    Ok(items.envelope().cloned().unwrap_or_default())
}

/// One answer as a pretty JSON object, as `call` prints any answer.
fn print_answer<T: Resource>(runtime: &Runtime, client: &XpmClient, call: Call) -> Result<(), Failed> {
    let mut writer = AnswerWriter::<_, T>::new(BufWriter::with_capacity(64 * 1024, io::stdout().lock()));
    let envelope = each_item::<T>(runtime, client, call, |item| Ok(writer.push(&item_value(&item)?)?))?;
    writer.finish(&envelope)?.flush()?;
    Ok(())
}

/// Where `--all` puts items: one array, or one line each.
enum AllOutput<W: io::Write> {
    Array(ArrayWriter<W>),
    Lines(W),
}

/// `--all`: every page (see [`call_all`]), each item once, as one array or JSON lines. Lines are
/// flushed after each page, so they show as the pages arrive.
fn print_every_page<T: Resource>(job: &ListJob<'_>, jsonl: bool) -> Result<(), Failed> {
    let mut walk = Walk::new(job.operation, job.query).map_err(Failed::Cli)?;
    let mut seen = HashSet::new();
    let out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut output = if jsonl { AllOutput::Lines(out) } else { AllOutput::Array(ArrayWriter::new(out)) };
    while let Step::Send(extra) = walk.next() {
        let mut count = 0;
        let envelope = each_item::<T>(job.runtime, job.client, (job.make_call)(&extra), |item| {
            count += 1;
            let value = item_value(&item)?;
            if !seen.insert(call_all::identity(&value)) {
                return Ok(());
            }
            match &mut output {
                AllOutput::Array(array) => array.push(&value)?,
                AllOutput::Lines(out) => {
                    serde_json::to_writer(&mut *out, &value)?;
                    out.write_all(b"\n")?;
                }
            }
            Ok(())
        })?;
        walk.answered(&serde_json::json!({ "pagination": serde_json::to_value(&envelope.pagination)? }), count);
        if let AllOutput::Lines(out) = &mut output {
            out.flush()?;
        }
    }
    match output {
        AllOutput::Array(array) => array.finish()?.flush()?,
        AllOutput::Lines(mut out) => out.flush()?,
    }
    Ok(())
}

/// `--raw`: the body copied to standard output as it arrives, escaped on a terminal, which
/// would run escape sequences.
pub(crate) fn copy_body(runtime: &Runtime, client: &XpmClient, call: Call) -> Result<(), Failed> {
    let mut body = runtime.block_on(client.send_body_stream(call)).map_err(Failed::Sending)?;
    let stdout = io::stdout().lock();
    let escape = stdout.is_terminal();
    let mut copy = RawCopy::new(BufWriter::with_capacity(64 * 1024, stdout), escape);
    while let Some(chunk) = runtime.block_on(body.next()) {
        copy.write(&chunk.map_err(Failed::Body)?)?;
    }
    copy.finish()?.flush()?;
    Ok(())
}

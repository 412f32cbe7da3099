//! Streaming a JSON list response from a reader, item by item, as [`XmlList`](super::XmlList)
//! streams an XML one: a 50 MB `{"status":"OK","clients":[…]}` never sits in memory whole.
//!
//! serde_json parses from a [`BufReader`] over a [`ScanningSource`], which looks for the
//! characters XML 1.0 forbids in each piece before handing it on and stops just before the
//! first one, so serde_json fails inside the very string that holds it, with that string's path:
//! the same error the slice decoder gives after scanning the whole body first.

use std::collections::VecDeque;
use std::io::{self, BufReader, Read};
use std::marker::PhantomData;
use std::ops::ControlFlow;

use serde::de::DeserializeSeed;

use super::error::ResponseError;
use super::json::{check_status, forbidden_at};
use super::json_body::BodySeed;
use super::json_chars::{Scan, scan_forbidden_json};
use super::resource::Resource;
use super::xml::Envelope;
use crate::xml::{DecodeError, DecodeErrorKind};

/// How much is read from the source at a time, and serde_json's read buffer.
const READ_CHUNK: usize = 64 * 1024;

/// Why [`stream_list_json`] stopped before the end of a good body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JsonListError<E> {
    /// The body is malformed, is not this operation's answer, or says `"status":"ERROR"`.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// The sink returned this error for an item; nothing more was read.
    #[error("the consumer of the items stopped")]
    Sink(E),
}

/// Decodes a JSON list response read from `source`, handing each item of the collection to
/// `sink` as soon as it is parsed, and returns the envelope once the body has ended well.
///
/// Memory holds one item and a 64 KiB read buffer, whatever the list's length. The guarantees
/// are those of [`decode_list_json`](super::decode_list_json), which runs the same code over a
/// slice: characters XML 1.0 forbids, raw or escaped, are refused with the key path and byte
/// offset; another resource's payload is refused; errors carry the JSON path, line, column and
/// byte offset. What differs is only that items come out before the end has been read:
///
/// - A `status` other than `OK` placed before the collection means no item is handed out.
/// - A `status` placed after the collection (the keys of a JSON object have no order) is known
///   only at the end: items were handed out by then, and an `ERROR` there, or no `status` at
///   all, still makes this function return the error. **Only an `Ok` return vouches for the
///   items**: a caller that must not act on a failed answer keeps them aside until then (XPM
///   itself writes `status` first).
/// - Likewise a body that turns out malformed or truncated after some items returns the error.
///
/// `sink` may stop the decoding by returning an error, which comes back as
/// [`JsonListError::Sink`].
pub fn stream_list_json<T, R, E>(
    source: R,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Envelope, JsonListError<E>>
where
    T: Resource,
    R: Read,
{
    let mut reader = BufReader::with_capacity(READ_CHUNK, ScanningSource::new(source));
    let mut refused = None;
    let outcome = {
        let mut on_item = |item| match sink(item) {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => {
                refused = Some(error);
                ControlFlow::Break(())
            }
        };
        let mut deserializer = serde_json::Deserializer::from_reader(&mut reader);
        let mut track = serde_path_to_error::Track::new();
        let seed = BodySeed::<T, _> { strict: true, sink: &mut on_item, item: PhantomData };
        seed.deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track))
            .and_then(|parsed| deserializer.end().map(|()| parsed))
            .map_err(|error| (error, track.path().to_string()))
    };
    if let Some(error) = refused {
        return Err(JsonListError::Sink(error));
    }
    match outcome {
        Ok(parsed) => Ok(check_status(parsed)?.envelope),
        Err((error, path)) => Err(stream_error(&reader, error, &path).into()),
    }
}

/// The error serde_json met in a stream, placed by the bytes it had pulled.
fn stream_error<R: Read>(reader: &BufReader<ScanningSource<R>>, error: serde_json::Error, path: &str) -> ResponseError {
    let source = reader.get_ref();
    if source.refused
        && let Some((offset, code_point)) = source.forbidden
    {
        return forbidden_at(offset, code_point, path);
    }
    // serde_json has pulled everything the BufReader handed out but what is still buffered.
    let pulled = source.handed_out - reader.buffer().len() as u64;
    if error.is_io() {
        let kind = DecodeErrorKind::Io(io::Error::from(error));
        return DecodeError::new(kind, pulled).into();
    }
    // Placed as the slice decoder places it: from the start of serde_json's line and column.
    let offset = match source.line_start(error.line()) {
        Some(start) => start + (error.column() as u64).saturating_sub(1),
        None => pulled,
    };
    DecodeError::from_json_at(offset, error, path).into()
}

/// A reader that hands out a source's bytes only once they are known to hold no character XML
/// 1.0 forbids, and fails where the first one begins.
struct ScanningSource<R> {
    source: R,
    /// Bytes read from the source: `buffer[handed..filled]` are not handed out yet.
    buffer: Box<[u8]>,
    /// How much of `buffer` holds bytes from the source.
    filled: usize,
    /// How much of `buffer` was handed out.
    handed: usize,
    /// How much of `buffer` the scan has cleared.
    scanned: usize,
    /// Bytes handed out in all.
    handed_out: u64,
    /// The body offset of `buffer[0]`.
    base: u64,
    /// The source has ended.
    ended: bool,
    /// The first forbidden character: body offset and code point.
    forbidden: Option<(u64, u32)>,
    /// A read reached the forbidden character and failed.
    refused: bool,
    /// The line number and body offset of the lines that began in the last stretch handed
    /// out, which is where serde_json can be: it trails by at most its read buffer.
    line_starts: VecDeque<(usize, u64)>,
}

impl<R: Read> ScanningSource<R> {
    fn new(source: R) -> Self {
        Self {
            source,
            // Room for a full read after the few bytes a scan may leave for the next one.
            buffer: vec![0; READ_CHUNK + 16].into_boxed_slice(),
            filled: 0,
            handed: 0,
            scanned: 0,
            handed_out: 0,
            base: 0,
            ended: false,
            forbidden: None,
            refused: false,
            line_starts: VecDeque::from([(1, 0)]),
        }
    }

    /// Where line `line` (from 1) began, if it began recently enough to be remembered.
    fn line_start(&self, line: usize) -> Option<u64> {
        self.line_starts.iter().find(|(number, _)| *number == line).map(|(_, start)| *start)
    }

    /// Notes the lines beginning in `handed`, which starts at body offset `at`.
    fn note_lines(&mut self, handed: &[u8], at: u64) {
        let mut line = self.line_starts.back().map_or(1, |(number, _)| *number);
        for (index, _) in handed.iter().enumerate().filter(|(_, byte)| **byte == b'\n') {
            line += 1;
            self.line_starts.push_back((line, at + index as u64 + 1));
        }
        let horizon = (at + handed.len() as u64).saturating_sub(2 * READ_CHUNK as u64);
        while self.line_starts.get(1).is_some_and(|(_, start)| *start <= horizon) {
            self.line_starts.pop_front();
        }
    }

    /// Reads the next piece of the source and scans it.
    fn fill(&mut self) -> io::Result<()> {
        // What is left is the few bytes of an escape that may continue in the next piece.
        self.buffer.copy_within(self.handed..self.filled, 0);
        self.base += self.handed as u64;
        self.scanned -= self.handed;
        self.filled -= self.handed;
        self.handed = 0;
        let read = loop {
            match self.source.read(&mut self.buffer[self.filled..]) {
                Ok(read) => break read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        };
        self.filled += read;
        self.ended = read == 0;
        let scan = if self.ended { scan_forbidden_json::<true> } else { scan_forbidden_json::<false> };
        match scan(&self.buffer[..self.filled], self.scanned) {
            Scan::Forbidden { offset, code_point } => {
                self.forbidden = Some((self.base + offset as u64, code_point));
                self.scanned = offset;
            }
            Scan::Clean { resume } => self.scanned = resume,
        }
        Ok(())
    }
}

impl<R: Read> Read for ScanningSource<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.handed < self.scanned {
                let count = out.len().min(self.scanned - self.handed);
                out[..count].copy_from_slice(&self.buffer[self.handed..self.handed + count]);
                let at = self.handed_out;
                self.note_lines(&out[..count], at);
                self.handed += count;
                self.handed_out += count as u64;
                return Ok(count);
            }
            if self.forbidden.is_some() {
                self.refused = true;
                return Err(io::Error::new(io::ErrorKind::InvalidData, "a character XML 1.0 forbids"));
            }
            if self.ended || out.is_empty() {
                return Ok(0);
            }
            self.fill()?;
        }
    }
}

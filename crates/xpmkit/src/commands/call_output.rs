//! How `xpmkit call` writes a list while it downloads, byte for byte as it wrote the answer it
//! used to hold whole.
//!
//! That output was the answer as a `serde_json::Value` (keys in sorted order, since the
//! workspace does not enable serde_json's `preserve_order`) printed by `to_vec_pretty`. The
//! writers here print the same layout one item at a time: each item goes through a `Value`
//! and `to_vec_pretty` on its own, indented to its depth. Pretty JSON holds no raw newline in a
//! string, so indenting after each newline is exact.

use std::io::{self, Write};

use serde_json::Value;
use xpm_api::response::{Envelope, JsonListWriter, Resource};

/// An item as the whole answer's `Value` held it: encoded and parsed back, as that answer was.
pub(crate) fn item_value<T: Resource>(item: &T) -> serde_json::Result<Value> {
    serde_json::from_slice(&serde_json::to_vec(item)?)
}

/// `value` as `to_vec_pretty` writes it `depth` levels deep (two spaces a level).
fn pretty_nested(value: &Value, depth: usize) -> serde_json::Result<Vec<u8>> {
    let text = serde_json::to_vec_pretty(value)?;
    let mut nested = Vec::with_capacity(text.len() + text.len() / 4);
    for (index, line) in text.split(|byte| *byte == b'\n').enumerate() {
        if index > 0 {
            nested.push(b'\n');
            nested.extend(std::iter::repeat_n(b' ', 2 * depth));
        }
        nested.extend_from_slice(line);
    }
    Ok(nested)
}

/// One list answer as a pretty JSON object (`{"clients": [...], "status": "OK"}`), the items
/// written as they come. Nothing is written before the first item or the end, so an answer that
/// fails before its first item prints nothing.
///
/// The object's keys are in sorted order, as before, with one exception that XPM's answers never
/// meet: an envelope key sorting before the collection's (`records` beside `times`) is only
/// known after the items, so it is written after them.
pub(crate) struct AnswerWriter<W: Write, T> {
    out: W,
    opened: bool,
    entries: usize,
    items: usize,
    status_first: bool,
    item: std::marker::PhantomData<fn(&T)>,
}

impl<W: Write, T: Resource> AnswerWriter<W, T> {
    pub(crate) fn new(out: W) -> Self {
        let status_first = "status" < T::COLLECTION.json;
        Self { out, opened: false, entries: 0, items: 0, status_first, item: std::marker::PhantomData }
    }

    fn entry(&mut self, key: &str, value: &[u8]) -> serde_json::Result<()> {
        self.out.write_all(if self.entries == 0 { b"\n  " } else { b",\n  " }).map_err(serde_json::Error::io)?;
        serde_json::to_writer(&mut self.out, key)?;
        self.out.write_all(b": ").and_then(|()| self.out.write_all(value)).map_err(serde_json::Error::io)?;
        self.entries += 1;
        Ok(())
    }

    fn open(&mut self) -> serde_json::Result<()> {
        if !self.opened {
            self.opened = true;
            self.out.write_all(b"{").map_err(serde_json::Error::io)?;
            if self.status_first {
                self.entry("status", b"\"OK\"")?;
            }
            self.entry(T::COLLECTION.json, b"[")?;
        }
        Ok(())
    }

    /// Writes one item.
    pub(crate) fn push(&mut self, item: &Value) -> serde_json::Result<()> {
        self.open()?;
        let text = pretty_nested(item, 2)?;
        let separator: &[u8] = if self.items == 0 { b"\n    " } else { b",\n    " };
        self.out.write_all(separator).and_then(|()| self.out.write_all(&text)).map_err(serde_json::Error::io)?;
        self.items += 1;
        Ok(())
    }

    /// Closes the list, writes the rest of the envelope and ends the object with a newline.
    pub(crate) fn finish(mut self, envelope: &Envelope) -> serde_json::Result<W> {
        self.open()?;
        self.out.write_all(if self.items == 0 { b"]" } else { b"\n  ]" }).map_err(serde_json::Error::io)?;
        // The rest is what the list writer puts around an empty list, read back as a `Value`.
        let around = JsonListWriter::<_, T>::start(Vec::new()).and_then(|writer| writer.finish(envelope));
        let around: Value = serde_json::from_slice(&around.map_err(serde_json::Error::io)?)?;
        for (key, value) in around.as_object().into_iter().flatten() {
            if key == T::COLLECTION.json || (key == "status" && self.status_first) {
                continue;
            }
            let text = pretty_nested(value, 1)?;
            self.entry(key, &text)?;
        }
        self.out.write_all(b"\n}\n").map_err(serde_json::Error::io)?;
        Ok(self.out)
    }
}

/// The items of several answers as one pretty JSON array (`call --all`), written as they come.
pub(crate) struct ArrayWriter<W: Write> {
    out: W,
    items: usize,
}

impl<W: Write> ArrayWriter<W> {
    pub(crate) fn new(out: W) -> Self {
        Self { out, items: 0 }
    }

    pub(crate) fn push(&mut self, item: &Value) -> serde_json::Result<()> {
        let text = pretty_nested(item, 1)?;
        let separator: &[u8] = if self.items == 0 { b"[\n  " } else { b",\n  " };
        self.out.write_all(separator).and_then(|()| self.out.write_all(&text)).map_err(serde_json::Error::io)?;
        self.items += 1;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.write_all(if self.items == 0 { b"[]\n" } else { b"\n]\n" })?;
        Ok(self.out)
    }
}

/// A body copied out as it arrives: as received, or with control characters escaped for a
/// terminal ([`escape_controls`](crate::terminal::escape_controls)), as the whole body was.
pub(crate) struct RawCopy<W: Write> {
    out: W,
    escape: bool,
    /// The start of a UTF-8 sequence cut by the end of a chunk.
    pending: Vec<u8>,
}

impl<W: Write> RawCopy<W> {
    pub(crate) fn new(out: W, escape: bool) -> Self {
        Self { out, escape, pending: Vec::new() }
    }

    pub(crate) fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        if !self.escape {
            return self.out.write_all(chunk);
        }
        self.pending.extend_from_slice(chunk);
        let mut done = 0;
        loop {
            let rest = &self.pending[done..];
            let (valid, invalid) = match std::str::from_utf8(rest) {
                Ok(text) => (text, None),
                Err(error) => {
                    let valid = std::str::from_utf8(&rest[..error.valid_up_to()]).unwrap_or_default();
                    (valid, Some(error))
                }
            };
            self.out.write_all(crate::terminal::escape_controls(valid).as_bytes())?;
            done += valid.len();
            match invalid.map(|error| error.error_len()) {
                // Bytes that are no UTF-8 print as U+FFFD, as `String::from_utf8_lossy` has it.
                Some(Some(length)) => {
                    self.out.write_all("\u{FFFD}".as_bytes())?;
                    done += length;
                }
                // The rest may be completed by the next chunk.
                Some(None) | None => break,
            }
        }
        self.pending.drain(..done);
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        if !self.pending.is_empty() {
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            self.out.write_all(crate::terminal::escape_controls(&text).as_bytes())?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use xpm_api::model::{Client, Cost, Staff, Time};
    use xpm_api::response::{Pagination, PaginationLinks};

    use super::*;

    /// What `call` printed when it held the answer: the whole answer as a `Value`, pretty.
    fn held_whole<T: Resource>(items: &[T], envelope: &Envelope) -> Vec<u8> {
        let mut writer = JsonListWriter::<_, T>::start(Vec::new()).expect("writes");
        for item in items {
            writer.push(item).expect("writes");
        }
        let body = writer.finish(envelope).expect("writes");
        let value: Value = serde_json::from_slice(&body).expect("json");
        let mut text = serde_json::to_vec_pretty(&value).expect("json");
        text.push(b'\n');
        text
    }

    fn streamed<T: Resource>(items: &[T], envelope: &Envelope) -> Vec<u8> {
        let mut writer = AnswerWriter::<_, T>::new(Vec::new());
        for item in items {
            writer.push(&item_value(item).expect("value")).expect("writes");
        }
        writer.finish(envelope).expect("writes")
    }

    fn check<T: Resource>(items: &[T], envelope: &Envelope) {
        let (held, streamed) = (held_whole(items, envelope), streamed(items, envelope));
        assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&held));
    }

    #[test]
    fn a_streamed_answer_prints_as_the_answer_held_whole() {
        let mut client = Client::default();
        client.name = Some("Harbour \"Trust\"\nLtd".into());
        client.email = Some("office@harbour.example".into());
        let mut staff = Staff::default();
        staff.name = Some("Ana".into());
        let next = "https://api.xero.com/practicemanager/3.1/client.api/paged-list?pageToken=abc".to_owned();
        let mut links = PaginationLinks::default();
        links.next = Some(next);
        let mut pagination = Pagination::default();
        pagination.links = Some(links);
        let paged = Envelope { pagination: Some(pagination), ..Envelope::default() };
        check(&[client.clone(), Client::default(), client], &paged);
        check::<Client>(&[], &paged);
        check(&[staff.clone(), staff], &Envelope::default());
        check::<Staff>(&[], &Envelope::default());
        check(&[Time::default()], &Envelope::default());
        check::<Time>(&[], &Envelope::default());
        check(&[Cost::default(), Cost::default()], &Envelope { records: Some(2), ..Envelope::default() });
    }

    #[test]
    fn an_array_prints_as_the_vec_of_values_did() {
        let values = [serde_json::json!({"b": [1, {"c": null}], "a": "x"}), serde_json::json!({})];
        for count in 0..=values.len() {
            let mut writer = ArrayWriter::new(Vec::new());
            for value in &values[..count] {
                writer.push(value).expect("writes");
            }
            let mut held = serde_json::to_vec_pretty(&values[..count]).expect("json");
            held.push(b'\n');
            assert_eq!(String::from_utf8_lossy(&writer.finish().expect("writes")), String::from_utf8_lossy(&held));
        }
    }

    #[test]
    fn a_raw_copy_for_a_terminal_escapes_as_the_whole_body_was() {
        let body = "<Name>caf\u{e9} \u{1b}[2J\u{202e}</Name>\u{1F642}".as_bytes();
        let mut broken = body.to_vec();
        broken.insert(3, 0xFF);
        for body in [body, &broken[..], &body[..body.len() - 1]] {
            let whole = crate::terminal::escape_controls(&String::from_utf8_lossy(body)).into_owned();
            for piece in [1, 2, 3, 7, body.len()] {
                let mut copy = RawCopy::new(Vec::new(), true);
                for chunk in body.chunks(piece) {
                    copy.write(chunk).expect("writes");
                }
                assert_eq!(String::from_utf8(copy.finish().expect("writes")).expect("utf-8"), whole, "{piece}");
            }
            let mut copy = RawCopy::new(Vec::new(), false);
            copy.write(body).expect("writes");
            assert_eq!(copy.finish().expect("writes"), body);
        }
    }
}

//! Reading XPM's XML envelope: `<Response api-method="…"><Status>OK</Status>…</Response>`.

use std::io::BufRead;
use std::marker::PhantomData;

use super::error::{ResponseError, XpmError};
use super::pagination::Pagination;
use super::resource::{Resource, foreign_xml_payload};
use crate::xml::{DecodeError, DecodeErrorKind, XmlReader, decode_record, decode_value};

/// What surrounds the payload: the status and the elements beside the collection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    /// The `api-method` attribute of `<Response>` (`List`, `Get`, `PagedList`, …), if present.
    pub api_method: Option<String>,
    /// Paging links (token-paged lists).
    pub pagination: Option<Pagination>,
    /// `<Records>`: items on this page (page-numbered lists).
    pub records: Option<i32>,
    /// `<WebUrl>` placed directly under `<Response>` (some `get` responses).
    pub web_url: Option<String>,
    /// `<UUID>` of what a write created (JSON `UuidResponseDto`).
    pub uuid: Option<crate::value::Uuid>,
    /// `<ID>` of what a write created, such as a quote number (`CreateQuoteResponseDto`).
    pub id: Option<String>,
}

/// A single-item response.
#[derive(Debug, Clone, PartialEq)]
pub struct Single<T> {
    /// The item, if the response carried one (status-only responses do not).
    pub item: Option<T>,
    /// The envelope around it.
    pub envelope: Envelope,
}

/// Streams a list response item by item, never holding the whole document.
///
/// Yields `Err` once and then stops if the body says `<Status>ERROR</Status>` or is malformed.
/// Elements after the collection (such as `<Pagination>`) are in [`XmlList::envelope`] once the
/// iterator is exhausted.
pub struct XmlList<R, T> {
    reader: XmlReader<R>,
    envelope: Envelope,
    phase: Phase,
    index: usize,
    status_ok: Option<bool>,
    error_description: Option<String>,
    item: PhantomData<fn() -> T>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    InEnvelope,
    InCollection,
    Done,
}

impl<R: BufRead, T: Resource> XmlList<R, T> {
    /// Starts reading `source`.
    pub fn new(source: R) -> Self {
        Self {
            reader: XmlReader::new(source),
            envelope: Envelope::default(),
            phase: Phase::Start,
            index: 0,
            status_ok: None,
            error_description: None,
            item: PhantomData,
        }
    }

    /// Tolerant decoding: a value that cannot be parsed leaves its field unset and is kept on
    /// the item ([`XmlRecord::unparsed`](crate::xml::XmlRecord::unparsed), `_unparsed` in its
    /// JSON) instead of failing the list; a body that is not well-formed, or an item with more
    /// than [`MAX_UNPARSED`](crate::xml::MAX_UNPARSED) such values, still fails.
    pub fn tolerant(mut self) -> Self {
        self.reader.set_tolerant(true);
        self
    }

    /// The envelope; complete once iteration has ended.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// Paging links, available once iteration has ended.
    pub fn pagination(&self) -> Option<&Pagination> {
        self.envelope.pagination.as_ref()
    }

    /// Collects every item, failing on the first error.
    pub fn collect_all(mut self) -> Result<(Vec<T>, Envelope), ResponseError> {
        let mut items = Vec::new();
        for item in self.by_ref() {
            items.push(item?);
        }
        Ok((items, self.envelope))
    }

    fn step(&mut self) -> Result<Option<T>, ResponseError> {
        loop {
            match self.phase {
                Phase::Done => return Ok(None),
                Phase::Start => {
                    open_response(&mut self.reader, &mut self.envelope)?;
                    self.phase = Phase::InEnvelope;
                }
                Phase::InEnvelope => {
                    let Some(empty) = self.reader.next_child_within().map_err(in_response)? else {
                        self.phase = Phase::Done;
                        self.reader.finish()?;
                        return self.finish_status().map(|()| None);
                    };
                    if self.reader.name() == T::COLLECTION.xml.as_bytes() {
                        // An ERROR body never carries a collection, but do not yield items
                        // from a document that already said it failed.
                        if self.status_ok == Some(false) {
                            self.reader.skip(empty).map_err(in_response)?;
                        } else if !empty {
                            self.phase = Phase::InCollection;
                        }
                    } else if let Some(found) = self.foreign_payload() {
                        let kind =
                            DecodeErrorKind::UnexpectedElement { expected: T::COLLECTION.xml, found: found.into() };
                        return Err(in_response(self.reader.error(kind)).into());
                    } else {
                        read_envelope_child(
                            &mut self.reader,
                            empty,
                            &mut self.envelope,
                            &mut self.status_ok,
                            &mut self.error_description,
                        )?;
                    }
                }
                Phase::InCollection => {
                    let collection = T::COLLECTION.xml;
                    let Some(empty) =
                        self.reader.next_child_within().map_err(|error| in_response(error.within(collection)))?
                    else {
                        self.phase = Phase::InEnvelope;
                        continue;
                    };
                    if self.reader.name() != T::ITEM.xml.as_bytes() {
                        self.reader.skip(empty).map_err(|error| in_response(error.within(collection)))?;
                        continue;
                    }
                    let index = self.index;
                    self.index += 1;
                    let mut item = T::decode_element(&mut self.reader, empty).map_err(|error| {
                        in_response(error.within(format!("{}[{index}]", T::ITEM.xml)).within(collection))
                    })?;
                    if self.reader.unparsed_len() > 0 {
                        item.keep_unparsed(self.reader.take_unparsed());
                    }
                    return Ok(Some(item));
                }
            }
        }
    }

    /// Another operation's payload where this list's collection belongs (a staff list given a
    /// client list), unless the body already said it failed.
    fn foreign_payload(&self) -> Option<&'static str> {
        if self.status_ok == Some(false) {
            return None;
        }
        foreign_xml_payload(self.reader.name(), T::COLLECTION)
    }

    fn finish_status(&mut self) -> Result<(), ResponseError> {
        match self.status_ok {
            Some(true) => Ok(()),
            Some(false) => Err(XpmError { description: self.error_description.take().unwrap_or_default() }.into()),
            None => Err(in_response(self.reader.error(DecodeErrorKind::MissingElement("Status"))).into()),
        }
    }
}

impl<R: BufRead, T: Resource> Iterator for XmlList<R, T> {
    type Item = Result<T, ResponseError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => None,
            Err(error) => {
                self.phase = Phase::Done;
                Some(Err(error))
            }
        }
    }
}

/// Decodes a response holding one `T` (`<Response><Status/><Client>…</Client></Response>`).
pub fn decode_single<T: Resource, R: BufRead>(source: R) -> Result<Single<T>, ResponseError> {
    let mut reader = XmlReader::new(source);
    let mut envelope = Envelope::default();
    open_response(&mut reader, &mut envelope)?;
    let mut status_ok = None;
    let mut error_description = None;
    let mut item = None;
    while let Some(empty) = reader.next_child_within().map_err(in_response)? {
        if reader.name() == T::ITEM.xml.as_bytes() {
            item = decode_record::<T, R>(&mut reader, empty).map_err(|error| in_response(error.within(T::ITEM.xml)))?;
        } else if let Some(found) = foreign_xml_payload(reader.name(), T::ITEM).filter(|_| status_ok != Some(false)) {
            let kind = DecodeErrorKind::UnexpectedElement { expected: T::ITEM.xml, found: found.into() };
            return Err(in_response(reader.error(kind)).into());
        } else {
            read_envelope_child(&mut reader, empty, &mut envelope, &mut status_ok, &mut error_description)?;
        }
    }
    reader.finish()?;
    match status_ok {
        Some(true) => Ok(Single { item, envelope }),
        Some(false) => Err(XpmError { description: error_description.unwrap_or_default() }.into()),
        None => Err(in_response(reader.error(DecodeErrorKind::MissingElement("Status"))).into()),
    }
}

/// Decodes a response that carries only a status, such as a delete.
pub fn decode_status<R: BufRead>(source: R) -> Result<Envelope, ResponseError> {
    let mut reader = XmlReader::new(source);
    let mut envelope = Envelope::default();
    open_response(&mut reader, &mut envelope)?;
    let mut status_ok = None;
    let mut error_description = None;
    while let Some(empty) = reader.next_child_within().map_err(in_response)? {
        read_envelope_child(&mut reader, empty, &mut envelope, &mut status_ok, &mut error_description)?;
    }
    reader.finish()?;
    match status_ok {
        Some(true) => Ok(envelope),
        Some(false) => Err(XpmError { description: error_description.unwrap_or_default() }.into()),
        None => Err(in_response(reader.error(DecodeErrorKind::MissingElement("Status"))).into()),
    }
}

fn in_response(error: DecodeError) -> DecodeError {
    error.within("Response")
}

/// Reads up to and including `<Response …>`, capturing `api-method`.
fn open_response<R: BufRead>(reader: &mut XmlReader<R>, envelope: &mut Envelope) -> Result<(), DecodeError> {
    let empty = reader.root()?;
    if reader.name() != b"Response" {
        return Err(
            reader.error(DecodeErrorKind::UnexpectedElement { expected: "Response", found: reader.name_lossy() })
        );
    }
    envelope.api_method = reader.attribute(b"api-method")?;
    if empty {
        return Err(reader.error(DecodeErrorKind::MissingElement("Status")).within("Response"));
    }
    Ok(())
}

/// Handles a child of `<Response>` other than the payload.
fn read_envelope_child<R: BufRead>(
    reader: &mut XmlReader<R>,
    empty: bool,
    envelope: &mut Envelope,
    status_ok: &mut Option<bool>,
    error_description: &mut Option<String>,
) -> Result<(), DecodeError> {
    match reader.name() {
        b"Status" => {
            let status = reader.read_text(empty).map_err(|error| in_response(error.within("Status")))?;
            let status = status.trim();
            if status.eq_ignore_ascii_case("OK") {
                *status_ok = Some(true);
            } else if status.eq_ignore_ascii_case("ERROR") {
                *status_ok = Some(false);
            } else {
                let found = crate::xml::error::excerpt(status);
                let kind = DecodeErrorKind::InvalidValue { expected: "status OK or ERROR", found };
                return Err(in_response(reader.error(kind).within("Status")));
            }
        }
        b"ErrorDescription" => {
            *error_description = decode_value::<String, R>(reader, empty)
                .map_err(|error| in_response(error.within("ErrorDescription")))?;
        }
        b"Pagination" => {
            envelope.pagination = decode_record::<Pagination, R>(reader, empty)
                .map_err(|error| in_response(error.within("Pagination")))?;
        }
        b"Records" => {
            envelope.records =
                decode_value::<i32, R>(reader, empty).map_err(|error| in_response(error.within("Records")))?;
        }
        b"WebUrl" => {
            envelope.web_url =
                decode_value::<String, R>(reader, empty).map_err(|error| in_response(error.within("WebUrl")))?;
        }
        b"UUID" => {
            envelope.uuid = decode_value::<crate::value::Uuid, R>(reader, empty)
                .map_err(|error| in_response(error.within("UUID")))?;
        }
        b"ID" => {
            envelope.id = decode_value::<String, R>(reader, empty).map_err(|error| in_response(error.within("ID")))?;
        }
        _ => reader.skip(empty).map_err(in_response)?,
    }
    Ok(())
}

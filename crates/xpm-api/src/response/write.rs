//! Writing response bodies in XPM's XML and JSON shapes, streaming lists item by item.

use std::io::{self, Write};

use super::resource::Resource;
use super::xml::Envelope;
use crate::xml::{XmlWriter, encode_record, encode_value};

/// Writes `<Response api-method="…"><Status>OK</Status><Collection>` … items … `</Response>`.
///
/// Items are flushed to the sink as they are written, so a 50 MB list needs one item's memory.
pub struct XmlListWriter<W: Write, T> {
    sink: W,
    buffer: XmlWriter,
    count: usize,
    item: std::marker::PhantomData<fn(&T)>,
}

impl<W: Write, T: Resource> XmlListWriter<W, T> {
    /// Writes the envelope's opening. `api_method` is the `api-method` attribute (`List`, `PagedList`).
    pub fn start(sink: W, api_method: Option<&str>) -> io::Result<Self> {
        let mut writer = Self { sink, buffer: XmlWriter::with_capacity(16 * 1024), count: 0, item: Default::default() };
        open_response(&mut writer.buffer, api_method);
        writer.buffer.text_element("Status", "OK");
        Ok(writer)
    }

    /// Writes one item.
    pub fn push(&mut self, item: &T) -> io::Result<()> {
        // The collection opens with the first item, so that an empty one can be self-closing.
        if self.count == 0 {
            self.buffer.start(T::COLLECTION.xml);
        }
        item.encode_element(T::ITEM.xml, &mut self.buffer);
        self.count += 1;
        self.flush_if_full(8 * 1024)
    }

    /// Closes the collection, writes paging or record counts, and closes the envelope.
    pub fn finish(mut self, envelope: &Envelope) -> io::Result<W> {
        if self.count == 0 {
            // XPM writes an empty collection self-closing.
            self.buffer.empty(T::COLLECTION.xml);
            write_envelope_tail(&mut self.buffer, envelope);
            self.buffer.end("Response");
        } else {
            write_list_close::<T>(&mut self.buffer, envelope);
        }
        self.flush_if_full(0)?;
        self.sink.flush()?;
        Ok(self.sink)
    }

    fn flush_if_full(&mut self, threshold: usize) -> io::Result<()> {
        let bytes = self.buffer.buffer_mut();
        if bytes.len() >= threshold {
            self.sink.write_all(bytes)?;
            bytes.clear();
        }
        Ok(())
    }
}

/// The bytes [`XmlListWriter`] writes before the first item of a non-empty list:
/// `<Response api-method="…"><Status>OK</Status><Clients>`. For writers that encode items
/// elsewhere (in parallel, say) and stitch the body together.
pub fn xml_list_head<T: Resource>(api_method: Option<&str>) -> Vec<u8> {
    let mut writer = XmlWriter::with_capacity(128);
    open_response(&mut writer, api_method);
    writer.text_element("Status", "OK");
    writer.start(T::COLLECTION.xml);
    writer.into_bytes()
}

/// The bytes [`XmlListWriter`] writes after the last item of a non-empty list: `</Clients>`, the
/// envelope's elements and `</Response>`.
pub fn xml_list_tail<T: Resource>(envelope: &Envelope) -> Vec<u8> {
    let mut writer = XmlWriter::with_capacity(256);
    write_list_close::<T>(&mut writer, envelope);
    writer.into_bytes()
}

fn write_list_close<T: Resource>(writer: &mut XmlWriter, envelope: &Envelope) {
    writer.end(T::COLLECTION.xml);
    write_envelope_tail(writer, envelope);
    writer.end("Response");
}

/// Writes a single-item XML response.
pub fn encode_single_xml<T: Resource>(item: &T, api_method: Option<&str>, envelope: &Envelope) -> Vec<u8> {
    let mut writer = XmlWriter::new();
    open_response(&mut writer, api_method);
    writer.text_element("Status", "OK");
    item.encode_element(T::ITEM.xml, &mut writer);
    write_envelope_tail(&mut writer, envelope);
    writer.end("Response");
    writer.into_bytes()
}

/// Writes a status-only XML response, with the envelope's `UUID`/`ID` if a write returned one.
pub fn encode_status_xml(api_method: Option<&str>, envelope: &Envelope) -> Vec<u8> {
    let mut writer = XmlWriter::new();
    open_response(&mut writer, api_method);
    writer.text_element("Status", "OK");
    write_envelope_tail(&mut writer, envelope);
    writer.end("Response");
    writer.into_bytes()
}

/// Writes an XPM error body: `<Response><Status>ERROR</Status><ErrorDescription>…`.
pub fn encode_error_xml(description: &str, api_method: Option<&str>) -> Vec<u8> {
    let mut writer = XmlWriter::new();
    open_response(&mut writer, api_method);
    writer.text_element("Status", "ERROR");
    writer.text_element("ErrorDescription", description);
    writer.end("Response");
    writer.into_bytes()
}

fn open_response(writer: &mut XmlWriter, api_method: Option<&str>) {
    match api_method {
        Some(method) => writer.start_with_attributes("Response", &[("api-method", method)], false),
        None => writer.start("Response"),
    }
}

fn write_envelope_tail(writer: &mut XmlWriter, envelope: &Envelope) {
    encode_record("Pagination", &envelope.pagination, writer);
    encode_value("Records", &envelope.records, writer);
    encode_value("WebUrl", &envelope.web_url, writer);
    encode_value("UUID", &envelope.uuid, writer);
    encode_value("ID", &envelope.id, writer);
}

/// Writes `{"status":"OK","clients":[` … items … `]}` in the spec's DTO shape, streaming.
pub struct JsonListWriter<W: Write, T> {
    sink: W,
    count: usize,
    item: std::marker::PhantomData<fn(&T)>,
}

impl<W: Write, T: Resource> JsonListWriter<W, T> {
    /// Writes the opening of the object.
    pub fn start(mut sink: W) -> io::Result<Self> {
        write!(sink, "{{\"status\":\"OK\",\"{}\":[", T::COLLECTION.json)?;
        Ok(Self { sink, count: 0, item: Default::default() })
    }

    /// Writes one item.
    pub fn push(&mut self, item: &T) -> io::Result<()> {
        if self.count > 0 {
            self.sink.write_all(b",")?;
        }
        serde_json::to_writer(&mut self.sink, item)?;
        self.count += 1;
        Ok(())
    }

    /// Closes the array, writes paging or record counts, and closes the object.
    pub fn finish(mut self, envelope: &Envelope) -> io::Result<W> {
        self.sink.write_all(b"]")?;
        write_json_tail(&mut self.sink, envelope)?;
        self.sink.write_all(b"}")?;
        self.sink.flush()?;
        Ok(self.sink)
    }
}

/// Writes a single-item JSON response (`{"status":"OK","client":{…}}`).
pub fn encode_single_json<T: Resource>(item: &T, envelope: &Envelope) -> Vec<u8> {
    let mut out = format!("{{\"status\":\"OK\",\"{}\":", T::ITEM.json).into_bytes();
    // Serialising derived model types into a Vec cannot fail: every key is a string.
    let _ = serde_json::to_writer(&mut out, item);
    let _ = write_json_tail(&mut out, envelope);
    out.push(b'}');
    out
}

/// Writes a status-only JSON response, with the envelope's `uuid`/`id` if a write returned one.
pub fn encode_status_json(envelope: &Envelope) -> Vec<u8> {
    let mut out = br#"{"status":"OK""#.to_vec();
    // Writing into a Vec cannot fail.
    let _ = write_json_tail(&mut out, envelope);
    out.push(b'}');
    out
}

/// Writes a JSON error body in the spec's `ResponseErrorDto` shape.
pub fn encode_error_json(description: &str) -> Vec<u8> {
    serde_json::json!({ "status": "ERROR", "errorDescription": description }).to_string().into_bytes()
}

fn write_json_tail<W: Write>(sink: &mut W, envelope: &Envelope) -> io::Result<()> {
    if let Some(pagination) = &envelope.pagination {
        sink.write_all(b",\"pagination\":")?;
        serde_json::to_writer(&mut *sink, pagination)?;
    }
    if let Some(records) = envelope.records {
        write!(sink, ",\"records\":{records}")?;
    }
    if let Some(web_url) = &envelope.web_url {
        sink.write_all(b",\"webUrl\":")?;
        serde_json::to_writer(&mut *sink, web_url)?;
    }
    if let Some(uuid) = &envelope.uuid {
        write!(sink, ",\"uuid\":\"{uuid}\"")?;
    }
    if let Some(id) = &envelope.id {
        sink.write_all(b",\"id\":")?;
        serde_json::to_writer(&mut *sink, id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Staff;

    #[test]
    fn an_empty_list_is_self_closing_and_a_full_one_matches_head_and_tail() {
        let empty = XmlListWriter::<_, Staff>::start(Vec::new(), Some("List"))
            .and_then(|writer| writer.finish(&Envelope::default()));
        assert_eq!(
            empty.ok().as_deref(),
            Some(&br#"<Response api-method="List"><Status>OK</Status><StaffList/></Response>"#[..])
        );

        let staff = Staff::default();
        let mut writer = XmlListWriter::<_, Staff>::start(Vec::new(), Some("List")).expect("writes to a vec");
        writer.push(&staff).expect("writes to a vec");
        let full = writer.finish(&Envelope::default()).expect("writes to a vec");
        let mut stitched = xml_list_head::<Staff>(Some("List"));
        stitched.extend_from_slice(b"<Staff/>");
        stitched.extend(xml_list_tail::<Staff>(&Envelope::default()));
        assert_eq!(full, stitched);
    }
}

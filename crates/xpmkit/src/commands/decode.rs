//! `xpmkit decode`: turn an XPM response body into JSON (or XML), streaming lists in both
//! formats: items are written out as they are decoded, never held all at once.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use anyhow::Context;
use xpm_api::catalog;
use xpm_api::response::{
    Envelope, JsonListError, JsonListWriter, Payload, PayloadVisitor, Resource, ResponseError, XmlList, XmlListWriter,
    decode_single, decode_single_json, decode_status, decode_status_json, encode_single_json, encode_single_xml,
    encode_status_json, encode_status_xml, stream_list_json,
};

use crate::cli::{DecodeArgs, InputFormat, OutputFormat};
use crate::exit::{CliError, CliResult};

pub(crate) fn run(args: DecodeArgs) -> CliResult<()> {
    let operation = catalog::lookup(&args.operation).map_err(|error| CliError::Usage { message: error.to_string() })?;
    let payload = Payload::for_operation(operation).ok_or_else(|| CliError::Usage {
        message: format!(
            "decoding {} responses ({}) is not supported yet; `xpmkit catalog` lists the operations",
            operation.id, operation.response_dto
        ),
    })?;
    let mut input = open_input(args.input.as_deref())?;
    let format = match args.from {
        InputFormat::Auto => detect_format(&mut input)?,
        other => other,
    };
    let stdout = io::stdout().lock();
    let mut output = BufWriter::with_capacity(64 * 1024, stdout);
    let job = Job { input, format, to: args.to, check: args.check, output: &mut output };
    let summary = payload.visit(job)?;
    output.flush()?;
    if args.check {
        eprintln!("ok: {summary}");
    }
    Ok(())
}

fn open_input(path: Option<&std::path::Path>) -> CliResult<Box<dyn BufRead>> {
    match path {
        None => Ok(Box::new(io::stdin().lock())),
        Some(path) if path.as_os_str() == "-" => Ok(Box::new(io::stdin().lock())),
        Some(path) => {
            let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            Ok(Box::new(BufReader::with_capacity(64 * 1024, file)))
        }
    }
}

/// Looks at the first non-blank character without consuming it: `<` is XML, `{` is JSON.
fn detect_format(input: &mut Box<dyn BufRead>) -> CliResult<InputFormat> {
    loop {
        let buffer = input.fill_buf().context("cannot read input")?;
        if buffer.is_empty() {
            return Err(CliError::Usage { message: "the input is empty: expected an XPM XML or JSON body".into() });
        }
        let skip = buffer
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .map(|index| (index, buffer[index]))
            .or_else(|| buffer.starts_with(b"\xEF\xBB\xBF").then_some((3, b'<')));
        match skip {
            Some((_, b'<')) => return Ok(InputFormat::Xml),
            Some((_, b'{')) => return Ok(InputFormat::Json),
            Some((_, 0xEF)) => return Ok(InputFormat::Xml),
            Some((_, other)) => {
                return Err(CliError::Usage {
                    message: format!(
                        "cannot tell the input format from its first character {:?}; pass --from xml or --from json",
                        other as char
                    ),
                });
            }
            None => {
                let length = buffer.len();
                input.consume(length);
            }
        }
    }
}

/// One decode run, dispatched on the resource type by [`Payload::visit`].
struct Job<'a, W: Write> {
    input: Box<dyn BufRead>,
    format: InputFormat,
    to: OutputFormat,
    check: bool,
    output: &'a mut W,
}

/// Reads a single-item or status body, which is short, whole; lists are streamed.
fn read_all(input: &mut dyn BufRead) -> CliResult<Vec<u8>> {
    let mut body = Vec::new();
    input.read_to_end(&mut body).context("cannot read input")?;
    Ok(body)
}

impl<W: Write> PayloadVisitor for Job<'_, W> {
    type Output = CliResult<String>;

    fn list<T: Resource>(self) -> Self::Output {
        let mut sink = ListSink::<T, &mut W>::new(self.to, self.check, self.output);
        let count = match self.format {
            InputFormat::Json => {
                // JSON carries no api-method; the output opens with the first item or the end.
                sink.begin(None)?;
                let streamed = stream_list_json::<T, _, io::Error>(self.input, |item| sink.push(&item));
                match streamed {
                    Ok(envelope) => sink.end(&envelope)?,
                    Err(JsonListError::Sink(error)) => return Err(error.into()),
                    Err(JsonListError::Response(error)) => return Err(decode_failed(error)),
                    Err(other) => return Err(anyhow::anyhow!("cannot decode the list: {other}").into()),
                }
            }
            _ => {
                let mut list = XmlList::<_, T>::new(self.input);
                let first = list.next().transpose().map_err(decode_failed)?;
                sink.begin(list.envelope().api_method.as_deref().or(Some("List")))?;
                if let Some(first) = first {
                    sink.push(&first)?;
                }
                for item in list.by_ref() {
                    sink.push(&item.map_err(decode_failed)?)?;
                }
                sink.end(list.envelope())?
            }
        };
        Ok(format!("{count} item{}", if count == 1 { "" } else { "s" }))
    }

    fn single<T: Resource>(mut self) -> Self::Output {
        let single = match self.format {
            InputFormat::Json => decode_single_json::<T>(&read_all(&mut self.input)?),
            _ => decode_single::<T, _>(self.input),
        }
        .map_err(decode_failed)?;
        let count = usize::from(single.item.is_some());
        if self.check {
            return Ok(format!("{count} item{}", if count == 1 { "" } else { "s" }));
        }
        match (self.to, &single.item) {
            (OutputFormat::Xml, Some(item)) => {
                self.output.write_all(&encode_single_xml(
                    item,
                    single.envelope.api_method.as_deref(),
                    &single.envelope,
                ))?;
            }
            (OutputFormat::Json, Some(item)) => self.output.write_all(&encode_single_json(item, &single.envelope))?,
            (OutputFormat::Jsonl, Some(item)) => serde_json::to_writer(&mut *self.output, item)?,
            (OutputFormat::Xml, None) => {
                self.output.write_all(&encode_status_xml(single.envelope.api_method.as_deref(), &single.envelope))?
            }
            (_, None) => self.output.write_all(&encode_status_json(&single.envelope))?,
        }
        self.output.write_all(b"\n")?;
        Ok(format!("{count} item{}", if count == 1 { "" } else { "s" }))
    }

    fn status(mut self) -> Self::Output {
        let envelope = match self.format {
            InputFormat::Json => decode_status_json(&read_all(&mut self.input)?),
            _ => decode_status(self.input),
        }
        .map_err(decode_failed)?;
        if !self.check {
            match self.to {
                OutputFormat::Xml => {
                    self.output.write_all(&encode_status_xml(envelope.api_method.as_deref(), &envelope))?
                }
                _ => self.output.write_all(&encode_status_json(&envelope))?,
            }
            self.output.write_all(b"\n")?;
        }
        Ok(match (&envelope.uuid, &envelope.id) {
            (Some(uuid), _) => format!("status OK, uuid {uuid}"),
            (None, Some(id)) => format!("status OK, id {id}"),
            (None, None) => "status OK".to_owned(),
        })
    }
}

/// Where list items go: nowhere (`--check`), JSON, JSON lines or XML.
enum ListSink<T, W: Write> {
    Count(usize, W),
    Jsonl(usize, W),
    Pending(OutputFormat, W),
    Json(usize, JsonListWriter<W, T>),
    Xml(usize, XmlListWriter<W, T>),
    Done,
}

impl<T: Resource, W: Write> ListSink<T, W> {
    fn new(to: OutputFormat, check: bool, output: W) -> Self {
        match (check, to) {
            (true, _) => Self::Count(0, output),
            (false, OutputFormat::Jsonl) => Self::Jsonl(0, output),
            (false, format) => Self::Pending(format, output),
        }
    }

    fn begin(&mut self, api_method: Option<&str>) -> io::Result<()> {
        if let Self::Pending(format, _) = self {
            let format = *format;
            let Self::Pending(_, output) = std::mem::replace(self, Self::Done) else { return Ok(()) };
            *self = match format {
                OutputFormat::Xml => Self::Xml(0, XmlListWriter::start(output, api_method)?),
                _ => Self::Json(0, JsonListWriter::start(output)?),
            };
        }
        Ok(())
    }

    fn push(&mut self, item: &T) -> io::Result<()> {
        match self {
            Self::Count(count, _) => *count += 1,
            Self::Jsonl(count, output) => {
                serde_json::to_writer(&mut *output, item)?;
                output.write_all(b"\n")?;
                *count += 1;
            }
            Self::Json(count, writer) => {
                writer.push(item)?;
                *count += 1;
            }
            Self::Xml(count, writer) => {
                writer.push(item)?;
                *count += 1;
            }
            Self::Pending(..) | Self::Done => {}
        }
        Ok(())
    }

    fn end(self, envelope: &Envelope) -> io::Result<usize> {
        match self {
            Self::Count(count, _) | Self::Jsonl(count, _) => Ok(count),
            Self::Json(count, writer) => {
                let mut output = writer.finish(envelope)?;
                output.write_all(b"\n")?;
                Ok(count)
            }
            Self::Xml(count, writer) => {
                let mut output = writer.finish(envelope)?;
                output.write_all(b"\n")?;
                Ok(count)
            }
            Self::Pending(..) | Self::Done => Ok(0),
        }
    }
}

fn decode_failed(error: ResponseError) -> CliError {
    match &error {
        ResponseError::Decode(decode) => {
            let meaning = if decode.is_truncated() {
                "the body is truncated: the download was probably cut short; fetch it again"
            } else {
                "the body is not a valid response for this operation"
            };
            CliError::BodyExplained { meaning, error }
        }
        _ => CliError::Body(error),
    }
}

//! `xpmkit verify --record DIR`: each answer saved as a fixture, personal data masked, with an
//! index of the requests. No token is ever written: requests are kept as the report shows
//! them (no `Authorization`), and of the answers' headers only the ones a fixture needs.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::probe::Exchange;
use crate::redact::{redact_json, redact_xml};

/// Answer headers worth keeping in a fixture.
const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "x-daylimit-remaining",
    "x-minlimit-remaining",
    "x-appminlimit-remaining",
    "x-rate-limit-problem",
    "retry-after",
    "www-authenticate",
];

/// Saves answers into a directory.
#[derive(Debug)]
pub struct Recorder {
    dir: PathBuf,
    entries: Vec<IndexEntry>,
}

#[derive(Debug, Serialize)]
struct IndexEntry {
    file: String,
    check: String,
    request: String,
    status: u16,
    headers: Vec<(String, String)>,
}

impl Recorder {
    /// A recorder writing into `dir` (created if missing).
    pub fn new(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(Self { dir: dir.to_owned(), entries: Vec::new() })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many answers were saved.
    pub fn saved(&self) -> usize {
        self.entries.len()
    }

    /// Saves one answer, masked, and rewrites the index.
    pub(crate) fn save(&mut self, check: &str, exchange: &Exchange) -> io::Result<()> {
        let number = self.entries.len() + 1;
        let (extension, body) =
            if exchange.is_json() || exchange.body.first() == Some(&b'{') || exchange.body.first() == Some(&b'[') {
                ("json", redact_json(&exchange.body))
            } else if exchange.is_xml() || exchange.body.first() == Some(&b'<') {
                ("xml", redact_xml(&exchange.body))
            } else {
                // Plain text (a 406 message): no fields to tell apart, so masked whole.
                ("txt", crate::redact::mask(&String::from_utf8_lossy(&exchange.body)).into_bytes())
            };
        let file = format!("{number:03}-{}.{extension}", check.replace('.', "-"));
        fs::write(self.dir.join(&file), body)?;
        let headers = KEPT_HEADERS
            .iter()
            .filter_map(|name| exchange.header(name).map(|value| ((*name).to_owned(), value.to_owned())))
            .collect();
        self.entries.push(IndexEntry {
            file,
            check: check.to_owned(),
            request: exchange.request.clone(),
            status: exchange.status,
            headers,
        });
        let index = serde_json::to_vec_pretty(&self.entries).map_err(io::Error::other)?;
        fs::write(self.dir.join("index.json"), index)
    }
}

//! Deterministic synthetic XPM data: a practice with staff, groups and thousands of clients.
//!
//! [`Practice`] builds [`Client`](xpm_api::model::Client) values in the detailed shape that
//! `client.api/list?detailed=true` returns, and writes that response with `xpm-api`'s
//! [`XmlWriter`](xpm_api::xml::XmlWriter), streaming it in chunks. The data is meant to look like
//! a real Australian practice with New Zealand and British clients: individuals, companies,
//! trusts and partnerships; multi-line addresses; Māori, accented, Chinese and the odd emoji in
//! names and notes; names such as `Smith & Sons <Holdings> Pty Ltd` that must be escaped;
//! masked tax numbers and check-digit-valid ABNs, ACNs and NZBNs; contacts, notes, groups and
//! relationships between clients.
//!
//! The same [`PracticeSpec`] always gives the same bytes: every client is drawn from its own
//! ChaCha8 stream of the seed, so the output does not depend on the platform, on the order
//! clients are asked for, or on how many there are before it. The default 15,000-client list
//! is about 48 MB, the size practices of that size report for their detailed list; it is what
//! the `decode_client_list` benchmark of `xpm-api` decodes.
//!
//! [`work_words`] holds the word pools the emulator (`xpm-mock`) seeds jobs, time, costs and
//! quotes from, so every generated word lives in this crate.
//!
//! ```
//! use xpm_synth::{Layout, Practice, PracticeSpec};
//!
//! let practice = Practice::new(PracticeSpec { seed: 1, clients: 2 });
//! assert_eq!(practice.clients().count(), 2);
//! let mut body = Vec::new();
//! practice.write_client_list(&mut body, Layout::Compact)?;
//! assert!(body.ends_with(b"</Response>"));
//! # Ok::<(), std::io::Error>(())
//! ```

mod client;
mod document;
mod identity;
mod numbers;
mod parts;
mod pools;
mod practice;
mod text;
pub mod work_words;

#[cfg(test)]
mod tests;

pub use document::{Layout, WriteSummary};
pub use practice::{Practice, PracticeSpec};

//! Who each generated client is: kind, country, name and identifier.
//!
//! Every client draws from its own ChaCha stream (the seed with the client's index as stream
//! number), and its identity comes first in that stream. So any client's identity can be
//! recomputed on its own, which is how relationships and billing clients name other clients
//! without the generator holding all 15,000 of them.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use xpm_api::value::Uuid;

use super::pools::{BUSINESS_TRADES, BUSINESS_WORDS, COMPANY_SUFFIXES, FIRST_NAMES, LAST_NAMES, TITLES};

/// The country a client's address is in. The practice is Australian with clients abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Country {
    Australia,
    NewZealand,
    UnitedKingdom,
}

impl Country {
    /// Index into the per-country pools.
    pub(super) fn index(self) -> usize {
        match self {
            Self::Australia => 0,
            Self::NewZealand => 1,
            Self::UnitedKingdom => 2,
        }
    }
}

/// The legal form of a client, which decides most of its other fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClientKind {
    Individual,
    Company,
    Trust,
    Partnership,
}

/// A client's identity: everything another client may need to refer to it.
#[derive(Debug, Clone)]
pub(super) struct Identity {
    pub(super) kind: ClientKind,
    pub(super) country: Country,
    pub(super) uuid: Uuid,
    pub(super) name: String,
    /// Given and family name of an individual, or of the person behind a company or trust.
    pub(super) first_name: &'static str,
    pub(super) last_name: &'static str,
    pub(super) title: &'static str,
}

/// The random stream that client `index` is generated from.
pub(super) fn client_rng(seed: u64, index: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::from(index));
    rng
}

/// A version 4 UUID drawn from `rng`.
pub(super) fn random_uuid(rng: &mut impl Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// Picks an element of a non-empty pool.
pub(super) fn pick<T: Copy>(rng: &mut impl Rng, pool: &[T]) -> T {
    // Every pool is a non-empty constant, so `choose` always returns an element; the fallback
    // only satisfies the type.
    pool.choose(rng).copied().unwrap_or_else(|| pool[0])
}

/// Draws the identity at the head of a client's stream.
pub(super) fn draw_identity(rng: &mut ChaCha8Rng) -> Identity {
    let kind = match rng.random_range(0..100) {
        0..55 => ClientKind::Individual,
        55..83 => ClientKind::Company,
        83..96 => ClientKind::Trust,
        _ => ClientKind::Partnership,
    };
    let country = match rng.random_range(0..100) {
        0..70 => Country::Australia,
        70..92 => Country::NewZealand,
        _ => Country::UnitedKingdom,
    };
    let uuid = random_uuid(rng);
    let first_name = pick(rng, FIRST_NAMES);
    let last_name = pick(rng, LAST_NAMES);
    let title = pick(rng, TITLES);
    let name = match kind {
        ClientKind::Individual => person_name(first_name, last_name),
        ClientKind::Company => company_name(rng, country, last_name),
        ClientKind::Trust => trust_name(rng, first_name, last_name),
        ClientKind::Partnership => {
            let other = pick(rng, LAST_NAMES);
            format!("{last_name} & {other} Partners")
        }
    };
    Identity { kind, country, uuid, name, first_name, last_name, title }
}

/// A person's display name; Chinese names are written family name first with no space.
pub(super) fn person_name(first_name: &str, last_name: &str) -> String {
    let cjk = |text: &str| text.chars().next().is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if cjk(first_name) && cjk(last_name) {
        format!("{last_name}{first_name}")
    } else {
        format!("{first_name} {last_name}")
    }
}

fn company_name(rng: &mut impl Rng, country: Country, last_name: &str) -> String {
    let suffix = pick(rng, COMPANY_SUFFIXES[country.index()]);
    match rng.random_range(0..20) {
        // The shape of name that breaks naive XML writers: both `&` and angle brackets.
        0 => format!("{last_name} & Sons <Holdings> {suffix}"),
        1..6 => format!("{last_name} & {} {suffix}", pick(rng, LAST_NAMES)),
        6..12 => format!("{} {} {suffix}", pick(rng, BUSINESS_WORDS), pick(rng, BUSINESS_TRADES)),
        12..15 => format!("{last_name} {} {suffix}", pick(rng, BUSINESS_TRADES)),
        15 => format!("\"{}\" {} {suffix} 🚀", pick(rng, BUSINESS_WORDS), pick(rng, BUSINESS_TRADES)),
        _ => format!("{} {suffix}", pick(rng, BUSINESS_WORDS)),
    }
}

fn trust_name(rng: &mut impl Rng, first_name: &str, last_name: &str) -> String {
    match rng.random_range(0..6) {
        0 | 1 => format!("The {last_name} Family Trust"),
        2 => format!("{last_name} Superannuation Fund"),
        3 => {
            let initial = first_name.chars().next().unwrap_or('A');
            format!("{initial} & {} {last_name} Trust", pick(rng, FIRST_NAMES))
        }
        4 => format!("{} {} Unit Trust", pick(rng, BUSINESS_WORDS), pick(rng, BUSINESS_TRADES)),
        _ => format!("{last_name} Whānau Trust"),
    }
}

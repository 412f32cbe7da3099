//! Free text: addresses, e-mail addresses, web sites and note bodies.

use std::fmt::Write as _;

use rand::Rng;

use super::identity::{Country, pick};
use super::pools::{CITIES, LOCALITIES, NOTE_SENTENCES, STREET_TYPES, STREETS};

/// A street or postal address block as XPM stores it: one text field that may span lines.
pub(super) struct Address {
    pub(super) lines: String,
    pub(super) city: &'static str,
    pub(super) region: &'static str,
    pub(super) post_code: String,
}

/// A street address in `country`, sometimes with a unit, level or locality line.
pub(super) fn street_address(rng: &mut impl Rng, country: Country) -> Address {
    let mut lines = String::with_capacity(64);
    match rng.random_range(0..10) {
        0 | 1 => {
            let _ = writeln!(lines, "Unit {}", rng.random_range(1..40));
        }
        2 => {
            let _ = writeln!(lines, "Level {}, Suite {}", rng.random_range(1..30), rng.random_range(1..20));
        }
        3 if country != Country::Australia => {
            let _ = writeln!(lines, "Flat {}", rng.random_range(1..12));
        }
        _ => {}
    }
    let _ = write!(lines, "{} {} {}", rng.random_range(1..400), pick(rng, STREETS), pick(rng, STREET_TYPES));
    if country != Country::Australia && rng.random_bool(0.7) {
        lines.push('\n');
        lines.push_str(pick(rng, LOCALITIES));
    }
    with_city(rng, country, lines)
}

/// A postal address: a PO box, a private or locked bag, or a street address.
pub(super) fn postal_address(rng: &mut impl Rng, country: Country) -> Address {
    let lines = match (rng.random_range(0..4), country) {
        (0, Country::NewZealand) => format!("Private Bag {}", rng.random_range(1000..99999)),
        (0, Country::Australia) => format!("Locked Bag {}", rng.random_range(1..9000)),
        (1 | 2, _) => format!("PO Box {}", rng.random_range(1..9999)),
        _ => return street_address(rng, country),
    };
    with_city(rng, country, lines)
}

fn with_city(rng: &mut impl Rng, country: Country, lines: String) -> Address {
    let city = pick(rng, CITIES[country.index()]);
    let post_code = match country {
        Country::UnitedKingdom => {
            let letters = b"ABDEFGHJLNPQRSTUWXYZ";
            let letter = |rng: &mut dyn rand::RngCore| char::from(letters[rng.random_range(0..letters.len())]);
            let district = rng.random_range(1..20);
            let sector = rng.random_range(1..10);
            format!("{}{district} {sector}{}{}", city.post_code, letter(rng), letter(rng))
        }
        _ => format!("{}{:02}", city.post_code, rng.random_range(0..100)),
    };
    Address { lines, city: city.name, region: city.region, post_code }
}

/// Lower-case ASCII letters and digits of `text`, with common accents folded, for addresses.
pub(super) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        let folded = match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            'ā' | 'Ā' | 'á' | 'à' | 'â' | 'ä' => 'a',
            'ē' | 'Ē' | 'é' | 'è' | 'ê' | 'ë' | 'ễ' | 'ế' => 'e',
            'ī' | 'í' | 'ì' | 'î' | 'ï' => 'i',
            'ō' | 'Ō' | 'ó' | 'ò' | 'ô' | 'ö' | 'ø' | 'Ö' => 'o',
            'ū' | 'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ř' => 'r',
            'đ' | 'Đ' => 'd',
            'ạ' | 'ặ' | 'ầ' => 'a',
            _ => continue,
        };
        slug.push(folded);
    }
    slug
}

/// An e-mail address at `domain` for a person, e.g. `ana.ngata@example.co.nz`.
pub(super) fn person_email(rng: &mut impl Rng, first_name: &str, last_name: &str, domain: &str) -> String {
    let (first, last) = (slug(first_name), slug(last_name));
    let local = match (first.is_empty(), last.is_empty(), rng.random_range(0..3)) {
        (false, false, 0) => format!("{first}.{last}"),
        (false, false, 1) => format!("{}{last}", &first[..1]),
        (false, _, _) => format!("{first}{}", rng.random_range(1..100)),
        (true, false, _) => format!("{last}{}", rng.random_range(1..100)),
        (true, true, _) => format!("client{}", rng.random_range(1000..10000)),
    };
    format!("{local}@{domain}")
}

/// A domain for a business name in `country`, e.g. `harbourplumbing.com.au`.
pub(super) fn business_domain(name: &str, country: Country) -> String {
    let mut base = slug(name);
    for suffix in ["ptyltd", "ptylimited", "limited", "ltd", "llp", "plc"] {
        if let Some(stripped) = base.strip_suffix(suffix) {
            base.truncate(stripped.len());
            break;
        }
    }
    if base.is_empty() {
        base.push_str("business");
    }
    base.truncate(30);
    let tld = match country {
        Country::Australia => "com.au",
        Country::NewZealand => "co.nz",
        Country::UnitedKingdom => "co.uk",
    };
    format!("{base}.{tld}")
}

/// A free-mail domain for people.
pub(super) fn free_mail_domain(rng: &mut impl Rng, country: Country) -> &'static str {
    let pool: &[&str] = match country {
        Country::Australia => &["gmail.com", "outlook.com", "bigpond.com", "icloud.com", "optusnet.com.au"],
        Country::NewZealand => &["gmail.com", "xtra.co.nz", "outlook.com", "icloud.com", "slingshot.co.nz"],
        Country::UnitedKingdom => &["gmail.com", "btinternet.com", "outlook.com", "icloud.com", "sky.com"],
    };
    pick(rng, pool)
}

/// A note body of one to three paragraphs, each of one to three sentences.
pub(super) fn note_text(rng: &mut impl Rng) -> String {
    let paragraphs = match rng.random_range(0..10) {
        0..5 => 1,
        5..9 => 2,
        _ => 3,
    };
    let mut text = String::with_capacity(320);
    for paragraph in 0..paragraphs {
        if paragraph > 0 {
            text.push('\n');
        }
        for sentence in 0..rng.random_range(1..=3) {
            if sentence > 0 {
                text.push(' ');
            }
            text.push_str(pick(rng, NOTE_SENTENCES));
        }
    }
    text
}

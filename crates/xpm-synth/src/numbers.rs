//! Business numbers, tax numbers and phone numbers in each country's written form.
//!
//! ABNs, ACNs and NZBNs carry valid check digits, so code that validates them (the sync engine,
//! the web app) can be tested against generated data without special cases.

use std::fmt::Write as _;

use rand::Rng;

use super::identity::Country;

/// Draws `count` decimal digits.
fn digits(rng: &mut impl Rng, count: usize) -> Vec<u32> {
    (0..count).map(|_| rng.random_range(0..10)).collect()
}

/// Joins digits into text, with a space before each index in `gaps`.
fn join(digits: &[u32], gaps: &[usize]) -> String {
    let mut text = String::with_capacity(digits.len() + gaps.len());
    for (index, digit) in digits.iter().enumerate() {
        if gaps.contains(&index) {
            text.push(' ');
        }
        text.push(char::from(b'0' + *digit as u8));
    }
    text
}

/// An Australian Business Number, `53 004 085 616`, with valid check digits.
///
/// The rule: subtract 1 from the first digit, weight the digits 10, 1, 3, 5, …, 19, and the sum
/// must divide by 89. The last nine digits are drawn; the first two are solved for.
pub(super) fn abn(rng: &mut impl Rng) -> String {
    const WEIGHTS: [u32; 9] = [3, 5, 7, 9, 11, 13, 15, 17, 19];
    let tail = digits(rng, 9);
    let tail_sum: u32 = tail.iter().zip(WEIGHTS).map(|(digit, weight)| digit * weight).sum();
    // The first two digits contribute 10 * (d0 - 1) + d1, which spans 0..=89 as d0 runs 1..=9.
    let lead = (89 - tail_sum % 89) % 89;
    let mut all = vec![lead / 10 + 1, lead % 10];
    all.extend(tail);
    join(&all, &[2, 5, 8])
}

/// An Australian Company Number, `123 456 780`, with a valid check digit.
pub(super) fn acn(rng: &mut impl Rng) -> String {
    let mut all = digits(rng, 8);
    let weighted: u32 = all.iter().zip((1..=8).rev()).map(|(digit, weight)| digit * weight).sum();
    all.push((10 - weighted % 10) % 10);
    join(&all, &[3, 6])
}

/// A New Zealand Business Number: 13 digits from the `9429` GS1 prefix with a GS1 check digit.
pub(super) fn nzbn(rng: &mut impl Rng) -> String {
    let mut all = vec![9, 4, 2, 9];
    all.extend(digits(rng, 8));
    let weighted: u32 =
        all.iter().enumerate().map(|(index, digit)| if index % 2 == 0 { *digit } else { digit * 3 }).sum();
    all.push((10 - weighted % 10) % 10);
    join(&all, &[])
}

/// A company registration number: ACN, NZ company number or Companies House number.
pub(super) fn company_number(rng: &mut impl Rng, country: Country) -> String {
    match country {
        Country::Australia => acn(rng),
        Country::NewZealand => join(&digits(rng, 7), &[]),
        Country::UnitedKingdom => {
            let prefix = if rng.random_ratio(1, 10) { "SC" } else { "0" };
            let width = 8 - prefix.len();
            format!("{prefix}{}", join(&digits(rng, width), &[]))
        }
    }
}

/// A tax file / IRD / UTR number as XPM shows it: masked but for the last three digits.
pub(super) fn masked_tax_number(rng: &mut impl Rng) -> String {
    format!("******{}", join(&digits(rng, 3), &[]))
}

/// A landline in the country's format, e.g. `02 9123 4567`, `09 123 4567`, `020 7946 0123`.
pub(super) fn landline(rng: &mut impl Rng, country: Country) -> String {
    let mut text = String::with_capacity(14);
    match country {
        Country::Australia => {
            let area = ["02", "03", "07", "08"][rng.random_range(0..4)];
            let _ = write!(text, "{area} {:04} {:04}", rng.random_range(2000..10000), rng.random_range(0..10000));
        }
        Country::NewZealand => {
            let area = ["09", "04", "03", "07", "06"][rng.random_range(0..5)];
            let _ = write!(text, "{area} {:03} {:04}", rng.random_range(200..1000), rng.random_range(0..10000));
        }
        Country::UnitedKingdom => {
            let area = ["020", "0161", "0121", "0113", "0131"][rng.random_range(0..5)];
            let _ = write!(text, "{area} {:04} {:04}", rng.random_range(2000..10000), rng.random_range(0..10000));
        }
    }
    text
}

/// A mobile number in the country's format, e.g. `0412 345 678`, `021 123 4567`, `07700 900123`.
pub(super) fn mobile(rng: &mut impl Rng, country: Country) -> String {
    match country {
        Country::Australia => {
            format!(
                "04{:02} {:03} {:03}",
                rng.random_range(0..100),
                rng.random_range(0..1000),
                rng.random_range(0..1000)
            )
        }
        Country::NewZealand => {
            let prefix = ["021", "022", "027", "029"][rng.random_range(0..4)];
            format!("{prefix} {:03} {:04}", rng.random_range(100..1000), rng.random_range(0..10000))
        }
        Country::UnitedKingdom => format!("07{:03} {:06}", rng.random_range(100..1000), rng.random_range(0..1_000_000)),
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn digits_of(text: &str) -> Vec<u32> {
        text.chars().filter_map(|c| c.to_digit(10)).collect()
    }

    #[test]
    fn business_numbers_carry_valid_check_digits() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            let abn = digits_of(&abn(&mut rng));
            let weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
            let sum: u32 = abn.iter().enumerate().map(|(i, d)| if i == 0 { d - 1 } else { *d } * weights[i]).sum();
            assert_eq!((abn.len(), sum % 89), (11, 0), "{abn:?}");

            let acn = digits_of(&acn(&mut rng));
            let weighted: u32 = acn[..8].iter().zip((1..=8).rev()).map(|(d, w)| d * w).sum();
            assert_eq!(acn[8], (10 - weighted % 10) % 10, "{acn:?}");

            let nzbn = digits_of(&nzbn(&mut rng));
            let total: u32 = nzbn.iter().enumerate().map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 }).sum();
            assert_eq!((nzbn.len(), total % 10), (13, 0), "{nzbn:?}");
        }
    }

    #[test]
    fn the_known_abn_from_the_samples_passes_the_same_rule() {
        // 53 004 085 616 is the ABN in Xero's client.get sample.
        let abn = digits_of("53 004 085 616");
        let weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
        let sum: u32 = abn.iter().enumerate().map(|(i, d)| if i == 0 { d - 1 } else { *d } * weights[i]).sum();
        assert_eq!(sum % 89, 0);
    }
}

//! `emulator_tenants`: an authorize parameter of the emulator's own (Xero has none) that narrows
//! the practices a sign-in offers, so a script or test can connect a chosen subset without a
//! browser, as a person unticking practices on Xero's consent screen would.
//!
//! The value lists practices by 1-based position in the emulator's configuration (`3`), by
//! range of positions (`1-10`), or by tenant id, separated by commas or spaces:
//! `emulator_tenants=1-10,15`. Without it every practice is offered.

use uuid::Uuid;

/// The authorize query parameter's name.
pub(crate) const PARAMETER: &str = "emulator_tenants";

/// The tenant ids `value` names among `practices` (in configuration order), in that order and
/// without repeats, or a message naming the part that matches no practice.
pub(crate) fn parse(value: &str, practices: &[(Uuid, String)]) -> Result<Vec<Uuid>, String> {
    let mut chosen: Vec<Uuid> = Vec::new();
    let count = practices.len();
    let position = |text: &str| -> Result<usize, String> {
        text.trim()
            .parse::<usize>()
            .ok()
            .filter(|number| (1..=count).contains(number))
            .ok_or_else(|| format!("{PARAMETER}: `{text}` is not a practice number (1 to {count}) or tenant id"))
    };
    for part in value.split([',', ' ']).map(str::trim).filter(|part| !part.is_empty()) {
        let wanted: Vec<Uuid> = if let Ok(tenant) = Uuid::try_parse(part) {
            if !practices.iter().any(|(id, _)| *id == tenant) {
                return Err(format!("{PARAMETER}: no practice has the tenant id {tenant}"));
            }
            vec![tenant]
        } else if let Some((first, last)) = part.split_once('-') {
            let (first, last) = (position(first)?, position(last)?);
            if first > last {
                return Err(format!("{PARAMETER}: the range `{part}` runs backwards"));
            }
            practices[first - 1..last].iter().map(|(id, _)| *id).collect()
        } else {
            vec![practices[position(part)? - 1].0]
        };
        for tenant in wanted {
            if !chosen.contains(&tenant) {
                chosen.push(tenant);
            }
        }
    }
    if chosen.is_empty() {
        return Err(format!("{PARAMETER} names no practice; leave it out to offer them all"));
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practices(count: u128) -> Vec<(Uuid, String)> {
        (1..=count).map(|n| (Uuid::from_u128(n), format!("Practice {n}"))).collect()
    }

    fn check(value: &str, expect: Result<Vec<u128>, &str>) {
        let got = parse(value, &practices(5));
        match expect {
            Ok(numbers) => assert_eq!(got, Ok(numbers.into_iter().map(Uuid::from_u128).collect()), "{value}"),
            Err(part) => {
                let message = got.expect_err(value);
                assert!(message.contains(part), "{value}: {message}");
            }
        }
    }

    #[test]
    fn positions_ranges_and_ids_choose_practices_once_in_the_order_given() {
        check("2", Ok(vec![2]));
        check("1-3,5", Ok(vec![1, 2, 3, 5]));
        check("4 2 4", Ok(vec![4, 2]));
        check(&format!("{},1", Uuid::from_u128(3)), Ok(vec![3, 1]));
        check("5-5", Ok(vec![5]));
    }

    #[test]
    fn what_names_no_practice_is_refused_with_the_part_named() {
        check("0", Err("`0` is not a practice number (1 to 5)"));
        check("6", Err("`6`"));
        check("2-9", Err("`9`"));
        check("4-2", Err("runs backwards"));
        check("first", Err("`first`"));
        check(&Uuid::from_u128(9).to_string(), Err("no practice has the tenant id"));
        check(" , ", Err("names no practice"));
    }
}

//! Small value helpers shared by the work book: identifiers, numbers, dates and money as XPM
//! writes them.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rand::Rng;
use uuid::Uuid;
use xpm_api::model::NamedRef;
use xpm_api::value::{Decimal, XpmDate};

/// A UUID drawn from `random`, so seeded data has the same identifiers on every start.
pub(crate) fn random_uuid(random: &mut impl Rng) -> Uuid {
    uuid::Builder::from_random_bytes(random.random()).into_uuid()
}

/// A `<UUID/><Name/>` reference from optional parts.
pub(crate) fn named(uuid: Option<Uuid>, name: Option<String>) -> NamedRef {
    let mut reference = NamedRef::default();
    reference.uuid = uuid;
    reference.name = name;
    reference
}

/// A supplier reference: XPM answers with the supplier's UUID only.
pub(crate) fn supplier_ref(uuid: Uuid) -> NamedRef {
    named(Some(uuid), None)
}

/// A document number such as `J000042`, `I000007` or `Q000003`.
pub(crate) fn number(prefix: char, sequence: u32) -> String {
    format!("{prefix}{sequence:06}")
}

/// A date as responses write it: `2024-07-01T00:00:00`.
pub(crate) fn day(date: NaiveDate) -> XpmDate {
    XpmDate::date_time(date.and_time(NaiveTime::MIN))
}

/// A request's date as responses write it (the day at midnight).
pub(crate) fn on_day(date: XpmDate) -> XpmDate {
    day(date.naive_date())
}

/// A date-time as responses write it, to the second.
pub(crate) fn moment(at: NaiveDateTime) -> XpmDate {
    XpmDate::date_time(at.with_nanosecond_zero())
}

/// Money with two decimal places, as XPM writes amounts (`30.00`); halves round away from zero,
/// as invoices do.
pub(crate) fn money(value: Decimal) -> Decimal {
    let half = Decimal::new(5, 1);
    let scaled = value * Decimal::ONE_HUNDRED;
    let nudged = if scaled.is_sign_negative() { scaled - half } else { scaled + half };
    let mut rounded = nudged.trunc() / Decimal::ONE_HUNDRED;
    rounded.rescale(2);
    rounded
}

/// `cents / 100` with two decimal places.
pub(crate) fn cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Drops sub-second precision, which XPM never writes.
trait WithoutNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl WithoutNanos for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_money_follow_xpm() {
        assert_eq!(number('J', 42), "J000042");
        assert_eq!(money(Decimal::new(3, 0)).to_string(), "3.00");
        assert_eq!(money(Decimal::new(12345, 3)).to_string(), "12.35");
        assert_eq!(money(Decimal::new(-12345, 3)).to_string(), "-12.35");
        assert_eq!(money(Decimal::new(12344, 3)).to_string(), "12.34");
        assert_eq!(cents(-1550).to_string(), "-15.50");
    }

    #[test]
    fn dates_are_written_with_midnight() {
        let date = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap_or_default();
        assert_eq!(day(date).to_string(), "2024-07-01T00:00:00");
    }
}

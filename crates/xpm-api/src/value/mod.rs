//! Scalar values as XPM writes them: two boolean dialects, several date formats, exact decimals.

mod date;
mod flag;

pub use date::{ClockTime, DateForm, XpmDate};
pub use flag::YesNo;
pub use rust_decimal::Decimal;
pub use uuid::Uuid;

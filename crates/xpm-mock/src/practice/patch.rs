//! One rule for applying the fields a request gives to a stored record.
//!
//! XPM's add and update bodies carry only the elements the caller sets: every field of the
//! request types in the OpenAPI file is optional, and an update changes only what it is sent.
//! So each record's update rule is a field list for [`patch!`]: for every field the request
//! gives, the record's field takes the value (converted where the request spells it
//! differently); a field the request leaves out stays as it was.
//!
//! What "given" means is the request's: an element sent empty is given, so a text field sent
//! as `<Fax></Fax>` is set to the empty string (XPM then writes `<Fax/>`). Where a conversion
//! returns an `Option`, `None` clears the field (a client's `BalanceMonth` sent empty). Where
//! a blank value must leave the field alone instead (names and labels), the rule says so with
//! [`nonblank`].

/// Applies a request's given fields to a record, one rule per field.
///
/// `patch!(record, request; rules)` reads each source from `request`; `patch!(record; rules)`
/// takes only rules with their own source. Each rule ends with a comma:
///
/// | rule | when the source is `Some(value)` |
/// |---|---|
/// | `field,` | `record.field = Some(request.field)` |
/// | `field <- source,` | `record.field = Some(request.source)` |
/// | `field <- (given),` | `record.field = Some(value)` for an `Option` expression `given` |
/// | `… => convert,` | `record.field = convert(value)`, wrapped in `Some` unless it is an `Option` |
/// | `… =>? convert,` | as `=>`, with a conversion returning `Result` whose error is returned |
///
/// Sources are cloned, so `request` may be owned or borrowed.
macro_rules! patch {
    ($record:expr, $request:expr; $($rules:tt)*) => {
        $crate::practice::patch::patch!(@rule [$record] [$request] $($rules)*)
    };
    ($record:expr; $($rules:tt)*) => {
        $crate::practice::patch::patch!(@rule [$record] [()] $($rules)*)
    };
    (@rule [$record:expr] [$request:expr]) => {};
    (@rule [$record:expr] [$request:expr] $field:ident <- ($given:expr) =>? $convert:expr, $($rest:tt)*) => {
        if let Some(value) = $given {
            $record.$field = $crate::practice::patch::convert(value, $convert)?.into();
        }
        $crate::practice::patch::patch!(@rule [$record] [$request] $($rest)*);
    };
    (@rule [$record:expr] [$request:expr] $field:ident <- ($given:expr) => $convert:expr, $($rest:tt)*) => {
        if let Some(value) = $given {
            $record.$field = $crate::practice::patch::convert(value, $convert).into();
        }
        $crate::practice::patch::patch!(@rule [$record] [$request] $($rest)*);
    };
    (@rule [$record:expr] [$request:expr] $field:ident <- ($given:expr), $($rest:tt)*) => {
        if let Some(value) = $given {
            $record.$field = value.into();
        }
        $crate::practice::patch::patch!(@rule [$record] [$request] $($rest)*);
    };
    (@rule [$record:expr] [$request:expr] $field:ident <- $source:ident $($rest:tt)*) => {
        $crate::practice::patch::patch!(@rule [$record] [$request] $field <- ($request.$source.clone()) $($rest)*)
    };
    (@rule [$record:expr] [$request:expr] $field:ident $($rest:tt)*) => {
        $crate::practice::patch::patch!(@rule [$record] [$request] $field <- ($request.$field.clone()) $($rest)*)
    };
}

pub(crate) use patch;

/// Calls `convert` on a given value; a function rather than a call in the macro, so that a
/// closure's argument type is known from the value.
pub(crate) fn convert<T, U>(value: T, convert: impl FnOnce(T) -> U) -> U {
    convert(value)
}

/// A name or label that is given only when it is not blank, trimmed: XPM keeps a record's
/// name when an update sends it empty.
pub(crate) fn nonblank(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Record {
        name: Option<String>,
        note: Option<String>,
        minutes: Option<i32>,
        month: Option<i32>,
    }

    #[derive(Debug, Default)]
    struct Request {
        label: Option<String>,
        note: Option<String>,
        hours: Option<i32>,
        month: Option<String>,
    }

    fn month(text: String) -> Result<Option<i32>, String> {
        if text.is_empty() { Ok(None) } else { text.parse().map(Some).map_err(|_| format!("{text} is no month")) }
    }

    fn apply(record: &mut Record, request: &Request) -> Result<(), String> {
        patch!(record, request;
            name <- (nonblank(&request.label)),
            note,
            minutes <- hours => |hours: i32| hours * 60,
            month =>? month,
        );
        Ok(())
    }

    #[test]
    fn given_fields_change_and_absent_ones_stay() {
        let mut record =
            Record { name: Some("Old".into()), note: Some("kept".into()), minutes: Some(5), month: Some(6) };
        let request = Request { label: Some("  ".into()), hours: Some(2), ..Request::default() };
        assert_eq!(apply(&mut record, &request), Ok(()));
        assert_eq!(
            record,
            Record { name: Some("Old".into()), note: Some("kept".into()), minutes: Some(120), month: Some(6) }
        );

        let request = Request {
            label: Some(" New ".into()),
            note: Some(String::new()),
            month: Some(String::new()),
            ..Request::default()
        };
        assert_eq!(apply(&mut record, &request), Ok(()));
        assert_eq!(
            record,
            Record { name: Some("New".into()), note: Some(String::new()), minutes: Some(120), month: None }
        );

        let request = Request { month: Some("x".into()), ..Request::default() };
        assert_eq!(apply(&mut record, &request), Err("x is no month".into()));
    }
}

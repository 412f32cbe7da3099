//! Applying the fields of `client.api/add` and `client.api/update` bodies to a client.
//!
//! Both bodies carry the same fields (update adds `UUID` and drops `Contacts`). A field left out
//! stays as it is; a text field sent empty is cleared (XPM then writes it `<Fax/>`). Some fields
//! are spelled or typed differently in requests than in responses, and are converted here:
//! `WebSite` → `Website`, `GSTPeriod` 1/2/6 → `Monthly`/`2 Monthly`/`6 Monthly`, `BalanceMonth`
//! `Jan` or `1` → 1 (sent empty, it clears the month), `TaxNumber` → masked to its last three
//! digits, `AccountManagerUUID` → `AccountManager` with the staff member's name.

use chrono::Month;
use uuid::Uuid;
use xpm_api::model::NamedRef;
use xpm_api::value::{DateForm, XpmDate};

use super::book::Directory;
use super::error::DirectoryError;

/// Applies a `ClientAddRequest` or `ClientUpdateRequest` to `$client`, resolving references
/// through `$directory`. A macro rather than a function because the two bodies are different
/// types with the same fields.
macro_rules! apply_client_request {
    ($directory:expr, $client:ident, $request:ident) => {{
        use $crate::practice::directory::client_fields::{billing_ref, date_only, gst_period_text, mask_tax_number};
        use $crate::practice::directory::client_fields::{parse_balance_month, staff_ref};
        let directory: &$crate::practice::directory::Directory = $directory;
        let own_uuid = $client.uuid;
        (|| -> Result<(), $crate::practice::directory::DirectoryError> {
            $crate::practice::patch::patch!($client, $request;
                name, email, address, city, region, post_code, country, postal_address, postal_city,
                postal_region, postal_post_code, postal_country, phone, fax, referral_source, export_code,
                is_prospect, first_name, middle_name, last_name, other_name, title, gender,
                place_of_birth_city, place_of_birth_country_code, company_number, business_number,
                branch_number, business_structure, prepare_gst, gst_registered, gst_basis,
                provisional_tax_basis, provisional_tax_ratio, signed_tax_authority, tax_agent,
                agency_status, return_type, prepare_activity_statement, prepare_tax_return,
                auto_bas_opt_in_criteria, active_ato_client, client_code,
                website <- web_site,
                tax_number => |number: String| mask_tax_number(&number),
                balance_month =>? |month: String| parse_balance_month(&month),
                gst_period =>? gst_period_text,
                date_of_birth => date_only,
                date_of_death => date_only,
                account_manager <- account_manager_uuid =>? |uuid| staff_ref(directory, uuid, "account manager"),
                job_manager <- job_manager_uuid =>? |uuid| staff_ref(directory, uuid, "job manager"),
                billing_client <- billing_client_uuid =>? |billed| billing_ref(directory, own_uuid, billed),
            );
            if $client.name.as_deref().is_none_or(|name| name.trim().is_empty()) {
                return Err($crate::practice::directory::DirectoryError::invalid("a client needs a name"));
            }
            Ok(())
        })()
    }};
}

pub(super) use apply_client_request;

/// `get` writes dates of birth and death as `yyyy-MM-dd`, whatever form they came in.
pub(super) fn date_only(date: XpmDate) -> XpmDate {
    date.with_form(DateForm::Date)
}

/// The client `billed` as the billing client of client `own`.
pub(super) fn billing_ref(directory: &Directory, own: Option<Uuid>, billed: Uuid) -> Result<NamedRef, DirectoryError> {
    if own == Some(billed) {
        return Err(DirectoryError::invalid("a client cannot be its own billing client"));
    }
    let billing = directory
        .client(billed)
        .ok_or_else(|| DirectoryError::invalid(format!("billing client {billed} not found")))?;
    Ok(NamedRef::new(billed, billing.name.clone().unwrap_or_default()))
}

pub(super) fn staff_ref(directory: &Directory, uuid: Uuid, role: &str) -> Result<NamedRef, DirectoryError> {
    let staff = directory
        .staff_member(uuid)
        .ok_or_else(|| DirectoryError::invalid(format!("{role} {uuid} is not a staff member")))?;
    Ok(NamedRef::new(uuid, staff.name.clone().unwrap_or_default()))
}

/// XPM shows only the last three digits of a tax number: `******123`.
pub(super) fn mask_tax_number(tax_number: &str) -> String {
    let digits: Vec<char> = tax_number.chars().filter(char::is_ascii_alphanumeric).collect();
    if digits.is_empty() {
        return String::new();
    }
    let visible: String = digits[digits.len().saturating_sub(3)..].iter().collect();
    format!("******{visible}")
}

/// `Jan`, `January` or `1` → 1; empty clears the balance month.
pub(super) fn parse_balance_month(text: &str) -> Result<Option<i32>, DirectoryError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(number) = text.parse::<i32>() {
        return if (1..=12).contains(&number) {
            Ok(Some(number))
        } else {
            Err(DirectoryError::invalid(format!("balance month {number} is not between 1 and 12")))
        };
    }
    text.parse::<Month>()
        .map(|month| i32::try_from(month.number_from_month()).ok())
        .map_err(|_| DirectoryError::invalid(format!("balance month {text:?} is not a month")))
}

/// The response text for a GST period given in months.
pub(super) fn gst_period_text(months: i32) -> Result<String, DirectoryError> {
    match months {
        1 => Ok("Monthly".to_owned()),
        2 => Ok("2 Monthly".to_owned()),
        6 => Ok("6 Monthly".to_owned()),
        other => Err(DirectoryError::invalid(format!("gst period must be 1, 2 or 6 months, not {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_request_spellings_to_response_values() {
        assert_eq!(mask_tax_number("123 456 789"), "******789");
        assert_eq!(mask_tax_number(""), "");
        assert_eq!(parse_balance_month("Jun"), Ok(Some(6)));
        assert_eq!(parse_balance_month("march"), Ok(Some(3)));
        assert_eq!(parse_balance_month("12"), Ok(Some(12)));
        assert!(parse_balance_month("13").is_err());
        assert_eq!(gst_period_text(2).as_deref(), Ok("2 Monthly"));
        assert!(gst_period_text(3).is_err());
    }
}

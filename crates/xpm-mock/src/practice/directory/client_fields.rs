//! Applying the fields of `client.api/add` and `client.api/update` bodies to a client.
//!
//! Both bodies carry the same fields (update adds `UUID` and drops `Contacts`). A field left out
//! stays as it is; a text field sent empty is cleared (XPM then writes it `<Fax/>`). Some fields
//! are spelled or typed differently in requests than in responses, and are converted here:
//! `WebSite` → `Website`, `GSTPeriod` 1/2/6 → `Monthly`/`2 Monthly`/`6 Monthly`, `BalanceMonth`
//! `Jan` or `1` → 1, `TaxNumber` → masked to its last three digits, `AccountManagerUUID` →
//! `AccountManager` with the staff member's name.

use chrono::Month;
use uuid::Uuid;
use xpm_api::model::{Client, NamedRef};
use xpm_api::value::{DateForm, XpmDate};

use super::book::Directory;
use super::error::DirectoryError;

/// Copies each field the request gives onto the client.
macro_rules! copy_given {
    ($client:ident, $request:ident; $($field:ident),* $(,)?) => {
        $( if let Some(value) = $request.$field.take() { $client.$field = Some(value); } )*
    };
}

/// Applies a `ClientAddRequest` or `ClientUpdateRequest` (moved out of `$request`) to
/// `$client`, resolving references through `$directory`.
macro_rules! apply_client_request {
    ($directory:expr, $client:ident, $request:ident) => {{
        $crate::practice::directory::client_fields::copy_given!($client, $request;
            name, email, address, city, region, post_code, country, postal_address, postal_city,
            postal_region, postal_post_code, postal_country, phone, fax, referral_source, export_code,
            is_prospect, first_name, middle_name, last_name, other_name, title, gender,
            place_of_birth_city, place_of_birth_country_code, company_number, business_number,
            branch_number, business_structure, prepare_gst, gst_registered, gst_basis,
            provisional_tax_basis, provisional_tax_ratio, signed_tax_authority, tax_agent,
            agency_status, return_type, prepare_activity_statement, prepare_tax_return,
            auto_bas_opt_in_criteria, active_ato_client, client_code,
        );
        $crate::practice::directory::client_fields::Converted {
            web_site: $request.web_site.take(),
            tax_number: $request.tax_number.take(),
            balance_month: $request.balance_month.take(),
            gst_period: $request.gst_period.take(),
            date_of_birth: $request.date_of_birth.take(),
            date_of_death: $request.date_of_death.take(),
            account_manager: $request.account_manager_uuid.take(),
            job_manager: $request.job_manager_uuid.take(),
            billing_client: $request.billing_client_uuid.take(),
        }
        .apply($directory, &mut $client)
    }};
}

pub(super) use {apply_client_request, copy_given};

/// The request fields that need converting or resolving before they go on the client.
#[derive(Debug, Default)]
pub(super) struct Converted {
    pub(super) web_site: Option<String>,
    pub(super) tax_number: Option<String>,
    pub(super) balance_month: Option<String>,
    pub(super) gst_period: Option<i32>,
    pub(super) date_of_birth: Option<XpmDate>,
    pub(super) date_of_death: Option<XpmDate>,
    pub(super) account_manager: Option<Uuid>,
    pub(super) job_manager: Option<Uuid>,
    pub(super) billing_client: Option<Uuid>,
}

impl Converted {
    pub(super) fn apply(self, directory: &Directory, client: &mut Client) -> Result<(), DirectoryError> {
        if let Some(website) = self.web_site {
            client.website = Some(website);
        }
        if let Some(tax_number) = self.tax_number {
            client.tax_number = Some(mask_tax_number(&tax_number));
        }
        if let Some(month) = self.balance_month {
            client.balance_month = parse_balance_month(&month)?;
        }
        if let Some(period) = self.gst_period {
            client.gst_period = Some(gst_period_text(period)?.to_owned());
        }
        // `get` writes dates of birth and death as `yyyy-MM-dd`, whatever form they came in.
        if let Some(date) = self.date_of_birth {
            client.date_of_birth = Some(date.with_form(DateForm::Date));
        }
        if let Some(date) = self.date_of_death {
            client.date_of_death = Some(date.with_form(DateForm::Date));
        }
        if let Some(staff) = self.account_manager {
            client.account_manager = Some(staff_ref(directory, staff, "account manager")?);
        }
        if let Some(staff) = self.job_manager {
            client.job_manager = Some(staff_ref(directory, staff, "job manager")?);
        }
        if let Some(billed) = self.billing_client {
            if client.uuid == Some(billed) {
                return Err(DirectoryError::invalid("a client cannot be its own billing client"));
            }
            let billing = directory
                .client(billed)
                .ok_or_else(|| DirectoryError::invalid(format!("billing client {billed} not found")))?;
            client.billing_client = Some(NamedRef::new(billed, billing.name.clone().unwrap_or_default()));
        }
        if client.name.as_deref().is_none_or(|name| name.trim().is_empty()) {
            return Err(DirectoryError::invalid("a client needs a name"));
        }
        Ok(())
    }
}

fn staff_ref(directory: &Directory, uuid: Uuid, role: &str) -> Result<NamedRef, DirectoryError> {
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
fn parse_balance_month(text: &str) -> Result<Option<i32>, DirectoryError> {
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
fn gst_period_text(months: i32) -> Result<&'static str, DirectoryError> {
    match months {
        1 => Ok("Monthly"),
        2 => Ok("2 Monthly"),
        6 => Ok("6 Monthly"),
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
        assert_eq!(gst_period_text(2), Ok("2 Monthly"));
        assert!(gst_period_text(3).is_err());
    }
}

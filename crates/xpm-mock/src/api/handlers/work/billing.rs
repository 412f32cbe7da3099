//! Invoices (`invoice.api`) and quotes (`quote.api`): read only.

use std::sync::Arc;

use chrono::NaiveDate;
use parking_lot::RwLock;
use xpm_api::model::{Invoice, Quote};
use xpm_api::response::Envelope;

use super::support::number_param;
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;
use crate::practice::work::{InvoiceRecord, QuoteRecord, invoice_summary, quote_summary};

/// Invoices, detailed or short as `detailed=true` asks.
fn invoice_list(request: &ApiRequest, invoices: Vec<Arc<Invoice>>) -> Reply {
    let view: Option<fn(&Invoice) -> Invoice> = if request.flag("detailed") { None } else { Some(invoice_summary) };
    Reply::list(invoices, Envelope::default(), view)
}

fn invoices_where(practice: &RwLock<Practice>, keep: impl Fn(&InvoiceRecord) -> bool) -> Vec<Arc<Invoice>> {
    let practice = practice.read();
    practice
        .work
        .billing
        .invoices
        .iter()
        .filter(|record| keep(record))
        .map(|record| Arc::clone(&record.invoice))
        .collect()
}

/// `GET invoice.api/current`: approved invoices (issued, not yet paid or cancelled).
pub(in crate::api::handlers) fn current_invoices(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    Ok(invoice_list(request, invoices_where(practice, |record| record.status() == "Approved")))
}

/// `GET invoice.api/draft`.
pub(in crate::api::handlers) fn draft_invoices(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    Ok(invoice_list(request, invoices_where(practice, |record| record.status() == "Draft")))
}

/// `GET invoice.api/list?from&to`: invoices dated in the window, whatever their status.
pub(in crate::api::handlers) fn list_invoices(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let (from, to) = request.date_window()?;
    Ok(invoice_list(request, invoices_where(practice, |record| in_window(record.date(), from, to))))
}

/// `GET invoice.api/job/{jobNumber}`: the job's invoices, short shape.
pub(in crate::api::handlers) fn job_invoices(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let number = number_param(request, "jobNumber")?;
    let invoices = invoices_where(practice, |record| record.jobs.iter().any(|job| job.eq_ignore_ascii_case(number)));
    if invoices.is_empty() && practice.read().work.jobs.get(number).is_none() {
        return Err(ApiError::not_found(format!("job {number} not found")));
    }
    Ok(Reply::list(invoices, Envelope::default(), Some(invoice_summary)))
}

/// `GET invoice.api/get/{invoiceNumber}`: detailed.
pub(in crate::api::handlers) fn invoice(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let number = number_param(request, "invoiceNumber")?;
    let practice = practice.read();
    let record = practice.work.billing.invoice(number).ok_or_else(|| invoice_not_found(number))?;
    Ok(Reply::single((*record.invoice).clone()))
}

/// `GET invoice.api/payments/{invoiceNumber}`.
pub(in crate::api::handlers) fn payments(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let number = number_param(request, "invoiceNumber")?;
    let practice = practice.read();
    let record = practice.work.billing.invoice(number).ok_or_else(|| invoice_not_found(number))?;
    Ok(Reply::list(record.payments.clone(), Envelope::default(), None))
}

fn invoice_not_found(number: &str) -> ApiError {
    ApiError::not_found(format!("invoice {number} not found"))
}

fn in_window(date: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    (from..=to).contains(&date)
}

/// Quotes, detailed or short as `detailed=true` asks.
fn quote_list(request: &ApiRequest, practice: &RwLock<Practice>, keep: impl Fn(&QuoteRecord) -> bool) -> Reply {
    let quotes: Vec<Arc<Quote>> = {
        let practice = practice.read();
        practice
            .work
            .billing
            .quotes
            .iter()
            .filter(|record| keep(record))
            .map(|record| Arc::clone(&record.quote))
            .collect()
    };
    let view: Option<fn(&Quote) -> Quote> = if request.flag("detailed") { None } else { Some(quote_summary) };
    Reply::list(quotes, Envelope::default(), view)
}

/// `GET quote.api/current`: issued quotes awaiting the client's answer.
pub(in crate::api::handlers) fn current_quotes(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    Ok(quote_list(request, practice, |record| record.state() == "Issued"))
}

/// `GET quote.api/draft`.
pub(in crate::api::handlers) fn draft_quotes(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    Ok(quote_list(request, practice, |record| record.state() == "Draft"))
}

/// `GET quote.api/list?from&to`: quotes dated in the window, whatever their state.
pub(in crate::api::handlers) fn list_quotes(
    request: &ApiRequest,
    practice: &RwLock<Practice>,
) -> Result<Reply, ApiError> {
    let (from, to) = request.date_window()?;
    Ok(quote_list(request, practice, |record| in_window(record.date(), from, to)))
}

/// `GET quote.api/get/{quoteNumber}`: detailed.
pub(in crate::api::handlers) fn quote(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    let number = number_param(request, "quoteNumber")?;
    let practice = practice.read();
    let record =
        practice.work.billing.quote(number).ok_or_else(|| ApiError::not_found(format!("quote {number} not found")))?;
    Ok(Reply::single((*record.quote).clone()))
}

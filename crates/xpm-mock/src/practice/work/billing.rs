//! Invoices and quotes. The API only reads them, except that `job.api/createquote` and
//! `createestimate` draft a quote from a job.

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use xpm_api::model::{Invoice, InvoicePayment, JobCost, JobTask, Quote, QuoteCost, QuoteTask};
use xpm_api::value::{Decimal, YesNo};

use super::ids::{day, money, number};
use super::jobs::JobRecord;

/// GST on everything the demo practice bills (an Australian practice).
pub(crate) fn tax_rate() -> Decimal {
    Decimal::new(10, 2)
}

/// The practice's standard hourly rate.
pub(crate) fn hourly_rate() -> Decimal {
    Decimal::new(18_000, 2)
}

/// The amount for `minutes` at `rate` per hour.
pub(crate) fn time_amount(minutes: i32, rate: Decimal) -> Decimal {
    money(Decimal::from(minutes) * rate / Decimal::from(60))
}

/// The tax on `amount`.
pub(crate) fn tax_on(amount: Decimal) -> Decimal {
    money(amount * tax_rate())
}

/// An invoice with its payments and the jobs it bills.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct InvoiceRecord {
    /// The invoice in its detailed shape.
    pub(crate) invoice: Arc<Invoice>,
    /// Payments received (`invoice.api/payments`).
    pub(crate) payments: Vec<Arc<InvoicePayment>>,
    /// The numbers of the jobs it bills (`invoice.api/job`).
    pub(crate) jobs: Vec<String>,
}

impl InvoiceRecord {
    /// The invoice number.
    pub(crate) fn number(&self) -> &str {
        self.invoice.id.as_deref().unwrap_or_default()
    }

    /// The invoice date.
    pub(crate) fn date(&self) -> NaiveDate {
        self.invoice.date.map(|date| date.naive_date()).unwrap_or_default()
    }

    /// The invoice status (`Approved`, `Paid`, `Draft`, `Cancelled`).
    pub(crate) fn status(&self) -> &str {
        self.invoice.status.as_deref().unwrap_or_default()
    }
}

/// A quote and the job it was drafted from, if any.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct QuoteRecord {
    /// The quote in its detailed shape.
    pub(crate) quote: Arc<Quote>,
}

impl QuoteRecord {
    /// The quote number.
    pub(crate) fn number(&self) -> &str {
        self.quote.id.as_deref().unwrap_or_default()
    }

    /// The quote date.
    pub(crate) fn date(&self) -> NaiveDate {
        self.quote.date.map(|date| date.naive_date()).unwrap_or_default()
    }

    /// The quote state (`Draft`, `Issued`, `Accepted`, `Declined`).
    pub(crate) fn state(&self) -> &str {
        self.quote.state.as_deref().unwrap_or_default()
    }
}

/// Invoices and quotes.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Billing {
    /// Invoices, oldest first.
    pub(crate) invoices: Vec<InvoiceRecord>,
    /// Quotes, oldest first.
    pub(crate) quotes: Vec<QuoteRecord>,
    next_quote: u32,
}

impl Billing {
    /// The invoice numbered `number` (case-insensitive).
    pub(crate) fn invoice(&self, number: &str) -> Option<&InvoiceRecord> {
        let number = number.trim();
        self.invoices.iter().find(|record| record.number().eq_ignore_ascii_case(number))
    }

    /// The quote numbered `number` (case-insensitive).
    pub(crate) fn quote(&self, number: &str) -> Option<&QuoteRecord> {
        let number = number.trim();
        self.quotes.iter().find(|record| record.number().eq_ignore_ascii_case(number))
    }

    /// The next quote number.
    pub(crate) fn next_quote_number(&mut self) -> String {
        self.next_quote += 1;
        number('Q', self.next_quote)
    }

    /// Drafts a quote (`Quote`) or estimate (`Estimate`) from `job`: its tasks at the standard
    /// rate and its costs, dated `today`. Returns the new quote number.
    pub(crate) fn draft_from_job(&mut self, job: &JobRecord, kind: &str, today: NaiveDate) -> String {
        let id = self.next_quote_number();
        let quote = build_quote(QuoteHead { id: id.clone(), kind, state: "Draft", date: today }, job);
        self.quotes.push(QuoteRecord { quote: Arc::new(quote) });
        id
    }

    /// Adds a seeded quote, keeping the number sequence ahead of it.
    pub(crate) fn push_quote(&mut self, quote: Quote, sequence: u32) {
        self.next_quote = self.next_quote.max(sequence);
        self.quotes.push(QuoteRecord { quote: Arc::new(quote) });
    }
}

/// What a quote is besides its lines.
pub(crate) struct QuoteHead<'a> {
    /// Quote number.
    pub(crate) id: String,
    /// `Quote` or `Estimate`.
    pub(crate) kind: &'a str,
    /// `Draft`, `Issued`, `Accepted`, `Declined`.
    pub(crate) state: &'a str,
    /// Quote date; valid for thirty days.
    pub(crate) date: NaiveDate,
}

/// A quote for `job`: its task estimates at the standard rate and its costs.
pub(crate) fn build_quote(head: QuoteHead<'_>, job: &JobRecord) -> Quote {
    let tasks: Vec<QuoteTask> = job.tasks().iter().map(quote_task).collect();
    let costs: Vec<QuoteCost> = job.costs.iter().map(|cost| quote_cost(cost)).collect();
    let task_total: Decimal = tasks.iter().filter_map(|task| task.amount).sum();
    let cost_total: Decimal = costs.iter().filter_map(|cost| cost.amount).sum();
    let estimated_cost: Decimal =
        job.costs.iter().map(|cost| cost.quantity.unwrap_or_default() * cost.unit_cost.unwrap_or_default()).sum();
    let amount = money(task_total + cost_total);
    let mut quote = Quote::default();
    quote.id = Some(head.id);
    quote.quote_type = Some(head.kind.to_owned());
    quote.state = Some(head.state.to_owned());
    quote.name = job.job.name.clone();
    quote.description = job.job.description.clone();
    quote.budget = Some(money(job.job.budget.unwrap_or_default()));
    quote.option_explanation = Some(String::new());
    quote.date = Some(day(head.date));
    quote.valid_date = Some(day(head.date + Days::new(30)));
    quote.estimated_cost = Some(money(estimated_cost));
    quote.estimated_cost_tax = Some(tax_on(estimated_cost));
    quote.estimated_cost_including_tax = Some(money(estimated_cost + tax_on(estimated_cost)));
    quote.amount = Some(amount);
    quote.amount_tax = Some(tax_on(amount));
    quote.amount_including_tax = Some(money(amount + tax_on(amount)));
    quote.client = job.job.client.clone();
    quote.contact = job.job.contact.clone();
    quote.tasks = Some(tasks);
    quote.costs = Some(costs);
    quote.options = Some(Vec::new());
    quote
}

/// A quote line for a job task's estimate at the standard rate.
pub(crate) fn quote_task(task: &JobTask) -> QuoteTask {
    let minutes = task.estimated_minutes.unwrap_or_default();
    let amount = time_amount(minutes, hourly_rate());
    let mut line = QuoteTask::default();
    line.name = task.name.clone();
    line.description = Some(task.description.clone().unwrap_or_default());
    line.estimated_minutes = Some(minutes);
    line.billable_rate = Some(money(hourly_rate()));
    line.billable = Some(YesNo::from(task.billable.unwrap_or(true)));
    line.amount = Some(amount);
    line.amount_tax = Some(tax_on(amount));
    line.amount_including_tax = Some(money(amount + tax_on(amount)));
    line
}

/// A quote or invoice cost line for a job cost.
pub(crate) fn quote_cost(cost: &JobCost) -> QuoteCost {
    let quantity = cost.quantity.unwrap_or(Decimal::ONE);
    let amount = money(quantity * cost.unit_price.unwrap_or_default());
    let mut line = QuoteCost::default();
    line.description = cost.description.clone();
    line.note = Some(cost.note.clone().unwrap_or_default());
    line.code = Some(cost.code.clone().unwrap_or_default());
    line.billable = Some(YesNo::from(cost.billable.unwrap_or(true)));
    line.quantity = Some(quantity);
    line.unit_cost = cost.unit_cost;
    line.unit_price = cost.unit_price;
    line.amount = Some(amount);
    line.amount_tax = Some(tax_on(amount));
    line.amount_including_tax = Some(money(amount + tax_on(amount)));
    line
}

/// An invoice or quote in the short list shape: no lines.
pub(crate) fn invoice_summary(invoice: &Invoice) -> Invoice {
    let mut summary = invoice.clone();
    summary.jobs = None;
    summary.tasks = None;
    summary.costs = None;
    summary
}

/// A quote in the short list shape: no lines.
pub(crate) fn quote_summary(quote: &Quote) -> Quote {
    let mut summary = quote.clone();
    summary.tasks = None;
    summary.costs = None;
    summary.options = None;
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_two_places() {
        assert_eq!(time_amount(90, hourly_rate()).to_string(), "270.00");
        assert_eq!(tax_on(Decimal::new(27_000, 2)).to_string(), "27.00");
        assert_eq!(time_amount(-20, hourly_rate()).to_string(), "-60.00");
    }
}

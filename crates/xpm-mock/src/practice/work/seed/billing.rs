//! Seeded invoices and quotes: final invoices for most completed jobs, progress invoices for
//! some long-running ones, a few miscellaneous invoices; quotes that led to jobs and some that
//! did not. Numbers run in date order. Time billed on an invoice carries its invoice task.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use uuid::Uuid;
use xpm_api::model::{Invoice, InvoiceCost, InvoiceJob, InvoicePayment, InvoiceTask, Job, JobTask, Time};
use xpm_api::value::{Decimal, YesNo};
use xpm_synth::work_words;

use crate::practice::work::billing::{
    Billing, InvoiceRecord, QuoteHead, build_quote, hourly_rate, quote_cost, tax_on, time_amount,
};
use crate::practice::work::ids::{day, money, number, random_uuid};
use crate::practice::work::jobs::JobRecord;
use crate::practice::work::reference::StateKind;
use crate::practice::work::roster::RosterClient;

/// An invoice before numbering: its lines, and which job tasks each task line bills.
struct Draft {
    invoice: Invoice,
    jobs: Vec<String>,
    billed: Vec<(Uuid, Uuid)>,
}

/// Generates invoices and quotes and marks billed time.
pub(super) fn generate(
    jobs: &mut [JobRecord],
    times: &mut [Time],
    clients: &[RosterClient],
    today: NaiveDate,
    random: &mut impl Rng,
) -> Billing {
    let mut drafts = Vec::new();
    for record in jobs.iter() {
        let start = record.job.start_date.map(|date| date.naive_date()).unwrap_or(today);
        let date = match (record.state_kind, record.job.completed_date) {
            (StateKind::Completed, Some(completed)) if random.random_bool(0.85) => {
                Some((completed.naive_date() + Days::new(random.random_range(0..14))).min(today))
            }
            (StateKind::Current, _) if start + Days::new(60) < today && random.random_bool(0.25) => {
                Some(today - Days::new(random.random_range(0..30)))
            }
            _ => None,
        };
        if let Some(date) = date {
            let kind = if record.state_kind == StateKind::Completed { "Final Invoice" } else { "Progress Invoice" };
            drafts.push(job_invoice(record, kind, date, random));
        }
    }
    for _ in 0..(jobs.len() / 50).max(usize::from(!clients.is_empty())) {
        if let Some(client) = clients.choose(random) {
            let date = today - Days::new(random.random_range(0..540));
            drafts.push(miscellaneous_invoice(client, date, random));
        }
    }
    drafts.sort_by_key(|draft| draft.invoice.date.map(|date| date.value()));

    let mut billing = Billing::default();
    let mut billed_tasks: HashMap<Uuid, (Uuid, NaiveDate)> = HashMap::new();
    for (index, mut draft) in drafts.into_iter().enumerate() {
        draft.invoice.id = Some(number('I', index as u32 + 1));
        let payments = settle(&mut draft.invoice, today, random);
        let status = draft.invoice.status.as_deref().unwrap_or_default();
        if status != "Draft" && status != "Cancelled" {
            let date = draft.invoice.date.map(|date| date.naive_date()).unwrap_or(today);
            for (job_task, invoice_task) in draft.billed {
                billed_tasks.insert(job_task, (invoice_task, date));
            }
        }
        billing.invoices.push(InvoiceRecord { invoice: Arc::new(draft.invoice), payments, jobs: draft.jobs });
    }
    for time in times.iter_mut() {
        let task = time.task.as_ref().and_then(|task| task.uuid);
        let date = time.date.map(|date| date.naive_date());
        if let (Some((invoice_task, invoiced)), Some(date)) = (task.and_then(|task| billed_tasks.get(&task)), date)
            && date <= *invoiced
        {
            time.invoice_task_uuid = Some(*invoice_task);
        }
    }
    quotes(&mut billing, jobs, clients, today, random);
    billing
}

fn job_invoice(record: &JobRecord, kind: &str, date: NaiveDate, random: &mut impl Rng) -> Draft {
    let mut billed = Vec::new();
    let tasks: Vec<InvoiceTask> = record
        .tasks()
        .iter()
        .filter(|task| task.billable == Some(true) && task.actual_minutes.unwrap_or_default() > 0)
        .map(|task| {
            let line = invoice_task(task, task.actual_minutes.unwrap_or_default(), random);
            if let (Some(job_task), Some(invoice_task)) = (task.uuid, line.uuid) {
                billed.push((job_task, invoice_task));
            }
            line
        })
        .collect();
    let costs: Vec<InvoiceCost> =
        record.costs.iter().filter(|cost| cost.billable == Some(true)).map(|cost| quote_cost(cost)).collect();
    let mut job = InvoiceJob::default();
    job.id = record.job.id.clone();
    job.name = record.job.name.clone();
    job.description = record.job.description.clone();
    job.client_order_number = record.job.client_order_number.clone();
    let amount = line_total(&tasks, &costs);
    job.tasks = Some(tasks);
    job.costs = Some(costs);
    let mut invoice = invoice_head(kind, date, amount, random);
    invoice.job_text = record.job.id.clone();
    invoice.description = record.job.name.clone();
    invoice.client = record.job.client.clone();
    invoice.contact = record.job.contact.clone();
    invoice.jobs = Some(vec![job]);
    Draft { invoice, jobs: vec![record.number().to_owned()], billed }
}

fn miscellaneous_invoice(client: &RosterClient, date: NaiveDate, random: &mut impl Rng) -> Draft {
    let mut task = JobTask::default();
    task.name = Some("Advisory meeting".to_owned());
    task.description = Some("Ad hoc advice".to_owned());
    let tasks = vec![invoice_task(&task, random.random_range(4..=12) * 15, random)];
    let amount = line_total(&tasks, &[]);
    let mut invoice = invoice_head("Miscellaneous", date, amount, random);
    invoice.job_text = Some(String::new());
    invoice.description = Some("Ad hoc advice".to_owned());
    invoice.client = Some(client.client.clone());
    invoice.contact = client.contact.clone();
    invoice.tasks = Some(tasks);
    invoice.costs = Some(Vec::new());
    Draft { invoice, jobs: Vec::new(), billed: Vec::new() }
}

fn invoice_task(task: &JobTask, minutes: i32, random: &mut impl Rng) -> InvoiceTask {
    let amount = time_amount(minutes, hourly_rate());
    let mut line = InvoiceTask::default();
    line.uuid = Some(random_uuid(random));
    line.name = task.name.clone();
    line.description = Some(task.description.clone().unwrap_or_default());
    line.minutes = Some(minutes);
    line.billable_rate = Some(money(hourly_rate()));
    line.billable = Some(YesNo::Yes);
    line.amount = Some(amount);
    line.amount_tax = Some(tax_on(amount));
    line.amount_including_tax = Some(money(amount + tax_on(amount)));
    line
}

fn line_total(tasks: &[InvoiceTask], costs: &[InvoiceCost]) -> Decimal {
    let tasks: Decimal = tasks.iter().filter_map(|task| task.amount).sum();
    let costs: Decimal = costs.iter().filter_map(|cost| cost.amount).sum();
    money(tasks + costs)
}

fn invoice_head(kind: &str, date: NaiveDate, amount: Decimal, random: &mut impl Rng) -> Invoice {
    let mut invoice = Invoice::default();
    invoice.uuid = Some(random_uuid(random));
    invoice.invoice_type = Some(kind.to_owned());
    invoice.date = Some(day(date));
    invoice.due_date = Some(day(date + Days::new(14)));
    invoice.amount = Some(amount);
    invoice.amount_tax = Some(tax_on(amount));
    invoice.amount_including_tax = Some(money(amount + tax_on(amount)));
    invoice
}

/// Picks a status from the invoice's age and records payments to match.
fn settle(invoice: &mut Invoice, today: NaiveDate, random: &mut impl Rng) -> Vec<Arc<InvoicePayment>> {
    let date = invoice.date.map(|date| date.naive_date()).unwrap_or(today);
    let age = (today - date).num_days();
    let total = invoice.amount_including_tax.unwrap_or_default();
    let roll = random.random_range(0..100);
    let (status, paid_share) = match age {
        _ if roll < 3 => ("Cancelled", 0),
        0..14 if roll < 40 => ("Draft", 0),
        0..14 => ("Approved", 0),
        14..45 if roll < 50 => ("Paid", 100),
        14..45 => ("Approved", if roll < 75 { 40 } else { 0 }),
        _ if roll < 92 => ("Paid", 100),
        _ => ("Approved", 50),
    };
    let mut payments = Vec::new();
    let mut paid = Decimal::ZERO;
    if paid_share > 0 {
        let due = money(total * Decimal::from(paid_share) / Decimal::from(100));
        let parts = if paid_share == 100 && random.random_bool(0.2) { 2 } else { 1 };
        for part in 0..parts {
            let amount = if part + 1 == parts { due - paid } else { money(due / Decimal::from(2)) };
            let paid_on = (date + Days::new(random.random_range(3..40))).min(today);
            let mut payment = InvoicePayment::default();
            payment.date = Some(day(paid_on));
            payment.amount = Some(money(amount));
            payment.reference = Some(format!("EFT {}", random.random_range(100_000..999_999)));
            paid += amount;
            payments.push(Arc::new(payment));
        }
    }
    invoice.status = Some(status.to_owned());
    invoice.amount_paid = Some(money(paid));
    let outstanding = if status == "Cancelled" { Decimal::ZERO } else { total - paid };
    invoice.amount_outstanding = Some(money(outstanding));
    payments
}

/// Quotes for about one job in eight (accepted, dated before the job), plus open and declined
/// quotes that never became jobs; numbered in date order.
fn quotes(
    billing: &mut Billing,
    jobs: &[JobRecord],
    clients: &[RosterClient],
    today: NaiveDate,
    random: &mut impl Rng,
) {
    let mut drafts: Vec<(NaiveDate, &'static str, &'static str, JobRecord)> = Vec::new();
    for record in jobs {
        if random.random_bool(0.12) {
            let date = record.created - Days::new(random.random_range(7..30));
            let kind = if random.random_bool(0.7) { "Quote" } else { "Estimate" };
            drafts.push((date, kind, "Accepted", record.clone()));
        }
    }
    let Some(template) = jobs.first() else { return };
    // Standalone quotes cycle through the states, so every quote list has something to show.
    for index in 0..(jobs.len() / 25 + 4) {
        let Some(client) = clients.choose(random) else { break };
        let (state, age) = match index % 4 {
            0 => ("Draft", random.random_range(0..30)),
            1 => ("Issued", random.random_range(0..60)),
            2 => ("Declined", random.random_range(30..200)),
            _ => ("Accepted", random.random_range(30..200)),
        };
        let mut job = Job::default();
        let name = work_words::pick(random, work_words::QUOTE_NAMES);
        job.name = Some(name.to_owned());
        job.description = Some(format!("{name} for {}", client.client.name.as_deref().unwrap_or_default()));
        job.client = Some(client.client.clone());
        job.contact = client.contact.clone();
        let mut task = JobTask::default();
        task.name = Some(name.to_owned());
        task.description = Some(String::new());
        task.estimated_minutes = Some(random.random_range(4..=40) * 15);
        task.billable = Some(true);
        job.tasks = Some(vec![task]);
        let record = JobRecord { job: Arc::new(job), costs: Vec::new(), documents: Vec::new(), ..template.clone() };
        drafts.push((today - Days::new(age), "Quote", state, record));
    }
    drafts.sort_by_key(|(date, ..)| *date);
    for (index, (date, kind, state, record)) in drafts.into_iter().enumerate() {
        let sequence = index as u32 + 1;
        let quote = build_quote(QuoteHead { id: number('Q', sequence), kind, state, date }, &record);
        billing.push_quote(quote, sequence);
    }
}

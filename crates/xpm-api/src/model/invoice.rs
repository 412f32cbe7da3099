//! Invoices (`invoice.api`, read only) and their payments.

use super::common::NamedRef;
use crate::value::{Decimal, Uuid, XpmDate, YesNo};

xpm_record! {
    /// An invoice. JSON: `InvoiceDto`.
    ///
    /// A job invoice lists its lines under `jobs`; a miscellaneous invoice has `tasks` and
    /// `costs` directly. Lines appear only in the detailed shape.
    pub struct Invoice {
        /// Invoice number, e.g. `I000123`. Invoices are addressed by it.
        id: String = value "ID",
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// The identifier under the name XPM's documented list and job-invoice examples use
        /// (`<InternalUUID>`). Kept so such bodies round-trip; JSON has only `uuid`. Prefer
        /// [`Invoice::identifier`].
        #[serde(skip)]
        internal_uuid: Uuid = value "InternalUUID",
        /// Invoice type, e.g. `Progress Invoice`, `Miscellaneous`.
        #[serde(rename = "type")]
        invoice_type: String = value "Type",
        /// Approved, Paid, Draft or Cancelled.
        status: String = value "Status",
        /// The job numbers the invoice covers, as text.
        job_text: String = value "JobText",
        /// Description (in the OpenAPI only; XML position inferred).
        description: String = value "Description",
        /// Invoice date.
        date: XpmDate = value "Date",
        /// Due date.
        due_date: XpmDate = value "DueDate",
        /// Amount excluding tax.
        amount: Decimal = value "Amount",
        /// Tax.
        amount_tax: Decimal = value "AmountTax",
        /// Amount including tax.
        amount_including_tax: Decimal = value "AmountIncludingTax",
        /// Amount paid so far.
        amount_paid: Decimal = value "AmountPaid",
        /// Amount still owed.
        amount_outstanding: Decimal = value "AmountOutstanding",
        /// The client. JSON: `InvoicePartyDto`.
        client: NamedRef = record "Client",
        /// The client's contact.
        contact: NamedRef = record "Contact",
        /// Jobs invoiced, with their lines (job invoices, detailed shape).
        jobs: InvoiceJob = list "Jobs" "Job",
        /// Task lines (miscellaneous invoices, detailed shape).
        tasks: InvoiceTask = list "Tasks" "Task",
        /// Cost lines (miscellaneous invoices, detailed shape).
        costs: InvoiceCost = list "Costs" "Cost",
    }
}

impl Invoice {
    /// The invoice's identifier, whether XPM sent it as `<UUID>` or `<InternalUUID>`.
    pub fn identifier(&self) -> Option<Uuid> {
        self.uuid.or(self.internal_uuid)
    }
}

xpm_record! {
    /// A job on a job invoice, with the lines billed for it. JSON: `InvoiceJobDto`.
    pub struct InvoiceJob {
        /// Job number.
        id: String = value "ID",
        /// Job name.
        name: String = value "Name",
        /// Job description.
        description: String = value "Description",
        /// The client's order number.
        client_order_number: String = value "ClientOrderNumber",
        /// Task lines.
        tasks: InvoiceTask = list "Tasks" "Task",
        /// Cost lines.
        costs: InvoiceCost = list "Costs" "Cost",
    }
}

xpm_record! {
    /// A task line on an invoice. JSON: `InvoiceTaskDto`.
    pub struct InvoiceTask {
        /// Identifier (what a time entry's `InvoiceTaskUUID` refers to).
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
        /// Minutes billed.
        minutes: i32 = value "Minutes",
        /// Hourly rate.
        billable_rate: Decimal = value "BillableRate",
        /// Whether the line is billable: `Yes`/`No` here, unlike job tasks.
        billable: YesNo = value "Billable",
        /// Amount excluding tax.
        amount: Decimal = value "Amount",
        /// Tax.
        amount_tax: Decimal = value "AmountTax",
        /// Amount including tax.
        amount_including_tax: Decimal = value "AmountIncludingTax",
    }
}

xpm_record! {
    /// A cost line on an invoice or a quote. JSON: `InvoiceCostDto` / `QuoteCostDto`.
    pub struct InvoiceCost {
        /// Description.
        description: String = value "Description",
        /// Note.
        note: String = value "Note",
        /// Code.
        code: String = value "Code",
        /// Whether the line is billable: `Yes`/`No` here, unlike job costs.
        billable: YesNo = value "Billable",
        /// Quantity.
        quantity: Decimal = value "Quantity",
        /// Unit cost.
        unit_cost: Decimal = value "UnitCost",
        /// Unit price.
        unit_price: Decimal = value "UnitPrice",
        /// Amount excluding tax.
        amount: Decimal = value "Amount",
        /// Tax.
        amount_tax: Decimal = value "AmountTax",
        /// Amount including tax.
        amount_including_tax: Decimal = value "AmountIncludingTax",
    }
}

xpm_record! {
    /// A payment against an invoice (`invoice.api/payments`). JSON: `InvoicePaymentDto`.
    pub struct InvoicePayment {
        /// Payment date.
        date: XpmDate = value "Date",
        /// Amount paid.
        amount: Decimal = value "Amount",
        /// Payment reference.
        reference: String = value "Reference",
    }
}

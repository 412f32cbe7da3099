//! Quotes and estimates (`quote.api`, read only; created from jobs with `job.api/createquote`).

use super::common::NamedRef;
use super::invoice::InvoiceCost;
use crate::value::{Decimal, XpmDate, YesNo};

/// A cost line on a quote: the same shape as an invoice cost line. JSON: `QuoteCostDto`.
pub type QuoteCost = InvoiceCost;

xpm_record! {
    /// A quote or estimate. JSON: `QuoteDto`. Lines appear only in the detailed shape.
    pub struct Quote {
        /// Quote number, e.g. `Q000123`. Quotes are addressed by it.
        id: String = value "ID",
        /// `Quote` or `Estimate`.
        #[serde(rename = "type")]
        quote_type: String = value "Type",
        /// State, e.g. `Issued`.
        state: String = value "State",
        /// Name.
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
        /// Budget.
        budget: Decimal = value "Budget",
        /// Text explaining the options.
        option_explanation: String = value "OptionExplanation",
        /// Quote date.
        date: XpmDate = value "Date",
        /// Valid until.
        valid_date: XpmDate = value "ValidDate",
        /// Estimated cost excluding tax.
        estimated_cost: Decimal = value "EstimatedCost",
        /// Tax on the estimated cost.
        estimated_cost_tax: Decimal = value "EstimatedCostTax",
        /// Estimated cost including tax.
        estimated_cost_including_tax: Decimal = value "EstimatedCostIncludingTax",
        /// Amount excluding tax.
        amount: Decimal = value "Amount",
        /// Tax.
        amount_tax: Decimal = value "AmountTax",
        /// Amount including tax.
        amount_including_tax: Decimal = value "AmountIncludingTax",
        /// The client. JSON: `QuotePartyDto`.
        client: NamedRef = record "Client",
        /// The client's contact.
        contact: NamedRef = record "Contact",
        /// Task lines.
        tasks: QuoteTask = list "Tasks" "Task",
        /// Cost lines.
        costs: QuoteCost = list "Costs" "Cost",
        /// Optional extras the client may choose.
        options: QuoteOption = list "Options" "Option",
    }
}

xpm_record! {
    /// A task line on a quote. JSON: `QuoteTaskDto`.
    pub struct QuoteTask {
        /// Name.
        name: String = value "Name",
        /// Description.
        description: String = value "Description",
        /// Estimated minutes.
        estimated_minutes: i32 = value "EstimatedMinutes",
        /// Hourly rate.
        billable_rate: Decimal = value "BillableRate",
        /// Whether the line is billable (`Yes`/`No`).
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
    /// An optional extra on a quote: a cost line without a billable flag. JSON: `QuoteOptionDto`.
    pub struct QuoteOption {
        /// Description.
        description: String = value "Description",
        /// Note.
        note: String = value "Note",
        /// Code.
        code: String = value "Code",
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

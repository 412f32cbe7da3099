//! Costs: the practice's price list (`cost.api`) and the costs recorded on a job
//! (`job.api/costs`). The two share the `<Cost>` element name but not their shape.

use super::common::NamedRef;
use crate::value::{Decimal, Uuid, XpmDate};

xpm_record! {
    /// A price-list item. JSON: `CostDto`.
    pub struct Cost {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Description.
        description: String = value "Description",
        /// Code.
        code: String = value "Code",
        /// Note.
        note: String = value "Note",
        /// Unit cost.
        unit_cost: Decimal = value "UnitCost",
        /// Unit price.
        unit_price: Decimal = value "UnitPrice",
        /// Income account code.
        income_account: String = value "IncomeAccount",
        /// Cost-of-sale account code.
        cost_of_sale_account: String = value "CostOfSaleAccount",
        /// Supplier (in the OpenAPI only; XML position inferred).
        supplier: NamedRef = record "Supplier",
    }
}

xpm_record! {
    /// A cost recorded on a job. JSON: `JobCostDto`.
    pub struct JobCost {
        /// Identifier, used by `job.api/cost` updates and the job-cost custom fields.
        uuid: Uuid = value "UUID",
        /// Date the cost was incurred.
        date: XpmDate = value "Date",
        /// Description.
        description: String = value "Description",
        /// Code.
        code: String = value "Code",
        /// Note.
        note: String = value "Note",
        /// Quantity.
        quantity: Decimal = value "Quantity",
        /// Unit cost.
        unit_cost: Decimal = value "UnitCost",
        /// Unit price.
        unit_price: Decimal = value "UnitPrice",
        /// Whether the cost is billable (`true`/`false`, unlike invoice lines).
        billable: bool = value "Billable",
        /// Supplier (in the OpenAPI only; XML position inferred). JSON: `JobCostSupplierDto`.
        supplier: NamedRef = record "Supplier",
    }
}

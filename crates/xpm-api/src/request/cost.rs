//! Price-list bodies (`cost.api`): add, update, delete and delete-all. Every write needs the
//! broad `practicemanager` scope.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::ids::CostId;
use crate::value::{Decimal, Uuid};
use crate::xml::{DecodeError, XmlReader, XmlRecord, XmlWriter};

xpm_request! {
    /// `POST cost.api/add`. JSON: `CostAddRequestDto`. The response is the cost.
    pub struct CostAddRequest {
        /// Description (required).
        description: String = value "Description",
        /// Code.
        code: String = value "Code",
        /// Note.
        note: String = value "Note",
        /// Unit cost.
        unit_cost: Decimal = value "UnitCost",
        /// Unit price.
        unit_price: Decimal = value "UnitPrice",
        /// Supplier (OpenAPI only).
        supplier_uuid: Uuid = value "SupplierUUID",
    }
}

request_body!(CostAddRequest, "Cost", "CostAddRequestDto", requires description "Description" "description");

xpm_request! {
    /// `PUT cost.api/update`. JSON: `CostUpdateRequestDto`. The response is the cost.
    pub struct CostUpdateRequest {
        /// The cost (required).
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
        /// Supplier (OpenAPI only).
        supplier_uuid: Uuid = value "SupplierUUID",
    }
}

request_body!(CostUpdateRequest, "Cost", "CostUpdateRequestDto", requires uuid "UUID" "uuid");

xpm_request! {
    /// `POST cost.api/delete`. JSON: `CostDeleteRequestDto`. The response is a status only.
    pub struct CostDeleteRequest {
        /// The cost (required).
        uuid: Uuid = value "UUID",
    }
}

request_body!(CostDeleteRequest, "Cost", "CostDeleteRequestDto", requires uuid "UUID" "uuid");

/// `POST cost.api/deleteall`: empties the price list. XML `<DeleteAll />`, JSON `{}`
/// (`CostDeleteAllRequestDto`). The response is a status only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostDeleteAllRequest {}

impl XmlRecord for CostDeleteAllRequest {
    fn decode_children<R: BufRead>(&mut self, reader: &mut XmlReader<R>) -> Result<(), DecodeError> {
        while let Some(empty) = reader.next_child_within()? {
            reader.skip(empty)?;
        }
        Ok(())
    }

    fn encode_children(&self, _writer: &mut XmlWriter) {}
}

request_body!(CostDeleteAllRequest, "DeleteAll", "CostDeleteAllRequestDto");

impl CostAddRequest {
    /// A request to add a cost described as `description`.
    pub fn new(description: impl Into<String>) -> Self {
        Self { description: Some(description.into()), ..Self::default() }
    }
}

impl CostUpdateRequest {
    /// A request to update `cost`; set the fields to change.
    pub fn new(cost: impl Into<CostId>) -> Self {
        Self { uuid: Some(cost.into().uuid()), ..Self::default() }
    }
}

impl CostDeleteRequest {
    /// A request to delete `cost`.
    pub fn new(cost: impl Into<CostId>) -> Self {
        Self { uuid: Some(cost.into().uuid()) }
    }
}

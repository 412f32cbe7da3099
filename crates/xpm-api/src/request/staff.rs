//! Staff bodies (`staff.api`): add, update, and the bodies that only name a staff member.

use crate::ids::StaffId;
use crate::value::Uuid;

xpm_request! {
    /// `POST staff.api/add`. JSON: `StaffAddRequestDto`. The response is the staff member.
    pub struct StaffAddRequest {
        /// Name (required).
        name: String = value "Name",
        /// Address.
        address: String = value "Address",
        /// Phone.
        phone: String = value "Phone",
        /// Mobile.
        mobile: String = value "Mobile",
        /// Email.
        email: String = value "Email",
        /// Payroll code.
        payroll_code: String = value "PayrollCode",
    }
}

request_body!(StaffAddRequest, "Staff", "StaffAddRequestDto", requires name "Name" "name");

xpm_request! {
    /// `PUT staff.api/update`. JSON: `StaffUpdateRequestDto`. The response is the staff member.
    pub struct StaffUpdateRequest {
        /// The staff member (required).
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Address.
        address: String = value "Address",
        /// Phone.
        phone: String = value "Phone",
        /// Mobile.
        mobile: String = value "Mobile",
        /// Email.
        email: String = value "Email",
        /// Payroll code.
        payroll_code: String = value "PayrollCode",
    }
}

request_body!(StaffUpdateRequest, "Staff", "StaffUpdateRequestDto", requires uuid "UUID" "uuid");

xpm_request! {
    /// `POST staff.api/delete`, `enable`, `disable` and `forgottenpassword`: a body naming one
    /// staff member. JSON: `StaffIdentifierRequestDto`. Each answers with a status only.
    ///
    /// XPM documents a `<Security>` element for `enable` without describing its content; it
    /// is not modelled.
    pub struct StaffIdentifierRequest {
        /// The staff member (required).
        uuid: Uuid = value "UUID",
    }
}

request_body!(StaffIdentifierRequest, "Staff", "StaffIdentifierRequestDto", requires uuid "UUID" "uuid");

impl StaffIdentifierRequest {
    /// A body naming `staff`.
    pub fn new(staff: impl Into<StaffId>) -> Self {
        Self { uuid: Some(staff.into().uuid()) }
    }
}

impl StaffAddRequest {
    /// A request to add a staff member called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: Some(name.into()), ..Self::default() }
    }
}

impl StaffUpdateRequest {
    /// A request to update `staff`; set the fields to change.
    pub fn new(staff: impl Into<StaffId>) -> Self {
        Self { uuid: Some(staff.into().uuid()), ..Self::default() }
    }
}

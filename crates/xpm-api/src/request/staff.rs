//! Staff bodies (`staff.api`): add, update, and the bodies that only name a staff member.

use crate::value::Uuid;

xpm_record! {
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

xpm_record! {
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

xpm_record! {
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
    /// A body naming staff member `uuid`.
    pub fn new(uuid: Uuid) -> Self {
        Self { uuid: Some(uuid) }
    }
}

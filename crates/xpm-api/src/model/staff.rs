//! Staff (`staff.api`).

use crate::value::Uuid;

xpm_record! {
    /// A staff member. JSON: `StaffDto`.
    pub struct Staff {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Email.
        email: String = value "Email",
        /// Phone.
        phone: String = value "Phone",
        /// Mobile.
        mobile: String = value "Mobile",
        /// Address.
        address: String = value "Address",
        /// Payroll code.
        payroll_code: String = value "PayrollCode",
        /// Link to the staff member in the XPM web app.
        web_url: String = value "WebUrl",
    }
}

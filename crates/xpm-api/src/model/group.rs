//! Client groups (`clientgroup.api`).

use super::common::NamedRef;
use crate::value::{Uuid, YesNo};

xpm_record! {
    /// A client group. `list` gives no members; `get`, `add` and `members` fill `clients`.
    /// JSON: `ClientGroupDto` / `ClientGroupDetailDto`.
    pub struct ClientGroup {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Name.
        name: String = value "Name",
        /// Whether the group is taxable (practice-management module only).
        taxable: YesNo = value "Taxable",
        /// Link to the group in the XPM web app.
        web_url: String = value "WebUrl",
        /// Member clients.
        clients: NamedRef = list "Clients" "Client",
    }
}

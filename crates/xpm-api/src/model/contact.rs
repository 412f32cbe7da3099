//! Contacts (`client.api/contact*`).

use crate::value::{Uuid, YesNo};

xpm_record! {
    /// A contact person. `Position` and `IsPrimary` belong to the link between a contact and one
    /// client, so they appear only inside a client or when fetched with `clientUuid`.
    /// JSON: `ClientContactDto`.
    pub struct Contact {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Full name.
        name: String = value "Name",
        /// Mobile.
        mobile: String = value "Mobile",
        /// Email.
        email: String = value "Email",
        /// Phone.
        phone: String = value "Phone",
        /// Salutation, e.g. "Dear Ann".
        salutation: String = value "Salutation",
        /// Addressee for letters.
        addressee: String = value "Addressee",
        /// Position at the client.
        position: String = value "Position",
        /// Whether this is the client's primary contact.
        is_primary: YesNo = value "IsPrimary",
        /// Whether the contact is deleted.
        is_deleted: YesNo = value "IsDeleted",
    }
}

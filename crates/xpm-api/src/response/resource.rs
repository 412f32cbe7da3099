//! What each resource is called in XML and JSON bodies.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{Client, ClientGroup, Contact, Staff};
use crate::xml::XmlRecord;

/// An element name and the matching JSON property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    /// XML element name, e.g. `Clients`.
    pub xml: &'static str,
    /// JSON property name, e.g. `clients`.
    pub json: &'static str,
}

/// A resource that XPM returns on its own (`<Client>`) or in a collection (`<Clients>`).
pub trait Resource: XmlRecord + Serialize + DeserializeOwned {
    /// The single item: `Client` / `client`.
    const ITEM: Names;
    /// The collection: `Clients` / `clients`.
    const COLLECTION: Names;
}

macro_rules! resource {
    ($ty:ty, $item_xml:literal, $item_json:literal, $list_xml:literal, $list_json:literal) => {
        impl Resource for $ty {
            const ITEM: Names = Names { xml: $item_xml, json: $item_json };
            const COLLECTION: Names = Names { xml: $list_xml, json: $list_json };
        }
    };
}

resource!(Client, "Client", "client", "Clients", "clients");
resource!(Contact, "Contact", "contact", "Contacts", "contacts");
resource!(ClientGroup, "Group", "group", "Groups", "groups");
resource!(Staff, "Staff", "staff", "StaffList", "staffList");

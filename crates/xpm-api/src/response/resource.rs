//! What each resource is called in XML and JSON bodies.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{
    Category, Client, ClientGroup, Contact, Cost, CustomFieldDefinition, CustomFieldValue, Document, Invoice,
    InvoicePayment, Job, JobCost, JobState, Quote, Staff, Task, Template, Time,
};
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
///
/// Resources are owned data (`Send + 'static`), so lists of them can be decoded on one thread
/// and consumed on another.
pub trait Resource: XmlRecord + Serialize + DeserializeOwned + Send + 'static {
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
resource!(Job, "Job", "job", "Jobs", "jobs");
resource!(Task, "Task", "task", "TaskList", "taskList");
resource!(Time, "Time", "time", "Times", "times");
resource!(Cost, "Cost", "cost", "Costs", "costs");
resource!(JobCost, "Cost", "cost", "Costs", "costs");
resource!(Invoice, "Invoice", "invoice", "Invoices", "invoices");
resource!(InvoicePayment, "Payment", "payment", "Payments", "payments");
resource!(Quote, "Quote", "quote", "Quotes", "quotes");
resource!(Category, "Category", "category", "Categories", "categories");
// jobstate.api is documented only in the OpenAPI: the XML names are inferred from `jobStates`.
resource!(JobState, "JobState", "jobState", "JobStates", "jobStates");
resource!(Template, "Template", "template", "Templates", "templates");
resource!(
    CustomFieldDefinition,
    "CustomFieldDefinition",
    "customFieldDefinition",
    "CustomFieldDefinitions",
    "customFieldDefinitions"
);
resource!(CustomFieldValue, "CustomField", "customField", "CustomFields", "customFields");
resource!(Document, "Document", "document", "Documents", "documents");

/// The names of every resource's item and collection. A body that carries one of them where the
/// operation expects another belongs to another operation: decoding it as this one would yield
/// an empty list or no item instead of an error.
const PAYLOAD_NAMES: &[Names] = &[
    Names { xml: "Client", json: "client" },
    Names { xml: "Clients", json: "clients" },
    Names { xml: "Contact", json: "contact" },
    Names { xml: "Contacts", json: "contacts" },
    Names { xml: "Group", json: "group" },
    Names { xml: "Groups", json: "groups" },
    Names { xml: "Staff", json: "staff" },
    Names { xml: "StaffList", json: "staffList" },
    Names { xml: "Job", json: "job" },
    Names { xml: "Jobs", json: "jobs" },
    Names { xml: "Task", json: "task" },
    Names { xml: "TaskList", json: "taskList" },
    Names { xml: "Time", json: "time" },
    Names { xml: "Times", json: "times" },
    Names { xml: "Cost", json: "cost" },
    Names { xml: "Costs", json: "costs" },
    Names { xml: "Invoice", json: "invoice" },
    Names { xml: "Invoices", json: "invoices" },
    Names { xml: "Payment", json: "payment" },
    Names { xml: "Payments", json: "payments" },
    Names { xml: "Quote", json: "quote" },
    Names { xml: "Quotes", json: "quotes" },
    Names { xml: "Category", json: "category" },
    Names { xml: "Categories", json: "categories" },
    Names { xml: "JobState", json: "jobState" },
    Names { xml: "JobStates", json: "jobStates" },
    Names { xml: "Template", json: "template" },
    Names { xml: "Templates", json: "templates" },
    Names { xml: "CustomFieldDefinition", json: "customFieldDefinition" },
    Names { xml: "CustomFieldDefinitions", json: "customFieldDefinitions" },
    Names { xml: "CustomField", json: "customField" },
    Names { xml: "CustomFields", json: "customFields" },
    Names { xml: "Document", json: "document" },
    Names { xml: "Documents", json: "documents" },
];

/// The XML name of another resource's payload, if `element` is one and not `expected`.
pub(crate) fn foreign_xml_payload(element: &[u8], expected: Names) -> Option<&'static str> {
    PAYLOAD_NAMES.iter().map(|names| names.xml).find(|name| name.as_bytes() == element && *name != expected.xml)
}

/// The JSON key of another resource's payload, if `key` is one and not `expected`.
pub(crate) fn foreign_json_payload(key: &str, expected: Names) -> Option<&'static str> {
    PAYLOAD_NAMES.iter().map(|names| names.json).find(|name| *name == key && *name != expected.json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_names_are_known_payloads() {
        fn known<T: Resource>() {
            for names in [T::ITEM, T::COLLECTION] {
                assert!(PAYLOAD_NAMES.contains(&names), "{names:?}");
            }
        }
        known::<Client>();
        known::<Contact>();
        known::<ClientGroup>();
        known::<Staff>();
        known::<Job>();
        known::<Task>();
        known::<Time>();
        known::<Cost>();
        known::<JobCost>();
        known::<Invoice>();
        known::<InvoicePayment>();
        known::<Quote>();
        known::<Category>();
        known::<JobState>();
        known::<Template>();
        known::<CustomFieldDefinition>();
        known::<CustomFieldValue>();
        known::<Document>();
    }
}

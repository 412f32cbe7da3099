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

//! XPM operations, by area: the directory (clients, contacts, groups, staff) and the work book
//! (jobs, time, costs, billing, reference lists). One exhaustive `match` routes every catalog
//! operation to its handler, so an operation without one does not build.

mod directory;
#[cfg(test)]
mod test_support;
mod work;

use parking_lot::RwLock;
use xpm_api::catalog::OperationId;

use super::reply::{ApiError, Reply};
use super::request::ApiRequest;
use crate::practice::Practice;

type Handler = fn(&ApiRequest, &RwLock<Practice>) -> Result<Reply, ApiError>;

/// Runs the operation against the practice.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Result<Reply, ApiError> {
    handler(request.operation.id)(request, practice)
}

/// The handler of each operation.
fn handler(operation: OperationId) -> Handler {
    use OperationId::*;
    match operation {
        ClientList => directory::clients::list,
        ClientPagedList => directory::clients::paged_list,
        ClientSearch => directory::clients::search,
        ClientGetByIdentifier => directory::clients::get,
        ClientAdd => directory::clients::add,
        ClientUpdate => directory::clients::update,
        ClientArchive => directory::clients::archive,
        ClientDelete => directory::clients::delete,
        ClientContacts => directory::contacts::list,
        ClientContactGet => directory::contacts::get,
        ClientContactPost => directory::contacts::add,
        ClientContactPut => directory::contacts::update,
        ClientContactDelete => directory::contacts::delete,
        ClientClientContact => directory::contacts::link,
        ClientDocuments => directory::extras::documents,
        ClientDocument => directory::extras::add_document,
        ClientAddRelationship => directory::extras::add_relationship,
        ClientUpdateRelationship => directory::extras::update_relationship,
        ClientDeleteRelationship => directory::extras::delete_relationship,
        ClientGroupList => directory::groups::list,
        ClientGroupGetByIdentifier => directory::groups::get,
        ClientGroupAdd => directory::groups::add,
        ClientGroupMembers => directory::groups::members,
        ClientGroupDelete => directory::groups::delete,
        StaffList => directory::staff::list,
        StaffGetByUuid => directory::staff::get,
        StaffAdd => directory::staff::add,
        StaffUpdate => directory::staff::update,
        StaffDelete => directory::staff::delete,
        StaffEnable => directory::staff::enable,
        StaffDisable => directory::staff::disable,
        StaffForgottenPassword => directory::staff::forgotten_password,
        JobCurrent => work::jobs::current,
        JobList => work::jobs::list,
        JobClientByIdentifier => work::jobs::client,
        Job2StaffByIdentifier => work::jobs::staff,
        JobGet => work::jobs::get,
        JobTasks => work::jobs::tasks,
        JobDocuments => work::jobs::documents,
        JobCosts => work::jobs::costs,
        JobAdd => work::job_writes::add,
        JobUpdate => work::job_writes::update,
        JobState => work::job_writes::state,
        JobDelete => work::job_writes::delete,
        JobNote => work::job_writes::note,
        JobDocument => work::job_writes::document,
        JobApplyTemplate => work::job_writes::apply_template,
        JobReOrderTasks => work::job_writes::reorder_tasks,
        JobAssign => work::job_writes::assign,
        JobTaskAdd => work::job_writes::add_task,
        JobTaskUpdate => work::job_writes::update_task,
        JobCompleteTask => work::job_writes::complete_task,
        JobReOpenTask => work::job_writes::reopen_task,
        JobCostAdd => work::job_writes::add_cost,
        JobCostUpdate => work::job_writes::update_cost,
        JobCreateQuote => work::job_writes::create_quote,
        JobCreateEstimate => work::job_writes::create_estimate,
        TaskList => work::reference::task_types,
        TaskGet => work::reference::task_type,
        CategoryList => work::reference::categories,
        JobStateList => work::reference::job_states,
        TemplateList => work::reference::templates,
        TimeList => work::time::list,
        TimeJob => work::time::job,
        TimeStaff => work::time::staff,
        TimeGet => work::time::get,
        TimeAdd => work::time::add,
        TimeUpdate => work::time::update,
        TimeDelete => work::time::delete,
        CostList => work::costs::list,
        CostGetByIdentifier => work::costs::get,
        CostAdd => work::costs::add,
        CostUpdate => work::costs::update,
        CostDelete => work::costs::delete,
        CostDeleteAll => work::costs::delete_all,
        InvoiceCurrent => work::billing::current_invoices,
        InvoiceDraft => work::billing::draft_invoices,
        InvoiceList => work::billing::list_invoices,
        InvoiceJob => work::billing::job_invoices,
        InvoiceGet => work::billing::invoice,
        InvoicePayments => work::billing::payments,
        QuoteCurrent => work::billing::current_quotes,
        QuoteDraft => work::billing::draft_quotes,
        QuoteList => work::billing::list_quotes,
        QuoteGet => work::billing::quote,
        CustomFieldDefinition => work::custom_fields::definitions,
        CustomFieldGetByIdentifier => work::custom_fields::definition,
        CustomFieldAdd => work::custom_fields::add_definition,
        CustomFieldUpdate => work::custom_fields::update_definition,
        CustomFieldDelete => work::custom_fields::delete_definition,
        CustomFieldGetClientByIdentifier
        | CustomFieldGetContactByIdentifier
        | CustomFieldGetJob
        | CustomFieldGetJobTaskByIdentifier
        | CustomFieldGetJobCostByIdentifier
        | CustomFieldGetTimeByIdentifier => work::custom_fields::values,
        CustomFieldUpdateClientByIdentifier
        | CustomFieldUpdateContactByIdentifier
        | CustomFieldUpdateJob
        | CustomFieldUpdateJobTaskByIdentifier
        | CustomFieldUpdateJobCostByIdentifier
        | CustomFieldUpdateTimeByIdentifier => work::custom_fields::update_values,
    }
}

//! Which handler answers each work operation.

use parking_lot::RwLock;

use super::{billing, costs, custom_fields, job_writes, jobs, reference, time};
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

type Handler = fn(&ApiRequest, &RwLock<Practice>) -> Result<Reply, ApiError>;

/// Answers the work book's operations; `None` for operations of other areas.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Option<Result<Reply, ApiError>> {
    handler(request.operation.id).map(|handler| handler(request, practice))
}

/// The handler for a catalog operation id, if the work book owns the operation.
pub(super) fn handler(operation: &str) -> Option<Handler> {
    let handler: Handler = match operation {
        "JobV31_Current" => jobs::current,
        "JobV31_List" => jobs::list,
        "JobV31_ClientByIdentifier" => jobs::client,
        "Job2V31_StaffByIdentifier" => jobs::staff,
        "JobV31_Get" => jobs::get,
        "JobV31_Tasks" => jobs::tasks,
        "JobV31_Documents" => jobs::documents,
        "JobV31_Costs" => jobs::costs,
        "JobV31_Add" => job_writes::add,
        "JobV31_Update" => job_writes::update,
        "JobV31_State" => job_writes::state,
        "JobV31_Delete" => job_writes::delete,
        "JobV31_Note" => job_writes::note,
        "JobV31_Document" => job_writes::document,
        "JobV31_ApplyTemplate" => job_writes::apply_template,
        "JobV31_ReOrderTasks" => job_writes::reorder_tasks,
        "JobV31_Assign" => job_writes::assign,
        "JobV31_TaskAdd" => job_writes::add_task,
        "JobV31_TaskUpdate" => job_writes::update_task,
        "JobV31_CompleteTask" => job_writes::complete_task,
        "JobV31_ReOpenTask" => job_writes::reopen_task,
        "JobV31_CostAdd" => job_writes::add_cost,
        "JobV31_CostUpdate" => job_writes::update_cost,
        "JobV31_CreateQuote" => job_writes::create_quote,
        "JobV31_CreateEstimate" => job_writes::create_estimate,
        "TaskV31_List" => reference::task_types,
        "TaskV31_Get" => reference::task_type,
        "CategoryV31_List" => reference::categories,
        "JobStateV31_List" => reference::job_states,
        "TemplateV31_List" => reference::templates,
        "TimeV31_List" => time::list,
        "TimeV31_Job" => time::job,
        "TimeV31_Staff" => time::staff,
        "TimeV31_Get" => time::get,
        "TimeV31_Add" => time::add,
        "TimeV31_Update" => time::update,
        "TimeV31_Delete" => time::delete,
        "CostV31_List" => costs::list,
        "CostV31_GetByIdentifier" => costs::get,
        "CostV31_Add" => costs::add,
        "CostV31_Update" => costs::update,
        "CostV31_Delete" => costs::delete,
        "CostV31_DeleteAll" => costs::delete_all,
        "InvoiceV31_Current" => billing::current_invoices,
        "InvoiceV31_Draft" => billing::draft_invoices,
        "InvoiceV31_List" => billing::list_invoices,
        "InvoiceV31_Job" => billing::job_invoices,
        "InvoiceV31_Get" => billing::invoice,
        "InvoiceV31_Payments" => billing::payments,
        "QuoteV31_Current" => billing::current_quotes,
        "QuoteV31_Draft" => billing::draft_quotes,
        "QuoteV31_List" => billing::list_quotes,
        "QuoteV31_Get" => billing::quote,
        "CustomFieldV31_Definition" => custom_fields::definitions,
        "CustomFieldV31_GetByIdentifier" => custom_fields::definition,
        "CustomFieldV31_Add" => custom_fields::add_definition,
        "CustomFieldV31_Update" => custom_fields::update_definition,
        "CustomFieldV31_Delete" => custom_fields::delete_definition,
        "CustomFieldV31_GetJob"
        | "CustomFieldV31_GetJobTaskByIdentifier"
        | "CustomFieldV31_GetJobCostByIdentifier"
        | "CustomFieldV31_GetTimeByIdentifier" => custom_fields::values,
        "CustomFieldV31_UpdateJob"
        | "CustomFieldV31_UpdateJobTaskByIdentifier"
        | "CustomFieldV31_UpdateJobCostByIdentifier"
        | "CustomFieldV31_UpdateTimeByIdentifier" => custom_fields::update_values,
        _ => return None,
    };
    Some(handler)
}

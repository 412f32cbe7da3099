//! Which handler answers each directory operation.

use parking_lot::RwLock;

use super::{clients, contacts, extras, groups, staff};
use crate::api::{ApiError, ApiRequest, Reply};
use crate::practice::Practice;

type Handler = fn(&ApiRequest, &RwLock<Practice>) -> Result<Reply, ApiError>;

/// Answers the directory's operations; `None` for operations of other areas.
pub(crate) fn handle(request: &ApiRequest, practice: &RwLock<Practice>) -> Option<Result<Reply, ApiError>> {
    handler(request.operation.id).map(|handler| handler(request, practice))
}

/// The handler for a catalog operation id, if the directory owns the operation.
fn handler(operation: &str) -> Option<Handler> {
    let handler: Handler = match operation {
        "ClientV31_List" => clients::list,
        "ClientV31_PagedList" => clients::paged_list,
        "ClientV31_Search" => clients::search,
        "ClientV31_GetByIdentifier" => clients::get,
        "ClientV31_Add" => clients::add,
        "ClientV31_Update" => clients::update,
        "ClientV31_Archive" => clients::archive,
        "ClientV31_Delete" => clients::delete,
        "ClientV31_Contacts" => contacts::list,
        "ClientV31_ContactGet" => contacts::get,
        "ClientV31_ContactPost" => contacts::add,
        "ClientV31_ContactPut" => contacts::update,
        "ClientV31_ContactDelete" => contacts::delete,
        "ClientV31_ClientContact" => contacts::link,
        "ClientV31_Documents" => extras::documents,
        "ClientV31_Document" => extras::add_document,
        "ClientV31_AddRelationship" => extras::add_relationship,
        "ClientV31_UpdateRelationship" => extras::update_relationship,
        "ClientV31_DeleteRelationship" => extras::delete_relationship,
        "CustomFieldV31_GetClientByIdentifier" => extras::client_fields,
        "CustomFieldV31_UpdateClientByIdentifier" => extras::update_client_fields,
        "CustomFieldV31_GetContactByIdentifier" => extras::contact_fields,
        "CustomFieldV31_UpdateContactByIdentifier" => extras::update_contact_fields,
        "ClientGroupV31_List" => groups::list,
        "ClientGroupV31_GetByIdentifier" => groups::get,
        "ClientGroupV31_Add" => groups::add,
        "ClientGroupV31_Members" => groups::members,
        "ClientGroupV31_Delete" => groups::delete,
        "StaffV31_List" => staff::list,
        "StaffV31_GetByUuid" => staff::get,
        "StaffV31_Add" => staff::add,
        "StaffV31_Update" => staff::update,
        "StaffV31_Delete" => staff::delete,
        "StaffV31_Enable" => staff::enable,
        "StaffV31_Disable" => staff::disable,
        "StaffV31_ForgottenPassword" => staff::forgotten_password,
        _ => return None,
    };
    Some(handler)
}

#[cfg(test)]
mod tests {
    use xpm_api::catalog::OPERATIONS;

    use super::handler;

    /// Every client, group and staff operation, and the client and contact custom field
    /// operations, are answered here; nothing else is.
    #[test]
    fn owns_exactly_the_directory_operations() {
        for operation in OPERATIONS {
            let ours = matches!(operation.tag, "ClientV31" | "ClientGroupV31" | "StaffV31")
                || (operation.tag == "CustomFieldV31" && (operation.path.starts_with("/client.api/")));
            assert_eq!(handler(operation.id).is_some(), ours, "{}", operation.id);
        }
    }
}

//! Practice-wide lookups: categories, job states, task types and job templates.

use crate::catalog::{Method, Operation, OperationId, Paging, Tag};

use super::scope_sets::{JOB_READ, SHARED_READ};

/// Every `CategoryV31` operation, in spec order.
pub(in crate::catalog) const CATEGORY: &[Operation] = &[Operation {
    id: OperationId::CategoryList,
    method: Method::Get,
    path: "/category.api/list",
    tag: Tag::Category,
    summary: "Return a list of all categories",
    scopes: SHARED_READ,
    paging: Paging::None,
    retry_safe: true,
    query: &[],
    request_dto: None,
    response_dto: "CategoryResponseDto",
    error_statuses: &[500],
}];

/// Every `JobStateV31` operation, in spec order.
pub(in crate::catalog) const JOB_STATE: &[Operation] = &[Operation {
    id: OperationId::JobStateList,
    method: Method::Get,
    path: "/jobstate.api/list",
    tag: Tag::JobState,
    summary: "Return a list of all job states",
    scopes: JOB_READ,
    paging: Paging::None,
    retry_safe: true,
    query: &[],
    request_dto: None,
    response_dto: "JobStateListResponseDto",
    error_statuses: &[500],
}];

/// Every `TaskV31` operation, in spec order.
pub(in crate::catalog) const TASK: &[Operation] = &[
    Operation {
        id: OperationId::TaskList,
        method: Method::Get,
        path: "/task.api/list",
        tag: Tag::Task,
        summary: "Return a list of all tasks",
        scopes: SHARED_READ,
        paging: Paging::None,
        retry_safe: true,
        query: &[],
        request_dto: None,
        response_dto: "TaskListResponseDto",
        error_statuses: &[500],
    },
    Operation {
        id: OperationId::TaskGet,
        method: Method::Get,
        path: "/task.api/get/{identifier}",
        tag: Tag::Task,
        summary: "Details for a specific task",
        scopes: SHARED_READ,
        paging: Paging::None,
        retry_safe: true,
        query: &[],
        request_dto: None,
        response_dto: "TaskResponseDto",
        error_statuses: &[500],
    },
];

/// Every `TemplateV31` operation, in spec order.
pub(in crate::catalog) const TEMPLATE: &[Operation] = &[Operation {
    id: OperationId::TemplateList,
    method: Method::Get,
    path: "/template.api/list",
    tag: Tag::Template,
    summary: "Return a list of all templates",
    scopes: SHARED_READ,
    paging: Paging::None,
    retry_safe: true,
    query: &[],
    request_dto: None,
    response_dto: "TemplateResponseDto",
    error_statuses: &[500],
}];

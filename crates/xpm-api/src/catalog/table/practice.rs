//! Practice-wide lookups: categories, job states, task types and job templates.

use crate::catalog::{Method, Operation, Paging};

use super::scope_sets::{JOB_READ, SHARED_READ};

/// Every `CategoryV31` operation, in spec order.
pub(in crate::catalog) const CATEGORY: &[Operation] = &[Operation {
    id: "CategoryV31_List",
    method: Method::Get,
    path: "/category.api/list",
    tag: "CategoryV31",
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
    id: "JobStateV31_List",
    method: Method::Get,
    path: "/jobstate.api/list",
    tag: "JobStateV31",
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
        id: "TaskV31_List",
        method: Method::Get,
        path: "/task.api/list",
        tag: "TaskV31",
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
        id: "TaskV31_Get",
        method: Method::Get,
        path: "/task.api/get/{identifier}",
        tag: "TaskV31",
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
    id: "TemplateV31_List",
    method: Method::Get,
    path: "/template.api/list",
    tag: "TemplateV31",
    summary: "Return a list of all templates",
    scopes: SHARED_READ,
    paging: Paging::None,
    retry_safe: true,
    query: &[],
    request_dto: None,
    response_dto: "TemplateResponseDto",
    error_statuses: &[500],
}];

//! Catalog tests: `OPERATIONS` against the OpenAPI file, and routing every template.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use xpm_api::catalog::{
    IdentityScope, Method, OPERATIONS, Operation, OperationId, Paging, Scope, find, methods_for, url_path,
};

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/xero-practicemanager-v3-1.yaml");

/// The path prefix the spec puts before every template; the catalog leaves it out.
const VERSION_PREFIX: &str = "/v3.1";

#[derive(Deserialize)]
struct Spec {
    paths: BTreeMap<String, BTreeMap<String, serde_norway::Value>>,
    components: Components,
}

#[derive(Deserialize)]
struct Components {
    schemas: BTreeMap<String, serde_norway::Value>,
    #[serde(rename = "securitySchemes")]
    security_schemes: BTreeMap<String, SecurityScheme>,
}

#[derive(Deserialize)]
struct SecurityScheme {
    flows: BTreeMap<String, Flow>,
}

#[derive(Deserialize)]
struct Flow {
    scopes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpecOperation {
    operation_id: String,
    tags: Vec<String>,
    summary: String,
    #[serde(default)]
    parameters: Vec<Parameter>,
    request_body: Option<Body>,
    responses: BTreeMap<String, Body>,
    security: Vec<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize)]
struct Parameter {
    name: String,
    #[serde(rename = "in")]
    location: String,
    #[serde(default)]
    required: bool,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    content: BTreeMap<String, MediaType>,
}

#[derive(Deserialize)]
struct MediaType {
    schema: SchemaRef,
}

#[derive(Deserialize)]
struct SchemaRef {
    #[serde(rename = "$ref")]
    reference: String,
}

impl Body {
    /// The schema name of the JSON body, e.g. `ClientResponseDto`.
    fn json_schema(&self) -> Option<String> {
        let reference = &self.content.get("application/json")?.schema.reference;
        Some(reference.rsplit('/').next().unwrap_or(reference).to_owned())
    }
}

/// Every field the catalog records, in a shape both sides can be brought to.
#[derive(Debug, PartialEq)]
struct Row {
    method: String,
    path: String,
    tag: String,
    summary: String,
    scopes: BTreeSet<String>,
    query: BTreeSet<(String, bool)>,
    path_params: Vec<String>,
    paging: String,
    retry_safe: bool,
    request_dto: Option<String>,
    response_dto: Option<String>,
    error_statuses: BTreeSet<u16>,
}

fn load_spec() -> Spec {
    let text = std::fs::read_to_string(SPEC_PATH).expect("the spec copy inside the crate");
    serde_norway::from_str(&text).expect("the spec parses as OpenAPI")
}

/// The spec's operations by id, as rows.
fn spec_rows(spec: &Spec) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    for (path, item) in &spec.paths {
        for (method, value) in item {
            let Ok(method) = method.parse::<Method>() else {
                continue;
            };
            let operation: SpecOperation = serde_norway::from_value(value.clone()).expect("an operation object");
            let query: BTreeSet<(String, bool)> = operation
                .parameters
                .iter()
                .filter(|param| param.location == "query" && param.name != "fields")
                .map(|param| (param.name.clone(), param.required))
                .collect();
            let has = |name: &str, required: bool| query.contains(&(name.to_owned(), required));
            let paging = if has("pageToken", false) {
                Paging::Token
            } else if has("page", true) {
                Paging::PageNumber
            } else if has("from", true) && has("to", true) {
                Paging::DateWindow
            } else {
                Paging::None
            };
            let row = Row {
                method: method.to_string(),
                path: path.strip_prefix(VERSION_PREFIX).unwrap_or(path).to_owned(),
                tag: operation.tags.join(","),
                summary: operation.summary.clone(),
                scopes: operation
                    .security
                    .iter()
                    .flat_map(|requirement| requirement.values().flatten().cloned())
                    .collect(),
                query,
                path_params: operation
                    .parameters
                    .iter()
                    .filter(|param| param.location == "path")
                    .map(|param| param.name.clone())
                    .collect(),
                paging: format!("{paging:?}"),
                retry_safe: method == Method::Get,
                request_dto: operation.request_body.as_ref().and_then(Body::json_schema),
                response_dto: operation.responses.get("200").and_then(Body::json_schema),
                error_statuses: operation
                    .responses
                    .keys()
                    .filter(|code| *code != "200")
                    .map(|code| code.parse().expect("numeric status"))
                    .collect(),
            };
            let previous = rows.insert(operation.operation_id.clone(), row);
            assert!(previous.is_none(), "duplicate operationId {}", operation.operation_id);
        }
    }
    rows
}

fn catalog_row(operation: &Operation) -> Row {
    Row {
        method: operation.method.to_string(),
        path: operation.path.to_owned(),
        tag: operation.tag.to_string(),
        summary: operation.summary.to_owned(),
        scopes: operation.scopes.iter().map(|scope| scope.to_string()).collect(),
        query: operation.query.iter().map(|param| (param.name.to_owned(), param.required)).collect(),
        path_params: operation.path_params().map(str::to_owned).collect(),
        paging: format!("{:?}", operation.paging),
        retry_safe: operation.retry_safe,
        request_dto: operation.request_dto.map(str::to_owned),
        response_dto: Some(operation.response_dto.to_owned()),
        error_statuses: operation.error_statuses.iter().copied().collect(),
    }
}

/// Lists, field by field, every way two rows differ.
fn row_differences(id: &str, catalog: &Row, spec: &Row) -> Vec<String> {
    let mut differences = Vec::new();
    let mut compare = |field: &str, catalog: String, spec: String| {
        if catalog != spec {
            differences.push(format!("{id}: {field}: catalog has {catalog}, spec has {spec}"));
        }
    };
    compare("method", catalog.method.clone(), spec.method.clone());
    compare("path", catalog.path.clone(), spec.path.clone());
    compare("tag", catalog.tag.clone(), spec.tag.clone());
    compare("summary", format!("{:?}", catalog.summary), format!("{:?}", spec.summary));
    compare("scopes", format!("{:?}", catalog.scopes), format!("{:?}", spec.scopes));
    compare("query", format!("{:?}", catalog.query), format!("{:?}", spec.query));
    compare("path params", format!("{:?}", catalog.path_params), format!("{:?}", spec.path_params));
    compare("paging", catalog.paging.clone(), spec.paging.clone());
    compare("retry_safe", catalog.retry_safe.to_string(), spec.retry_safe.to_string());
    compare("request dto", format!("{:?}", catalog.request_dto), format!("{:?}", spec.request_dto));
    compare("200 dto", format!("{:?}", catalog.response_dto), format!("{:?}", spec.response_dto));
    compare("error statuses", format!("{:?}", catalog.error_statuses), format!("{:?}", spec.error_statuses));
    differences
}

#[test]
fn operations_match_the_spec_exactly() {
    let spec = load_spec();
    let spec_rows = spec_rows(&spec);
    let mut differences = Vec::new();
    if spec_rows.len() != 102 {
        differences.push(format!("the spec has {} operations, not 102", spec_rows.len()));
    }
    if OPERATIONS.len() != 102 {
        differences.push(format!("the catalog has {} operations, not 102", OPERATIONS.len()));
    }
    let mut seen = BTreeSet::new();
    for operation in OPERATIONS {
        if !seen.insert(operation.id.as_str()) {
            differences.push(format!("{}: listed twice in the catalog", operation.id));
        }
        match spec_rows.get(operation.id.as_str()) {
            None => differences.push(format!("{}: in the catalog but not in the spec", operation.id)),
            Some(spec_row) => {
                differences.extend(row_differences(operation.id.as_str(), &catalog_row(operation), spec_row));
            }
        }
        for dto in operation.request_dto.iter().chain([&operation.response_dto]) {
            if !spec.components.schemas.contains_key(*dto) {
                differences.push(format!("{}: schema {dto} is not in components.schemas", operation.id));
            }
        }
    }
    for id in spec_rows.keys() {
        if !seen.contains(id.as_str()) {
            differences.push(format!("{id}: in the spec but not in the catalog"));
        }
    }
    assert!(
        differences.is_empty(),
        "the catalog differs from {SPEC_PATH} in {} ways:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn scopes_match_the_spec_security_scheme() {
    let spec = load_spec();
    let declared: BTreeMap<String, String> = spec
        .components
        .security_schemes
        .values()
        .flat_map(|scheme| scheme.flows.values())
        .flat_map(|flow| flow.scopes.clone())
        .collect();
    let mut expected: BTreeMap<String, String> =
        Scope::ALL.iter().map(|scope| (scope.to_string(), scope.description().to_owned())).collect();
    let identity_in_spec = [IdentityScope::OpenId, IdentityScope::Profile, IdentityScope::Email];
    for scope in identity_in_spec {
        let description = declared.get(scope.as_str()).cloned().unwrap_or_default();
        expected.insert(scope.to_string(), description);
    }
    assert_eq!(declared, expected);
}

/// A plausible value for a path placeholder.
fn sample_value(name: &str) -> &'static str {
    match name {
        "jobNumber" => "J000309",
        "invoiceNumber" => "I000123",
        "quoteNumber" => "Q000123",
        _ => "0f3c6e0a-5b1d-4c4e-9a53-2f6f3b7c9d10",
    }
}

#[test]
fn every_template_routes_back_to_its_operation() {
    let mut failures = Vec::new();
    for operation in OPERATIONS {
        let params: Vec<(&str, &str)> = operation.path_params().map(|name| (name, sample_value(name))).collect();
        let path = url_path(operation, &params).expect("every placeholder has a value");
        for candidate in [path.clone(), path.to_uppercase()] {
            match find(operation.method, &candidate) {
                Some((found, captured)) if found.id == operation.id => {
                    let captured: Vec<_> = captured.iter().map(|(name, value)| (name, value.to_lowercase())).collect();
                    let expected: Vec<_> = params.iter().map(|(name, value)| (*name, value.to_lowercase())).collect();
                    if captured != expected {
                        failures.push(format!("{candidate}: captured {captured:?}, expected {expected:?}"));
                    }
                }
                Some((found, _)) => failures.push(format!("{} {candidate} routed to {}", operation.method, found.id)),
                None => failures.push(format!("{} {candidate} routed nowhere", operation.method)),
            }
        }
        if !methods_for(&path).contains(&operation.method) {
            failures.push(format!("methods_for({path}) lacks {}", operation.method));
        }
    }
    assert!(failures.is_empty(), "routing failures:\n{}", failures.join("\n"));
}

#[test]
fn literal_segments_win_over_placeholders() {
    let cases = [
        (Method::Get, "/client.api/contacts", OperationId::ClientContacts),
        (Method::Get, "/client.api/contact/contacts", OperationId::ClientContactGet),
        (Method::Post, "/client.api/contact", OperationId::ClientContactPost),
        (Method::Get, "/client.api/contact/abc/customfield", OperationId::CustomFieldGetContactByIdentifier),
        (Method::Get, "/client.api/get/abc/customfield", OperationId::CustomFieldGetClientByIdentifier),
        (Method::Get, "/client.api/get/customfield", OperationId::ClientGetByIdentifier),
        (Method::Put, "/job.api/task", OperationId::JobTaskUpdate),
        (Method::Put, "/job.api/task/abc/complete", OperationId::JobCompleteTask),
        (Method::Put, "/job.api/task/abc/customfield", OperationId::CustomFieldUpdateJobTaskByIdentifier),
        (Method::Get, "/Job.Api/Get/J000309", OperationId::JobGet),
        (Method::Get, "/job.api/staff/abc?fields=ID", OperationId::Job2StaffByIdentifier),
    ];
    for (method, path, expected) in cases {
        let found = find(method, path).map(|(operation, _)| operation.id);
        assert_eq!(found, Some(expected), "{method} {path}");
    }
    assert!(find(Method::Delete, "/client.api/contacts").is_none());
    assert!(find(Method::Get, "/client.api/get/").is_none());
    assert!(find(Method::Get, "/v3.1/client.api/list").is_none(), "callers strip the version prefix");
}

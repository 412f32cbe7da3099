//! Every work operation in the catalog, called in JSON mode with real identifiers and a valid
//! body: each answers 200, and its body follows the operation's OpenAPI response DTO. None is
//! left unemulated.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use xpm_api::catalog::{self, OPERATIONS, Operation, OperationId, Tag};
use xpm_api::model::{CustomFieldDefinition, Invoice, Job, Quote, Task, Template};

use super::{Api, compact, today, window};
use crate::spec::assert_follows;

/// How many of the catalog's 102 operations are the work book's.
const WORK_OPERATIONS: usize = 66;

/// Identifiers the calls need, read from the seed or created first.
struct Ids {
    job: String,
    task: String,
    job_cost: String,
    time: String,
    task_type: String,
    template: String,
    price: String,
    definition: String,
    invoice: String,
    quote: String,
    client: String,
    staff: String,
}

/// Whether the directory owns the operation rather than the work book.
fn is_directory(operation: &Operation) -> bool {
    matches!(operation.tag, Tag::Client | Tag::ClientGroup | Tag::Staff)
        || (operation.tag == Tag::CustomField && operation.path.starts_with("/client.api/"))
}

async fn gather(api: &Api) -> Ids {
    let (client, staff) = api.client_and_staff().await;
    let jobs: Vec<Job> = api.get("/job.api/current?detailed=true").await.expect(StatusCode::OK).list();
    let job =
        jobs.iter().find(|job| job.tasks.as_ref().is_some_and(|tasks| !tasks.is_empty())).expect("a job with tasks");
    let number = job.id.clone().expect("a number");
    let task = job.tasks.iter().flatten().next().and_then(|task| task.uuid).expect("a task");
    let cost = json!({"job": number, "description": "Courier", "quantity": 1, "unitCost": 5, "unitPrice": 9});
    let job_cost =
        api.json(Method::POST, "/job.api/cost", Some(&cost)).await.expect(StatusCode::OK).json()["uuid"].clone();
    let time = json!({"job": number, "taskUuid": task, "staffUuid": staff, "date": compact(today()), "minutes": "30"});
    let time = api.json(Method::POST, "/time.api/add", Some(&time)).await.expect(StatusCode::OK).json()["time"]["uuid"]
        .clone();
    let task_types: Vec<Task> = api.get("/task.api/list").await.expect(StatusCode::OK).list();
    let templates: Vec<Template> = api.get("/template.api/list").await.expect(StatusCode::OK).list();
    let definitions: Vec<CustomFieldDefinition> =
        api.get("/customfield.api/definition").await.expect(StatusCode::OK).list();
    let prices = api.json(Method::GET, "/cost.api/list?page=1", None).await.expect(StatusCode::OK).json();
    let invoices: Vec<Invoice> =
        api.get(&format!("/invoice.api/list?{}", window(364, 0))).await.expect(StatusCode::OK).list();
    let quotes: Vec<Quote> =
        api.get(&format!("/quote.api/list?{}", window(364, 0))).await.expect(StatusCode::OK).list();
    let text = |value: &Value| value.as_str().expect("an identifier").to_owned();
    Ids {
        job: number,
        task: task.to_string(),
        job_cost: text(&job_cost),
        time: text(&time),
        task_type: task_types[0].uuid.expect("a task type").to_string(),
        template: templates[0].uuid.expect("a template").to_string(),
        price: text(&prices["costs"][0]["uuid"]),
        definition: definitions[0].uuid.expect("a definition").to_string(),
        invoice: invoices[0].id.clone().expect("an invoice"),
        quote: quotes[0].id.clone().expect("a quote"),
        client: client.to_string(),
        staff: staff.to_string(),
    }
}

/// The path of `operation` with real identifiers, and the query it needs.
fn target(operation: &Operation, ids: &Ids) -> String {
    let identifier = match operation.id {
        OperationId::TaskGet => &ids.task_type,
        OperationId::JobClientByIdentifier => &ids.client,
        OperationId::Job2StaffByIdentifier | OperationId::TimeStaff => &ids.staff,
        OperationId::JobCompleteTask | OperationId::JobReOpenTask => &ids.task,
        OperationId::CustomFieldGetJobTaskByIdentifier | OperationId::CustomFieldUpdateJobTaskByIdentifier => &ids.task,
        OperationId::CustomFieldGetJobCostByIdentifier | OperationId::CustomFieldUpdateJobCostByIdentifier => {
            &ids.job_cost
        }
        OperationId::CostGetByIdentifier => &ids.price,
        OperationId::CustomFieldGetByIdentifier => &ids.definition,
        _ => &ids.time,
    };
    let params = [
        ("identifier", identifier.as_str()),
        ("jobNumber", ids.job.as_str()),
        ("id", ids.job.as_str()),
        ("invoiceNumber", ids.invoice.as_str()),
        ("quoteNumber", ids.quote.as_str()),
    ];
    let wanted: Vec<(&str, &str)> =
        params.into_iter().filter(|(name, _)| operation.path_params().any(|param| param == *name)).collect();
    let path = catalog::url_path(operation, &wanted).unwrap_or_else(|error| panic!("{}: {error}", operation.id));
    let query = match operation.paging {
        catalog::Paging::DateWindow => format!("?{}", window(364, 0)),
        catalog::Paging::PageNumber => "?page=1".to_owned(),
        _ if operation.id == OperationId::JobCurrent => "?detailed=true".to_owned(),
        _ => String::new(),
    };
    format!("{path}{query}")
}

/// A valid JSON body for a write.
fn body(operation: &Operation, ids: &Ids) -> Option<Value> {
    let (job, task, staff) = (&ids.job, &ids.task, &ids.staff);
    let start = compact(today());
    let body = match operation.id {
        OperationId::JobAdd => {
            json!({"name": "Coverage", "clientUuid": ids.client, "startDate": start, "dueDate": start})
        }
        OperationId::JobUpdate => json!({"id": job, "name": "Renamed", "budget": 1500}),
        OperationId::JobState => json!({"id": job, "state": "INPROGRESS"}),
        OperationId::JobReOrderTasks => json!({"id": job, "tasks": [{"uuid": task}]}),
        OperationId::JobNote => json!({"job": job, "title": "Note", "text": "Text", "public": false}),
        OperationId::JobDocument => json!({"job": job, "title": "Scan", "fileName": "scan.txt", "content": "aGVsbG8="}),
        OperationId::JobAssign => {
            json!({"id": job, "add": [{"uuid": staff}, {"uuid": staff, "task-uuid": task}], "add-partner": {"uuid": staff}})
        }
        OperationId::JobDelete => json!({"id": job}),
        OperationId::JobTaskAdd => json!({"job": job, "taskUuid": ids.task_type, "estimatedMinutes": 60}),
        OperationId::JobTaskUpdate => json!({"uuid": task, "estimatedMinutes": 90}),
        OperationId::JobCostAdd => json!({"job": job, "description": "Search", "unitPrice": 35}),
        OperationId::JobCostUpdate => json!({"uuid": ids.job_cost, "note": "Recharged"}),
        OperationId::JobApplyTemplate => json!({"id": job, "templateUuid": ids.template, "taskMode": "AppendExisting"}),
        OperationId::TimeAdd => {
            json!({"job": job, "taskUuid": task, "staffUuid": staff, "date": start, "start": "09:00", "end": "09:45"})
        }
        OperationId::TimeUpdate => json!({"uuid": ids.time, "minutes": "45"}),
        OperationId::CostAdd => json!({"description": "Binding", "unitCost": 2, "unitPrice": 4}),
        OperationId::CostUpdate => json!({"uuid": ids.price, "note": "Updated"}),
        OperationId::CostDelete => json!({"uuid": ids.price}),
        OperationId::CostDeleteAll => json!({}),
        OperationId::CustomFieldAdd => {
            json!({"name": "Coverage", "type": "Dropdown List", "options": ["A", "B"], "useJob": true})
        }
        OperationId::CustomFieldUpdate => json!({"uuid": ids.definition, "name": "Renamed field"}),
        OperationId::CustomFieldDelete => json!({"uuid": ids.definition}),
        id if id.as_str().starts_with("CustomFieldV31_Update") => json!({"customFields": []}),
        _ => return None,
    };
    Some(body)
}

#[tokio::test]
async fn every_work_operation_answers_in_its_json_dto() {
    // `job.api/staff` accepts only the job scopes in Xero's spec, so the app asks for one too.
    let api = Api::work_with_scopes(150, "practicemanager practicemanager.job").await;
    let ids = gather(&api).await;
    let mut operations: Vec<&Operation> = OPERATIONS.iter().filter(|operation| !is_directory(operation)).collect();
    // Deletes run last, the job's own deletion after everything else.
    operations
        .sort_by_key(|operation| (operation.id == OperationId::JobDelete, operation.id.as_str().contains("Delete")));
    assert_eq!(operations.len(), WORK_OPERATIONS, "the work book's share of the catalog");
    for operation in operations {
        let method = Method::from_bytes(operation.method.as_str().as_bytes()).expect("a method");
        let path = target(operation, &ids);
        let body = body(operation, &ids);
        assert_eq!(body.is_some(), operation.request_dto.is_some(), "{}: a body iff the spec takes one", operation.id);
        let answer = api.json(method, &path, body.as_ref()).await;
        assert_eq!(answer.status, StatusCode::OK, "{} {path}: {}", operation.id, answer.body);
        let json = answer.json();
        assert_eq!(json["status"], "OK", "{}", operation.id);
        assert_follows(operation.id.as_str(), &json);
    }
}

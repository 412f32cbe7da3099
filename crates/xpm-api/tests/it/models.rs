//! Reference fixtures for every resource beyond clients and staff: values decoded field by
//! field, XML and JSON round trips through the response writers, and JSON keys checked against
//! the OpenAPI DTOs in both directions.

use std::fmt::Debug;
use std::path::PathBuf;

use serde_json::Value;
use xpm_api::model::Cost;
use xpm_api::model::{
    Category, CustomFieldData, CustomFieldDefinition, CustomFieldValue, Document, Invoice, InvoicePayment, Job,
    JobCost, JobState, Quote, Task, Template, Time,
};
use xpm_api::response::{
    Envelope, JsonListWriter, Resource, XmlList, XmlListWriter, decode_list_json, decode_single, decode_single_json,
    encode_single_json, encode_single_xml,
};
use xpm_api::value::{ClockTime, DateForm, Decimal, Uuid, XpmDate, YesNo};

/// The OpenAPI spec as a checker of our JSON: every key we write exists in the DTO with a
/// compatible type, and (for fully populated values) every DTO property is written.
pub(crate) mod spec {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::OnceLock;

    use serde_json::{Map, Value};

    fn schemas() -> &'static Map<String, Value> {
        static SPEC: OnceLock<Map<String, Value>> = OnceLock::new();
        SPEC.get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/xero-practicemanager-v3-1.yaml");
            let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"));
            let spec: Value = serde_norway::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"));
            match spec.pointer("/components/schemas") {
                Some(Value::Object(schemas)) => schemas.clone(),
                _ => panic!("{path}: no components/schemas"),
            }
        })
    }

    fn schema(name: &str) -> &'static Value {
        schemas().get(name).unwrap_or_else(|| panic!("the spec has no schema {name}"))
    }

    fn ref_name(reference: &str) -> &str {
        reference.rsplit('/').next().unwrap_or(reference)
    }

    /// A schema's properties, with `allOf` and `$ref` followed.
    pub(crate) fn properties(name: &str) -> BTreeMap<String, &'static Value> {
        let mut out = BTreeMap::new();
        collect(schema(name), &mut out);
        out
    }

    fn collect(schema: &'static Value, out: &mut BTreeMap<String, &'static Value>) {
        if let Some(Value::String(reference)) = schema.get("$ref") {
            collect(self::schema(ref_name(reference)), out);
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            collect(part, out);
        }
        for (key, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            out.insert(key.clone(), property);
        }
    }

    /// What a property holds.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum Kind {
        String,
        Integer,
        Number,
        Boolean,
        Array(Box<Kind>),
        /// An object, with its schema when it has one.
        Object(Option<String>),
    }

    pub(crate) fn kind(property: &Value) -> Kind {
        if let Some(Value::String(reference)) = property.get("$ref") {
            return Kind::Object(Some(ref_name(reference).to_owned()));
        }
        if let Some(Value::Array(choices)) = property.get("oneOf").or_else(|| property.get("allOf"))
            && let [only] = choices.as_slice()
        {
            return kind(only);
        }
        match property.get("type").and_then(Value::as_str) {
            Some("string") => Kind::String,
            Some("integer") => Kind::Integer,
            Some("number") => Kind::Number,
            Some("boolean") => Kind::Boolean,
            Some("array") => Kind::Array(Box::new(kind(property.get("items").unwrap_or(&Value::Null)))),
            Some("object") => Kind::Object(None),
            other => panic!("unsupported property type {other:?} in {property}"),
        }
    }

    /// The item schema of array property `key` of schema `name`.
    pub(crate) fn array_item(name: &str, key: &str) -> String {
        let property = properties(name).remove(key).unwrap_or_else(|| panic!("{name} has no property {key:?}"));
        match kind(property) {
            Kind::Array(item) => match *item {
                Kind::Object(Some(item)) => item,
                other => panic!("{name}.{key} holds {other:?}, not objects"),
            },
            other => panic!("{name}.{key} is {other:?}, not an array"),
        }
    }

    /// The schema of object property `key` of schema `name`.
    pub(crate) fn object(name: &str, key: &str) -> String {
        let property = properties(name).remove(key).unwrap_or_else(|| panic!("{name} has no property {key:?}"));
        match kind(property) {
            Kind::Object(Some(object)) => object,
            other => panic!("{name}.{key} is {other:?}, not an object"),
        }
    }

    struct Walk {
        /// Keys written, per schema, across every value checked.
        seen: BTreeMap<String, BTreeSet<String>>,
        problems: Vec<String>,
    }

    impl Walk {
        fn object(&mut self, name: &str, value: &Value, path: &str) {
            let Value::Object(object) = value else {
                self.problems.push(format!("{path}: expected an object for {name}, found {value}"));
                return;
            };
            let properties = properties(name);
            let seen = self.seen.entry(name.to_owned()).or_default();
            seen.extend(object.keys().cloned());
            for (key, value) in object {
                let path = format!("{path}.{key}");
                match properties.get(key) {
                    Some(property) => self.value(&kind(property), value, &path),
                    None => self.problems.push(format!("{path}: {name} has no property {key:?}")),
                }
            }
        }

        fn value(&mut self, kind: &Kind, value: &Value, path: &str) {
            // Every property in this spec is nullable.
            let fits = match (kind, value) {
                (_, Value::Null) => true,
                (Kind::String, Value::String(_)) | (Kind::Boolean, Value::Bool(_)) => true,
                (Kind::Integer, Value::Number(number)) => number.is_i64() || number.is_u64(),
                (Kind::Number, Value::Number(_)) => true,
                (Kind::Array(item), Value::Array(items)) => {
                    for (index, entry) in items.iter().enumerate() {
                        self.value(item, entry, &format!("{path}[{index}]"));
                    }
                    true
                }
                (Kind::Object(Some(name)), Value::Object(_)) => {
                    self.object(name, value, path);
                    true
                }
                (Kind::Object(None), Value::Object(_)) => true,
                _ => false,
            };
            if !fits {
                self.problems.push(format!("{path}: spec says {kind:?}, found {value}"));
            }
        }
    }

    fn walk(name: &str, values: &[Value], complete: bool) {
        let mut walk = Walk { seen: BTreeMap::new(), problems: Vec::new() };
        for (index, value) in values.iter().enumerate() {
            walk.object(name, value, &format!("{name}#{index}"));
        }
        if complete {
            for (schema, seen) in &walk.seen {
                for key in properties(schema).keys() {
                    if !seen.contains(key) {
                        walk.problems.push(format!("{schema}.{key} is declared by the spec but never written"));
                    }
                }
            }
        }
        assert!(walk.problems.is_empty(), "json does not match {name}:\n{}", walk.problems.join("\n"));
    }

    /// Every key in `values` exists in schema `name` (recursively) with a compatible type.
    pub(crate) fn keys_exist(name: &str, values: &[Value]) {
        walk(name, values, false);
    }

    /// As [`keys_exist`], and every property of every schema reached is written by at least one
    /// of `values`.
    pub(crate) fn complete(name: &str, values: &[Value]) {
        walk(name, values, true);
    }
}

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

pub(crate) fn uuid(text: &str) -> Option<Uuid> {
    Some(Uuid::parse_str(text).expect("test uuid"))
}

pub(crate) fn dec(text: &str) -> Option<Decimal> {
    Some(Decimal::from_str_exact(text).expect("test decimal"))
}

pub(crate) fn date(text: &str) -> Option<XpmDate> {
    Some(text.parse().expect("test date"))
}

pub(crate) fn json_of<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

/// Decodes a list fixture and checks that it survives the XML and JSON list writers.
fn list<T: Resource + Debug + PartialEq + Clone>(name: &str) -> (Vec<T>, Envelope) {
    list_with(name, T::clone)
}

/// [`list`] for types whose JSON form drops something: `json_view` says what survives JSON.
fn list_with<T: Resource + Debug + PartialEq>(name: &str, json_view: fn(&T) -> T) -> (Vec<T>, Envelope) {
    let (items, envelope) = XmlList::<_, T>::new(&fixture(name)[..]).collect_all().expect("fixture decodes");
    assert!(!items.is_empty(), "{name} holds items");

    let mut writer = XmlListWriter::<_, T>::start(Vec::new(), envelope.api_method.as_deref()).expect("xml start");
    for item in &items {
        writer.push(item).expect("xml item");
    }
    let xml = writer.finish(&envelope).expect("xml finish");
    let (again, again_envelope) = XmlList::<_, T>::new(&xml[..]).collect_all().expect("written xml decodes");
    assert_eq!(again, items, "{name}: xml round trip");
    assert_eq!(again_envelope, envelope, "{name}: envelope round trip");

    let mut writer = JsonListWriter::<_, T>::start(Vec::new()).expect("json start");
    for item in &items {
        writer.push(item).expect("json item");
    }
    let json = writer.finish(&envelope).expect("json finish");
    let (from_json, _) = decode_list_json::<T>(&json).expect("written json decodes");
    assert_eq!(from_json, items.iter().map(json_view).collect::<Vec<_>>(), "{name}: json round trip");
    (items, envelope)
}

/// Decodes a single-item fixture and checks that it survives the XML and JSON writers.
fn single<T: Resource + Debug + PartialEq>(name: &str) -> (T, Envelope) {
    let decoded = decode_single::<T, _>(&fixture(name)[..]).expect("fixture decodes");
    let item = decoded.item.expect("fixture holds an item");
    let envelope = decoded.envelope;

    let xml = encode_single_xml(&item, envelope.api_method.as_deref(), &envelope);
    let again = decode_single::<T, _>(&xml[..]).expect("written xml decodes");
    assert_eq!(again.item.as_ref(), Some(&item), "{name}: xml round trip");
    assert_eq!(again.envelope, envelope, "{name}: envelope round trip");

    let json = encode_single_json(&item, &envelope);
    let from_json = decode_single_json::<T>(&json).expect("written json decodes");
    assert_eq!(from_json.item.as_ref(), Some(&item), "{name}: json round trip");
    (item, envelope)
}

/// Checks our JSON names against the spec: the collection key names an array of `dto` items in
/// `list_dto`, the item key (when XPM has a single response) names a `dto`, and `items`
/// together write every `dto` property with the right types.
fn check_spec<T: Resource>(list_dto: &str, single_dto: Option<&str>, dto: &str, items: &[T]) {
    assert_eq!(spec::array_item(list_dto, T::COLLECTION.json), dto, "{list_dto}.{}", T::COLLECTION.json);
    if let Some(single_dto) = single_dto {
        assert_eq!(spec::object(single_dto, T::ITEM.json), dto, "{single_dto}.{}", T::ITEM.json);
    }
    let values: Vec<Value> = items.iter().map(json_of).collect();
    spec::complete(dto, &values);
}

#[test]
fn job_get_decodes_every_documented_field() {
    let (job, envelope) = single::<Job>("job.get.xml");
    assert_eq!(envelope.api_method.as_deref(), Some("Get"));
    assert_eq!(
        envelope.web_url.as_deref(),
        Some("https://app.practicemanager.xero.com/job/jobview.aspx?id=J000412"),
        "the documented get puts WebUrl beside the job"
    );
    assert_eq!(job.id.as_deref(), Some("J000412"));
    assert_eq!(job.uuid, uuid("5f0c2e7a-3b1d-4c8e-9a6f-2d4b8e1c7a30"));
    assert_eq!(job.name.as_deref(), Some("Annual Accounts FY2025"));
    assert_eq!(job.description.as_deref(), Some("Prepare financial statements\nand the income tax return"));
    assert_eq!(job.state.as_deref(), Some("In Progress"));
    assert_eq!(job.client_order_number.as_deref(), Some("PO-7781"));
    assert_eq!(job.budget, dec("4250.00"));
    assert_eq!(job.budget.map(|budget| budget.to_string()).as_deref(), Some("4250.00"), "scale is kept");
    assert_eq!(job.job_type.as_deref(), Some("Annual Compliance"));
    assert_eq!(job.start_date, date("2025-07-01T00:00:00"));
    assert_eq!(job.due_date, date("2025-10-31T00:00:00"));
    assert_eq!(job.completed_date, date("2025-10-15T00:00:00"));
    let client = job.client.as_ref().expect("client");
    assert_eq!(client.uuid, uuid("01a8b481-b9ae-4b28-89e0-87e7162807a3"));
    assert_eq!(client.name.as_deref(), Some("Harbour & Hills Pty Ltd"));
    assert_eq!(job.contact.as_ref().and_then(|contact| contact.name.as_deref()), Some("Priya Raman"));
    assert_eq!(job.manager.as_ref().and_then(|manager| manager.uuid), uuid("f8235e1a-d383-48b7-9139-ba97ab8ca889"));
    assert_eq!(job.partner.as_ref().and_then(|partner| partner.name.as_deref()), Some("Margaret Chen"));
    assert_eq!(job.internal_id.as_deref(), Some("184467"));
    let assigned = job.assigned.as_deref().expect("assigned");
    assert_eq!(assigned.len(), 2);
    assert_eq!(assigned[1].name.as_deref(), Some("Tom Walker"));
    assert_eq!(assigned[0].allocated_minutes, None, "job-level staff carry no allocation");

    let tasks = job.tasks.as_deref().expect("tasks");
    assert_eq!(tasks.len(), 2);
    let statements = &tasks[0];
    assert_eq!(statements.uuid, uuid("c3a1f7e2-5d4b-4a69-8e0c-7f2b9d1a6e58"));
    assert_eq!(statements.task_uuid, uuid("e0f7a3c9-2b6d-4185-9c4e-a7d1f3b8e260"));
    assert_eq!(statements.task_id.as_deref(), Some("3120"));
    assert_eq!(statements.name.as_deref(), Some("Financial Statements"));
    assert_eq!(statements.description.as_deref(), Some("Draft, review and sign off"));
    assert_eq!(statements.estimated_minutes, Some(600));
    assert_eq!(statements.actual_minutes, Some(645));
    assert_eq!(statements.completed, Some(true));
    assert_eq!(statements.billable, Some(true));
    assert_eq!(statements.folder.as_deref(), Some("Workpapers"));
    assert_eq!(statements.start_date, date("2025-07-07T00:00:00"));
    assert_eq!(statements.due_date, date("2025-09-30T00:00:00"));
    let scheduled = statements.assigned.as_deref().expect("task staff");
    assert_eq!(scheduled[0].uuid, uuid("9e4a7b21-6c3d-4f58-a0e2-1b8d5c7f3a96"));
    assert_eq!(scheduled[0].allocated_minutes, Some(480));
    assert_eq!(scheduled[1].allocated_minutes, Some(120));
    let review = &tasks[1];
    assert_eq!(review.completed, Some(false));
    assert_eq!(review.billable, Some(false));
    assert_eq!(review.description.as_deref(), Some(""), "self-closing text is present but empty");
    assert_eq!(review.task_id, None);
    assert_eq!(review.start_date, None, "unscheduled tasks have no dates");
    assert_eq!(review.assigned, None);

    let milestone = &job.milestones.as_deref().expect("milestones")[0];
    assert_eq!(milestone.uuid, uuid("a6e3c1d8-9f2b-4c75-b0a4-e8d6f2c9b153"));
    assert_eq!(milestone.date, date("2025-09-15T00:00:00"));
    assert_eq!(milestone.description.as_deref(), Some("Draft accounts to client"));
    assert_eq!(milestone.completed, Some(true));
    assert_eq!(milestone.folder.as_deref(), Some("Milestones"));

    let note = &job.notes.as_deref().expect("notes")[0];
    assert_eq!(note.uuid, uuid("d1f5b8e3-7a2c-4e96-8b0d-f4c2a7e9d318"));
    assert_eq!(note.title.as_deref(), Some("Bank confirmation"));
    assert_eq!(note.folder.as_deref(), Some(""));
    assert_eq!(note.date, date("2025-08-04T09:12:40"));
    assert_eq!(note.created_by.as_deref(), Some("Tom Walker"));
    let comment = &note.comments.as_deref().expect("comments")[0];
    assert_eq!(comment.text.as_deref(), Some("Received 6 Aug"));
    assert_eq!(comment.created_by.as_deref(), Some("Jo Bloggs"));
    assert_eq!(comment.date, date("2025-08-06T14:03:00"));
    assert_eq!(job.web_url, envelope.web_url);

    check_spec("JobListResponseDto", Some("JobResponseDto"), "JobDto", &[job]);
}

#[test]
fn job_lists_decode_short_items_and_staff_jobs() {
    let (jobs, _) = list::<Job>("job.current.xml");
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].uuid, None, "documented list items omit the UUID");
    assert_eq!(jobs[0].id.as_deref(), Some("J000398"));
    assert_eq!(jobs[0].client_order_number.as_deref(), Some(""));
    assert_eq!(jobs[0].completed_date, None);
    assert_eq!(jobs[0].tasks, None, "short items have no tasks");
    assert_eq!(jobs[1].uuid, uuid("6a2d9c4e-8f1b-4a37-b5e0-c3f7d1a9e482"));
    assert_eq!(jobs[1].manager, None);
    assert_eq!(jobs[1].assigned.as_deref(), Some(&[][..]), "an empty collection is an empty list");
    spec::keys_exist("JobDto", &jobs.iter().map(json_of).collect::<Vec<_>>());

    // `job.api/staff/{uuid}` answers `Job2Dto` items: no partner, plain staff references.
    let (staff_jobs, _) = list::<Job>("job.staff.xml");
    let job = &staff_jobs[0];
    assert_eq!(job.partner, None);
    assert_eq!(job.budget, dec("4250.00"));
    assert_eq!(job.completed_date, date("2025-10-31T00:00:00"));
    assert_eq!(job.tasks.as_deref().map(<[_]>::len), Some(1));
    assert_eq!(spec::array_item("Job2ResponseDto", Job::COLLECTION.json), "Job2Dto");
    spec::complete("Job2Dto", &staff_jobs.iter().map(json_of).collect::<Vec<_>>());
}

#[test]
fn job_documents_decode() {
    let (documents, _) = list::<Document>("job.documents.xml");
    assert_eq!(documents[0].title.as_deref(), Some("Signed engagement letter"));
    assert_eq!(documents[0].text.as_deref(), Some(""));
    assert_eq!(documents[0].folder.as_deref(), Some("Correspondence"));
    assert_eq!(documents[0].date, date("2025-07-02T10:30:00"));
    assert_eq!(documents[0].created_by.as_deref(), Some("Jo Bloggs"));
    assert_eq!(documents[0].file_name.as_deref(), Some("engagement-2025.pdf"));
    assert_eq!(
        documents[0].url.as_deref(),
        Some("https://practicemanager.xero.com/document/download/5521?token=abc&v=2")
    );
    assert_eq!(documents[1].text.as_deref(), Some("Exported from Xero at year end"));
    check_spec("JobDocumentsResponseDto", None, "JobDocumentDto", &documents);
    check_spec("ClientDocumentsResponseDto", None, "ClientDocumentDto", &documents);
}

#[test]
fn task_types_decode_from_list_and_get() {
    let (tasks, _) = list::<Task>("task.list.xml");
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].uuid, uuid("e0f7a3c9-2b6d-4185-9c4e-a7d1f3b8e260"));
    assert_eq!(tasks[0].name.as_deref(), Some("Financial Statements"));
    assert_eq!(tasks[0].description.as_deref(), Some("Annual financial statements for companies and trusts"));
    assert_eq!(tasks[1].description.as_deref(), Some(""));
    let (task, _) = single::<Task>("task.get.xml");
    assert_eq!(task, tasks[0]);
    check_spec("TaskListResponseDto", Some("TaskResponseDto"), "TaskDto", &tasks);
}

#[test]
fn time_entries_keep_negative_minutes_clock_times_and_true_false_flags() {
    let (times, _) = list::<Time>("time.list.xml");
    assert_eq!(times.len(), 3);
    let first = &times[0];
    assert_eq!(first.uuid, uuid("1d7e3b9f-4a2c-4e68-b0d5-9f3a1c7e2b46"));
    let job = first.job.as_ref().expect("job");
    assert_eq!(job.id.as_deref(), Some("J000412"), "time names its job by number");
    assert_eq!(job.name.as_deref(), Some("Annual Accounts FY2025"));
    assert_eq!(first.task.as_ref().and_then(|task| task.uuid), uuid("c3a1f7e2-5d4b-4a69-8e0c-7f2b9d1a6e58"));
    assert_eq!(first.staff.as_ref().and_then(|staff| staff.name.as_deref()), Some("Tom Walker"));
    assert_eq!(first.date, date("2025-07-14T00:00:00"));
    assert_eq!(first.date.map(|date| date.form()), Some(DateForm::DateTime));
    assert_eq!(first.minutes, Some(150));
    assert_eq!(first.note.as_deref(), Some("Bank reconciliations <June>"));
    assert_eq!(first.billable, Some(true));
    assert_eq!(first.start, ClockTime::from_hm(9, 0));
    assert_eq!(first.end, ClockTime::from_hm(11, 30));
    assert_eq!(first.invoice_task_uuid, None, "an empty InvoiceTaskUUID means not invoiced");

    let write_back = &times[1];
    assert_eq!(write_back.minutes, Some(-30));
    assert_eq!(write_back.billable, Some(false));
    assert_eq!(write_back.start, None);

    let invoiced = &times[2];
    assert_eq!(invoiced.invoice_task_uuid, uuid("bc874687-4cb4-408c-a520-5c0ef87c6d50"));
    assert_eq!(invoiced.note.as_deref(), Some(""));
    assert_eq!(
        invoiced.web_url.as_deref(),
        Some("https://app.practicemanager.xero.com/time/9a4c1e7b-2f5d-4b83-a6e0-d1c8f3b7a259")
    );

    let json = json_of(first);
    assert_eq!(json["billable"], Value::Bool(true), "true/false flags are JSON booleans");
    assert_eq!(json["start"], Value::from("09:00"));
    assert_eq!(json["minutes"], Value::from(150));
    check_spec("TimeListResponseDto", Some("TimeResponseDto"), "TimeDto", &times);
}

#[test]
fn price_list_costs_decode_with_records() {
    let (costs, envelope) = list::<Cost>("cost.list.xml");
    assert_eq!(envelope.records, Some(2));
    let asic = &costs[0];
    assert_eq!(asic.uuid, uuid("0c7d3a9e-5f1b-4d62-8a4e-b9f2c6d1e837"));
    assert_eq!(asic.description.as_deref(), Some("ASIC annual review fee"));
    assert_eq!(asic.code.as_deref(), Some("ASIC"));
    assert_eq!(asic.note.as_deref(), Some("Pass-through, no GST"));
    assert_eq!(asic.unit_cost, dec("321.00"));
    assert_eq!(asic.unit_price, dec("321.00"));
    assert_eq!(asic.income_account.as_deref(), Some("4100"));
    assert_eq!(asic.cost_of_sale_account.as_deref(), Some("5100"));
    assert_eq!(
        asic.supplier.as_ref().and_then(|supplier| supplier.name.as_deref()),
        Some("Australian Securities & Investments Commission")
    );
    assert_eq!(costs[1].unit_cost, dec("12.50"));
    assert_eq!(costs[1].supplier, None);
    assert_eq!(spec::array_item("CostListResponseDto", "costs"), "CostDto");
    assert!(spec::properties("CostListResponseDto").contains_key("records"));
    check_spec("CostListResponseDto", Some("CostResponseDto"), "CostDto", &costs);
}

#[test]
fn job_costs_use_true_false_billable() {
    let (costs, _) = list::<JobCost>("job.costs.xml");
    let asic = &costs[0];
    assert_eq!(asic.uuid, uuid("a1d6e3f8-4b9c-4a25-8f7e-2c5b0d9a6e14"));
    assert_eq!(asic.date, date("2025-08-11T00:00:00"));
    assert_eq!(asic.description.as_deref(), Some("ASIC annual review fee"));
    assert_eq!(asic.code.as_deref(), Some("ASIC"));
    assert_eq!(asic.note.as_deref(), Some("Paid on the client's behalf"));
    assert_eq!(asic.quantity, dec("1"));
    assert_eq!(asic.unit_cost, dec("321.00"));
    assert_eq!(asic.unit_price, dec("321.00"));
    assert_eq!(asic.billable, Some(true));
    assert_eq!(asic.supplier.as_ref().and_then(|supplier| supplier.uuid), uuid("4f8a2c6e-1d9b-4e37-a5c0-7b3d9f1e6a28"));
    assert_eq!(costs[1].quantity, dec("2.50"));
    assert_eq!(costs[1].billable, Some(false));
    check_spec("JobCostListResponseDto", None, "JobCostDto", &costs);
}

#[test]
fn invoices_decode_job_and_miscellaneous_shapes_with_yes_no_lines() {
    let (invoice, _) = single::<Invoice>("invoice.get.xml");
    assert_eq!(invoice.id.as_deref(), Some("I000217"));
    assert_eq!(invoice.uuid, uuid("e873137a-7e07-49a0-8987-130e7418ad34"));
    assert_eq!(invoice.identifier(), invoice.uuid);
    assert_eq!(invoice.invoice_type.as_deref(), Some("Progress Invoice"));
    assert_eq!(invoice.status.as_deref(), Some("Approved"));
    assert_eq!(invoice.job_text.as_deref(), Some("J000412"));
    assert_eq!(invoice.description.as_deref(), Some("Annual accounts, first progress claim"));
    assert_eq!(invoice.date, date("2025-09-01T00:00:00"));
    assert_eq!(invoice.due_date, date("2025-09-21T00:00:00"));
    assert_eq!(invoice.amount, dec("1500.00"));
    assert_eq!(invoice.amount_tax, dec("150.00"));
    assert_eq!(invoice.amount_including_tax, dec("1650.00"));
    assert_eq!(invoice.amount_paid, dec("650.00"));
    assert_eq!(invoice.amount_outstanding, dec("1000.00"));
    assert_eq!(invoice.client.as_ref().and_then(|client| client.name.as_deref()), Some("Harbour & Hills Pty Ltd"));
    assert_eq!(invoice.contact.as_ref().and_then(|contact| contact.uuid), uuid("7c1e4a52-0d9b-4f36-8e2a-5b7d3c9f1e04"));
    assert_eq!(invoice.tasks, None, "a job invoice lists its lines under jobs");
    let job = &invoice.jobs.as_deref().expect("jobs")[0];
    assert_eq!(job.id.as_deref(), Some("J000412"));
    assert_eq!(job.name.as_deref(), Some("Annual Accounts FY2025"));
    assert_eq!(job.description.as_deref(), Some("Prepare financial statements"));
    assert_eq!(job.client_order_number.as_deref(), Some("PO-7781"));
    let tasks = job.tasks.as_deref().expect("tasks");
    assert_eq!(tasks[0].uuid, uuid("bc874687-4cb4-408c-a520-5c0ef87c6d50"));
    assert_eq!(tasks[0].name.as_deref(), Some("Financial Statements"));
    assert_eq!(tasks[0].description.as_deref(), Some("Progress to 31 August"));
    assert_eq!(tasks[0].minutes, Some(525));
    assert_eq!(tasks[0].billable_rate, dec("160.00"));
    assert_eq!(tasks[0].billable, Some(YesNo::Yes), "invoice lines use Yes/No");
    assert_eq!(tasks[0].amount, dec("1400.00"));
    assert_eq!(tasks[0].amount_tax, dec("140.00"));
    assert_eq!(tasks[0].amount_including_tax, dec("1540.00"));
    assert_eq!(tasks[1].billable, Some(YesNo::No));
    assert_eq!(tasks[1].amount, dec("0.00"));
    let cost = &job.costs.as_deref().expect("costs")[0];
    assert_eq!(cost.description.as_deref(), Some("Courier"));
    assert_eq!(cost.note.as_deref(), Some("Signed accounts to client"));
    assert_eq!(cost.code.as_deref(), Some("COURIER"));
    assert_eq!(cost.billable, Some(YesNo::Yes));
    assert_eq!(cost.quantity, dec("1"));
    assert_eq!(cost.unit_cost, dec("12.50"));
    assert_eq!(cost.unit_price, dec("100.00"));
    assert_eq!(cost.amount, dec("100.00"));
    assert_eq!(cost.amount_tax, dec("10.00"));
    assert_eq!(cost.amount_including_tax, dec("110.00"));
    assert_eq!(json_of(&tasks[0])["billable"], Value::from("Yes"), "Yes/No stays a string in JSON");

    let (invoices, _) = list_with::<Invoice>("invoice.current.xml", |invoice| {
        let mut json_view = invoice.clone();
        json_view.internal_uuid = None;
        json_view
    });
    let listed = &invoices[0];
    assert_eq!(listed.uuid, None);
    assert_eq!(
        listed.internal_uuid,
        uuid("e873137a-7e07-49a0-8987-130e7418ad34"),
        "the documented list says InternalUUID"
    );
    assert_eq!(listed.identifier(), invoice.uuid);
    assert!(json_of(listed).get("internalUuid").is_none(), "JSON knows only uuid");
    let miscellaneous = &invoices[1];
    assert_eq!(miscellaneous.invoice_type.as_deref(), Some("Miscellaneous"));
    assert_eq!(miscellaneous.job_text.as_deref(), Some(""));
    assert_eq!(miscellaneous.amount_outstanding, dec("0.00"));
    assert_eq!(miscellaneous.jobs, None);
    let line = &miscellaneous.tasks.as_deref().expect("tasks")[0];
    assert_eq!(line.name.as_deref(), Some("Trust Minutes"));
    assert_eq!(line.minutes, Some(90));
    let cost = &miscellaneous.costs.as_deref().expect("costs")[0];
    assert_eq!(cost.billable, Some(YesNo::No));
    assert_eq!(cost.note.as_deref(), Some(""));

    check_spec("InvoiceListResponseDto", Some("InvoiceResponseDto"), "InvoiceDto", &[invoice, miscellaneous.clone()]);
}

#[test]
fn invoice_payments_decode() {
    let (payments, _) = list::<InvoicePayment>("invoice.payments.xml");
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[0].date, date("2025-09-10T00:00:00"));
    assert_eq!(payments[0].amount, dec("500.00"));
    assert_eq!(payments[0].reference.as_deref(), Some("EFT 20250910 HARBOUR"));
    assert_eq!(payments[1].amount, dec("150.00"));
    assert_eq!(payments[1].reference.as_deref(), Some(""));
    check_spec("InvoicePaymentsResponseDto", None, "InvoicePaymentDto", &payments);
}

#[test]
fn quotes_decode_tasks_costs_and_options() {
    let (quote, _) = single::<Quote>("quote.get.xml");
    assert_eq!(quote.id.as_deref(), Some("Q000088"));
    assert_eq!(quote.quote_type.as_deref(), Some("Quote"));
    assert_eq!(quote.state.as_deref(), Some("Issued"));
    assert_eq!(quote.name.as_deref(), Some("SMSF Establishment"));
    assert_eq!(quote.description.as_deref(), Some("Set up of the Raman Super Fund"));
    assert_eq!(quote.budget, dec("2000.00"));
    assert_eq!(quote.option_explanation.as_deref(), Some("Add the corporate trustee if preferred"));
    assert_eq!(quote.date, date("2025-05-06T00:00:00"));
    assert_eq!(quote.valid_date, date("2025-06-05T00:00:00"));
    assert_eq!(quote.estimated_cost, dec("900.00"));
    assert_eq!(quote.estimated_cost_tax, dec("90.00"));
    assert_eq!(quote.estimated_cost_including_tax, dec("990.00"));
    assert_eq!(quote.amount, dec("1650.00"));
    assert_eq!(quote.amount_tax, dec("165.00"));
    assert_eq!(quote.amount_including_tax, dec("1815.00"));
    assert_eq!(quote.client.as_ref().and_then(|client| client.name.as_deref()), Some("Raman Family Trust"));
    assert_eq!(quote.contact.as_ref().and_then(|contact| contact.name.as_deref()), Some("Priya Raman"));
    let task = &quote.tasks.as_deref().expect("tasks")[0];
    assert_eq!(task.name.as_deref(), Some("Trust Deed"));
    assert_eq!(task.description.as_deref(), Some("Deed and ATO registration"));
    assert_eq!(task.estimated_minutes, Some(240));
    assert_eq!(task.billable_rate, dec("180.00"));
    assert_eq!(task.billable, Some(YesNo::Yes));
    assert_eq!(task.amount, dec("720.00"));
    assert_eq!(task.amount_tax, dec("72.00"));
    assert_eq!(task.amount_including_tax, dec("792.00"));
    let cost = &quote.costs.as_deref().expect("costs")[0];
    assert_eq!(cost.code.as_deref(), Some("DEED"));
    assert_eq!(cost.billable, Some(YesNo::Yes));
    assert_eq!(cost.amount_including_tax, dec("363.00"));
    let option = &quote.options.as_deref().expect("options")[0];
    assert_eq!(option.description.as_deref(), Some("Corporate trustee"));
    assert_eq!(option.note.as_deref(), Some("ASIC registration included"));
    assert_eq!(option.code.as_deref(), Some("CORPTR"));
    assert_eq!(option.quantity, dec("1"));
    assert_eq!(option.unit_cost, dec("576.00"));
    assert_eq!(option.unit_price, dec("600.00"));
    assert_eq!(option.amount, dec("600.00"));
    assert_eq!(option.amount_tax, dec("60.00"));
    assert_eq!(option.amount_including_tax, dec("660.00"));

    let (quotes, _) = list::<Quote>("quote.current.xml");
    assert_eq!(quotes[0].quote_type.as_deref(), Some("Estimate"));
    assert_eq!(quotes[0].budget, None, "an empty <Budget /> has no value");
    assert_eq!(quotes[0].option_explanation.as_deref(), Some(""));
    assert_eq!(quotes[0].tasks, None);
    check_spec("QuoteListResponseDto", Some("QuoteResponseDto"), "QuoteDto", &[quote]);
    spec::keys_exist("QuoteDto", &quotes.iter().map(json_of).collect::<Vec<_>>());
}

#[test]
fn categories_job_states_and_templates_decode() {
    let (categories, _) = list::<Category>("category.list.xml");
    assert_eq!(categories[0].uuid, uuid("8d3f6b1a-2e9c-4a75-b4d0-c7e1f5a9b362"));
    assert_eq!(categories[0].name.as_deref(), Some("Annual Compliance"));
    assert_eq!(categories[1].name.as_deref(), Some("Advisory"));
    check_spec("CategoryResponseDto", None, "NamedEntityDto", &categories);

    let (states, _) = list::<JobState>("jobstate.list.xml");
    assert_eq!(states.len(), 3);
    assert_eq!(states[1].uuid, uuid("7a1d5f9b-3e6c-4b82-96f0-a5c3e7d1b248"));
    assert_eq!(states[1].name.as_deref(), Some("In Progress"));
    check_spec("JobStateListResponseDto", None, "NamedEntityDto", &states);

    let (templates, _) = list::<Template>("template.list.xml");
    assert_eq!(templates[0].uuid, uuid("3479eee3-e9c8-46e4-ac65-8e4f1719b309"));
    assert_eq!(templates[0].name.as_deref(), Some("Company Annual Accounts"));
    assert_eq!(templates[1].name.as_deref(), Some("Quarterly BAS"));
    check_spec("TemplateResponseDto", None, "TemplateDto", &templates);
}

#[test]
fn custom_field_definitions_decode_every_flag() {
    let (definitions, _) = list::<CustomFieldDefinition>("customfield.definition.xml");
    let signed = &definitions[0];
    assert_eq!(signed.uuid, uuid("53338270-ff9a-46a5-a275-ca017ea10285"));
    assert_eq!(signed.name.as_deref(), Some("Engagement Signed"));
    assert_eq!(signed.field_type.as_deref(), Some("Date"));
    assert_eq!(signed.link_url.as_deref(), Some(""));
    assert_eq!(signed.options.as_deref(), Some(""));
    assert_eq!(signed.use_client, Some(true));
    assert_eq!(signed.use_contact, Some(false));
    assert_eq!(signed.use_job, Some(true));
    assert_eq!(signed.use_job_task, Some(false));
    assert_eq!(signed.use_job_cost, Some(false));
    assert_eq!(signed.use_job_time, Some(false));
    assert_eq!(signed.use_lead, None, "UseLead is in the OpenAPI only");
    assert_eq!(signed.value_element.as_deref(), Some("Date"));
    let entity = &definitions[1];
    assert_eq!(entity.field_type.as_deref(), Some("Dropdown List"));
    assert_eq!(entity.link_url.as_deref(), Some("https://abr.business.gov.au/ABN/View?abn=[Value]"));
    assert_eq!(entity.options.as_deref(), Some("Company\nTrust\nPartnership"));
    assert_eq!(entity.use_contact, Some(true));
    assert_eq!(entity.use_job_task, Some(true));
    assert_eq!(entity.use_job_cost, Some(true));
    assert_eq!(entity.use_job_time, Some(true));
    assert_eq!(entity.use_lead, Some(false));
    assert_eq!(entity.use_supplier, Some(true));
    assert_eq!(entity.value_element.as_deref(), Some("Text"));
    assert_eq!(json_of(entity)["useSupplier"], Value::Bool(true));
    check_spec(
        "CustomFieldDefinitionListResponseDto",
        Some("CustomFieldDefinitionResponseDto"),
        "CustomFieldDefinitionDto",
        &definitions,
    );
}

#[test]
fn custom_field_values_hold_one_typed_value_each() {
    let (values, _) = list::<CustomFieldValue>("customfield.values.xml");
    let data: Vec<_> = values.iter().map(CustomFieldValue::data).collect();
    assert_eq!(
        data,
        [
            Some(CustomFieldData::Date(date("2025-07-02T00:00:00").expect("date"))),
            Some(CustomFieldData::Number(dec("14").expect("number"))),
            Some(CustomFieldData::Decimal(dec("3850.50").expect("decimal"))),
            Some(CustomFieldData::Boolean(true)),
            Some(CustomFieldData::Text("Trust")),
        ]
    );
    assert_eq!(values[0].uuid, uuid("53338270-ff9a-46a5-a275-ca017ea10285"));
    assert_eq!(values[0].name.as_deref(), Some("Engagement Signed"));
    assert_eq!(values[0].text, None);
    assert_eq!(values[2].decimal.map(|value| value.to_string()).as_deref(), Some("3850.50"));
    assert_eq!(json_of(&values[3])["boolean"], Value::Bool(true));
    check_spec("CustomFieldValueListResponseDto", None, "CustomFieldValueDto", &values);
}

#[test]
fn decimals_are_exact_numbers_in_json() {
    let (costs, _) = list::<JobCost>("job.costs.xml");
    let json = serde_json::to_string(&costs[1]).expect("serializes");
    assert!(json.contains(r#""quantity":2.50"#), "{json}");
    assert!(json.contains(r#""unitCost":0.10"#), "{json}");
}

/// The models that predate these fixtures are checked too, against Xero's real samples: every
/// key they write must exist in their DTO (the samples do not fill every field, so completeness
/// is not asserted here).
#[test]
fn sample_clients_staff_contacts_and_groups_write_spec_keys() {
    use xpm_api::model::{Client, Staff};

    let samples = |name: &str| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples").join(name);
        std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    };
    let client = decode_single::<Client, _>(&samples("client.get.xml")[..]).expect("decodes").item.expect("client");
    assert_eq!(spec::object("ClientResponseDto", Client::ITEM.json), "ClientDetailedDto");
    spec::keys_exist("ClientDetailedDto", &[json_of(&client)]);
    let (clients, _) = XmlList::<_, Client>::new(&samples("paged-client.list.xml")[..]).collect_all().expect("decodes");
    assert_eq!(spec::array_item("ClientPagedListResponseDto", Client::COLLECTION.json), "ClientBaseDto");
    spec::keys_exist("ClientBaseDto", &clients.iter().map(json_of).collect::<Vec<_>>());
    let contacts: Vec<Value> = client.contacts.iter().flatten().map(json_of).collect();
    spec::keys_exist("ClientContactDto", &contacts);

    let (staff, _) = XmlList::<_, Staff>::new(&samples("staff.list.xml")[..]).collect_all().expect("decodes");
    assert_eq!(spec::array_item("StaffListResponseDto", Staff::COLLECTION.json), "StaffDto");
    spec::complete("StaffDto", &staff.iter().map(json_of).collect::<Vec<_>>());
}

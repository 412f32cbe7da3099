//! JSON bodies against Xero's OpenAPI file: every key must be a property of the operation's 200
//! response DTO (`allOf` merged, `$ref`s followed), with a value of the declared type.

use std::sync::OnceLock;

use serde_json::{Map, Value};

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../xpm-api/spec/xero-practicemanager-v3-1.yaml");

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(SPEC_PATH).expect("the OpenAPI file");
        serde_norway::from_str(&text).expect("the OpenAPI file parses")
    })
}

/// The name of the schema of an operation's 200 JSON response.
fn response_schema(operation_id: &str) -> String {
    let paths = spec()["paths"].as_object().expect("paths");
    let operation = paths
        .values()
        .flat_map(|methods| methods.as_object().into_iter().flat_map(Map::values))
        .find(|operation| operation["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("{operation_id} is not in the spec"));
    let reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].as_str();
    reference.and_then(|reference| reference.rsplit('/').next()).expect("a $ref").to_owned()
}

/// Asserts that `body` follows the 200 response DTO of `operation_id`; returns the DTO name.
pub(crate) fn assert_follows(operation_id: &str, body: &Value) -> String {
    let schema = response_schema(operation_id);
    let mut problems = Vec::new();
    let root = serde_json::json!({ "$ref": format!("#/components/schemas/{schema}") });
    check(body, &root, "$", &mut problems);
    assert!(problems.is_empty(), "{operation_id} ({schema}): {problems:#?}\n{body}");
    schema
}

/// Follows `$ref`s and the single-choice `oneOf`s the spec wraps nullable references in.
fn resolve(schema: &Value) -> &Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return resolve(&spec()["components"]["schemas"][name]);
    }
    match schema["oneOf"].as_array().map(Vec::as_slice) {
        Some([only]) => resolve(only),
        _ => schema,
    }
}

/// An object schema's properties, `allOf` parts merged.
fn properties(schema: &Value) -> Map<String, Value> {
    let schema = resolve(schema);
    let mut merged = Map::new();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        merged.extend(properties(part));
    }
    if let Some(own) = schema["properties"].as_object() {
        merged.extend(own.clone());
    }
    merged
}

fn check(value: &Value, schema: &Value, path: &str, problems: &mut Vec<String>) {
    let schema = resolve(schema);
    if value.is_null() {
        return;
    }
    let declared = schema["type"].as_str().unwrap_or(if schema["items"].is_null() { "object" } else { "array" });
    match (declared, value) {
        ("array", Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                check(item, &schema["items"], &format!("{path}[{index}]"), problems);
            }
        }
        ("object", Value::Object(object)) => {
            let known = properties(schema);
            for (key, item) in object {
                match known.get(key) {
                    Some(property) => check(item, property, &format!("{path}.{key}"), problems),
                    None => problems.push(format!("{path}.{key} is not in the DTO")),
                }
            }
        }
        ("string", Value::String(_)) | ("boolean", Value::Bool(_)) | ("number", Value::Number(_)) => {}
        ("integer", Value::Number(number)) if number.is_i64() || number.is_u64() => {}
        (declared, value) => problems.push(format!("{path} should be {declared}, is {value}")),
    }
}

//! The admin part of the OpenAPI document, read from the protos: every `tollgate.v1` method with
//! a `google.api.http` annotation becomes an operation (its path, method, body and response
//! field as the annotation says), and every message it reaches a JSON schema, described by the
//! protos' own comments. The REST bodies are LiteLLM's, which the protos mirror field for field,
//! so one source documents both skins. Completions and the model list are documented from their
//! OpenAI types instead ([`super::routes`]): their REST shape is OpenAI's JSON, not the proto's.
//!
//! Mapping: scalars to JSON types, enums to their LiteLLM spelling (`TEAM_ROLE_ADMIN` → `admin`),
//! `Struct` to an object, `Value` to any value, `Timestamp` to an RFC 3339 string, maps to
//! objects, `repeated` to arrays. A field whose comment says "Required." is required.

use std::collections::BTreeMap;

use prost_reflect::{
    Cardinality, DescriptorPool, DynamicMessage, EnumDescriptor, FieldDescriptor, Kind,
    MessageDescriptor, MethodDescriptor, ReflectMessage, Value as ReflectValue,
};
use serde_json::{Map, Value, json};

/// Methods documented from their OpenAI types ([`super::routes`]), not from the protos.
const SKIPPED_METHODS: &[&str] = &[
    "tollgate.v1.CompletionsService.Chat",
    "tollgate.v1.CompletionsService.ChatStream",
    "tollgate.v1.CompletionsService.Embed",
    "tollgate.v1.ModelsService.ListModels",
];
const PACKAGE: &str = "tollgate.v1";
const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// Operations (`path -> method -> operation`), schemas and tags, as OpenAPI JSON.
#[derive(Debug, Default)]
pub struct ProtoDoc {
    pub paths: BTreeMap<String, Map<String, Value>>,
    pub schemas: BTreeMap<String, Value>,
    /// `(name, description)` of each service's tag, in proto order.
    pub tags: Vec<(String, String)>,
}

/// Reads the annotated services of the embedded descriptor set.
pub fn read() -> Result<ProtoDoc, String> {
    let pool = DescriptorPool::decode(tollgate_proto::FILE_DESCRIPTOR_SET)
        .map_err(|e| format!("bad descriptor set: {e}"))?;
    let http = pool
        .get_extension_by_name("google.api.http")
        .ok_or("the descriptor set lacks google.api.http")?;
    let mut doc = ProtoDoc::default();
    for service in pool.services() {
        if service.package_name() != PACKAGE {
            continue;
        }
        let tag = service.name().trim_end_matches("Service").to_owned();
        let mut documented = false;
        for method in service.methods() {
            if SKIPPED_METHODS.contains(&method.full_name()) {
                continue;
            }
            let options = method.options();
            if !options.has_extension(&http) {
                continue;
            }
            let ReflectValue::Message(rule) = options.get_extension(&http).into_owned() else {
                continue;
            };
            let mut rules = vec![rule.clone()];
            if let Some(ReflectValue::List(more)) = field(&rule, "additional_bindings") {
                rules.extend(more.into_iter().filter_map(|v| match v {
                    ReflectValue::Message(m) => Some(m),
                    _ => None,
                }));
            }
            for (index, rule) in rules.iter().enumerate() {
                add_operation(&mut doc, &method, rule, &tag, index)?;
                documented = true;
            }
        }
        if documented {
            doc.tags
                .push((tag, comment(service.path(), &service.parent_file())));
        }
    }
    Ok(doc)
}

fn field(message: &DynamicMessage, name: &str) -> Option<ReflectValue> {
    let descriptor = message.descriptor().get_field_by_name(name)?;
    message
        .has_field(&descriptor)
        .then(|| message.get_field(&descriptor).into_owned())
}

fn string_field(message: &DynamicMessage, name: &str) -> String {
    match field(message, name) {
        Some(ReflectValue::String(s)) => s,
        _ => String::new(),
    }
}

fn add_operation(
    doc: &mut ProtoDoc,
    method: &MethodDescriptor,
    rule: &DynamicMessage,
    tag: &str,
    index: usize,
) -> Result<(), String> {
    let (verb, path) = HTTP_METHODS
        .iter()
        .map(|verb| (*verb, string_field(rule, verb)))
        .find(|(_, path)| !path.is_empty())
        .ok_or_else(|| format!("{}: annotation without a path", method.full_name()))?;
    let text = comment(method.path(), &method.parent_file());
    let summary = super::common::summary(&text);
    let input = method.input();
    let path_params: Vec<String> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split('}').next())
        .map(str::to_owned)
        .collect();

    let mut operation = json!({
        "tags": [tag],
        "summary": summary,
        "description": text,
        "operationId": operation_id(method, index),
    });
    let mut parameters: Vec<Value> = path_params
        .iter()
        .map(|name| {
            let description = input
                .get_field_by_name(name)
                .map(|f| comment(f.path(), &f.parent_file()))
                .unwrap_or_default();
            json!({"name": name, "in": "path", "required": true,
                   "description": description, "schema": {"type": "string"}})
        })
        .collect();
    match string_field(rule, "body").as_str() {
        "" => parameters.extend(query_parameters(doc, &input, &path_params)),
        "*" => operation["requestBody"] = request_body(schema_ref(doc, &input)),
        name => {
            let body = input
                .get_field_by_name(name)
                .ok_or_else(|| format!("{}: no body field {name}", method.full_name()))?;
            operation["requestBody"] = request_body(field_schema(doc, &body));
        }
    }
    if !parameters.is_empty() {
        operation["parameters"] = Value::Array(parameters);
    }
    let output = method.output();
    let response = match string_field(rule, "response_body").as_str() {
        "" => schema_ref(doc, &output),
        name => {
            let body = output
                .get_field_by_name(name)
                .ok_or_else(|| format!("{}: no response field {name}", method.full_name()))?;
            field_schema(doc, &body)
        }
    };
    operation["responses"] = super::common::responses(response);
    doc.paths
        .entry(path)
        .or_default()
        .insert(verb.to_owned(), operation);
    Ok(())
}

fn operation_id(method: &MethodDescriptor, index: usize) -> String {
    let service = method.parent_service();
    let base = format!("{}_{}", service.name(), method.name());
    if index == 0 {
        base
    } else {
        format!("{base}_{}", index + 1)
    }
}

fn request_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// GET requests: the request message's fields as query parameters (LiteLLM's names).
fn query_parameters(doc: &mut ProtoDoc, input: &MessageDescriptor, skip: &[String]) -> Vec<Value> {
    input
        .fields()
        .filter(|f| !skip.iter().any(|s| s == f.name()))
        .map(|f| {
            let mut parameter = json!({
                "name": f.name(),
                "in": "query",
                "description": comment(f.path(), &f.parent_file()),
                "schema": field_schema(doc, &f),
            });
            if is_required(&f) {
                parameter["required"] = Value::Bool(true);
            }
            parameter
        })
        .collect()
}

/// `$ref` to the message's schema, adding it (and what it reaches) to the components.
fn schema_ref(doc: &mut ProtoDoc, message: &MessageDescriptor) -> Value {
    if let Some(schema) = well_known(message.full_name()) {
        return schema;
    }
    let name = schema_name(message);
    if !doc.schemas.contains_key(&name) {
        doc.schemas.insert(name.clone(), Value::Null); // placeholder: recursion stops here
        let schema = message_schema(doc, message);
        doc.schemas.insert(name.clone(), schema);
    }
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn schema_name(message: &MessageDescriptor) -> String {
    message
        .full_name()
        .strip_prefix("tollgate.v1.")
        .unwrap_or(message.full_name())
        .replace('.', "")
}

fn message_schema(doc: &mut ProtoDoc, message: &MessageDescriptor) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in message.fields() {
        let mut schema = field_schema(doc, &f);
        let description = comment(f.path(), &f.parent_file());
        if !description.is_empty() {
            schema = with_description(schema, description);
        }
        if is_required(&f) {
            required.push(Value::String(f.name().to_owned()));
        }
        properties.insert(f.name().to_owned(), schema);
    }
    let mut schema = json!({"type": "object", "properties": properties});
    let description = comment(message.path(), &message.parent_file());
    if !description.is_empty() {
        schema["description"] = Value::String(description);
    }
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

/// A `$ref` cannot carry siblings in every tool: wrap it to add a description.
fn with_description(schema: Value, description: String) -> Value {
    if schema.get("$ref").is_some() {
        json!({"allOf": [schema], "description": description})
    } else {
        let mut schema = schema;
        schema["description"] = Value::String(description);
        schema
    }
}

fn field_schema(doc: &mut ProtoDoc, f: &FieldDescriptor) -> Value {
    if f.is_map() {
        let Kind::Message(entry) = f.kind() else {
            return json!({"type": "object"});
        };
        let value = entry
            .get_field_by_name("value")
            .map(|v| kind_schema(doc, &v.kind()))
            .unwrap_or_else(|| json!({}));
        return json!({"type": "object", "additionalProperties": value});
    }
    let item = kind_schema(doc, &f.kind());
    if f.cardinality() == Cardinality::Repeated {
        json!({"type": "array", "items": item})
    } else {
        item
    }
}

fn kind_schema(doc: &mut ProtoDoc, kind: &Kind) -> Value {
    match kind {
        Kind::Double => json!({"type": "number", "format": "double"}),
        Kind::Float => json!({"type": "number", "format": "float"}),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            json!({"type": "integer", "format": "int32"})
        }
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
            json!({"type": "integer", "format": "int64"})
        }
        Kind::Uint32 | Kind::Fixed32 => json!({"type": "integer", "format": "int32", "minimum": 0}),
        Kind::Uint64 | Kind::Fixed64 => json!({"type": "integer", "format": "int64", "minimum": 0}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::String => json!({"type": "string"}),
        Kind::Bytes => json!({"type": "string", "contentEncoding": "base64"}),
        Kind::Message(message) => schema_ref(doc, message),
        Kind::Enum(e) => enum_schema(e),
    }
}

fn well_known(full_name: &str) -> Option<Value> {
    Some(match full_name {
        "google.protobuf.Struct" => json!({"type": "object", "additionalProperties": true}),
        "google.protobuf.Value" => json!({}),
        "google.protobuf.ListValue" => json!({"type": "array", "items": {}}),
        "google.protobuf.Timestamp" => json!({"type": "string", "format": "date-time"}),
        "google.protobuf.Duration" => json!({"type": "string", "examples": ["30s"]}),
        _ => return None,
    })
}

/// An enum as the REST API spells it: the value name without the enum's prefix, lower case.
fn enum_schema(e: &EnumDescriptor) -> Value {
    let prefix = format!("{}_", screaming_snake(e.name()));
    let values: Vec<Value> = e
        .values()
        .filter(|v| v.number() != 0)
        .map(|v| {
            let name = v.name();
            Value::String(name.strip_prefix(&prefix).unwrap_or(name).to_lowercase())
        })
        .collect();
    json!({"type": "string", "enum": values})
}

fn screaming_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn is_required(f: &FieldDescriptor) -> bool {
    comment(f.path(), &f.parent_file()).contains("Required.")
}

/// The leading comment of the element at `path`, lines trimmed and joined.
fn comment(path: &[i32], file: &prost_reflect::FileDescriptor) -> String {
    file.file_descriptor_proto()
        .source_code_info
        .as_ref()
        .and_then(|info| info.location.iter().find(|l| l.path == path))
        .and_then(|l| l.leading_comments.as_deref())
        .map(|c| {
            c.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

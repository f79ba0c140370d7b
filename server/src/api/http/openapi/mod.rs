//! The OpenAPI 3.1 document of the HTTP API, served at `/openapi.json` with an API reference page
//! at `/docs` (one self-contained HTML page embedded in the binary: no CDN, works offline), and
//! written to `openapi/openapi.json` by `scripts/gen.sh` (`cargo run --example openapi`; CI fails
//! when the committed file differs).
//!
//! Built from the code, once: the admin routes from the protos' `google.api.http` annotations and
//! comments ([`protos`]), the OpenAI bodies from [`crate::types::openai`] (`utoipa::ToSchema`),
//! the other routes from [`routes`]; errors, headers and auth from [`common`]; examples of the
//! main operations from [`examples`]. It does not serve or validate requests: the routers do.
//! `tests` checks that every route of the HTTP router is documented and every documented one
//! routed; CI's `scripts/gen.sh check` that the committed file is current.

mod common;
mod docs;
mod examples;
mod protos;
mod routes;

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};
use utoipa::OpenApi as _;

use crate::state::AppState;
use crate::types::openai;

/// The schemas of the OpenAI bodies (and every type they reach), from their `ToSchema` derives.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    openai::ChatRequest,
    openai::ChatResponse,
    openai::ChatChunk,
    openai::CompletionRequest,
    openai::CompletionResponse,
    openai::EmbeddingsRequest,
    openai::EmbeddingsResponse,
    openai::ModelList,
    openai::ModelCard,
)))]
struct OpenAiSchemas;

const DESCRIPTION: &str = "Tollgate is an LLM gateway: one address serves the OpenAI API, the \
Anthropic Messages API, LiteLLM's admin API (keys, teams, users, organizations, customers, \
budgets, spend) and the same operations over gRPC and gRPC-Web (`tollgate.v1`, see the SDKs). \
Authenticate with `Authorization: Bearer <key>` (or `x-api-key`). Errors are OpenAI-shaped \
(`{\"error\": {\"message\", \"type\", \"param\", \"code\"}}`) and every response carries \
`x-tollgate-call-id`.";

/// The document, or why it could not be built (a bug: `tests` builds it). Plain JSON: utoipa's
/// model cannot hold every schema the protos need (an "any value" schema is `{}`).
pub fn document() -> Result<Value, String> {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tollgate",
            "version": crate::VERSION,
            "description": DESCRIPTION,
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "security": [{"bearer": []}, {"apiKey": []}],
        "paths": {},
        "components": {
            "schemas": {"Error": common::error_schema()},
            "responses": common::error_responses(),
            "headers": common::headers(),
            "securitySchemes": common::security_schemes()
        }
    });
    let openai =
        serde_json::to_value(OpenAiSchemas::openapi().components).map_err(|e| e.to_string())?;
    if let Some(schemas) = openai.get("schemas").and_then(Value::as_object) {
        add_schemas(&mut doc, schemas.clone())?;
    }

    let mut tags = vec![
        (
            "OpenAI",
            "OpenAI-compatible completions, embeddings and models.",
        ),
        (
            "Anthropic",
            "Anthropic-compatible Messages API (also under `/anthropic`).",
        ),
    ]
    .into_iter()
    .map(|(n, d)| (n.to_owned(), d.to_owned()))
    .collect::<Vec<_>>();
    let from_protos = protos::read()?;
    add_schemas(&mut doc, from_protos.schemas.into_iter().collect())?;
    for (path, operations) in from_protos.paths {
        for (method, operation) in operations {
            add_operation(&mut doc, &path, &method, operation)?;
        }
    }
    tags.extend(from_protos.tags);
    for route in routes::all() {
        for (index, path) in route.paths.iter().enumerate() {
            add_operation(
                &mut doc,
                path,
                route.method,
                manual_operation(&route, index),
            )?;
        }
    }
    for (method, path, documented_method, documented_path) in routes::ALIASES {
        let mut operation = doc["paths"][*documented_path][*documented_method].clone();
        if operation.is_null() {
            return Err(format!(
                "alias of undocumented {documented_method} {documented_path}"
            ));
        }
        operation["operationId"] = json!(format!(
            "{}_{}",
            operation["operationId"].as_str().unwrap_or_default(),
            alias_suffix(path, method)
        ));
        operation["description"] = json!(format!(
            "{} (Same as `{} {documented_path}`.)",
            operation["description"].as_str().unwrap_or_default(),
            documented_method.to_uppercase()
        ));
        add_operation(&mut doc, path, method, operation)?;
    }
    for name in ["Models", "Budgets", "Operations"] {
        if !tags.iter().any(|(n, _)| n == name) {
            tags.push((name.to_owned(), String::new()));
        }
    }
    examples::apply(&mut doc)?;
    doc["tags"] = tags
        .into_iter()
        .map(|(name, description)| json!({"name": name, "description": description}))
        .collect();
    Ok(doc)
}

/// The document as pretty JSON with a final newline (the exact bytes of `openapi/openapi.json`).
pub fn json() -> Result<String, String> {
    let mut text = serde_json::to_string_pretty(&document()?).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

fn alias_suffix(path: &str, method: &str) -> String {
    let head = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    format!("{head}_{method}")
}

fn add_schemas(doc: &mut Value, schemas: Map<String, Value>) -> Result<(), String> {
    let target = doc["components"]["schemas"]
        .as_object_mut()
        .ok_or("no components.schemas")?;
    for (name, schema) in schemas {
        if target.contains_key(&name) {
            return Err(format!("two schemas are named {name}"));
        }
        target.insert(name, schema);
    }
    Ok(())
}

fn add_operation(
    doc: &mut Value,
    path: &str,
    method: &str,
    operation: Value,
) -> Result<(), String> {
    let item = doc["paths"]
        .as_object_mut()
        .ok_or("no paths")?
        .entry(path.to_owned())
        .or_insert_with(|| json!({}));
    if item.get(method).is_some() {
        return Err(format!("{method} {path} is documented twice"));
    }
    item[method] = operation;
    Ok(())
}

fn manual_operation(route: &routes::Route, index: usize) -> Value {
    let mut operation = json!({
        "tags": [route.tag],
        "summary": common::summary(route.description),
        "description": route.description,
        "operationId": if index == 0 { route.operation_id.to_owned() } else { format!("{}_{}", route.operation_id, index + 1) },
        "responses": route.responses,
    });
    if route.parameters.as_array().is_some_and(|p| !p.is_empty()) {
        operation["parameters"] = route.parameters.clone();
    }
    if let Some(body) = &route.request {
        operation["requestBody"] = body.clone();
    }
    if route.public {
        operation["security"] = json!([]);
    }
    operation
}

static JSON: LazyLock<Result<String, String>> = LazyLock::new(json);

/// `GET /openapi.json` and `GET /docs` (public, like LiteLLM's).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(serve_json))
        .route("/docs", get(docs::page))
}

async fn serve_json() -> Response {
    match &*JSON {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            text.clone(),
        )
            .into_response(),
        Err(err) => {
            crate::error::Error::Internal(format!("OpenAPI document: {err}")).into_response()
        }
    }
}

#[cfg(test)]
mod tests;

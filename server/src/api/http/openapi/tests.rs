//! The document is complete and consistent: it builds, every `$ref` resolves, every route of the
//! HTTP router is documented and every documented route is routed, and the error schema is the
//! shape [`crate::error::Error`] really answers.

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use super::json;
use crate::error::Error;
use crate::state::{AppState, StateOptions};

const MASTER_KEY: &str = "sk-openapi-test-master-key";

fn doc() -> Value {
    serde_json::from_str(&json().unwrap()).unwrap()
}

fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.clone(), path.clone()));
        }
    }
    out
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

// The document builds, is OpenAPI 3.1, and every `$ref` points at something that exists.
#[test]
fn document_builds_and_every_ref_resolves() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 50);
    for r in refs {
        let pointer = r.strip_prefix('#').unwrap();
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
    }
    let ids: Vec<&str> = documented(&doc)
        .iter()
        .map(|(m, p)| doc["paths"][p][m]["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "operation ids repeat"
    );
}

// Proto enums use LiteLLM's spelling, and proto comments become descriptions.
#[test]
fn proto_schemas_read_like_the_rest_api() {
    let doc = doc();
    let member = &doc["components"]["schemas"]["TeamMember"]["properties"]["role"];
    assert_eq!(member["enum"], serde_json::json!(["admin", "user"]));
    let generate = &doc["paths"]["/key/generate"]["post"];
    assert_eq!(generate["tags"][0], "Keys");
    assert!(
        generate["summary"]
            .as_str()
            .unwrap()
            .contains("Creates a key")
    );
    let key = &doc["components"]["schemas"]["Key"]["properties"]["max_budget"];
    assert!(key["description"].as_str().unwrap().contains("USD"));
}

// The error schema names exactly the fields `Error::body()` serializes.
#[test]
fn error_schema_matches_error_bodies() {
    let body = serde_json::to_value(Error::invalid_param("bad", "model").body()).unwrap();
    let actual: BTreeSet<&String> = body["error"].as_object().unwrap().keys().collect();
    let schema = super::common::error_schema();
    let documented: BTreeSet<&String> = schema["properties"]["error"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(actual, documented);
    let kinds = schema["properties"]["error"]["properties"]["type"]["enum"].clone();
    assert!(kinds.as_array().unwrap().contains(&body["error"]["type"]));
}

/// `(method, path)` of every `.route(...)` in the HTTP router's sources, with `{prefix}` loops
/// expanded and axum's `{*rest}` written as OpenAPI's `{rest}`.
fn routed_in_sources() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api/http");
    let mut files = vec![root];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("openapi/tests.rs")
        {
            scan(&std::fs::read_to_string(&path).unwrap(), &mut out);
        }
    }
    out
}

fn scan(source: &str, out: &mut BTreeSet<(String, String)>) {
    let mut prefixes: Vec<String> = Vec::new();
    let mut rest = source;
    loop {
        let next_loop = rest.find("for prefix in [");
        let Some(at) = rest.find(".route(") else {
            break;
        };
        if let Some(l) = next_loop.filter(|l| *l < at) {
            let list = &rest[l + "for prefix in [".len()..];
            let list = &list[..list.find(']').unwrap()];
            prefixes = list
                .split(',')
                .map(|p| p.trim().trim_matches('"').to_owned())
                .collect();
            rest = &rest[l + 1..];
            continue;
        }
        let call = &rest[at + ".route(".len()..];
        let end = closing_paren(call);
        let args = &call[..end];
        rest = &call[end..];
        let Some(open) = args.find('"') else { continue };
        let close = open + 1 + args[open + 1..].find('"').unwrap();
        let template = args[open + 1..close]
            .replace("{{", "{")
            .replace("}}", "}")
            .replace("{*", "{");
        let paths: Vec<String> = if template.contains("{prefix}") {
            prefixes
                .iter()
                .map(|p| template.replace("{prefix}", p))
                .collect()
        } else {
            vec![template]
        };
        let handlers = &args[close..];
        for method in ["get", "post", "put", "delete", "patch"] {
            let called = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0 || !handlers[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if called {
                for path in &paths {
                    out.insert((method.to_owned(), path.clone()));
                }
            }
        }
    }
}

fn closing_paren(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

// Every route of the HTTP router is in the document. A new route needs a `google.api.http`
// annotation on its proto method, or an entry in `openapi/routes.rs`; then `scripts/gen.sh`.
#[test]
fn every_route_is_documented() {
    let routed = routed_in_sources();
    assert!(routed.len() > 60, "the route scan found only {routed:?}");
    let documented = documented(&doc());
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the OpenAPI document (annotate the proto method, or add them to \
         server/src/api/http/openapi/routes.rs, then run scripts/gen.sh): {missing:?}"
    );
}

async fn app() -> axum::Router {
    let yaml = format!(
        "general_settings:\n  master_key: {MASTER_KEY}\n  database_url: \"sqlite::memory:\"\n"
    );
    let loaded = crate::config::load_str(&yaml, false, &|_| None).unwrap();
    let (state, _) = AppState::build(loaded.config, StateOptions::default())
        .await
        .unwrap();
    crate::api::http::router(state)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = axum::body::to_bytes(response.into_body(), 4 << 20)
        .await
        .unwrap();
    (status, kind, String::from_utf8(body.to_vec()).unwrap())
}

// `/openapi.json` serves the document and `/docs` a page that loads nothing from elsewhere,
// both without a key.
#[tokio::test]
async fn document_and_docs_page_are_served_without_a_key() {
    let app = app().await;
    let (status, kind, body) = get(&app, "/openapi.json").await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/json")
    );
    assert_eq!(body, json().unwrap());
    let (status, kind, page) = get(&app, "/docs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    assert!(page.contains("fetch(\"/openapi.json\")"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "external reference in /docs"
    );
}

// Every documented operation reaches a handler of the real router (no "no route" 404, no 405).
#[tokio::test]
async fn every_documented_route_is_routed() {
    let app = app().await;
    for (method, path) in documented(&doc()) {
        let uri = path.replace(['{', '}'], "");
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .header("authorization", format!("Bearer {MASTER_KEY}"))
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && !text.contains("no route for"),
            "{method} {path} is documented but not routed: {status} {text}"
        );
    }
}

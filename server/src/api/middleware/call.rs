//! Gives every HTTP request a call id, stamps `x-tollgate-call-id` / `x-tollgate-version` (and
//! LiteLLM's `x-litellm-*` twins) on every response, and records request metrics by route, model
//! and status.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::pipeline::new_call_id;
use crate::telemetry::metrics;

/// The id of the current call, available to handlers as an extension.
#[derive(Debug, Clone)]
pub struct CallId(pub String);

/// The model a response was for, set by handlers for the metrics labels.
#[derive(Debug, Clone)]
pub struct ModelLabel(pub String);

pub async fn call_context(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let call_id = new_call_id();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    req.extensions_mut().insert(CallId(call_id.clone()));
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&call_id) {
        headers.insert("x-tollgate-call-id", v.clone());
        headers.insert("x-litellm-call-id", v);
    }
    let version = HeaderValue::from_static(crate::VERSION);
    headers.insert("x-tollgate-version", version.clone());
    headers.insert("x-litellm-version", version);
    let model = response
        .extensions()
        .get::<ModelLabel>()
        .map_or("", |m| m.0.as_str());
    metrics::record_request(&route, model, response.status().as_u16(), started.elapsed());
    response
}

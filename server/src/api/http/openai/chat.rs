//! `POST /v1/chat/completions`: JSON or SSE stream.

use axum::extract::{Extension, Path, State};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

use crate::api::http::headers::{call_headers, model_label};
use crate::api::http::json::JsonBody;
use crate::api::http::sse;
use crate::api::middleware::call::CallId;
use crate::auth::Principal;
use crate::error::Result;
use crate::pipeline;
use crate::state::AppState;
use crate::types::openai::ChatRequest;

pub async fn handle(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(CallId(call_id)): Extension<CallId>,
    path: Option<Path<HashMap<String, String>>>,
    JsonBody(mut req): JsonBody<ChatRequest>,
) -> Result<Response> {
    // `/engines/{model}/...` and Azure-style `/openai/deployments/{model}/...` name the model
    // in the path.
    if let Some(model) = path.as_ref().and_then(|p| p.get("model")) {
        req.model.clone_from(model);
    }
    if req.is_stream() {
        let streaming = pipeline::chat_stream(&state, &principal, call_id, req).await?;
        let mut response = sse::response(sse::openai_body(streaming.stream));
        response.headers_mut().extend(call_headers(&streaming.meta));
        response
            .extensions_mut()
            .insert(model_label(&streaming.meta));
        return Ok(response);
    }
    let done = pipeline::chat(&state, &principal, call_id, req).await?;
    let mut response = axum::Json(&done.body).into_response();
    response.headers_mut().extend(call_headers(&done.meta));
    response.extensions_mut().insert(model_label(&done.meta));
    Ok(response)
}

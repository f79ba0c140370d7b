//! `POST /v1/completions`: legacy text completions.

use axum::extract::{Extension, State};
use axum::response::{IntoResponse, Response};

use crate::api::http::headers::{call_headers, model_label};
use crate::api::http::json::JsonBody;
use crate::api::middleware::call::CallId;
use crate::auth::Principal;
use crate::error::Result;
use crate::pipeline;
use crate::state::AppState;
use crate::types::openai::CompletionRequest;

pub async fn handle(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(CallId(call_id)): Extension<CallId>,
    JsonBody(req): JsonBody<CompletionRequest>,
) -> Result<Response> {
    let done = pipeline::completions(&state, &principal, call_id, req).await?;
    let mut response = axum::Json(&done.body).into_response();
    response.headers_mut().extend(call_headers(&done.meta));
    response.extensions_mut().insert(model_label(&done.meta));
    Ok(response)
}

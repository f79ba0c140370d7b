//! `POST /v1/messages`: JSON or Anthropic's SSE event stream.

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::AnthropicError;
use crate::api::http::headers::{call_headers, model_label};
use crate::api::http::{json, sse};
use crate::api::middleware::call::CallId;
use crate::auth::Principal;
use crate::pipeline::anthropic as pipeline;
use crate::state::AppState;
use crate::translate::anthropic::to_sse;
use crate::types::anthropic::MessagesRequest;

pub async fn handle(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(CallId(call_id)): Extension<CallId>,
    body: Bytes,
) -> Result<Response, AnthropicError> {
    let req: MessagesRequest = json::parse(&body)?;
    if req.is_stream() {
        let streaming = pipeline::messages_stream(&state, &principal, call_id, req).await?;
        let frames = streaming.events.map(|event| to_sse(&event));
        let mut response = sse::response(sse::text_body(frames));
        response.headers_mut().extend(call_headers(&streaming.meta));
        response
            .extensions_mut()
            .insert(model_label(&streaming.meta));
        return Ok(response);
    }
    let done = pipeline::messages(&state, &principal, call_id, req).await?;
    let mut response = axum::Json(&done.body).into_response();
    response.headers_mut().extend(call_headers(&done.meta));
    response.extensions_mut().insert(model_label(&done.meta));
    Ok(response)
}

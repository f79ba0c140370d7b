//! `POST /v1/messages/count_tokens`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};

use super::AnthropicError;
use crate::api::http::json;
use crate::auth::Principal;
use crate::pipeline::anthropic as pipeline;
use crate::state::AppState;
use crate::types::anthropic::{CountTokensRequest, CountTokensResponse};

pub async fn handle(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Result<Json<CountTokensResponse>, AnthropicError> {
    let req: CountTokensRequest = json::parse(&body)?;
    Ok(Json(pipeline::count_tokens(&state, &principal, req).await?))
}

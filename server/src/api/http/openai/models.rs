//! `GET /v1/models` and `GET /v1/models/{id}` (ids may contain `/`, e.g. `openai/gpt-4o`).

use axum::Json;
use axum::extract::{Extension, Path, State};

use crate::auth::Principal;
use crate::error::Result;
use crate::pipeline;
use crate::state::AppState;
use crate::types::openai::{ModelCard, ModelList};

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Json<ModelList> {
    Json(pipeline::list_models(&state, &principal))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ModelCard>> {
    pipeline::get_model(&state, &principal, &id).map(Json)
}

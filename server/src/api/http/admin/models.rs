//! `GET /model/info` (and `/v1/model/info`): the deployments the caller may use.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::admin::AdminContext;
use crate::admin::models::{self, ModelInfoList};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/model/info", get(info))
        .route("/v1/model/info", get(info))
}

#[derive(Debug, Deserialize)]
struct InfoQuery {
    model: Option<String>,
}

async fn info(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(q): Query<InfoQuery>,
) -> Json<ModelInfoList> {
    Json(models::info(&state, &ctx, q.model.as_deref()))
}

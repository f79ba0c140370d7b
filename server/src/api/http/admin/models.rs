//! `GET /model/info` (and `/v1/model/info`): the deployments the caller may use; `GET /health`
//! (admin): a live check of every deployment; `POST /model/new|update|delete` (admin): models
//! stored at runtime.

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::admin::AdminContext;
use crate::admin::models::{self, ModelInfoList};
use crate::admin::models_runtime;
use crate::api::http::json::JsonBody;
use crate::error::{Error, Result};
use crate::router::health::{self, HealthReport};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/model/info", get(info))
        .route("/v1/model/info", get(info))
        .route("/health", get(check))
        .route("/model/new", post(new))
        .route("/model/update", post(update))
        .route("/model/delete", post(delete))
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

/// `GET /health?model=`: a minimal live call to each deployment (admin only: it costs tokens).
async fn check(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(q): Query<InfoQuery>,
) -> Result<Json<HealthReport>> {
    if !ctx.principal.reads_everything() {
        return Err(Error::PermissionDenied(
            "/health calls every deployment; it is for admin keys".into(),
        ));
    }
    Ok(Json(health::check_all(&state, q.model.as_deref()).await))
}

async fn new(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(models_runtime::new(&state, &ctx, body).await?))
}

async fn update(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(models_runtime::update(&state, &ctx, body).await?))
}

async fn delete(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(models_runtime::delete(&state, &ctx, body).await?))
}

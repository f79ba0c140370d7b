//! MCP servers at runtime (admin): `/mcp/servers` and LiteLLM's `/v1/mcp/server` routes, over
//! [`crate::admin::mcp_servers`]. These paths are matched before the MCP endpoint nested at
//! `/mcp` (a server may therefore not be named `servers`). Status codes are LiteLLM's: 201 on
//! create, 202 on update and delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::admin::AdminContext;
use crate::admin::mcp_servers::{self, McpServerHealth, McpServerView};
use crate::api::http::json::JsonBody;
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mcp/servers", get(list).post(add))
        .route(
            "/mcp/servers/{server_id}",
            get(info).put(update).delete(remove),
        )
        .route("/mcp/servers/{server_id}/health", get(health))
        .route("/v1/mcp/server", get(list).post(add).put(update_by_body))
        .route("/v1/mcp/server/{server_id}", get(info).delete(remove))
}

async fn list(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<Vec<McpServerView>>> {
    Ok(Json(mcp_servers::list(&state, &ctx).await?))
}

async fn add(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<McpServerView>)> {
    let view = mcp_servers::add(&state, &ctx, body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn info(
    State(state): State<AppState>,
    ctx: AdminContext,
    Path(server_id): Path<String>,
) -> Result<Json<McpServerView>> {
    Ok(Json(mcp_servers::get(&state, &ctx, &server_id).await?))
}

async fn health(
    State(state): State<AppState>,
    ctx: AdminContext,
    Path(server_id): Path<String>,
) -> Result<Json<McpServerHealth>> {
    Ok(Json(mcp_servers::health(&state, &ctx, &server_id).await?))
}

async fn update(
    State(state): State<AppState>,
    ctx: AdminContext,
    Path(server_id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<McpServerView>)> {
    let view = mcp_servers::update(&state, &ctx, Some(&server_id), body).await?;
    Ok((StatusCode::ACCEPTED, Json(view)))
}

async fn update_by_body(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<McpServerView>)> {
    let view = mcp_servers::update(&state, &ctx, None, body).await?;
    Ok((StatusCode::ACCEPTED, Json(view)))
}

async fn remove(
    State(state): State<AppState>,
    ctx: AdminContext,
    Path(server_id): Path<String>,
) -> Result<(StatusCode, Json<Value>)> {
    let done = mcp_servers::remove(&state, &ctx, &server_id).await?;
    Ok((StatusCode::ACCEPTED, Json(done)))
}

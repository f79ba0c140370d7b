//! LiteLLM's key routes: `POST /key/generate`, `/key/update`, `/key/delete`, `/key/regenerate`
//! (also `/key/{key}/regenerate`), `/key/block`, `/key/unblock`; `GET /key/info?key=`,
//! `/key/list`. Bodies are read as JSON objects and parsed by [`crate::admin::keys`], which
//! names the field of any bad value; answers are LiteLLM's shapes ([`view`]).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::admin::AdminContext;
use crate::admin::keys::types::block_request_key;
use crate::admin::keys::{
    self, DeleteRequest, GenerateRequest, ListQuery, RegenerateRequest, UpdateRequest, view,
};
use crate::api::http::json::{self, JsonBody};
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/key/generate", post(generate))
        .route("/key/update", post(update))
        .route("/key/delete", post(delete))
        .route("/key/info", get(info))
        .route("/key/list", get(list))
        .route("/key/regenerate", post(regenerate))
        .route("/key/{key}/regenerate", post(regenerate_path))
        .route("/key/block", post(block))
        .route("/key/unblock", post(unblock))
}

async fn generate(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>> {
    let generated = keys::generate(&state, &ctx, GenerateRequest::from_json(&body)?).await?;
    Ok(Json(view::generated_json(&generated)))
}

async fn update(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>> {
    let req = UpdateRequest::from_json(&body)?;
    let given = req.key.clone();
    let record = keys::update(&state, &ctx, req).await?;
    Ok(Json(view::updated_json(&given, &record)))
}

async fn delete(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>> {
    let deleted = keys::delete(&state, &ctx, DeleteRequest::from_json(&body)?).await?;
    Ok(Json(view::deleted_json(&deleted)))
}

async fn info(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>> {
    let (given, record) = keys::info(&state, &ctx, params.get("key").map(String::as_str)).await?;
    Ok(Json(view::info_json(&given, &record)))
}

async fn list(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>> {
    let query = ListQuery::from_params(&params)?;
    let page = keys::list(&state, &ctx, &query).await?;
    Ok(Json(view::page_json(&page, query.return_full_object)))
}

/// The body of a regenerate is optional (the key may be in the path).
fn optional_body(bytes: &Bytes) -> Result<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(Value::Object(Default::default()))
    } else {
        json::parse(bytes)
    }
}

async fn regenerate(
    State(state): State<AppState>,
    ctx: AdminContext,
    body: Bytes,
) -> Result<Json<Value>> {
    let req = RegenerateRequest::from_json(&optional_body(&body)?)?;
    let generated = keys::regenerate(&state, &ctx, req).await?;
    Ok(Json(view::generated_json(&generated)))
}

async fn regenerate_path(
    State(state): State<AppState>,
    ctx: AdminContext,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Json<Value>> {
    let mut req = RegenerateRequest::from_json(&optional_body(&body)?)?;
    // LiteLLM: a key in the body wins over the one in the path.
    req.key = req.key.filter(|k| !k.is_empty()).or(Some(key));
    let generated = keys::regenerate(&state, &ctx, req).await?;
    Ok(Json(view::generated_json(&generated)))
}

async fn block(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>> {
    let key = block_request_key(&body)?;
    let record = keys::set_blocked(&state, &ctx, &key, true).await?;
    Ok(Json(view::key_json(&record)))
}

async fn unblock(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>> {
    let key = block_request_key(&body)?;
    let record = keys::set_blocked(&state, &ctx, &key, false).await?;
    Ok(Json(view::key_json(&record)))
}

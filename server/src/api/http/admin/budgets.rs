//! `/budget/*` and `/tag/*`: LiteLLM's named-budget and tag routes over
//! [`crate::admin::budgets`] and [`crate::admin::tags`].

use std::collections::BTreeMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::teams::query;
use crate::admin::AdminContext;
use crate::admin::budgets::{self, types::*};
use crate::admin::tags::{self, types::*};
use crate::api::http::json::JsonBody;
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/budget/new", post(new_budget))
        .route("/budget/info", post(budget_info))
        .route("/budget/update", post(update_budget))
        .route("/budget/delete", post(delete_budget))
        .route("/budget/list", get(list_budgets))
        .route("/budget/settings", get(budget_settings))
        .route("/tag/new", post(new_tag))
        .route("/tag/info", post(tag_info))
        .route("/tag/update", post(update_tag))
        .route("/tag/delete", post(delete_tag))
        .route("/tag/list", get(list_tags))
}

async fn new_budget(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<NewBudgetRequest>,
) -> Result<Json<BudgetView>> {
    budgets::new_budget(&state, &ctx, req).await.map(Json)
}

async fn budget_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<BudgetInfoRequest>,
) -> Result<Json<Vec<BudgetView>>> {
    budgets::budget_info(&state, &ctx, req).await.map(Json)
}

async fn update_budget(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<UpdateBudgetRequest>,
) -> Result<Json<BudgetView>> {
    budgets::update_budget(&state, &ctx, req).await.map(Json)
}

async fn delete_budget(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<DeleteBudgetRequest>,
) -> Result<Json<BudgetView>> {
    budgets::delete_budget(&state, &ctx, req).await.map(Json)
}

async fn list_budgets(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<Vec<BudgetView>>> {
    budgets::list_budgets(&state, &ctx).await.map(Json)
}

async fn budget_settings(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<BudgetSettingsQuery>, QueryRejection>,
) -> Result<Json<Vec<BudgetSetting>>> {
    budgets::budget_settings(&state, &ctx, query(q)?)
        .await
        .map(Json)
}

async fn new_tag(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<NewTagRequest>,
) -> Result<Json<TagChanged>> {
    tags::new_tag(&state, &ctx, req).await.map(Json)
}

async fn tag_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<TagInfoRequest>,
) -> Result<Json<BTreeMap<String, TagView>>> {
    tags::tag_info(&state, &ctx, req).await.map(Json)
}

async fn update_tag(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<UpdateTagRequest>,
) -> Result<Json<TagChanged>> {
    tags::update_tag(&state, &ctx, req).await.map(Json)
}

async fn delete_tag(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<DeleteTagRequest>,
) -> Result<Json<TagDeleted>> {
    tags::delete_tag(&state, &ctx, req).await.map(Json)
}

async fn list_tags(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<Vec<TagListEntry>>> {
    tags::list_tags(&state, &ctx).await.map(Json)
}

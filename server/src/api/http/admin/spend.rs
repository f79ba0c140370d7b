//! LiteLLM's spend routes: `GET /spend/logs` (a JSON list of rows; `page`/`page_size` for a
//! page; with `start_date` and `end_date`, LiteLLM's per-day summary unless `summarize=false`),
//! `GET /spend/tags`, `GET /global/spend`, `GET /global/spend/report`. Domain code is
//! [`crate::admin::spend`].

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::admin::AdminContext;
use crate::admin::spend::{self, LogsAnswer, LogsQuery, Report, ReportQuery, report};
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/spend/logs", get(logs))
        .route("/spend/tags", get(tags))
        .route("/global/spend", get(global))
        .route("/global/spend/report", get(report_route))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Json<Value>> {
    serde_json::to_value(value)
        .map(Json)
        .map_err(Error::internal)
}

async fn logs(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>> {
    match spend::logs(&state, &ctx, LogsQuery::from_params(&params)?).await? {
        LogsAnswer::Rows(rows) => to_json(&rows),
        LogsAnswer::Page(page) => to_json(&page),
        LogsAnswer::Summary(days) => Ok(Json(Value::Array(days))),
    }
}

async fn tags(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>> {
    let only = params.get("tags").map(String::as_str);
    let rows = spend::tags(&state, &ctx, &spend::params_from(&params), only).await?;
    to_json(&rows)
}

async fn global(State(state): State<AppState>, ctx: AdminContext) -> Result<Json<Value>> {
    to_json(&spend::global(&state, &ctx).await?)
}

async fn report_route(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>> {
    match spend::report(&state, &ctx, ReportQuery::from_params(&params)).await? {
        Report::Daily { group_by, days } => Ok(Json(report::daily_json(&days, group_by))),
        Report::Keys(keys) => to_json(&keys),
    }
}

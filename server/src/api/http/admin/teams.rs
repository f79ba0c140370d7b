//! `/team/*`: LiteLLM's team routes over [`crate::admin::teams`]. Also [`query`], the query
//! string extractor the directory routes share (bad parameters are a JSON 400, not axum's
//! plain text).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::admin::AdminContext;
use crate::admin::teams::{self, types::*};
use crate::api::http::json::JsonBody;
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/team/new", post(new_team))
        .route("/team/update", post(update_team))
        .route("/team/delete", post(delete_teams))
        .route("/team/info", get(team_info))
        .route("/team/list", get(list_teams))
        .route("/team/member_add", post(add_members))
        .route("/team/member_delete", post(remove_member))
        .route("/team/member_update", post(update_member))
        .route("/team/block", post(block_team))
        .route("/team/unblock", post(unblock_team))
}

/// The query string as `T`; a malformed one is a 400 `invalid_request_error`.
pub fn query<T>(parsed: std::result::Result<Query<T>, QueryRejection>) -> Result<T> {
    parsed
        .map(|Query(q)| q)
        .map_err(|e| Error::invalid(format!("invalid query string: {}", e.body_text())))
}

async fn new_team(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<NewTeamRequest>,
) -> Result<Json<TeamView>> {
    teams::new_team(&state, &ctx, req).await.map(Json)
}

async fn update_team(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<UpdateTeamRequest>,
) -> Result<Json<TeamUpdated>> {
    teams::update_team(&state, &ctx, req).await.map(Json)
}

async fn delete_teams(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<DeleteTeamsRequest>,
) -> Result<Json<TeamsDeleted>> {
    teams::delete_teams(&state, &ctx, req).await.map(Json)
}

async fn team_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<TeamInfoQuery>, QueryRejection>,
) -> Result<Json<TeamInfo>> {
    teams::team_info(&state, &ctx, query(q)?).await.map(Json)
}

async fn list_teams(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<ListTeamsQuery>, QueryRejection>,
) -> Result<Json<Vec<TeamListEntry>>> {
    teams::list_teams(&state, &ctx, query(q)?).await.map(Json)
}

async fn add_members(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<TeamMemberAddRequest>,
) -> Result<Json<TeamMembersAdded>> {
    teams::add_members(&state, &ctx, req).await.map(Json)
}

async fn remove_member(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<TeamMemberDeleteRequest>,
) -> Result<Json<TeamView>> {
    teams::remove_member(&state, &ctx, req).await.map(Json)
}

async fn update_member(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<TeamMemberUpdateRequest>,
) -> Result<Json<TeamMemberUpdated>> {
    teams::update_member(&state, &ctx, req).await.map(Json)
}

async fn block_team(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<BlockTeamRequest>,
) -> Result<Json<TeamView>> {
    teams::set_blocked(&state, &ctx, req, true).await.map(Json)
}

async fn unblock_team(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<BlockTeamRequest>,
) -> Result<Json<TeamView>> {
    teams::set_blocked(&state, &ctx, req, false).await.map(Json)
}

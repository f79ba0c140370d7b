//! `/user/*`: LiteLLM's internal-user routes over [`crate::admin::users`].

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::teams::query;
use crate::admin::AdminContext;
use crate::admin::users::{self, types::*};
use crate::api::http::json::JsonBody;
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/user/new", post(new_user))
        .route("/user/info", get(user_info))
        .route("/user/update", post(update_user))
        .route("/user/delete", post(delete_users))
        .route("/user/list", get(list_users))
}

async fn new_user(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<NewUserRequest>,
) -> Result<Json<NewUserResponse>> {
    users::new_user(&state, &ctx, req).await.map(Json)
}

async fn user_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<UserInfoQuery>, QueryRejection>,
) -> Result<Json<UserInfo>> {
    users::user_info(&state, &ctx, query(q)?).await.map(Json)
}

async fn update_user(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<UpdateUserRequest>,
) -> Result<Json<UserUpdated>> {
    users::update_user(&state, &ctx, req).await.map(Json)
}

async fn delete_users(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<DeleteUsersRequest>,
) -> Result<Json<UsersDeleted>> {
    users::delete_users(&state, &ctx, req).await.map(Json)
}

async fn list_users(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<ListUsersQuery>, QueryRejection>,
) -> Result<Json<UserList>> {
    users::list_users(&state, &ctx, query(q)?).await.map(Json)
}

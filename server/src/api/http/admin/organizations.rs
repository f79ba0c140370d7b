//! `/organization/*`: LiteLLM's organization routes over [`crate::admin::organizations`].
//! LiteLLM serves update as `PATCH` and delete as `DELETE`; `POST` is accepted for both too.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::teams::query;
use crate::admin::AdminContext;
use crate::admin::organizations::{self, types::*};
use crate::api::http::json::JsonBody;
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organization/new", post(new_organization))
        .route(
            "/organization/update",
            post(update_organization).patch(update_organization),
        )
        .route(
            "/organization/delete",
            post(delete_organizations).delete(delete_organizations),
        )
        .route(
            "/organization/info",
            get(organization_info).post(organizations_info),
        )
        .route("/organization/list", get(list_organizations))
        .route("/organization/member_add", post(add_members))
}

async fn new_organization(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<NewOrganizationRequest>,
) -> Result<Json<OrganizationView>> {
    organizations::new_organization(&state, &ctx, req)
        .await
        .map(Json)
}

async fn update_organization(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<UpdateOrganizationRequest>,
) -> Result<Json<OrganizationView>> {
    organizations::update_organization(&state, &ctx, req)
        .await
        .map(Json)
}

async fn delete_organizations(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<DeleteOrganizationsRequest>,
) -> Result<Json<Vec<OrganizationView>>> {
    organizations::delete_organizations(&state, &ctx, req)
        .await
        .map(Json)
}

async fn organization_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<OrganizationInfoQuery>, QueryRejection>,
) -> Result<Json<OrganizationView>> {
    organizations::organization_info(&state, &ctx, query(q)?)
        .await
        .map(Json)
}

async fn organizations_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<OrganizationsInfoRequest>,
) -> Result<Json<Vec<OrganizationView>>> {
    organizations::organizations_info(&state, &ctx, req)
        .await
        .map(Json)
}

async fn list_organizations(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<Vec<OrganizationView>>> {
    organizations::list_organizations(&state, &ctx)
        .await
        .map(Json)
}

async fn add_members(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<OrganizationMemberAddRequest>,
) -> Result<Json<OrganizationMembersAdded>> {
    organizations::add_members(&state, &ctx, req)
        .await
        .map(Json)
}

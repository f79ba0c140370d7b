//! `/customer/*`: LiteLLM's end-user routes over [`crate::admin::customers`], also under
//! LiteLLM's older `/end_user/*` names.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::teams::query;
use crate::admin::AdminContext;
use crate::admin::customers::{self, types::*};
use crate::api::http::json::JsonBody;
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for prefix in ["/customer", "/end_user"] {
        router = router
            .route(&format!("{prefix}/new"), post(new_customer))
            .route(&format!("{prefix}/info"), get(customer_info))
            .route(&format!("{prefix}/update"), post(update_customer))
            .route(&format!("{prefix}/delete"), post(delete_customers))
            .route(&format!("{prefix}/list"), get(list_customers))
            .route(&format!("{prefix}/block"), post(block_customers))
            .route(&format!("{prefix}/unblock"), post(unblock_customers));
    }
    router
}

async fn new_customer(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<NewCustomerRequest>,
) -> Result<Json<CustomerView>> {
    customers::new_customer(&state, &ctx, req).await.map(Json)
}

async fn customer_info(
    State(state): State<AppState>,
    ctx: AdminContext,
    q: std::result::Result<Query<CustomerInfoQuery>, QueryRejection>,
) -> Result<Json<CustomerView>> {
    customers::customer_info(&state, &ctx, query(q)?)
        .await
        .map(Json)
}

async fn update_customer(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<UpdateCustomerRequest>,
) -> Result<Json<CustomerView>> {
    customers::update_customer(&state, &ctx, req)
        .await
        .map(Json)
}

async fn delete_customers(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<CustomerIdsRequest>,
) -> Result<Json<CustomersDeleted>> {
    customers::delete_customers(&state, &ctx, req)
        .await
        .map(Json)
}

async fn list_customers(
    State(state): State<AppState>,
    ctx: AdminContext,
) -> Result<Json<Vec<CustomerView>>> {
    customers::list_customers(&state, &ctx).await.map(Json)
}

async fn block_customers(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<CustomerIdsRequest>,
) -> Result<Json<CustomersBlocked>> {
    customers::block_customers(&state, &ctx, req)
        .await
        .map(Json)
}

async fn unblock_customers(
    State(state): State<AppState>,
    ctx: AdminContext,
    JsonBody(req): JsonBody<CustomerIdsRequest>,
) -> Result<Json<CustomersUnblocked>> {
    customers::unblock_customers(&state, &ctx, req)
        .await
        .map(Json)
}

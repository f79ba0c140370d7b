//! `GET /audit`: the audit log (admins and admin viewers), newest first, filtered by
//! `target_type`, `target_id`, `actor`, `action`, paged by `page`/`page_size`.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};

use crate::admin::AdminContext;
use crate::admin::audit::{self, AuditFilter, AuditPage};
use crate::error::Result;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

async fn list(
    State(state): State<AppState>,
    ctx: AdminContext,
    Query(filter): Query<AuditFilter>,
) -> Result<Json<AuditPage>> {
    audit::list(&state, &ctx, filter).await.map(Json)
}

//! LiteLLM's admin routes (`/key/*`, `/team/*`, `/user/*`, `/organization/*`, `/customer/*`)
//! and the audit log, one file per resource. All are behind the auth middleware; each handler
//! takes an [`AdminContext`](crate::admin::AdminContext) and calls [`crate::admin`].

pub mod audit;
pub mod budgets;
pub mod customers;
pub mod keys;
pub mod mcp_servers;
pub mod models;
pub mod organizations;
pub mod spend;
pub mod teams;
pub mod users;

use axum::Router;

use crate::state::AppState;

/// Every admin route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(keys::routes())
        .merge(models::routes())
        .merge(mcp_servers::routes())
        .merge(teams::routes())
        .merge(users::routes())
        .merge(organizations::routes())
        .merge(customers::routes())
        .merge(budgets::routes())
        .merge(audit::routes())
        .merge(spend::routes())
}

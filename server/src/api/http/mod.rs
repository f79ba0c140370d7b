//! The HTTP routes: OpenAI-compatible, Anthropic-compatible and operations, on one axum router.

pub mod admin;
pub mod anthropic;
pub mod headers;
pub mod json;
pub mod openai;
pub mod openapi;
pub mod ops;
pub mod sse;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};

use crate::api::middleware::{auth::require_auth, call::call_context};
use crate::error::Error;
use crate::state::AppState;

/// Largest request body accepted (chat requests carry base64 images).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Every HTTP route, with call context on all and authentication on the protected ones.
pub fn router(state: AppState) -> Router {
    let mut protected = Router::new();
    for prefix in ["/v1", ""] {
        protected = protected
            .route(
                &format!("{prefix}/chat/completions"),
                post(openai::chat::handle),
            )
            .route(
                &format!("{prefix}/completions"),
                post(openai::completions::handle),
            )
            .route(
                &format!("{prefix}/embeddings"),
                post(openai::embeddings::handle),
            )
            .route(&format!("{prefix}/models"), get(openai::models::list))
            .route(
                &format!("{prefix}/models/{{*id}}"),
                get(openai::models::get),
            );
    }
    for prefix in ["", "/anthropic"] {
        protected = protected
            .route(
                &format!("{prefix}/v1/messages"),
                post(anthropic::messages::handle),
            )
            .route(
                &format!("{prefix}/v1/messages/count_tokens"),
                post(anthropic::count_tokens::handle),
            );
    }
    // LiteLLM's engine-prefixed OpenAI paths.
    protected = protected
        .route(
            "/engines/{model}/chat/completions",
            post(openai::chat::handle),
        )
        .route(
            "/openai/deployments/{model}/chat/completions",
            post(openai::chat::handle),
        );
    let protected = protected
        .merge(admin::routes())
        .route_layer(from_fn_with_state(state.clone(), require_auth));

    let public = Router::new()
        .route("/health/liveliness", get(ops::liveliness))
        .route("/health/liveness", get(ops::liveliness))
        .route("/health/readiness", get(ops::readiness))
        .route("/metrics", get(ops::metrics))
        .merge(openapi::routes());

    protected
        .merge(public)
        .nest_service("/mcp", crate::mcp_bridge::service(&state))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(call_context))
        .with_state(state)
}

async fn not_found(method: Method, uri: Uri) -> Error {
    Error::NotFound(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> Error {
    Error::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}

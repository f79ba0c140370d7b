//! Operations routes: liveness, readiness, Prometheus metrics. Not authenticated (load
//! balancers and scrapers call them), and they reveal nothing secret.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::AppState;
use crate::telemetry::metrics;

/// `GET /health/liveliness`: the process answers (LiteLLM's exact body).
pub async fn liveliness() -> Json<&'static str> {
    Json("I'm alive!")
}

/// `GET /health/readiness`: the store answers; 503 otherwise. Also says whether Redis answers
/// (an instance without Redis keeps serving on local counters, so that alone is not unready).
pub async fn readiness(State(state): State<AppState>) -> Response {
    let db = state.store.ping().await;
    let shutting_down = state.shutdown.is_cancelled();
    let ready = db.is_ok() && !shutting_down;
    let body = json!({
        "status": if ready { "healthy" } else { "unhealthy" },
        "db": if db.is_ok() { "connected" } else { "disconnected" },
        "db_backend": state.store.backend(),
        "db_error": db.err().map(|e| e.to_string()),
        "shutting_down": shutting_down,
        "redis": match &state.redis {
            None => "not configured",
            Some(link) if link.is_up() => "connected",
            Some(_) => "disconnected",
        },
        "rate_limits": if state.limits.is_shared() { "shared" } else { "local" },
        "deployments": crate::router::health::summary(&state),
        "tollgate_version": crate::VERSION,
        "litellm_version": crate::VERSION,
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics() -> Response {
    let mut response = metrics::render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

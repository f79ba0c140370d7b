//! One listener for everything: requests whose `content-type` is `application/grpc*` (including
//! gRPC-Web) go to the tonic services, all others to the axum HTTP routes. HTTP/1.1 and HTTP/2
//! cleartext are both served. Shutdown stops accepting, lets in-flight requests and streams finish
//! within the grace period, then drains background tasks and closes the store.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::api;
use crate::error::{Error, Result};
use crate::state::AppState;

/// The whole application: HTTP routes with gRPC dispatched by content type.
pub fn app(state: AppState) -> Router {
    let http = api::http::router(state.clone());
    let grpc = api::grpc::routes(state);
    Router::new()
        .fallback_service(http)
        .layer(from_fn_with_state(grpc, dispatch_grpc))
}

async fn dispatch_grpc(State(grpc): State<Router>, req: Request, next: Next) -> Response {
    let is_grpc = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/grpc"));
    if is_grpc {
        match grpc.oneshot(req).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    } else {
        next.run(req).await
    }
}

/// Serves `listener` until `shutdown` fires, then shuts down gracefully.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
) -> Result<()> {
    if let Ok(addr) = listener.local_addr() {
        // The MCP hub refuses non-loopback `Host`s while this is a loopback address.
        let _ = state.mcp.options().listen_addr.set(addr);
    }
    let app = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let graceful = {
        let shutdown = shutdown.clone();
        let state = state.clone();
        async move {
            shutdown.cancelled().await;
            state.shutdown.cancel();
            tracing::info!(
                grace_period_s = state.grace_period.as_secs_f64(),
                "shutting down: finishing in-flight requests"
            );
        }
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(graceful);
    let grace_over = async {
        shutdown.cancelled().await;
        tokio::time::sleep(state.grace_period).await;
    };
    tokio::select! {
        result = server => result.map_err(|e| Error::Internal(format!("server failed: {e}")))?,
        () = grace_over => {
            tracing::warn!("grace period over: closing the connections still open");
        }
    }
    // Spend records of the requests just finished are written (or journaled) before exit.
    state.spend.close();
    state.tasks.close();
    state.tasks.wait().await;
    state.store.close().await;
    tracing::info!("shutdown complete");
    Ok(())
}

/// A token that fires on SIGTERM or SIGINT (Ctrl-C).
pub fn shutdown_on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let fire = token.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        fire.cancel();
    });
    token
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot listen for SIGTERM; only Ctrl-C stops the gateway");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

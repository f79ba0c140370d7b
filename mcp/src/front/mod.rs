//! The front: the streamable-HTTP MCP endpoint clients connect to (`/mcp`, `/mcp/<server>`).
//!
//! POST carries one JSON-RPC message. `initialize` opens a session (`Mcp-Session-Id`); every
//! later message must name it. Requests are answered as JSON, or — when they go to an upstream
//! and the client accepts it — as an SSE stream that first relays what the upstream sends for
//! the call (progress, logs, sampling and elicitation requests), then the response.
//! Notifications and responses get 202. GET opens the session's stream of unsolicited messages
//! (list changes); DELETE ends the session, on every instance of a fleet. Every request is authenticated with the caller's
//! key and checked against DNS rebinding (`Origin`).

mod admit;
pub mod aggregate;
pub mod dispatch;
pub mod events;
pub mod logging;
pub mod origin;
pub mod routed;
pub mod sealed;
pub mod session;
mod stream;
pub mod subscribe;
pub mod subscriptions;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures_util::StreamExt;
use serde_json::Value;
use tokio_stream::wrappers::ReceiverStream;

use crate::gateway::Gateway;
use crate::hub::Hub;
use crate::jsonrpc::{self, Kind};
use crate::sse;
use admit::{Admitted, admit, note_own_sessions, plain, rpc_status, session_of};
use session::Session;

pub const SESSION_HEADER: &str = "mcp-session-id";
const VERSION_HEADER: &str = "mcp-protocol-version";

/// The hub and the gateway it serves for.
#[derive(Debug)]
pub struct Front<G> {
    pub hub: Arc<Hub>,
    pub gateway: Arc<G>,
}

impl<G> Clone for Front<G> {
    fn clone(&self) -> Self {
        Self {
            hub: self.hub.clone(),
            gateway: self.gateway.clone(),
        }
    }
}

/// The endpoint, to nest at `/mcp`: `/` and `/{server}`, each with POST, GET and DELETE.
pub fn router<G: Gateway>(hub: Arc<Hub>, gateway: Arc<G>) -> Router {
    Router::new()
        .route(
            "/",
            post(post_all::<G>)
                .get(get_all::<G>)
                .delete(delete_all::<G>),
        )
        .route(
            "/{server}",
            post(post_one::<G>)
                .get(get_one::<G>)
                .delete(delete_one::<G>),
        )
        .with_state(Front { hub, gateway })
}

async fn post_all<G: Gateway>(State(f): State<Front<G>>, h: HeaderMap, body: Bytes) -> Response {
    handle_post(f, None, h, body).await
}

async fn post_one<G: Gateway>(
    State(f): State<Front<G>>,
    Path(server): Path<String>,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    handle_post(f, Some(server), h, body).await
}

async fn get_all<G: Gateway>(State(f): State<Front<G>>, h: HeaderMap) -> Response {
    handle_get(f, None, h).await
}

async fn get_one<G: Gateway>(
    State(f): State<Front<G>>,
    Path(server): Path<String>,
    h: HeaderMap,
) -> Response {
    handle_get(f, Some(server), h).await
}

async fn delete_all<G: Gateway>(State(f): State<Front<G>>, h: HeaderMap) -> Response {
    handle_delete(f, None, h).await
}

async fn delete_one<G: Gateway>(
    State(f): State<Front<G>>,
    Path(server): Path<String>,
    h: HeaderMap,
) -> Response {
    handle_delete(f, Some(server), h).await
}

async fn handle_post<G: Gateway>(
    front: Front<G>,
    server: Option<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let admitted = match admit(&front, server.as_deref(), &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        let error = jsonrpc::error(Value::Null, jsonrpc::PARSE_ERROR, "Parse error");
        return (StatusCode::BAD_REQUEST, axum::Json(error)).into_response();
    };
    let kind = jsonrpc::kind(&message);
    if kind == Kind::Request && jsonrpc::method(&message) == "initialize" {
        return initialize(&front, &admitted, server, &headers, message).await;
    }
    if kind == Kind::Invalid {
        let error = jsonrpc::error(
            Value::Null,
            jsonrpc::INVALID_REQUEST,
            "Invalid Request (batches are not supported)",
        );
        return (StatusCode::BAD_REQUEST, axum::Json(error)).into_response();
    }
    let session = match session_of(&front, &admitted, server.as_deref(), &headers) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    follow(&front.hub, &admitted, &session, &headers);
    if let Some(v) = headers.get(VERSION_HEADER).and_then(|v| v.to_str().ok())
        && !dispatch::PROTOCOL_VERSIONS.contains(&v)
    {
        return rpc_status(
            StatusCode::BAD_REQUEST,
            &format!("Bad Request: unsupported protocol version {v}"),
        );
    }
    match kind {
        Kind::Response => {
            session.answer(message);
            StatusCode::ACCEPTED.into_response()
        }
        Kind::Notification => {
            notification(&front, &admitted, &session, &message).await;
            StatusCode::ACCEPTED.into_response()
        }
        Kind::Request | Kind::Invalid => {
            let view = session.view(narrowing(&headers));
            let streams = accepts_stream(&headers) && goes_upstream(&message);
            stream::request(front, admitted, session, view, message, streams).await
        }
    }
}

async fn initialize<G: Gateway>(
    front: &Front<G>,
    admitted: &Admitted<G>,
    server: Option<String>,
    headers: &HeaderMap,
    message: Value,
) -> Response {
    let requested = message
        .pointer("/params/protocolVersion")
        .and_then(Value::as_str);
    let version = dispatch::negotiate(requested);
    let result =
        dispatch::initialize_result(front, server.as_deref(), version, &admitted.personal).await;
    let owner = front.gateway.caller_id(&admitted.caller);
    let id = sealed::mint(front.gateway.as_ref(), &owner, server.as_deref(), version);
    let session = front.hub.sessions.open(
        id,
        owner,
        server,
        version.to_owned(),
        admitted.access.clone(),
    );
    follow(&front.hub, admitted, &session, headers);
    let mut response = axum::Json(jsonrpc::result(jsonrpc::id(&message), result)).into_response();
    if let Ok(v) = HeaderValue::from_str(&session.id) {
        response.headers_mut().insert(SESSION_HEADER, v);
    }
    response
}

/// Client notifications: `initialized` and `cancelled` stay here; on `/mcp/<server>` the others
/// (roots changed, ...) go to the server.
async fn notification<G: Gateway>(
    front: &Front<G>,
    admitted: &Admitted<G>,
    session: &Session,
    message: &Value,
) {
    let method = jsonrpc::method(message);
    if method == "notifications/cancelled" {
        if let Some(id) = message.pointer("/params/requestId") {
            let reason = message.pointer("/params/reason").cloned();
            session.cancel(id, reason).await;
        }
        return;
    }
    if method == "notifications/initialized" {
        return;
    }
    let Some(server) = &session.server else {
        return;
    };
    let Some(upstream) = front
        .hub
        .upstream(server)
        .filter(|u| admitted.access.server_visible(u.spec()))
    else {
        return;
    };
    let session = front.hub.session_for(&upstream, &admitted.personal);
    if let Some(c) = session.connection_now() {
        let _ = c.notify(method, jsonrpc::params(message).cloned()).await;
    }
}

async fn handle_get<G: Gateway>(
    front: Front<G>,
    server: Option<String>,
    headers: HeaderMap,
) -> Response {
    let admitted = match admit(&front, server.as_deref(), &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    if !accepts_stream(&headers) {
        return plain(
            StatusCode::NOT_ACCEPTABLE,
            "GET needs Accept: text/event-stream",
        );
    }
    let session = match session_of(&front, &admitted, server.as_deref(), &headers) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    note_own_sessions(&front.hub, &admitted, &session);
    let rx = session.open_stream();
    let stream = ReceiverStream::new(rx).map(|m| Ok::<_, Infallible>(sse::message(&m)));
    stream::sse_response(Body::from_stream(stream))
}

async fn handle_delete<G: Gateway>(
    front: Front<G>,
    server: Option<String>,
    headers: HeaderMap,
) -> Response {
    let admitted = match admit(&front, server.as_deref(), &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match session_of(&front, &admitted, server.as_deref(), &headers) {
        Ok(s) => {
            end_session(&front.hub, &s.id).await;
            front.gateway.session_ended(&s.id).await;
            StatusCode::OK.into_response()
        }
        Err(r) => r.into_response(),
    }
}

/// Ends session `id` on this instance, whether it was opened or adopted here or not: it is
/// revoked (never adopted again: the client gets 404 and initializes a new session), its GET
/// stream closes and its resource subscriptions are released. Called for a DELETE here, and by
/// the gateway when another instance of the fleet says a client ended it there.
pub async fn end_session(hub: &Hub, id: &str) {
    hub.sessions.close(id);
    subscribe::release(hub, id).await;
}

/// What the client's POST says about the messages it wants outside requests: the servers it
/// narrows to, and the upstream sessions its own credentials open.
fn follow<G: Gateway>(hub: &Hub, admitted: &Admitted<G>, session: &Session, headers: &HeaderMap) {
    session.narrow(narrowing(headers));
    note_own_sessions(hub, admitted, session);
}

/// `x-mcp-servers: a,b` narrows `/mcp` to those servers.
fn narrowing(headers: &HeaderMap) -> Option<BTreeSet<String>> {
    let value = headers.get("x-mcp-servers")?.to_str().ok()?;
    let names: BTreeSet<String> = value
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    Some(names)
}

fn accepts_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/event-stream"))
}

/// Requests answered locally never need a stream.
fn goes_upstream(message: &Value) -> bool {
    !matches!(
        jsonrpc::method(message),
        "ping" | "tools/list" | "initialize"
    )
}

//! Who may use the endpoint: the caller's key, the `Origin` and `Host` checks, the server of the path, and
//! the session a request names.

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::session::Session;
use super::{Front, SESSION_HEADER, origin, sealed};
use crate::gateway::{Gateway, Refusal};
use crate::jsonrpc;

/// A caller admitted to a path: authenticated, origin checked, and (on `/mcp/<server>`) allowed
/// to see that server.
pub(super) struct Admitted<G: Gateway> {
    pub(super) caller: G::Caller,
    pub(super) access: crate::access::Access,
    /// The caller's own headers for some servers (`x-mcp-<server>-<header>`).
    pub(super) personal: crate::hub::ClientHeaders,
}

pub(super) async fn admit<G: Gateway>(
    front: &Front<G>,
    server: Option<&str>,
    headers: &HeaderMap,
) -> Result<Admitted<G>, Response> {
    if !origin::allowed(headers, &front.hub.options().allowed_origins) {
        return Err(plain(StatusCode::FORBIDDEN, "Origin not allowed"));
    }
    if !origin::host_allowed(headers, front.hub.options().listen_addr.get()) {
        return Err(plain(StatusCode::FORBIDDEN, "Host not allowed"));
    }
    let caller = match front.gateway.authenticate(credential(headers)).await {
        Ok(c) => c,
        Err(Refusal::Unauthenticated(m)) => {
            let mut r = plain(StatusCode::UNAUTHORIZED, &m);
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Err(r);
        }
        Err(other) => return Err(plain(StatusCode::INTERNAL_SERVER_ERROR, other.message())),
    };
    let access = front.gateway.access(&caller);
    if let Some(server) = server {
        let visible = front
            .hub
            .upstream(server)
            .is_some_and(|u| access.server_visible(u.spec()));
        if !visible {
            return Err(plain(
                StatusCode::NOT_FOUND,
                &format!("no MCP server `{server}`"),
            ));
        }
    }
    let personal = front.hub.client_headers(
        headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?))),
    );
    Ok(Admitted {
        caller,
        access,
        personal,
    })
}

/// The caller's key: `Authorization: Bearer`, else `x-tollgate-api-key` / `x-litellm-api-key`.
fn credential(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or(v)
                .trim()
        });
    bearer
        .or_else(|| {
            headers
                .get("x-tollgate-api-key")
                .and_then(|v| v.to_str().ok())
        })
        .or_else(|| {
            headers
                .get("x-litellm-api-key")
                .and_then(|v| v.to_str().ok())
        })
        .filter(|k| !k.is_empty())
}

/// The session the request names, if it exists and belongs to the caller on this path; else
/// 400 (no session id) or 404 (unknown, ended, or another caller's).
pub(super) fn session_of<G: Gateway>(
    front: &Front<G>,
    admitted: &Admitted<G>,
    server: Option<&str>,
    headers: &HeaderMap,
) -> Result<Arc<Session>, SessionRefusal> {
    let Some(id) = headers.get(SESSION_HEADER).and_then(|v| v.to_str().ok()) else {
        return Err(SessionRefusal::Missing);
    };
    let owner = front.gateway.caller_id(&admitted.caller);
    match front.hub.sessions.get(id) {
        Some(s) if s.owner == owner && s.server.as_deref() == server => {
            s.touch();
            Ok(s)
        }
        Some(_) => Err(SessionRefusal::Unknown),
        None => sealed::adopt(front, id, &owner, server, &admitted.access)
            .ok_or(SessionRefusal::Unknown),
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum SessionRefusal {
    Missing,
    Unknown,
}

impl IntoResponse for SessionRefusal {
    fn into_response(self) -> Response {
        match self {
            SessionRefusal::Missing => rpc_status(
                StatusCode::BAD_REQUEST,
                "Bad Request: missing Mcp-Session-Id",
            ),
            SessionRefusal::Unknown => rpc_status(StatusCode::NOT_FOUND, "Session not found"),
        }
    }
}

pub(super) fn plain(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": {"message": message}}))).into_response()
}

/// A transport-level refusal as a JSON-RPC error body (what MCP clients expect).
pub(super) fn rpc_status(status: StatusCode, message: &str) -> Response {
    let body = jsonrpc::error(Value::Null, jsonrpc::INVALID_REQUEST, message);
    (status, Json(body)).into_response()
}

/// Records on `session` the callers' own upstream sessions the request's credentials open, so
/// that what those sessions send outside any request reaches this client (`events.rs`).
pub(super) fn note_own_sessions<G: Gateway>(
    hub: &crate::hub::Hub,
    admitted: &Admitted<G>,
    session: &Session,
) {
    for (server, headers) in &admitted.personal {
        if let Some(credentials) = hub
            .upstream(server)
            .and_then(|u| u.credentials_for(headers))
        {
            session.uses(crate::upstream::SessionKey {
                server: server.clone(),
                credentials: Some(credentials),
            });
        }
    }
}

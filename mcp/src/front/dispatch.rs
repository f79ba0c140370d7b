//! Answers one client request: `initialize` and `ping` here, `tools/list` from the hub's
//! catalog, `tools/call` routed to its upstream under the gateway's governance, and on
//! `/mcp/<server>` every other method passed through to that server unchanged (prompts,
//! resources, completions, logging level, and whatever later revisions add; resource
//! subscriptions are counted and the logging level is kept per client session, as the upstream
//! session is shared). On `/mcp` the requests that name an item go to its server
//! (`aggregate.rs`, `routed.rs`, `subscribe.rs`, `logging.rs`).

use std::sync::Arc;

use serde_json::{Value, json};

use super::aggregate::Scope;
use super::session::Session;
use super::{Front, aggregate, logging, routed, subscribe};
use crate::access::Access;
use crate::gateway::{Gateway, Outcome, ToolCall};
use crate::hub::{ClientHeaders, View};
use crate::jsonrpc;
use crate::upstream::{Connection, RelaySender, UpstreamError};

/// Protocol revisions the front speaks, newest first.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// The revision to answer an `initialize` that asked for `requested`.
pub fn negotiate(requested: Option<&str>) -> &'static str {
    requested
        .and_then(|r| PROTOCOL_VERSIONS.iter().find(|v| **v == r))
        .copied()
        .unwrap_or(PROTOCOL_VERSIONS[0])
}

/// The `initialize` result for a session on `server` (or on `/mcp`).
pub async fn initialize_result<G: Gateway>(
    front: &Front<G>,
    server: Option<&str>,
    version: &str,
    personal: &ClientHeaders,
) -> Value {
    let mut capabilities = json!({
        "tools": {"listChanged": true},
        "prompts": {},
        "resources": {"subscribe": true},
        "completions": {},
        "logging": {},
    });
    let mut instructions = Value::Null;
    let mut name = "tollgate".to_owned();
    if let Some(server) = server {
        name = format!("tollgate/{server}");
        if let Some(upstream) = front.hub.upstream(server)
            && let Ok(connection) = front.hub.connection(&upstream, personal).await
        {
            let upstream_init = connection.initialize_result();
            if let Some(c) = upstream_init.get("capabilities").filter(|c| c.is_object()) {
                capabilities = c.clone();
                capabilities["tools"]["listChanged"] = Value::Bool(true);
            }
            instructions = upstream_init
                .get("instructions")
                .cloned()
                .unwrap_or(Value::Null);
        }
    }
    let mut result = json!({
        "protocolVersion": version,
        "capabilities": capabilities,
        "serverInfo": {"name": name, "version": env!("CARGO_PKG_VERSION")},
    });
    if !instructions.is_null() {
        result["instructions"] = instructions;
    }
    result
}

/// What a request needs to be answered.
pub struct Call<'a, G: Gateway> {
    pub front: &'a Front<G>,
    pub caller: &'a G::Caller,
    pub access: &'a Access,
    pub session: &'a Arc<Session>,
    pub view: &'a View,
    /// The caller's own headers for some servers.
    pub personal: &'a ClientHeaders,
}

/// The response to `message` (a request), with the client's id.
pub async fn answer<G: Gateway>(
    call: Call<'_, G>,
    message: Value,
    relay: Option<RelaySender>,
) -> Value {
    let id = jsonrpc::id(&message);
    let params = jsonrpc::params(&message).cloned();
    match jsonrpc::method(&message) {
        "ping" => jsonrpc::result(id, json!({})),
        "initialize" => jsonrpc::error(
            id,
            jsonrpc::INVALID_REQUEST,
            "the session is already initialized",
        ),
        "tools/list" => {
            let tools = call
                .front
                .hub
                .list_tools(call.access, call.view, call.personal)
                .await;
            jsonrpc::result(id, json!({"tools": tools}))
        }
        "tools/call" => call_tool(call, id, params, relay).await,
        method => match call.view {
            View::One(server) => pass_through(&call, server, id, method, params, relay).await,
            View::All { .. } => aggregated(&call, id, method, params).await,
        },
    }
}

/// `/mcp`: prompts and resources gathered from every server, and the requests that name an item
/// routed to its server (`routed.rs`); other methods are unknown on `/mcp`.
async fn aggregated<G: Gateway>(
    call: &Call<'_, G>,
    id: Value,
    method: &str,
    params: Option<Value>,
) -> Value {
    let scope = Scope {
        hub: &call.front.hub,
        access: call.access,
        view: call.view,
        personal: call.personal,
    };
    let (hub, session) = (scope.hub, call.session);
    match (method, params) {
        ("prompts/list" | "resources/list" | "resources/templates/list", _) => {
            aggregate::list(scope, id, method).await
        }
        ("prompts/get", Some(p)) => aggregate::get_prompt(scope, id, p).await,
        ("resources/read", Some(p)) => aggregate::read_resource(scope, id, p).await,
        ("resources/subscribe", Some(p)) => subscribe::subscribe(scope, session, id, p).await,
        ("resources/unsubscribe", Some(p)) => subscribe::unsubscribe(hub, session, id, p).await,
        ("completion/complete", Some(p)) => routed::complete(scope, id, p).await,
        ("logging/setLevel", Some(p)) => logging::set_level(scope, session, id, p).await,
        (
            "prompts/get"
            | "resources/read"
            | "resources/subscribe"
            | "resources/unsubscribe"
            | "completion/complete"
            | "logging/setLevel",
            None,
        ) => jsonrpc::error(
            id,
            jsonrpc::INVALID_PARAMS,
            format!("{method} needs params"),
        ),
        (other, _) => jsonrpc::error(
            id,
            jsonrpc::METHOD_NOT_FOUND,
            format!("Method not found: {other}"),
        ),
    }
}

async fn pass_through<G: Gateway>(
    call: &Call<'_, G>,
    server: &str,
    id: Value,
    method: &str,
    params: Option<Value>,
    relay: Option<RelaySender>,
) -> Value {
    let Some(upstream) = call
        .front
        .hub
        .visible(call.access, call.view)
        .into_iter()
        .find(|u| u.name() == server)
    else {
        return jsonrpc::error(
            id,
            jsonrpc::METHOD_NOT_FOUND,
            format!("Method not found: {method}"),
        );
    };
    let hub = &call.front.hub;
    if let ("resources/unsubscribe", Some(p)) = (method, &params) {
        return subscribe::unsubscribe(hub, call.session, id, p.clone()).await;
    }
    let session = hub.session_for(&upstream, call.personal);
    let connection = match session.connection().await {
        Ok(c) => c,
        Err(e) => return with_id(Err(e), id),
    };
    let mut params = params;
    match (method, params.as_mut()) {
        ("resources/subscribe", Some(p)) => {
            // Counted with `/mcp`'s subscriptions: the upstream session is shared.
            return match subscribe::subscribe_on(hub, call.session, &session, &connection, p).await
            {
                Ok(()) => jsonrpc::result(id, json!({})),
                Err(refusal) => with_id(Ok(refusal), id),
            };
        }
        ("logging/setLevel", Some(p)) => {
            // The session's level; the upstream gets the most verbose one its clients need.
            if let Err(refusal) = logging::record(call.session, p) {
                return with_id(Ok(refusal), id);
            }
            if let Some(level) = logging::upstream_level(hub, server) {
                p["level"] = Value::String(level.to_owned());
            }
        }
        _ => {}
    }
    let response = send(call.session, &connection, &id, method, params, relay).await;
    with_id(response, id)
}

/// Sends a client's request upstream, tracked in its session so that it can be cancelled.
async fn send(
    session: &Session,
    connection: &Arc<Connection>,
    id: &Value,
    method: &str,
    params: Option<Value>,
    relay: Option<RelaySender>,
) -> Result<Value, UpstreamError> {
    let response = connection
        .request_tracked(method, params, relay, |upstream_id| {
            session.track(id, connection.clone(), upstream_id);
        })
        .await;
    session.untrack(id);
    response
}

async fn call_tool<G: Gateway>(
    call: Call<'_, G>,
    id: Value,
    params: Option<Value>,
    relay: Option<RelaySender>,
) -> Value {
    let Some(mut params) = params.filter(Value::is_object) else {
        return jsonrpc::error(id, jsonrpc::INVALID_PARAMS, "tools/call needs params");
    };
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let Some((upstream, tool)) = call.front.hub.resolve_tool(call.access, call.view, &name) else {
        return jsonrpc::error(id, jsonrpc::INVALID_PARAMS, format!("Unknown tool: {name}"));
    };
    let ticket = ToolCall {
        server: upstream.name(),
        tool: &tool,
        public_name: &name,
        cost: upstream.spec().cost.of(&tool),
    };
    let ticket = match call.front.gateway.begin_call(call.caller, &ticket).await {
        Ok(t) => t,
        Err(refusal) => return jsonrpc::error(id, jsonrpc::REFUSED, refusal.message()),
    };
    params["name"] = Value::String(tool);
    let response = match call.front.hub.connection(&upstream, call.personal).await {
        Ok(c) => send(call.session, &c, &id, "tools/call", Some(params), relay).await,
        Err(e) => Err(e),
    };
    let outcome = match &response {
        Ok(r) if jsonrpc::is_failure(r) => Outcome::ToolError(failure_text(r)),
        Ok(_) => Outcome::Success,
        Err(e) => Outcome::UpstreamFailure(e.to_string()),
    };
    ticket.finish(outcome);
    with_id(response, id)
}

fn failure_text(response: &Value) -> String {
    response
        .pointer("/error/message")
        .or_else(|| response.pointer("/result/content/0/text"))
        .and_then(Value::as_str)
        .unwrap_or("tool error")
        .chars()
        .take(500)
        .collect()
}

/// The upstream's response with the client's id, or the failure as a JSON-RPC error.
fn with_id(response: Result<Value, UpstreamError>, id: Value) -> Value {
    match response {
        Ok(mut r) => {
            r["id"] = id;
            r
        }
        Err(e) => jsonrpc::error(id, jsonrpc::UPSTREAM_ERROR, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A supported revision is echoed; anything else gets the newest.
    #[test]
    fn negotiates_versions() {
        assert_eq!(negotiate(Some("2025-03-26")), "2025-03-26");
        assert_eq!(negotiate(Some("2024-11-05")), "2024-11-05");
        assert_eq!(negotiate(Some("1999-01-01")), PROTOCOL_VERSIONS[0]);
        assert_eq!(negotiate(None), PROTOCOL_VERSIONS[0]);
    }
}

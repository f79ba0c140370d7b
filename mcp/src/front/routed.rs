//! The rest of the protocol on `/mcp`, where one request must find its server among all the
//! visible ones: resource subscriptions, completions and the logging level.
//!
//! - **Resources** keep their URIs on `/mcp` (they are addresses, and servers embed them in tool
//!   results and templates, which the hub does not rewrite). A URI belongs to the visible
//!   servers that list it or that have a template matching it; `resources/subscribe` subscribes
//!   on each of them, and their `notifications/resources/updated` reach the client with the URI
//!   unchanged, i.e. as the client knows it.
//! - **Completions** follow their `ref`: a prompt by its prefixed name (`<server>-<prompt>`), a
//!   resource template by its URI template.
//! - **`logging/setLevel`** goes to every visible healthy server that offers logging. The level
//!   is the upstream session's, which the hub shares between callers: the last one set wins.
//!
//! A server the caller may not see is never considered, so its items answer exactly like items
//! that do not exist.

use std::sync::Arc;

use serde_json::{Value, json};

use super::aggregate::{list_all, offering};
use super::session::Session;
use crate::access::Access;
use crate::hub::{Hub, View};
use crate::jsonrpc;
use crate::upstream::{Connection, Upstream, UpstreamError};

/// `resources/subscribe` on `/mcp`.
pub async fn subscribe(
    hub: &Hub,
    access: &Access,
    view: &View,
    session: &Session,
    id: Value,
    params: Value,
) -> Value {
    let uri = uri_of(&params);
    let owners = owners(hub, access, view, &uri).await;
    if owners.is_empty() {
        return not_found(id, &uri);
    }
    let mut failure = None;
    let mut subscribed = false;
    for (upstream, connection) in owners {
        match subscribe_on(hub, session, upstream.name(), &connection, &params).await {
            Ok(()) => subscribed = true,
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    match (subscribed, failure) {
        (true, _) | (false, None) => jsonrpc::result(id, json!({})),
        (false, Some(e)) => with_id(e, id),
    }
}

/// Subscribes `session` to the resource of `params` on `server`: upstream only for the first
/// subscriber. Returns the upstream's error response, if it refused.
pub async fn subscribe_on(
    hub: &Hub,
    session: &Session,
    server: &str,
    connection: &Connection,
    params: &Value,
) -> Result<(), Value> {
    let uri = uri_of(params);
    let subscriptions = &hub.sessions.subscriptions;
    if !subscriptions.add(server, &uri, &session.id) {
        return Ok(());
    }
    let response = connection
        .request("resources/subscribe", Some(params.clone()), None)
        .await;
    match response {
        Ok(r) if r.get("error").is_none() => Ok(()),
        Ok(r) => {
            subscriptions.undo(server, &uri, &session.id);
            Err(r)
        }
        Err(e) => {
            subscriptions.undo(server, &uri, &session.id);
            Err(jsonrpc::error(
                Value::Null,
                jsonrpc::UPSTREAM_ERROR,
                e.to_string(),
            ))
        }
    }
}

/// `resources/unsubscribe` on `/mcp` and `/mcp/<server>`: the session's subscriptions to the URI
/// end; a server is told when no other session is still subscribed. Always succeeds (an
/// unknown or unsubscribed URI included), as unsubscribing twice must.
pub async fn unsubscribe(hub: &Hub, session: &Session, id: Value, params: Value) -> Value {
    let uri = uri_of(&params);
    for server in hub.sessions.subscriptions.servers_of(&session.id, &uri) {
        if hub
            .sessions
            .subscriptions
            .remove(&server, &uri, &session.id)
        {
            unsubscribe_upstream(hub, &server, &uri).await;
        }
    }
    jsonrpc::result(id, json!({}))
}

/// Ends `session`'s subscriptions (the session ended).
pub async fn release(hub: &Hub, session_id: &str) {
    for (server, uri) in hub.sessions.subscriptions.end_session(session_id) {
        unsubscribe_upstream(hub, &server, &uri).await;
    }
}

async fn unsubscribe_upstream(hub: &Hub, server: &str, uri: &str) {
    if let Some(connection) = hub.upstream(server).and_then(|u| u.connection_now()) {
        let params = json!({"uri": uri});
        if let Err(e) = connection
            .request("resources/unsubscribe", Some(params), None)
            .await
        {
            tracing::debug!(server, uri, error = %e, "resources/unsubscribe failed");
        }
    }
}

/// `completion/complete` on `/mcp`: to the server of the prompt or resource template named in
/// `ref`.
pub async fn complete(
    hub: &Hub,
    access: &Access,
    view: &View,
    id: Value,
    mut params: Value,
) -> Value {
    let kind = params
        .pointer("/ref/type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let target = match kind.as_str() {
        "ref/prompt" => {
            let name = params
                .pointer("/ref/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let Some((connection, prompt)) = prompt_server(hub, access, view, &name) else {
                return jsonrpc::error(
                    id,
                    jsonrpc::INVALID_PARAMS,
                    format!("Unknown prompt: {name}"),
                );
            };
            params["ref"]["name"] = Value::String(prompt);
            Some(connection)
        }
        "ref/resource" => {
            let uri = params
                .pointer("/ref/uri")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let Some(connection) = template_server(hub, access, view, &uri).await else {
                return not_found(id, &uri);
            };
            Some(connection)
        }
        _ => None,
    };
    let Some(connection) = target else {
        return jsonrpc::error(
            id,
            jsonrpc::INVALID_PARAMS,
            format!("Unknown completion reference type: {kind}"),
        );
    };
    match connection
        .request("completion/complete", Some(params), None)
        .await
    {
        Ok(r) => with_id(r, id),
        Err(e) => upstream_error(e, id),
    }
}

/// `logging/setLevel` on `/mcp`: every visible healthy server that offers logging.
pub async fn set_level(hub: &Hub, access: &Access, view: &View, id: Value, params: Value) -> Value {
    for (upstream, connection) in offering(hub, access, view, "logging") {
        let sent = connection
            .request("logging/setLevel", Some(params.clone()), None)
            .await;
        if let Err(e) = sent {
            tracing::debug!(server = upstream.name(), error = %e, "logging/setLevel failed");
        }
    }
    jsonrpc::result(id, json!({}))
}

/// The server of a prefixed prompt name and the prompt's own name. The longest server name that
/// prefixes it wins (servers `a` and `a-b`: `a-b-x` is `x` on `a-b`).
pub fn prompt_server(
    hub: &Hub,
    access: &Access,
    view: &View,
    name: &str,
) -> Option<(Arc<Connection>, String)> {
    let separator = &hub.options().separator;
    offering(hub, access, view, "prompts")
        .into_iter()
        .filter_map(|(u, c)| {
            let rest = name
                .strip_prefix(u.name())?
                .strip_prefix(separator.as_str())?;
            Some((u.name().len(), c, rest.to_owned()))
        })
        .max_by_key(|(len, _, _)| *len)
        .map(|(_, c, rest)| (c, rest))
}

/// The visible servers a resource URI belongs to: they list it, or one of their templates
/// matches it.
async fn owners(
    hub: &Hub,
    access: &Access,
    view: &View,
    uri: &str,
) -> Vec<(Arc<Upstream>, Arc<Connection>)> {
    let mut out = Vec::new();
    for (upstream, connection) in offering(hub, access, view, "resources") {
        let listed = list_all(&connection, "resources/list", "resources")
            .await
            .iter()
            .any(|r| r.get("uri").and_then(Value::as_str) == Some(uri));
        let templated = listed
            || list_all(&connection, "resources/templates/list", "resourceTemplates")
                .await
                .iter()
                .filter_map(|t| t.get("uriTemplate").and_then(Value::as_str))
                .any(|t| template_matches(t, uri));
        if templated {
            out.push((upstream, connection));
        }
    }
    out
}

/// The first visible server with the resource template `template` (or a resource of that URI).
async fn template_server(
    hub: &Hub,
    access: &Access,
    view: &View,
    template: &str,
) -> Option<Arc<Connection>> {
    for (_, connection) in offering(hub, access, view, "resources") {
        let has = list_all(&connection, "resources/templates/list", "resourceTemplates")
            .await
            .iter()
            .any(|t| t.get("uriTemplate").and_then(Value::as_str) == Some(template));
        if has {
            return Some(connection);
        }
    }
    None
}

/// Whether `uri` is an expansion of the URI template `template` (RFC 6570): its literal parts
/// in order, each expression standing for at least one character.
pub fn template_matches(template: &str, uri: &str) -> bool {
    let mut rest = uri;
    let mut template = template;
    loop {
        let Some(open) = template.find('{') else {
            return rest == template;
        };
        let Some(after) = rest.strip_prefix(&template[..open]) else {
            return false;
        };
        rest = after;
        let Some(close) = template[open..].find('}') else {
            return false;
        };
        template = &template[open + close + 1..];
        let literal = &template[..template.find('{').unwrap_or(template.len())];
        if literal.is_empty() {
            if template.is_empty() {
                return !rest.is_empty();
            }
            continue;
        }
        match rest.get(1..).and_then(|r| r.find(literal)) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
}

fn uri_of(params: &Value) -> String {
    params
        .get("uri")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// What an unknown resource, and one on a server the caller may not see, answers.
fn not_found(id: Value, uri: &str) -> Value {
    jsonrpc::error(
        id,
        jsonrpc::INVALID_PARAMS,
        format!("Resource not found: {uri}"),
    )
}

fn with_id(mut response: Value, id: Value) -> Value {
    response["id"] = id;
    response
}

fn upstream_error(e: UpstreamError, id: Value) -> Value {
    jsonrpc::error(id, jsonrpc::UPSTREAM_ERROR, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Literal parts must match in order; each expression takes at least one character.
    #[test]
    fn matches_uri_templates() {
        assert!(template_matches("greeting://{name}", "greeting://ada"));
        assert!(!template_matches("greeting://{name}", "greeting://"));
        assert!(!template_matches("greeting://{name}", "config://app"));
        assert!(template_matches(
            "repo://{owner}/{name}/readme",
            "repo://a/b/readme"
        ));
        assert!(!template_matches(
            "repo://{owner}/{name}/readme",
            "repo://a/b/license"
        ));
        assert!(template_matches("config://app", "config://app"));
        assert!(!template_matches("config://app", "config://app2"));
        assert!(template_matches("file:///{+path}", "file:///a/b.txt"));
    }
}

//! `resources/subscribe` and `resources/unsubscribe` on `/mcp` and `/mcp/<server>`, counted per
//! upstream session (`subscriptions.rs`), and restored when an upstream session is opened again.
//!
//! On `/mcp` a URI is subscribed on each visible server it belongs to (`routed::owners`); its
//! `notifications/resources/updated` reach the client with the URI unchanged, i.e. as the client
//! knows it. A caller with its own credentials for a server subscribes through its own upstream
//! session, and gets the updates that session receives.

use std::sync::Arc;

use serde_json::{Value, json};

use super::aggregate::Scope;
use super::routed::{not_found, owners};
use super::session::Session;
use crate::hub::Hub;
use crate::jsonrpc;
use crate::upstream::{Connection, SessionKey, Upstream};

/// `resources/subscribe` on `/mcp`.
pub async fn subscribe(scope: Scope<'_>, session: &Session, id: Value, params: Value) -> Value {
    let uri = uri_of(&params);
    let owners = owners(scope, &uri).await;
    if owners.is_empty() {
        return not_found(id, &uri);
    }
    let mut failure = None;
    let mut subscribed = false;
    for (upstream, connection) in owners {
        match subscribe_on(scope.hub, session, &upstream, &connection, &params).await {
            Ok(()) => subscribed = true,
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    match (subscribed, failure) {
        (true, _) | (false, None) => jsonrpc::result(id, json!({})),
        (false, Some(mut e)) => {
            e["id"] = id;
            e
        }
    }
}

/// Subscribes `session` to the resource of `params` on the upstream session `upstream` (whose
/// connection is `connection`): upstream only for the first subscriber. Returns the upstream's
/// error response, if it refused.
pub async fn subscribe_on(
    hub: &Hub,
    session: &Session,
    upstream: &Arc<Upstream>,
    connection: &Connection,
    params: &Value,
) -> Result<(), Value> {
    let uri = uri_of(params);
    let subscriptions = &hub.sessions.subscriptions;
    let key = upstream.key();
    if !subscriptions.add(key, &uri, &session.id) {
        return Ok(());
    }
    let response = connection
        .request("resources/subscribe", Some(params.clone()), None)
        .await;
    match response {
        Ok(r) if r.get("error").is_none() => Ok(()),
        Ok(r) => {
            subscriptions.undo(key, &uri, &session.id);
            Err(r)
        }
        Err(e) => {
            subscriptions.undo(key, &uri, &session.id);
            Err(jsonrpc::error(
                Value::Null,
                jsonrpc::UPSTREAM_ERROR,
                e.to_string(),
            ))
        }
    }
}

/// `resources/unsubscribe` on `/mcp` and `/mcp/<server>`: the session's subscriptions to the URI
/// end; an upstream session is told when no other client session is still subscribed through
/// it. Always succeeds (an unknown or unsubscribed URI included), as unsubscribing twice must.
pub async fn unsubscribe(hub: &Hub, session: &Session, id: Value, params: Value) -> Value {
    let uri = uri_of(&params);
    let subscriptions = &hub.sessions.subscriptions;
    for key in subscriptions.upstreams_of(&session.id, &uri) {
        if subscriptions.remove(&key, &uri, &session.id) {
            unsubscribe_upstream(hub, &key, &uri).await;
        }
    }
    jsonrpc::result(id, json!({}))
}

/// Ends `session`'s subscriptions (the session ended).
pub async fn release(hub: &Hub, session_id: &str) {
    for (key, uri) in hub.sessions.subscriptions.end_session(session_id) {
        unsubscribe_upstream(hub, &key, &uri).await;
    }
}

/// The upstream session `key` was opened again (a restarted process, a re-initialised HTTP
/// session): subscribes it to every URI that still has subscribers, so they keep getting
/// updates.
pub async fn restore(hub: &Hub, key: &SessionKey, connection: &Connection) {
    for uri in hub.sessions.subscriptions.uris(key) {
        let params = json!({"uri": uri});
        match connection
            .request("resources/subscribe", Some(params), None)
            .await
        {
            Ok(r) if r.get("error").is_none() => {
                tracing::debug!(server = %key.server, uri, "resource subscription restored");
            }
            Ok(r) => {
                let error = r.get("error").cloned().unwrap_or(Value::Null);
                tracing::warn!(server = %key.server, uri, %error, "resource subscription not restored");
            }
            Err(e) => {
                tracing::warn!(server = %key.server, uri, error = %e, "resource subscription not restored");
            }
        }
    }
}

async fn unsubscribe_upstream(hub: &Hub, key: &SessionKey, uri: &str) {
    if let Some(connection) = hub.session(key).and_then(|u| u.connection_now()) {
        let params = json!({"uri": uri});
        if let Err(e) = connection
            .request("resources/unsubscribe", Some(params), None)
            .await
        {
            tracing::debug!(server = %key.server, uri, error = %e, "resources/unsubscribe failed");
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

//! Forwards what upstream sessions do outside any client request to the client sessions it
//! concerns, on their GET stream:
//!
//! - `notifications/resources/updated` to the sessions subscribed to that URI through that
//!   upstream session (on either path);
//! - `notifications/*/list_changed` to every session that can see the server;
//! - log notifications (`notifications/message`) to the sessions that can see the server, at or
//!   above the level each set, with the server named in `logger` on `/mcp` (`logging.rs`);
//! - on `/mcp/<server>` sessions, every other notification too.
//!
//! What a caller's own upstream session sends goes only to the sessions that used it (list
//! changes and resource updates excepted: they carry nothing of the caller's). When an upstream
//! session is opened again, its resource subscriptions and logging level are restored. Also ends
//! sessions left idle, releasing their subscriptions.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::{logging, subscribe};
use crate::hub::Hub;
use crate::jsonrpc;
use crate::upstream::{EventKind, SessionKey, UpstreamEvent};

/// A session unused this long is ended (its client must initialize a new one).
const SESSION_IDLE: Duration = Duration::from_secs(2 * 3600);
/// A caller's own upstream session unused this long is closed.
const PERSONAL_IDLE: Duration = Duration::from_secs(10 * 60);
const SWEEP_EVERY: Duration = Duration::from_secs(60);

pub async fn forward(
    hub: Arc<Hub>,
    mut events: broadcast::Receiver<UpstreamEvent>,
    shutdown: CancellationToken,
) {
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    loop {
        let event = tokio::select! {
            () = shutdown.cancelled() => return,
            _ = sweep.tick() => {
                let expired = hub.sessions.expire(SESSION_IDLE, super::sealed::MAX_AGE);
                hub.expire_personal(PERSONAL_IDLE);
                for id in &expired {
                    subscribe::release(&hub, id).await;
                }
                if !expired.is_empty() {
                    tracing::debug!(expired = expired.len(), "idle MCP sessions ended");
                }
                continue;
            }
            e = events.recv() => e,
        };
        let event = match event {
            Ok(e) => e,
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        match event.kind {
            EventKind::Connected(connection) => {
                let (hub, key) = (hub.clone(), event.session);
                tokio::spawn(async move {
                    subscribe::restore(&hub, &key, &connection).await;
                    logging::restore(&hub, &key, &connection).await;
                });
            }
            EventKind::Message(message) => deliver(&hub, &event.session, message),
        }
    }
}

/// Sends `message` of the upstream session `key` to the client sessions it concerns.
fn deliver(hub: &Hub, key: &SessionKey, message: Value) {
    let Some(upstream) = hub.upstream(&key.server) else {
        return;
    };
    let method = jsonrpc::method(&message);
    if method == "notifications/resources/updated" {
        let uri = message
            .pointer("/params/uri")
            .and_then(Value::as_str)
            .unwrap_or("");
        for id in hub.sessions.subscriptions.subscribers(key, uri) {
            if let Some(session) = hub.sessions.get(&id) {
                session.push(message.clone());
            }
        }
        return;
    }
    let list_changed = method.ends_with("/list_changed");
    let log = method == "notifications/message";
    for session in hub.sessions.all() {
        let sees = session.follows(&key.server) && session.access.server_visible(upstream.spec());
        let relevant = sees
            && (list_changed
                || (session.may_hear(key)
                    && (session.server.is_some() || log)
                    && (!log || logging::wanted(&session, &message))));
        if !relevant {
            continue;
        }
        let mut message = message.clone();
        if log && session.server.is_none() {
            logging::tag(&mut message, &key.server, &hub.options().separator);
        }
        session.push(message);
    }
}

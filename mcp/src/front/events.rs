//! Forwards upstream messages that belong to no client request to the sessions that follow
//! that server: `notifications/tools/list_changed` to every session that can see the server;
//! `notifications/resources/updated` to the sessions subscribed to that resource on that server
//! (on either path); on `/mcp/<server>` sessions, every other notification too (logs). Also ends
//! sessions left idle, releasing their subscriptions.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::hub::Hub;
use crate::jsonrpc;
use crate::upstream::UpstreamEvent;

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
                    super::routed::release(&hub, id).await;
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
        let Some(upstream) = hub.upstream(&event.server) else {
            continue;
        };
        let method = jsonrpc::method(&event.message);
        if method == "notifications/resources/updated" {
            let uri = event
                .message
                .pointer("/params/uri")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            for id in hub.sessions.subscriptions.subscribers(&event.server, uri) {
                if let Some(session) = hub.sessions.get(&id) {
                    session.push(event.message.clone());
                }
            }
            continue;
        }
        let list_changed = method == "notifications/tools/list_changed";
        for session in hub.sessions.all() {
            let relevant = session.follows(&event.server)
                && session.access.server_visible(upstream.spec())
                && (list_changed || session.server.is_some());
            if relevant {
                session.push(event.message.clone());
            }
        }
    }
}

//! What the server sends, routed: responses to their request, progress to the request that owns
//! the token, messages of a request to that request's client, the rest to the hub's events.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::super::UpstreamEvent;
use super::super::link::Incoming;
use super::super::relay::{RelaySender, Relayed};
use super::{Connection, PROGRESS_GRACE, lock};
use crate::jsonrpc::{self, Kind};

/// Routes everything the server sends until the link dies.
pub(super) async fn dispatch(
    connection: Arc<Connection>,
    mut incoming: mpsc::Receiver<Incoming>,
    events: broadcast::Sender<UpstreamEvent>,
) {
    loop {
        let next = tokio::select! {
            () = connection.closed.cancelled() => break,
            next = incoming.recv() => next,
        };
        let Some(Incoming { message, related }) = next else {
            break;
        };
        match jsonrpc::kind(&message) {
            Kind::Response => {
                let id = message.get("id").and_then(Value::as_u64);
                let pending = id.and_then(|id| {
                    lock(&connection.pending)
                        .get(&id)
                        .map(|p| p.progress.is_some())
                });
                match (id, pending) {
                    (Some(id), Some(true)) if connection.link.has_side_stream() => {
                        // Progress may come on the server's GET stream, racing this response:
                        // the progress that left before it gets a moment to arrive first.
                        let c = connection.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(PROGRESS_GRACE).await;
                            c.deliver(id, message);
                        });
                    }
                    (Some(id), Some(_)) => connection.deliver(id, message),
                    _ => {}
                }
            }
            Kind::Request => on_request(&connection, message, related),
            Kind::Notification => on_notification(&connection, message, related, &events).await,
            Kind::Invalid => {
                tracing::debug!(server = %connection.server, "invalid message ignored")
            }
        }
    }
    connection.close();
}

fn on_request(connection: &Arc<Connection>, message: Value, related: Option<u64>) {
    let id = jsonrpc::id(&message);
    if jsonrpc::method(&message) == "ping" {
        let c = connection.clone();
        tokio::spawn(async move { c.answer(jsonrpc::result(id, json!({}))).await });
        return;
    }
    let Some(relay) = connection.relay_for(related) else {
        let c = connection.clone();
        let refusal = jsonrpc::error(
            id,
            jsonrpc::METHOD_NOT_FOUND,
            "no client request in progress to relay this request to",
        );
        tokio::spawn(async move { c.answer(refusal).await });
        return;
    };
    let c = connection.clone();
    tokio::spawn(async move {
        let (reply, answer) = oneshot::channel();
        let relayed = Relayed::Request { message, reply };
        let response = if relay.send(relayed).await.is_ok() {
            tokio::select! {
                a = answer => a.ok(),
                () = c.closed.cancelled() => return,
            }
        } else {
            None
        };
        let mut response = response.unwrap_or_else(|| {
            jsonrpc::error(
                Value::Null,
                jsonrpc::INTERNAL_ERROR,
                "the client did not answer",
            )
        });
        response["id"] = id;
        c.answer(response).await;
    });
}

/// Whether a server notification concerns the whole session, whichever request was running
/// when it came: resource updates and list changes go to the hub's events (to the subscribers
/// and the sessions that see the server), never to the caller of a request.
fn session_wide(method: &str) -> bool {
    method == "notifications/resources/updated"
        || (method.starts_with("notifications/") && method.ends_with("/list_changed"))
}

async fn on_notification(
    connection: &Arc<Connection>,
    mut message: Value,
    related: Option<u64>,
    events: &broadcast::Sender<UpstreamEvent>,
) {
    let method = jsonrpc::method(&message).to_owned();
    match method.as_str() {
        "notifications/progress" => {
            let token = message
                .pointer("/params/progressToken")
                .cloned()
                .unwrap_or(Value::Null);
            if let Some((relay, theirs)) = connection.progress_owner(&token) {
                message["params"]["progressToken"] = theirs;
                connection.relay(&relay, message).await;
            }
        }
        "notifications/tools/list_changed" => {
            let c = connection.clone();
            let events = events.clone();
            tokio::spawn(async move {
                if let Err(e) = c.refresh_tools().await {
                    tracing::warn!(server = %c.server, error = %e, "tools/list refresh failed");
                }
                let _ = events.send(UpstreamEvent::message(&c.key, message));
            });
        }
        "notifications/cancelled" => {}
        m if session_wide(m) => {
            let _ = events.send(UpstreamEvent::message(&connection.key, message));
        }
        _ => match connection.relay_for(related) {
            Some(relay) => connection.relay(&relay, message).await,
            None => {
                let _ = events.send(UpstreamEvent::message(&connection.key, message));
            }
        },
    }
}

impl Connection {
    /// The relay for a message from the server: its HTTP request's, else the only one.
    fn relay_for(&self, related: Option<u64>) -> Option<RelaySender> {
        let pending = lock(&self.pending);
        if let Some(p) = related.and_then(|id| pending.get(&id)) {
            return p.relay.clone();
        }
        let mut with_relay = pending.values().filter_map(|p| p.relay.as_ref());
        match (with_relay.next(), with_relay.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        }
    }

    /// The relay that owns progress token `ours`, and the client's token.
    fn progress_owner(&self, ours: &Value) -> Option<(RelaySender, Value)> {
        let pending = lock(&self.pending);
        pending
            .values()
            .find_map(|p| match (&p.progress, &p.relay) {
                (Some((token, theirs)), Some(relay)) if ours.as_str() == Some(token) => {
                    Some((relay.clone(), theirs.clone()))
                }
                _ => None,
            })
    }

    /// Hands a response to the request waiting for it.
    fn deliver(&self, id: u64, response: Value) {
        if let Some(p) = lock(&self.pending).remove(&id) {
            let _ = p.reply.send(response);
        }
    }

    async fn relay(&self, relay: &RelaySender, message: Value) {
        let relayed = Relayed::Notification {
            server: self.server.clone(),
            message,
        };
        let _ = relay.send(relayed).await;
    }
}

#[cfg(test)]
mod tests {
    use super::session_wide;

    // Updates and list changes belong to the session; logs and progress to a call.
    #[test]
    fn session_wide_notifications() {
        assert!(session_wide("notifications/resources/updated"));
        assert!(session_wide("notifications/prompts/list_changed"));
        assert!(session_wide("notifications/resources/list_changed"));
        assert!(!session_wide("notifications/message"));
        assert!(!session_wide("notifications/progress"));
    }
}

//! What the server sends, routed: responses to their request, progress to the request that owns
//! the token, messages of a request to that request's client, the rest to the hub's events.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::super::UpstreamEvent;
use super::super::link::Incoming;
use super::super::relay::Relayed;
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

async fn on_notification(
    connection: &Arc<Connection>,
    mut message: Value,
    related: Option<u64>,
    events: &broadcast::Sender<UpstreamEvent>,
) {
    match jsonrpc::method(&message) {
        "notifications/progress" => {
            let token = message
                .pointer("/params/progressToken")
                .cloned()
                .unwrap_or(Value::Null);
            if let Some((relay, theirs)) = connection.progress_owner(&token) {
                message["params"]["progressToken"] = theirs;
                let _ = relay.send(Relayed::Notification(message)).await;
            }
        }
        "notifications/tools/list_changed" => {
            let c = connection.clone();
            let events = events.clone();
            tokio::spawn(async move {
                if let Err(e) = c.refresh_tools().await {
                    tracing::warn!(server = %c.server, error = %e, "tools/list refresh failed");
                }
                let _ = events.send(UpstreamEvent {
                    server: c.server.clone(),
                    message,
                });
            });
        }
        "notifications/cancelled" => {}
        _ => match connection.relay_for(related) {
            Some(relay) => {
                let _ = relay.send(Relayed::Notification(message)).await;
            }
            None => {
                let _ = events.send(UpstreamEvent {
                    server: connection.server.clone(),
                    message,
                });
            }
        },
    }
}

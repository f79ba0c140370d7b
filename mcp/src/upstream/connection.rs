//! One initialized session with an upstream server, shared by every client of the hub (or by
//! the callers sending the same credentials, `personal.rs`).
//!
//! Requests get ids of the hub's own (so clients' ids can never collide) and the caller's
//! relay; the dispatcher routes what the server sends: responses to their request, progress to
//! the request that owns the token (tokens are rewritten per request for the same reason as
//! ids), logs and server requests (sampling, elicitation, roots) to the request they belong to
//! — the one whose HTTP response carried them, else the only request in flight — and the rest
//! to the hub's event channel: list changes and resource updates always (they concern the
//! session, not a call), logs when no request claims them.

mod inbound;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::{Value, json};
use tokio::sync::{broadcast, oneshot};
use tokio_util::sync::CancellationToken;

use super::link::Link;
use super::relay::RelaySender;
use super::{SessionKey, UpstreamError, UpstreamEvent};
use crate::jsonrpc;
use crate::spec::ServerSpec;

/// How long a response to a request with a progress token waits for progress notifications
/// still on their way on another HTTP stream.
const PROGRESS_GRACE: std::time::Duration = std::time::Duration::from_millis(30);

/// The protocol revision the hub asks upstreams for.
pub const UPSTREAM_PROTOCOL_VERSION: &str = "2025-06-18";

#[derive(Debug)]
struct Pending {
    reply: oneshot::Sender<Value>,
    relay: Option<RelaySender>,
    /// (token sent upstream, the client's own token).
    progress: Option<(String, Value)>,
}

/// The least time an upstream gets to answer `initialize`.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug)]
pub struct Connection {
    server: String,
    /// Which session of the server this is (for the events it sends).
    key: SessionKey,
    timeout: std::time::Duration,
    link: Link,
    closed: CancellationToken,
    next_id: AtomicU64,
    pending: Mutex<HashMap<u64, Pending>>,
    /// The server's `initialize` result (capabilities, serverInfo, instructions).
    initialize: RwLock<Value>,
    /// The server's tools (`tools/list`, every page), refreshed when it says they changed.
    tools: RwLock<Arc<Vec<Value>>>,
}

impl Connection {
    /// Opens the transport, initializes the session and reads the tool list.
    pub async fn open(
        spec: &ServerSpec,
        key: &SessionKey,
        http: &reqwest::Client,
        events: broadcast::Sender<UpstreamEvent>,
    ) -> Result<Arc<Self>, UpstreamError> {
        let closed = CancellationToken::new();
        let (link, incoming) = Link::open(spec, http, closed.clone()).await?;
        let connection = Arc::new(Self {
            server: spec.name.clone(),
            key: key.clone(),
            timeout: spec.timeout,
            link,
            closed,
            next_id: AtomicU64::new(1),
            pending: Mutex::new(HashMap::new()),
            initialize: RwLock::new(Value::Null),
            tools: RwLock::new(Arc::new(Vec::new())),
        });
        tokio::spawn(inbound::dispatch(connection.clone(), incoming, events));
        match connection.handshake().await {
            Ok(()) => Ok(connection),
            Err(e) => {
                connection.close();
                Err(e)
            }
        }
    }

    async fn handshake(self: &Arc<Self>) -> Result<(), UpstreamError> {
        let params = json!({
            "protocolVersion": UPSTREAM_PROTOCOL_VERSION,
            "capabilities": {"sampling": {}, "elicitation": {}, "roots": {"listChanged": true}},
            "clientInfo": {"name": "tollgate", "version": env!("CARGO_PKG_VERSION")},
        });
        let response = self.request("initialize", Some(params), None).await?;
        let result = response
            .get("result")
            .cloned()
            .ok_or_else(|| UpstreamError::Transport {
                server: self.server.clone(),
                message: format!(
                    "initialize failed: {}",
                    response.get("error").unwrap_or(&Value::Null)
                ),
            })?;
        let version = result
            .get("protocolVersion")
            .and_then(Value::as_str)
            .unwrap_or(UPSTREAM_PROTOCOL_VERSION)
            .to_owned();
        *write(&self.initialize) = result;
        self.link.initialized(&version);
        self.notify("notifications/initialized", None).await?;
        self.refresh_tools().await
    }

    pub fn is_open(&self) -> bool {
        !self.closed.is_cancelled()
    }

    /// Resolves when the connection is dead.
    pub async fn closed(&self) {
        self.closed.cancelled().await;
    }

    /// Closes the link (kills a stdio child) and fails every request in flight.
    pub fn close(&self) {
        self.closed.cancel();
        lock(&self.pending).clear();
    }

    /// Ends the session politely, then closes.
    pub async fn shutdown(&self) {
        self.link.terminate().await;
        self.close();
    }

    /// The server's `initialize` result.
    pub fn initialize_result(&self) -> Value {
        read(&self.initialize).clone()
    }

    /// Whether the server declared `capability` (`tools`, `prompts`, `resources`, ...).
    pub fn has_capability(&self, capability: &str) -> bool {
        read(&self.initialize)
            .get("capabilities")
            .and_then(|c| c.get(capability))
            .is_some()
    }

    /// The cached tool list.
    pub fn tools(&self) -> Arc<Vec<Value>> {
        read(&self.tools).clone()
    }

    /// Re-reads every page of `tools/list`.
    pub async fn refresh_tools(&self) -> Result<(), UpstreamError> {
        if !self.has_capability("tools") {
            return Ok(());
        }
        let mut tools = Vec::new();
        let mut cursor: Option<Value> = None;
        loop {
            let params = cursor.take().map(|c| json!({"cursor": c}));
            let response = self.request("tools/list", params, None).await?;
            let result = response.get("result").cloned().unwrap_or(Value::Null);
            if let Some(items) = result.get("tools").and_then(Value::as_array) {
                tools.extend(items.iter().cloned());
            }
            match result.get("nextCursor") {
                Some(c) if !c.is_null() => cursor = Some(c.clone()),
                _ => break,
            }
        }
        *write(&self.tools) = Arc::new(tools);
        Ok(())
    }

    /// Sends a notification.
    pub async fn notify(&self, method: &str, params: Option<Value>) -> Result<(), UpstreamError> {
        self.link.send(jsonrpc::notification(method, params)).await
    }

    /// Sends a request and waits for its response message (its `id` is the hub's own; the
    /// caller restores the client's). What the server sends for it on the way goes to `relay`.
    pub async fn request(
        &self,
        method: &str,
        params: Option<Value>,
        relay: Option<RelaySender>,
    ) -> Result<Value, UpstreamError> {
        self.request_tracked(method, params, relay, |_| {}).await
    }

    /// [`Connection::request`], telling `sent` the hub's id of the request once it is out (so
    /// the caller can cancel it).
    pub async fn request_tracked(
        &self,
        method: &str,
        mut params: Option<Value>,
        relay: Option<RelaySender>,
        sent: impl FnOnce(u64),
    ) -> Result<Value, UpstreamError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let progress = match (
            &relay,
            params
                .as_mut()
                .and_then(|p| p.pointer_mut("/_meta/progressToken")),
        ) {
            (Some(_), Some(token)) => {
                let ours = format!("tg-{id}");
                Some((ours.clone(), std::mem::replace(token, Value::String(ours))))
            }
            _ => None,
        };
        let (reply, answer) = oneshot::channel();
        lock(&self.pending).insert(
            id,
            Pending {
                reply,
                relay,
                progress,
            },
        );
        sent(id);
        let deadline = tokio::time::Instant::now() + self.time_limit(method);
        // Over HTTP a server answering with plain JSON holds the POST for the whole call.
        let sending = tokio::time::timeout_at(
            deadline,
            self.link.send(jsonrpc::request(id, method, params)),
        );
        let failed = match sending.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some(self.timeout_error()),
        };
        if let Some(e) = failed {
            lock(&self.pending).remove(&id);
            return Err(e);
        }
        tokio::select! {
            answer = answer => answer.map_err(|_| if self.closed.is_cancelled() {
                UpstreamError::Closed(self.server.clone())
            } else {
                UpstreamError::Cancelled
            }),
            () = tokio::time::sleep_until(deadline) => {
                lock(&self.pending).remove(&id);
                let cancel = json!({"requestId": id, "reason": "timeout"});
                let _ = self.notify("notifications/cancelled", Some(cancel)).await;
                Err(self.timeout_error())
            }
            () = self.closed.cancelled() => Err(UpstreamError::Closed(self.server.clone())),
        }
    }

    /// How long `method` may take: the server's `timeout`, except the `initialize` handshake,
    /// which also covers a stdio server's start (an interpreter importing its libraries can
    /// take seconds on a loaded machine) and gets at least [`HANDSHAKE_TIMEOUT`].
    fn time_limit(&self, method: &str) -> std::time::Duration {
        if method == "initialize" {
            self.timeout.max(HANDSHAKE_TIMEOUT)
        } else {
            self.timeout
        }
    }

    fn timeout_error(&self) -> UpstreamError {
        UpstreamError::Timeout {
            server: self.server.clone(),
            seconds: self.timeout.as_secs(),
        }
    }

    /// Cancels the hub's request `id` (its client cancelled): the server is told, and the
    /// waiting caller gets [`UpstreamError::Cancelled`].
    pub async fn cancel(&self, id: u64, reason: Option<Value>) {
        if lock(&self.pending).remove(&id).is_some() {
            let mut params = json!({"requestId": id});
            if let Some(r) = reason {
                params["reason"] = r;
            }
            let _ = self.notify("notifications/cancelled", Some(params)).await;
        }
    }

    async fn answer(&self, message: Value) {
        let _ = self.link.send(message).await;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

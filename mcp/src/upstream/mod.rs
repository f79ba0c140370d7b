//! Upstream MCP servers: one long-lived session per server, kept alive by a supervisor.
//!
//! [`Upstream`] owns the supervisor loop: it opens a [`Connection`] (spawning the stdio child or
//! initializing the HTTP session), and when the connection dies (process exit, session lost,
//! transport failure) it opens a new one with exponential backoff. While none is open the
//! server is unhealthy: its tools leave listings and calls get an MCP error at once.

mod connection;
mod http;
mod legacy_sse;
mod link;
mod personal;
pub mod relay;
mod stdio;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;

pub use connection::Connection;
pub use relay::{RelaySender, Relayed};

use crate::spec::ServerSpec;

/// Why an upstream request failed (the client gets it as a JSON-RPC error).
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    #[error("MCP server `{0}` is unavailable")]
    Unavailable(String),
    #[error("MCP server `{server}` did not answer within {seconds}s")]
    Timeout { server: String, seconds: u64 },
    #[error("MCP server `{0}` closed the connection during the request")]
    Closed(String),
    #[error("MCP server `{server}`: {message}")]
    Transport { server: String, message: String },
    #[error("the request was cancelled")]
    Cancelled,
}

/// Which upstream session: a server's shared one, or one opened with a caller's own
/// credentials (`personal.rs`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionKey {
    pub server: String,
    /// The caller's credentials as a map key (see `personal.rs`); `None`: the shared session.
    pub credentials: Option<String>,
}

impl SessionKey {
    /// The server's shared session.
    pub fn shared(server: &str) -> Self {
        Self {
            server: server.to_owned(),
            credentials: None,
        }
    }
}

impl std::fmt::Debug for SessionKey {
    // Never prints the credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.credentials.is_some() {
            "personal"
        } else {
            "shared"
        };
        write!(f, "SessionKey({}, {kind})", self.server)
    }
}

/// Something an upstream session did that no request of a client is waiting for.
#[derive(Debug, Clone)]
pub struct UpstreamEvent {
    pub session: SessionKey,
    pub kind: EventKind,
}

#[derive(Debug, Clone)]
pub enum EventKind {
    /// A message of the server's (list changes, resource updates, logs outside any call), or
    /// the hub's own `notifications/tools/list_changed` when the server came or went.
    Message(Value),
    /// The session was (re)opened: what clients set on the previous one (resource
    /// subscriptions, the logging level) is to be set again on this one.
    Connected(Arc<Connection>),
}

impl UpstreamEvent {
    pub fn message(session: &SessionKey, message: Value) -> Self {
        Self {
            session: session.clone(),
            kind: EventKind::Message(message),
        }
    }

    /// The server's name.
    pub fn server(&self) -> &str {
        &self.session.server
    }
}

/// Longest wait between two attempts to (re)connect.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// A call arriving while the server is (re)connecting waits at most this long for it.
const CONNECT_WAIT: Duration = Duration::from_secs(10);

/// One upstream server and its current connection, if any.
#[derive(Debug)]
pub struct Upstream {
    spec: ServerSpec,
    key: SessionKey,
    current: watch::Sender<Option<Arc<Connection>>>,
    stop: CancellationToken,
    http: reqwest::Client,
    events: broadcast::Sender<UpstreamEvent>,
    tasks: tokio_util::task::TaskTracker,
    /// Sessions opened with a caller's own credentials (see `personal.rs`), by credentials.
    personal: Mutex<HashMap<String, (Arc<Upstream>, Instant)>>,
}

impl Upstream {
    /// Starts the supervisor of `spec`'s server on `tasks`; it stops with `shutdown` or
    /// [`Upstream::stop`].
    pub fn start(
        spec: ServerSpec,
        http: reqwest::Client,
        events: broadcast::Sender<UpstreamEvent>,
        tasks: &tokio_util::task::TaskTracker,
        shutdown: &CancellationToken,
    ) -> Arc<Self> {
        let key = SessionKey::shared(&spec.name);
        Self::start_as(spec, key, http, events, tasks, shutdown)
    }

    /// [`Upstream::start`] for the session `key` (a caller's own, see `personal.rs`).
    fn start_as(
        spec: ServerSpec,
        key: SessionKey,
        http: reqwest::Client,
        events: broadcast::Sender<UpstreamEvent>,
        tasks: &tokio_util::task::TaskTracker,
        shutdown: &CancellationToken,
    ) -> Arc<Self> {
        let (current, _) = watch::channel(None);
        let upstream = Arc::new(Self {
            spec,
            key,
            current,
            stop: shutdown.child_token(),
            http: http.clone(),
            events: events.clone(),
            tasks: tasks.clone(),
            personal: Mutex::new(HashMap::new()),
        });
        tasks.spawn(supervise(upstream.clone(), http, events));
        upstream
    }

    pub fn spec(&self) -> &ServerSpec {
        &self.spec
    }

    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Which session of the server this is (the shared one or a caller's own).
    pub fn key(&self) -> &SessionKey {
        &self.key
    }

    /// Stops the supervisor and closes the connection (the child process is killed).
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// The open connection, if the server is healthy now.
    pub fn connection_now(&self) -> Option<Arc<Connection>> {
        self.current.borrow().clone().filter(|c| c.is_open())
    }

    /// The open connection, waiting a little while the server (re)connects.
    pub async fn connection(&self) -> Result<Arc<Connection>, UpstreamError> {
        let mut watcher = self.current.subscribe();
        let wait = async {
            loop {
                if let Some(c) = watcher.borrow_and_update().clone().filter(|c| c.is_open()) {
                    return Some(c);
                }
                if watcher.changed().await.is_err() {
                    return None;
                }
            }
        };
        tokio::time::timeout(CONNECT_WAIT.min(self.spec.timeout), wait)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| UpstreamError::Unavailable(self.spec.name.clone()))
    }

    /// Whether a connection is open now.
    pub fn is_healthy(&self) -> bool {
        self.connection_now().is_some()
    }
}

async fn supervise(
    upstream: Arc<Upstream>,
    http: reqwest::Client,
    events: broadcast::Sender<UpstreamEvent>,
) {
    let name = upstream.spec.name.clone();
    let key = upstream.key.clone();
    let mut failures: u32 = 0;
    loop {
        if upstream.stop.is_cancelled() {
            break;
        }
        let opened = tokio::select! {
            () = upstream.stop.cancelled() => break,
            opened = Connection::open(&upstream.spec, &key, &http, events.clone()) => opened,
        };
        match opened {
            Ok(connection) => {
                tracing::info!(server = %name, "MCP server connected");
                let started = tokio::time::Instant::now();
                upstream.current.send_replace(Some(connection.clone()));
                let _ = events.send(UpstreamEvent {
                    session: key.clone(),
                    kind: EventKind::Connected(connection.clone()),
                });
                notify_tools_changed(&events, &key);
                tokio::select! {
                    () = upstream.stop.cancelled() => {
                        connection.close();
                        upstream.current.send_replace(None);
                        break;
                    }
                    () = connection.closed() => {}
                }
                upstream.current.send_replace(None);
                notify_tools_changed(&events, &key);
                tracing::warn!(server = %name, "MCP server connection lost; reconnecting");
                if started.elapsed() > MAX_BACKOFF {
                    failures = 0;
                }
            }
            Err(e) => tracing::warn!(server = %name, error = %e, "MCP server failed to start"),
        }
        let delay = backoff(failures);
        failures = failures.saturating_add(1);
        tokio::select! {
            () = upstream.stop.cancelled() => break,
            () = tokio::time::sleep(delay) => {}
        }
    }
    upstream.current.send_replace(None);
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The wait before attempt `failures + 1`: 250 ms doubling up to [`MAX_BACKOFF`].
pub fn backoff(failures: u32) -> Duration {
    let ms = 250u64.saturating_mul(1u64 << failures.min(20));
    Duration::from_millis(ms).min(MAX_BACKOFF)
}

/// The server's tool set changed for the hub's clients (it came, went or said so).
fn notify_tools_changed(events: &broadcast::Sender<UpstreamEvent>, session: &SessionKey) {
    let changed = crate::jsonrpc::notification("notifications/tools/list_changed", None);
    let _ = events.send(UpstreamEvent::message(session, changed));
}

#[cfg(test)]
mod tests {
    use super::*;

    // The backoff doubles from 250 ms and stops growing at the cap.
    #[test]
    fn backoff_doubles_to_cap() {
        assert_eq!(backoff(0), Duration::from_millis(250));
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(3), Duration::from_secs(2));
        assert_eq!(backoff(10), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }
}

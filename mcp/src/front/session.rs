//! Client sessions of the front (`Mcp-Session-Id`): who opened it, which view, the negotiated
//! protocol version, the GET stream for messages not tied to a request, and the server-to-client
//! requests waiting for the client's answer. Held in this instance's memory (see the README for
//! what sessions across replicas need).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::access::Access;
use crate::hub::View;
use crate::upstream::{Connection, SessionKey};

#[derive(Debug)]
pub struct Session {
    pub id: String,
    /// The gateway's id of the credential that opened it.
    pub owner: String,
    /// The server of `/mcp/<server>`, or `None` for `/mcp`.
    pub server: Option<String>,
    pub protocol_version: String,
    /// What the caller could see when the session opened (filters unsolicited notifications).
    pub access: Access,
    outbox: Mutex<Option<mpsc::Sender<Value>>>,
    replies: Mutex<HashMap<String, oneshot::Sender<Value>>>,
    /// Requests of the client in flight upstream, by the client's id: (connection, hub's id).
    inflight: Mutex<HashMap<String, (Arc<Connection>, u64)>>,
    next: AtomicU64,
    last_seen: Mutex<Instant>,
    /// The level the client set with `logging/setLevel` (`None`: every log the servers send).
    log_level: Mutex<Option<&'static str>>,
    /// The callers' own upstream sessions the client has used (by the credentials it sent): it
    /// gets what those sessions send outside any request (logs).
    own_sessions: Mutex<BTreeSet<SessionKey>>,
    /// On `/mcp`, the servers the client's last request narrowed to (`x-mcp-servers`).
    narrowed: Mutex<Option<BTreeSet<String>>>,
}

impl Session {
    /// The client used the session now.
    pub fn touch(&self) {
        *lock(&self.last_seen) = Instant::now();
    }

    /// The level the client set with `logging/setLevel`, if any.
    pub fn log_level(&self) -> Option<&'static str> {
        *lock(&self.log_level)
    }

    pub fn set_log_level(&self, level: &'static str) {
        *lock(&self.log_level) = Some(level);
    }

    /// The client sent credentials that open the upstream session `key`.
    pub fn uses(&self, key: SessionKey) {
        lock(&self.own_sessions).insert(key);
    }

    /// Whether what the upstream session `key` sends outside any request may reach this client:
    /// a server's shared session's, or a caller's own session that this client used.
    pub fn may_hear(&self, key: &SessionKey) -> bool {
        key.credentials.is_none() || lock(&self.own_sessions).contains(key)
    }

    /// The client's requests name these servers with `x-mcp-servers` (or, `None`, every one).
    pub fn narrow(&self, only: Option<BTreeSet<String>>) {
        *lock(&self.narrowed) = only;
    }

    /// Whether unsolicited messages of `server` concern this session: its path's server, or on
    /// `/mcp` any server its requests are not narrowed away from.
    pub fn follows(&self, server: &str) -> bool {
        match &self.server {
            Some(own) => own == server,
            None => lock(&self.narrowed)
                .as_ref()
                .is_none_or(|only| only.contains(server)),
        }
    }

    /// The view of this session's path, narrowed by `only` on `/mcp`.
    pub fn view(&self, only: Option<std::collections::BTreeSet<String>>) -> View {
        match &self.server {
            Some(s) => View::One(s.clone()),
            None => View::All { only },
        }
    }

    /// Opens the GET stream, replacing any previous one.
    pub fn open_stream(&self) -> mpsc::Receiver<Value> {
        let (tx, rx) = mpsc::channel(64);
        *lock(&self.outbox) = Some(tx);
        rx
    }

    /// Sends on the GET stream if one is open (dropped otherwise, as the spec allows).
    pub fn push(&self, message: Value) {
        let outbox = lock(&self.outbox).clone();
        if let Some(tx) = outbox
            && tx.try_send(message).is_err()
        {
            tracing::debug!(session = %self.id, "GET stream full or closed; message dropped");
        }
    }

    /// Gives a server-to-client request a client-facing id and parks its reply slot.
    pub fn park(&self, reply: oneshot::Sender<Value>) -> String {
        let id = format!("tg-{}", self.next.fetch_add(1, Ordering::Relaxed));
        lock(&self.replies).insert(id.clone(), reply);
        id
    }

    /// Remembers that the client's request `id` went upstream as `upstream_id` on `connection`.
    pub fn track(&self, id: &Value, connection: Arc<Connection>, upstream_id: u64) {
        lock(&self.inflight).insert(id.to_string(), (connection, upstream_id));
    }

    /// The client's request `id` got its answer.
    pub fn untrack(&self, id: &Value) {
        lock(&self.inflight).remove(&id.to_string());
    }

    /// Cancels the client's request `id` upstream, if it is in flight.
    pub async fn cancel(&self, id: &Value, reason: Option<Value>) {
        let found = lock(&self.inflight).remove(&id.to_string());
        if let Some((connection, upstream_id)) = found {
            connection.cancel(upstream_id, reason).await;
        }
    }

    /// Delivers the client's response to a parked request; false when nothing waits for it.
    pub fn answer(&self, response: Value) -> bool {
        let key = match response.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => return false,
        };
        match lock(&self.replies).remove(&key) {
            Some(slot) => slot.send(response).is_ok(),
            None => false,
        }
    }
}

/// Every open session of this instance.
#[derive(Debug, Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Arc<Session>>>,
    /// Revoked ids (ended with DELETE here or on another instance), never adopted again, with
    /// when they were revoked.
    ended: Mutex<HashMap<String, Instant>>,
    /// Resource subscriptions of the sessions (see `subscriptions.rs`).
    pub subscriptions: super::subscriptions::Subscriptions,
}

impl Sessions {
    /// Opens a session under `id` (a fresh id, or a sealed one another instance minted).
    pub fn open(
        &self,
        id: String,
        owner: String,
        server: Option<String>,
        protocol_version: String,
        access: Access,
    ) -> Arc<Session> {
        let session = Arc::new(Session {
            id,
            owner,
            server,
            protocol_version,
            access,
            outbox: Mutex::new(None),
            replies: Mutex::new(HashMap::new()),
            inflight: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
            last_seen: Mutex::new(Instant::now()),
            log_level: Mutex::new(None),
            own_sessions: Mutex::new(BTreeSet::new()),
            narrowed: Mutex::new(None),
        });
        lock(&self.map).insert(session.id.clone(), session.clone());
        session
    }

    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        lock(&self.map).get(id).cloned()
    }

    /// Ends a session: its GET stream closes and parked requests are answered with an error.
    /// Its id is revoked: it cannot be adopted again on this instance.
    pub fn close(&self, id: &str) -> bool {
        self.revoke(id);
        lock(&self.map).remove(id).is_some()
    }

    /// Revokes `id` (ended here or, told through the fleet, on another instance) until a
    /// sealed id of that age could no longer be adopted anyway.
    pub fn revoke(&self, id: &str) {
        lock(&self.ended).insert(id.to_owned(), Instant::now());
    }

    /// Whether `id` was ended, here or on another instance that said so.
    pub fn was_ended(&self, id: &str) -> bool {
        lock(&self.ended).contains_key(id)
    }

    /// Ends the sessions unused for `idle` (clients that left without DELETE) and forgets
    /// revocations older than `revoked_for`; returns the ids of the sessions ended.
    pub fn expire(&self, idle: Duration, revoked_for: Duration) -> Vec<String> {
        let mut map = lock(&self.map);
        let expired: Vec<String> = map
            .iter()
            .filter(|(_, s)| lock(&s.last_seen).elapsed() >= idle)
            .map(|(id, _)| id.clone())
            .collect();
        for id in &expired {
            map.remove(id);
        }
        lock(&self.ended).retain(|_, at| at.elapsed() < revoked_for);
        expired
    }

    pub fn all(&self) -> Vec<Arc<Session>> {
        lock(&self.map).values().cloned().collect()
    }

    pub fn len(&self) -> usize {
        lock(&self.map).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

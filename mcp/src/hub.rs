//! The hub: every upstream server by name, what a caller sees of them, and the client sessions.
//!
//! Names are namespaced on `/mcp` (`<server><separator><tool>`) and served as they are on
//! `/mcp/<server>`. Listings come from each healthy upstream's cached tool list, filtered by the
//! caller's [`Access`]; resolving a name applies the same filter, so a forbidden tool cannot be
//! told apart from an unknown one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

use serde_json::Value;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::access::Access;
use crate::front::session::Sessions;
use crate::spec::ServerSpec;
use crate::upstream::{Connection, SessionKey, Upstream, UpstreamError, UpstreamEvent};

mod headers;
mod runtime;

pub use runtime::Reconciled;

/// Hub-wide settings.
#[derive(Debug, Clone)]
pub struct HubOptions {
    /// Between server and tool names on `/mcp` (default `-`).
    pub separator: String,
    /// Browser origins allowed besides localhost and the gateway's own host
    /// (`mcp_allowed_origins`; `*` allows any).
    pub allowed_origins: Vec<String>,
    /// The address the gateway listens on, set once it is bound: while it is a loopback
    /// address, requests must name a loopback `Host` (DNS rebinding, `front/origin.rs`).
    pub listen_addr: Arc<std::sync::OnceLock<std::net::SocketAddr>>,
}

impl Default for HubOptions {
    fn default() -> Self {
        Self {
            separator: "-".into(),
            allowed_origins: Vec::new(),
            listen_addr: Arc::default(),
        }
    }
}

/// The caller's own headers for some servers (`x-mcp-<server>-<header>`), by server.
pub type ClientHeaders = BTreeMap<String, Vec<(String, String)>>;

/// Which servers a request addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// `/mcp`: every visible server, names prefixed; `only` narrows (`x-mcp-servers`).
    All { only: Option<BTreeSet<String>> },
    /// `/mcp/<server>`: that server alone, names as the server gives them.
    One(String),
}

impl View {
    fn includes(&self, server: &str) -> bool {
        match self {
            View::All { only } => only.as_ref().is_none_or(|o| o.contains(server)),
            View::One(name) => name == server,
        }
    }
}

#[derive(Debug)]
pub struct Hub {
    upstreams: RwLock<BTreeMap<String, Arc<Upstream>>>,
    /// Names of the servers added at runtime (the others came with [`Hub::start`] and are never
    /// replaced or removed by [`Hub::reconcile`]).
    managed: RwLock<BTreeSet<String>>,
    options: HubOptions,
    events: broadcast::Sender<UpstreamEvent>,
    pub(crate) sessions: Sessions,
    http: reqwest::Client,
    tasks: TaskTracker,
    shutdown: CancellationToken,
}

/// One server's state, for health and admin listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHealth {
    pub name: String,
    pub transport: &'static str,
    pub healthy: bool,
    /// Tools the server lists (before any permission filter); 0 while unhealthy.
    pub tools: usize,
}

impl Hub {
    /// Starts a supervisor per server (on `tasks`, until `shutdown`) and the event forwarder.
    pub fn start(
        specs: Vec<ServerSpec>,
        options: HubOptions,
        http: reqwest::Client,
        tasks: &TaskTracker,
        shutdown: &CancellationToken,
    ) -> Arc<Self> {
        let (events, _) = broadcast::channel(256);
        let upstreams = specs
            .into_iter()
            .map(|spec| {
                let name = spec.name.clone();
                let up = Upstream::start(spec, http.clone(), events.clone(), tasks, shutdown);
                (name, up)
            })
            .collect();
        let hub = Arc::new(Self {
            upstreams: RwLock::new(upstreams),
            managed: RwLock::new(BTreeSet::new()),
            options,
            events,
            sessions: Sessions::default(),
            http,
            tasks: tasks.clone(),
            shutdown: shutdown.clone(),
        });
        tasks.spawn(crate::front::events::forward(
            hub.clone(),
            hub.events.subscribe(),
            shutdown.clone(),
        ));
        hub
    }

    pub fn options(&self) -> &HubOptions {
        &self.options
    }

    pub fn upstream(&self, name: &str) -> Option<Arc<Upstream>> {
        read(&self.upstreams).get(name).cloned()
    }

    /// Every server, in name order.
    pub fn upstreams(&self) -> Vec<Arc<Upstream>> {
        read(&self.upstreams).values().cloned().collect()
    }

    /// The servers `access` may see within `view`.
    pub fn visible(&self, access: &Access, view: &View) -> Vec<Arc<Upstream>> {
        read(&self.upstreams)
            .values()
            .filter(|u| view.includes(u.name()) && access.server_visible(u.spec()))
            .cloned()
            .collect()
    }

    /// The tools `access` may see within `view`, from the servers healthy now (through the
    /// caller's own session where it sent credentials for a server).
    pub async fn list_tools(
        &self,
        access: &Access,
        view: &View,
        personal: &ClientHeaders,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        for upstream in self.visible(access, view) {
            let connection = match personal.get(upstream.name()) {
                Some(headers) => upstream.personal(headers).connection().await.ok(),
                None => upstream.connection_now(),
            };
            let Some(connection) = connection else {
                continue;
            };
            for tool in connection.tools().iter() {
                let Some(name) = tool.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if !access.tool_visible(upstream.spec(), name) {
                    continue;
                }
                let mut tool = tool.clone();
                if matches!(view, View::All { .. }) {
                    tool["name"] = Value::String(self.public_name(upstream.name(), name));
                }
                out.push(tool);
            }
        }
        out
    }

    /// The connection to use for `upstream`: the caller's own when it sent credentials for it.
    pub async fn connection(
        &self,
        upstream: &Arc<Upstream>,
        personal: &ClientHeaders,
    ) -> Result<Arc<Connection>, UpstreamError> {
        self.session_for(upstream, personal).connection().await
    }

    /// The session of `upstream` to use for the caller: its own when it sent credentials for
    /// it (started on first use), else the shared one.
    pub fn session_for(&self, upstream: &Arc<Upstream>, personal: &ClientHeaders) -> Arc<Upstream> {
        match personal.get(upstream.name()) {
            Some(headers) => upstream.personal(headers),
            None => upstream.clone(),
        }
    }

    /// The upstream session `key` names, if it is open (a caller's own is never started here).
    pub fn session(&self, key: &SessionKey) -> Option<Arc<Upstream>> {
        let upstream = self.upstream(&key.server)?;
        match &key.credentials {
            None => Some(upstream),
            Some(credentials) => upstream.personal_of(credentials),
        }
    }

    /// Closes callers' own upstream sessions unused for `idle`, unless a client is still
    /// subscribed to a resource through one.
    pub fn expire_personal(&self, idle: std::time::Duration) {
        for upstream in self.upstreams() {
            upstream.expire_personal(idle, |credentials| {
                let key = SessionKey {
                    server: upstream.name().to_owned(),
                    credentials: Some(credentials.to_owned()),
                };
                self.sessions.subscriptions.holds(&key)
            });
        }
    }

    /// `<server><separator><tool>`.
    pub fn public_name(&self, server: &str, tool: &str) -> String {
        format!("{server}{}{tool}", self.options.separator)
    }

    /// The server and upstream tool name behind `name` as `access` may call it in `view`, or
    /// `None` when it is unknown or not allowed (the two are not told apart).
    pub fn resolve_tool(
        &self,
        access: &Access,
        view: &View,
        name: &str,
    ) -> Option<(Arc<Upstream>, String)> {
        let candidates = self.visible(access, view);
        candidates.into_iter().find_map(|upstream| {
            let tool = match view {
                View::One(_) => name,
                View::All { .. } => name
                    .strip_prefix(upstream.name())?
                    .strip_prefix(&self.options.separator)?,
            };
            let known = upstream.connection_now().is_none_or(|c| {
                c.tools()
                    .iter()
                    .any(|t| t.get("name").and_then(Value::as_str) == Some(tool))
            });
            (known && access.tool_visible(upstream.spec(), tool))
                .then(|| (upstream.clone(), tool.to_owned()))
        })
    }

    /// Upstream events not tied to a client request (list changes, resource updates).
    pub fn subscribe(&self) -> broadcast::Receiver<UpstreamEvent> {
        self.events.subscribe()
    }

    /// Every server's state, in name order.
    pub fn health(&self) -> Vec<ServerHealth> {
        self.upstreams()
            .iter()
            .map(|u| {
                let connection = u.connection_now();
                ServerHealth {
                    name: u.name().to_owned(),
                    transport: u.spec().transport_name(),
                    healthy: connection.is_some(),
                    tools: connection.map_or(0, |c| c.tools().len()),
                }
            })
            .collect()
    }

    /// Stops every supervisor (children are killed).
    pub fn stop(&self) {
        for upstream in self.upstreams() {
            upstream.stop();
        }
    }
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests;

//! How MCP servers are shown by the admin API: stored and config servers as one view, credentials
//! masked, with their live state on this instance's hub.

use serde::Serialize;
use serde_json::{Map, Value, json};
use tollgate_mcp::{ServerSpec, Transport};

use super::mcp_servers_spec::{self as spec, Definition};
use crate::governance::clock::to_rfc3339;
use crate::state::AppState;
use crate::store::mcp_servers::McpServerRow;

/// One server as the API shows it (LiteLLM's `LiteLLM_MCPServerTable` fields, credentials
/// masked), with its live state on this instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McpServerView {
    pub server_id: String,
    pub server_name: String,
    pub alias: String,
    /// `db` (added at runtime) or `config` (read-only).
    pub source: &'static str,
    /// Every setting but credentials; `static_headers` / `env` show names with `****`.
    #[serde(flatten)]
    pub settings: Map<String, Value>,
    pub healthy: bool,
    /// LiteLLM's `status`: `healthy` or `unhealthy`.
    pub status: &'static str,
    pub tool_count: u64,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

/// One server's health: transport, connected or not, tools it lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McpServerHealth {
    pub server_id: String,
    pub server_name: String,
    pub transport: String,
    pub healthy: bool,
    pub status: &'static str,
    pub tool_count: u64,
}

/// `(healthy, tool count, transport)` of `name` on this instance's hub.
pub(super) fn live(state: &AppState, name: &str) -> (bool, u64, Option<&'static str>) {
    state
        .mcp
        .health()
        .into_iter()
        .find(|h| h.name == name)
        .map_or((false, 0, None), |h| {
            (h.healthy, h.tools as u64, Some(h.transport))
        })
}

pub(super) fn status(healthy: bool) -> &'static str {
    if healthy { "healthy" } else { "unhealthy" }
}

/// A stored server as shown.
pub fn view_of_row(state: &AppState, row: &McpServerRow) -> McpServerView {
    let mut settings: Definition = serde_json::from_str(&row.definition).unwrap_or_default();
    let secrets = spec::open(row.secrets.as_deref(), state.router.secrets.as_ref());
    let masked = match &secrets {
        Ok(s) => spec::masked(s),
        Err(_) => spec::masked(&Map::new()),
    };
    settings.extend(masked);
    settings.insert(
        "mcp_access_groups".into(),
        settings.get("access_groups").cloned().unwrap_or(json!([])),
    );
    let (healthy, tools, _) = live(state, &row.server_name);
    McpServerView {
        server_id: row.server_id.clone(),
        server_name: row.server_name.clone(),
        alias: row.server_name.clone(),
        source: "db",
        settings,
        healthy,
        status: status(healthy),
        tool_count: tools,
        created_at: Some(to_rfc3339(row.created_at)),
        updated_at: Some(to_rfc3339(row.updated_at)),
        created_by: Some(row.created_by.clone()),
        updated_by: Some(row.updated_by.clone()),
    }
}

/// A config-file server as shown.
pub(super) fn view_of_config(state: &AppState, s: &ServerSpec) -> McpServerView {
    let stars = |names: Vec<&String>| -> Value {
        names
            .into_iter()
            .map(|n| (n.clone(), json!("****")))
            .collect::<Map<_, _>>()
            .into()
    };
    let mut settings = Map::new();
    settings.insert("transport".into(), json!(s.transport_name()));
    match &s.transport {
        Transport::Stdio { command, args, env } => {
            settings.insert("command".into(), json!(command));
            settings.insert("args".into(), json!(args));
            settings.insert("env".into(), stars(env.keys().collect()));
            settings.insert("static_headers".into(), json!({}));
        }
        Transport::Http { url, headers } | Transport::Sse { url, headers } => {
            settings.insert("url".into(), json!(url));
            settings.insert(
                "static_headers".into(),
                stars(headers.iter().map(|(k, _)| k).collect()),
            );
            settings.insert("env".into(), json!({}));
        }
    }
    settings.insert("description".into(), json!(s.description));
    settings.insert("allowed_tools".into(), json!(s.allowed_tools));
    settings.insert("disallowed_tools".into(), json!(s.disallowed_tools));
    settings.insert("access_groups".into(), json!(s.access_groups));
    settings.insert("mcp_access_groups".into(), json!(s.access_groups));
    settings.insert("allow_all_keys".into(), json!(s.allow_all_keys));
    settings.insert("extra_headers".into(), json!(s.extra_headers));
    settings.insert("timeout".into(), json!(s.timeout.as_secs_f64()));
    let (healthy, tools, _) = live(state, &s.name);
    McpServerView {
        server_id: s.name.clone(),
        server_name: s.name.clone(),
        alias: s.name.clone(),
        source: "config",
        settings,
        healthy,
        status: status(healthy),
        tool_count: tools,
        created_at: None,
        updated_at: None,
        created_by: None,
        updated_by: None,
    }
}

//! What the hub knows about one upstream MCP server: how to reach it and what it may expose.
//!
//! Built by the gateway from LiteLLM's `mcp_servers:` config section and from the servers
//! added at runtime (`/mcp/servers`, stored in its database). Pure data: nothing here connects anywhere.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Default time one upstream request may take before the client gets an error.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// One upstream server.
#[derive(Clone, PartialEq)]
pub struct ServerSpec {
    /// The name tools are prefixed with (`<name>-<tool>`) and served under (`/mcp/<name>`).
    pub name: String,
    pub transport: Transport,
    pub description: Option<String>,
    /// When not empty, only these tools are exposed.
    pub allowed_tools: Vec<String>,
    /// Never exposed (applied after `allowed_tools`).
    pub disallowed_tools: Vec<String>,
    /// Access groups this server belongs to (`mcp_access_groups` of keys and teams grant them).
    pub access_groups: Vec<String>,
    /// Visible to every key, whatever its MCP permissions (LiteLLM's `allow_all_keys`).
    pub allow_all_keys: bool,
    /// Names of the client's request headers forwarded to this server (LiteLLM's
    /// `extra_headers`); the header carrying the gateway key never is.
    pub extra_headers: Vec<String>,
    /// What a tool call costs (USD), counted against budgets.
    pub cost: CallCost,
    /// Per-request timeout towards this upstream.
    pub timeout: Duration,
}

/// How to reach an upstream.
#[derive(Clone, PartialEq)]
pub enum Transport {
    /// A child process speaking newline-delimited JSON-RPC on stdin/stdout.
    Stdio {
        command: String,
        args: Vec<String>,
        env: BTreeMap<String, String>,
    },
    /// Streamable HTTP (MCP 2025-03-26 and later).
    Http {
        url: String,
        headers: Vec<(String, String)>,
    },
    /// The legacy HTTP+SSE transport (MCP 2024-11-05).
    Sse {
        url: String,
        headers: Vec<(String, String)>,
    },
}

/// LiteLLM's `mcp_info.mcp_server_cost_info`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallCost {
    /// `default_cost_per_query`.
    pub default: f64,
    /// `tool_name_to_cost_per_query`, by the upstream's own tool name.
    pub per_tool: BTreeMap<String, f64>,
}

impl CallCost {
    /// The cost of one call to `tool`.
    pub fn of(&self, tool: &str) -> f64 {
        self.per_tool.get(tool).copied().unwrap_or(self.default)
    }
}

impl ServerSpec {
    /// A server with defaults for everything but its name and transport.
    pub fn new(name: impl Into<String>, transport: Transport) -> Self {
        Self {
            name: name.into(),
            transport,
            description: None,
            allowed_tools: Vec::new(),
            disallowed_tools: Vec::new(),
            access_groups: Vec::new(),
            allow_all_keys: false,
            extra_headers: Vec::new(),
            cost: CallCost::default(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Whether the server's own allow/deny lists let `tool` through.
    pub fn exposes(&self, tool: &str) -> bool {
        (self.allowed_tools.is_empty() || self.allowed_tools.iter().any(|t| t == tool))
            && !self.disallowed_tools.iter().any(|t| t == tool)
    }

    /// The transport's name as configured (`stdio`, `http`, `sse`).
    pub fn transport_name(&self) -> &'static str {
        match self.transport {
            Transport::Stdio { .. } => "stdio",
            Transport::Http { .. } => "http",
            Transport::Sse { .. } => "sse",
        }
    }
}

impl fmt::Debug for ServerSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerSpec")
            .field("name", &self.name)
            .field("transport", &self.transport)
            .field("allowed_tools", &self.allowed_tools)
            .field("disallowed_tools", &self.disallowed_tools)
            .field("access_groups", &self.access_groups)
            .field("allow_all_keys", &self.allow_all_keys)
            .field("extra_headers", &self.extra_headers)
            .field("cost", &self.cost)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Header and environment values are credentials: only their names are printed.
impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Stdio { command, args, env } => f
                .debug_struct("Stdio")
                .field("command", command)
                .field("args", args)
                .field("env", &env.keys().collect::<Vec<_>>())
                .finish(),
            Transport::Http { url, headers } | Transport::Sse { url, headers } => f
                .debug_struct(if matches!(self, Transport::Http { .. }) {
                    "Http"
                } else {
                    "Sse"
                })
                .field("url", url)
                .field(
                    "headers",
                    &headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
                )
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Allow-lists narrow, deny-lists win, and costs fall back to the default.
    #[test]
    fn tool_filters_and_costs() {
        let mut spec = ServerSpec::new(
            "s",
            Transport::Http {
                url: "http://x".into(),
                headers: vec![("Authorization".into(), "Bearer secret".into())],
            },
        );
        assert!(spec.exposes("any"));
        spec.allowed_tools = vec!["a".into(), "b".into()];
        spec.disallowed_tools = vec!["b".into()];
        assert!(spec.exposes("a") && !spec.exposes("b") && !spec.exposes("c"));
        spec.cost.default = 0.5;
        spec.cost.per_tool.insert("a".into(), 2.0);
        assert_eq!((spec.cost.of("a"), spec.cost.of("z")), (2.0, 0.5));
        assert!(!format!("{spec:?}").contains("secret"));
    }
}

//! `mcp_servers:` (LiteLLM's shape): the upstream MCP servers of the hub.
//!
//! ```yaml
//! mcp_servers:
//!   github:                       # the name: tools appear as `github-<tool>`, and on /mcp/github
//!     url: https://api.example/mcp
//!     transport: http             # http (streamable HTTP), sse, stdio; inferred when absent
//!     auth_type: bearer_token     # bearer_token, api_key, basic, authorization, none
//!     auth_value: os.environ/GITHUB_TOKEN
//!     static_headers: {X-Org: acme}
//!     allowed_tools: [search]     # disallowed_tools, access_groups, allow_all_keys
//!     extra_headers: [X-Tenant]   # client request headers forwarded to the server
//!     mcp_info:
//!       mcp_server_cost_info: {default_cost_per_query: 0.01, tool_name_to_cost_per_query: {search: 0.02}}
//!   local:
//!     command: python3
//!     args: [server.py]
//!     env: {LOG_LEVEL: info}
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use serde_yaml::Value;
use tollgate_mcp::{CallCost, ServerSpec, Transport};

use super::reader::{Problems, Section, describe};

/// Keys LiteLLM documents for a server that Tollgate accepts without acting on them.
const NOT_IMPLEMENTED: &[&str] = &[
    "spec_version",
    "server_id",
    "alias",
    "authorization_url",
    "token_url",
    "registration_url",
    "client_id",
    "client_secret",
    "scopes",
    "available_on_public_internet",
];

/// Reads the section; every problem is recorded.
pub fn read(value: Option<Value>, problems: &mut Problems) -> Vec<ServerSpec> {
    let entries = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Mapping(map)) => map,
        Some(other) => {
            problems.error(format!(
                "mcp_servers: expected a mapping of server names, found {}",
                describe(&other)
            ));
            return Vec::new();
        }
    };
    let mut servers = Vec::new();
    for (name, body) in entries {
        let Some(name) = name.as_str().map(str::to_owned) else {
            problems.error("mcp_servers: server names must be strings");
            continue;
        };
        let path = format!("mcp_servers.{name}");
        if !valid_name(&name) {
            problems.error(format!(
                "{path}: the name must be letters, digits, `_`, `-` or `.` (it is part of URLs and tool names), and not `servers`"
            ));
            continue;
        }
        if let Some(spec) = read_server(&path, name, body, problems) {
            servers.push(spec);
        }
    }
    servers
}

/// Whether `name` can name a server: it is part of URLs (`/mcp/<name>`) and tool names, and
/// `servers` is reserved for the admin API (`/mcp/servers`).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name != "servers"
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// One server's body (LiteLLM's fields) at `path`; `None` when it has errors (recorded).
pub fn read_server(
    path: &str,
    name: String,
    body: Value,
    problems: &mut Problems,
) -> Option<ServerSpec> {
    let mut s = Section::new(path, Some(body), problems);
    let url: Option<String> = s.get("url", problems);
    let command: Option<String> = s.get("command", problems);
    let args: Vec<String> = s.get("args", problems).unwrap_or_default();
    let env: BTreeMap<String, String> = s.get("env", problems).unwrap_or_default();
    let transport_name: Option<String> = s.get("transport", problems);
    let headers = read_headers(path, &mut s, problems);
    let description: Option<String> = s.get("description", problems);
    let allowed_tools = s.get("allowed_tools", problems).unwrap_or_default();
    let disallowed_tools = s.get("disallowed_tools", problems).unwrap_or_default();
    let access_groups = s
        .get("access_groups", problems)
        .or_else(|| s.get("mcp_access_groups", problems))
        .unwrap_or_default();
    let extra_headers = s.get("extra_headers", problems).unwrap_or_default();
    let allow_all_keys = s.get("allow_all_keys", problems).unwrap_or(false);
    let timeout = s.get::<f64>("timeout", problems);
    let info = s.take_raw("mcp_info");
    s.finish(NOT_IMPLEMENTED, problems);
    let (cost, info_description) = read_info(&format!("{path}.mcp_info"), info, problems);

    let inferred = match (&command, &url) {
        (Some(_), _) => "stdio",
        (None, Some(u)) if u.trim_end_matches('/').ends_with("/sse") => "sse",
        _ => "http",
    };
    let transport = match transport_name.as_deref().unwrap_or(inferred) {
        "stdio" => match command {
            Some(command) if !command.trim().is_empty() => Transport::Stdio { command, args, env },
            _ => {
                problems.error(format!("{path}.command: required for the stdio transport"));
                return None;
            }
        },
        kind @ ("http" | "streamable_http" | "streamable-http" | "sse") => {
            let Some(url) = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            else {
                problems.error(format!(
                    "{path}.url: an http(s) URL is required for the {kind} transport"
                ));
                return None;
            };
            if kind == "sse" {
                Transport::Sse { url, headers }
            } else {
                Transport::Http { url, headers }
            }
        }
        other => {
            problems.error(format!(
                "{path}.transport: unknown transport `{other}` (http, sse, stdio)"
            ));
            return None;
        }
    };
    let mut spec = ServerSpec::new(name, transport);
    spec.description = description.or(info_description);
    spec.allowed_tools = allowed_tools;
    spec.disallowed_tools = disallowed_tools;
    spec.access_groups = access_groups;
    spec.allow_all_keys = allow_all_keys;
    spec.extra_headers = extra_headers;
    spec.cost = cost;
    match timeout {
        Some(t) if t.is_finite() && t > 0.0 => spec.timeout = Duration::from_secs_f64(t),
        Some(t) => problems.error(format!(
            "{path}.timeout: must be a positive number of seconds, got {t}"
        )),
        None => {}
    }
    Some(spec)
}

/// `static_headers`, plus the credential of `auth_type` + `auth_value` (or
/// `authentication_token`).
fn read_headers(path: &str, s: &mut Section, problems: &mut Problems) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = s
        .get::<BTreeMap<String, String>>("static_headers", problems)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let auth_type: Option<String> = s.get("auth_type", problems);
    let value: Option<String> = s
        .get("auth_value", problems)
        .or_else(|| s.get("authentication_token", problems));
    let header = match (auth_type.as_deref(), value) {
        (None | Some("none"), _) => None,
        (Some(kind), None) => {
            problems.error(format!(
                "{path}.auth_value: required with auth_type `{kind}`"
            ));
            None
        }
        (Some("bearer_token"), Some(v)) => {
            Some(("Authorization".to_owned(), format!("Bearer {v}")))
        }
        (Some("basic"), Some(v)) => Some(("Authorization".to_owned(), format!("Basic {v}"))),
        (Some("authorization"), Some(v)) => Some(("Authorization".to_owned(), v)),
        (Some("api_key"), Some(v)) => Some(("X-API-Key".to_owned(), v)),
        (Some(other), Some(_)) => {
            problems.error(format!(
                "{path}.auth_type: unknown or unsupported `{other}` (none, bearer_token, api_key, basic, authorization)"
            ));
            None
        }
    };
    headers.extend(header);
    headers
}

fn read_info(
    path: &str,
    value: Option<Value>,
    problems: &mut Problems,
) -> (CallCost, Option<String>) {
    let mut s = Section::new(path, value, problems);
    let description: Option<String> = s.get("description", problems);
    let _server_name: Option<String> = s.get("server_name", problems);
    let cost_value = s.take_raw("mcp_server_cost_info");
    s.finish(&["logo_url"], problems);
    let mut c = Section::new(format!("{path}.mcp_server_cost_info"), cost_value, problems);
    let cost = CallCost {
        default: c.get("default_cost_per_query", problems).unwrap_or(0.0),
        per_tool: c
            .get("tool_name_to_cost_per_query", problems)
            .unwrap_or_default(),
    };
    c.finish(&[], problems);
    let mut costs = std::iter::once(cost.default).chain(cost.per_tool.values().copied());
    if costs.any(|v| !(v.is_finite() && v >= 0.0)) {
        problems.error(format!(
            "{path}.mcp_server_cost_info: costs must be non-negative numbers"
        ));
    }
    (cost, description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> (Vec<ServerSpec>, Problems) {
        let mut problems = Problems::default();
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        (read(Some(value), &mut problems), problems)
    }

    // Both transports, headers from auth_type, tool lists and costs are read.
    #[test]
    fn reads_litellm_shape() {
        let (servers, problems) = load(
            "gh:\n  url: https://x/mcp\n  auth_type: bearer_token\n  auth_value: t0k\n  static_headers: {X-Org: a}\n  allowed_tools: [search]\n  access_groups: [dev]\n  mcp_info:\n    mcp_server_cost_info: {default_cost_per_query: 0.5, tool_name_to_cost_per_query: {search: 2}}\nlocal:\n  command: python3\n  args: [s.py]\n  env: {A: b}\n  timeout: 5\n",
        );
        assert!(problems.errors.is_empty(), "{:?}", problems.errors);
        let gh = &servers[0];
        assert_eq!(gh.name, "gh");
        assert_eq!(
            gh.transport,
            Transport::Http {
                url: "https://x/mcp".into(),
                headers: vec![
                    ("X-Org".into(), "a".into()),
                    ("Authorization".into(), "Bearer t0k".into())
                ]
            }
        );
        assert_eq!((gh.cost.of("search"), gh.cost.of("other")), (2.0, 0.5));
        assert_eq!(gh.allowed_tools, ["search"]);
        assert_eq!(gh.access_groups, ["dev"]);
        assert_eq!(servers[1].transport_name(), "stdio");
        assert_eq!(servers[1].timeout, Duration::from_secs(5));
    }

    // Missing commands or URLs, bad names, unknown transports and negative costs are errors.
    #[test]
    fn reports_every_problem() {
        let (servers, problems) = load(
            "a:\n  transport: stdio\nb:\n  transport: http\nc d:\n  url: http://x\ne:\n  url: http://x\n  transport: carrier-pigeon\nf:\n  url: http://x\n  mcp_info: {mcp_server_cost_info: {default_cost_per_query: -1}}\n",
        );
        assert_eq!(servers.len(), 1, "only f is built (and reported)");
        assert_eq!(problems.errors.len(), 5, "{:?}", problems.errors);
    }
}

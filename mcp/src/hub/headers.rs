//! The caller's own headers for each server, read from its request:
//!
//! - `x-mcp-<server>-<header>: value` (LiteLLM's per-server convention) sends `<header>` to
//!   `<server>`;
//! - a header the server lists in `extra_headers` (LiteLLM's client headers forwarded to an MCP
//!   server) is sent to it under its own name.
//!
//! Either makes the caller use an upstream session of its own, opened with those headers
//! (`upstream/personal.rs`). The headers that carry the caller's gateway key, and those of the
//! HTTP/MCP exchange itself, are never forwarded.

use super::{ClientHeaders, Hub, read};

/// Request headers never forwarded through `extra_headers`: the gateway credential and the
/// headers of the exchange with the hub.
const NEVER_FORWARDED: &[&str] = &[
    "authorization",
    "x-tollgate-api-key",
    "x-litellm-api-key",
    "x-api-key",
    "cookie",
    "host",
    "origin",
    "accept",
    "content-type",
    "content-length",
    "connection",
    "transfer-encoding",
    "mcp-session-id",
    "mcp-protocol-version",
    "last-event-id",
];

impl Hub {
    /// The caller's own headers per server (see the module documentation).
    pub fn client_headers<'a>(
        &self,
        headers: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> ClientHeaders {
        let headers: Vec<(&str, &str)> = headers.collect();
        let servers: Vec<(String, Vec<String>)> = read(&self.upstreams)
            .values()
            .map(|u| (u.name().to_owned(), u.spec().extra_headers.clone()))
            .collect();
        let mut out = ClientHeaders::new();
        for (name, value) in &headers {
            let Some(rest) = name.strip_prefix("x-mcp-") else {
                continue;
            };
            let server = servers
                .iter()
                .map(|(s, _)| s)
                .filter(|s| {
                    rest.len() > s.len() + 1
                        && rest.starts_with(s.as_str())
                        && rest[s.len()..].starts_with('-')
                })
                .max_by_key(|s| s.len());
            if let Some(server) = server {
                let header = rest[server.len() + 1..].to_owned();
                out.entry(server.clone())
                    .or_default()
                    .push((header, (*value).to_owned()));
            }
        }
        for (server, extra) in servers.iter().filter(|(_, e)| !e.is_empty()) {
            for wanted in extra {
                if NEVER_FORWARDED
                    .iter()
                    .any(|n| wanted.eq_ignore_ascii_case(n))
                {
                    continue;
                }
                let Some((_, value)) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(wanted))
                else {
                    continue;
                };
                let own = out.entry(server.clone()).or_default();
                if !own.iter().any(|(h, _)| h.eq_ignore_ascii_case(wanted)) {
                    own.push((wanted.clone(), (*value).to_owned()));
                }
            }
        }
        out
    }
}

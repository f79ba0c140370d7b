//! `tollgate.v1.McpService`: the same operations as `/mcp/servers`
//! ([`crate::admin::mcp_servers`]), translated. Requests become the REST body (LiteLLM's
//! fields) so both skins validate alike.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::mcp_service_server::McpService;
use tonic::{Request, Response, Status};

use super::convert::structs::{map_to_struct, struct_to_map};
use super::teams::run;
use crate::admin::mcp_servers::{self, McpServerHealth, McpServerView};
use crate::state::AppState;

#[derive(Clone)]
pub struct McpApi {
    state: AppState,
}

impl McpApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

type Reply<T> = std::result::Result<Response<T>, Status>;

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn string_map(v: Option<&Value>) -> HashMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("****").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

/// A server as the API returns it.
fn server(v: McpServerView) -> pb::McpServer {
    let s = &v.settings;
    pb::McpServer {
        server_id: v.server_id,
        server_name: v.server_name,
        alias: v.alias,
        source: v.source.to_owned(),
        description: text(s.get("description")),
        transport: text(s.get("transport")).unwrap_or_else(|| "http".into()),
        url: text(s.get("url")),
        command: text(s.get("command")),
        args: strings(s.get("args")),
        env: string_map(s.get("env")),
        static_headers: string_map(s.get("static_headers")),
        auth_type: text(s.get("auth_type")),
        has_auth_value: s
            .get("has_auth_value")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        extra_headers: strings(s.get("extra_headers")),
        allowed_tools: strings(s.get("allowed_tools")),
        disallowed_tools: strings(s.get("disallowed_tools")),
        mcp_access_groups: strings(s.get("access_groups")),
        allow_all_keys: s
            .get("allow_all_keys")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        timeout: s.get("timeout").and_then(Value::as_f64),
        mcp_info: s
            .get("mcp_info")
            .and_then(Value::as_object)
            .cloned()
            .map(map_to_struct),
        healthy: v.healthy,
        status: v.status.to_owned(),
        tool_count: v.tool_count,
        created_at: v.created_at,
        updated_at: v.updated_at,
        created_by: v.created_by,
        updated_by: v.updated_by,
    }
}

fn health(h: McpServerHealth) -> pb::McpServerHealth {
    pb::McpServerHealth {
        server_id: h.server_id,
        server_name: h.server_name,
        transport: h.transport,
        healthy: h.healthy,
        status: h.status.to_owned(),
        tool_count: h.tool_count,
    }
}

/// The fields both requests share, as the REST body carries them (unset ones left out).
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per shared proto field"
)]
fn body(
    body: &mut Map<String, Value>,
    strings: [(&str, Option<String>); 7],
    lists: [(&str, Vec<String>); 5],
    maps: [(&str, HashMap<String, String>); 2],
    auth_value: Option<String>,
    allow_all_keys: Option<bool>,
    timeout: Option<f64>,
    mcp_info: Option<prost_types::Struct>,
) {
    for (k, v) in strings {
        if let Some(v) = v {
            body.insert(k.into(), json!(v));
        }
    }
    for (k, v) in lists {
        if !v.is_empty() {
            body.insert(k.into(), json!(v));
        }
    }
    for (k, v) in maps {
        if !v.is_empty() {
            body.insert(k.into(), json!(v));
        }
    }
    if let Some(v) = auth_value {
        body.insert("credentials".into(), json!({"auth_value": v}));
    }
    if let Some(v) = allow_all_keys {
        body.insert("allow_all_keys".into(), json!(v));
    }
    if let Some(v) = timeout {
        body.insert("timeout".into(), json!(v));
    }
    if let Some(v) = mcp_info {
        body.insert("mcp_info".into(), Value::Object(struct_to_map(v)));
    }
}

#[tonic::async_trait]
impl McpService for McpApi {
    async fn list_mcp_servers(
        &self,
        request: Request<pb::ListMcpServersRequest>,
    ) -> Reply<pb::ListMcpServersResponse> {
        run(&self.state, request, |state, ctx, _| async move {
            let servers = mcp_servers::list(&state, &ctx).await?;
            Ok(pb::ListMcpServersResponse {
                servers: servers.into_iter().map(server).collect(),
            })
        })
        .await
    }

    async fn get_mcp_server(
        &self,
        request: Request<pb::GetMcpServerRequest>,
    ) -> Reply<pb::GetMcpServerResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let view = mcp_servers::get(&state, &ctx, &r.server_id).await?;
            Ok(pb::GetMcpServerResponse {
                server: Some(server(view)),
            })
        })
        .await
    }

    async fn add_mcp_server(
        &self,
        request: Request<pb::AddMcpServerRequest>,
    ) -> Reply<pb::AddMcpServerResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let mut b = Map::new();
            body(
                &mut b,
                [
                    ("server_id", r.server_id),
                    ("server_name", r.server_name),
                    ("alias", r.alias),
                    ("description", r.description),
                    ("transport", r.transport),
                    ("url", r.url),
                    ("command", r.command),
                ],
                [
                    ("args", r.args),
                    ("extra_headers", r.extra_headers),
                    ("allowed_tools", r.allowed_tools),
                    ("disallowed_tools", r.disallowed_tools),
                    ("mcp_access_groups", r.mcp_access_groups),
                ],
                [("env", r.env), ("static_headers", r.static_headers)],
                r.credentials.and_then(|c| c.auth_value),
                r.allow_all_keys,
                r.timeout,
                r.mcp_info,
            );
            if let Some(t) = r.auth_type {
                b.insert("auth_type".into(), json!(t));
            }
            let view = mcp_servers::add(&state, &ctx, Value::Object(b)).await?;
            Ok(pb::AddMcpServerResponse {
                server: Some(server(view)),
            })
        })
        .await
    }

    async fn update_mcp_server(
        &self,
        request: Request<pb::UpdateMcpServerRequest>,
    ) -> Reply<pb::UpdateMcpServerResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let mut b = Map::new();
            body(
                &mut b,
                [
                    ("server_name", r.server_name),
                    ("alias", r.alias),
                    ("description", r.description),
                    ("transport", r.transport),
                    ("url", r.url),
                    ("command", r.command),
                    ("auth_type", r.auth_type),
                ],
                [
                    ("args", r.args),
                    ("extra_headers", r.extra_headers),
                    ("allowed_tools", r.allowed_tools),
                    ("disallowed_tools", r.disallowed_tools),
                    ("mcp_access_groups", r.mcp_access_groups),
                ],
                [("env", r.env), ("static_headers", r.static_headers)],
                r.credentials.and_then(|c| c.auth_value),
                r.allow_all_keys,
                r.timeout,
                r.mcp_info,
            );
            for field in r.clear_fields {
                b.insert(field, Value::Null);
            }
            let id = r.server_id;
            let view = mcp_servers::update(&state, &ctx, Some(&id), Value::Object(b)).await?;
            Ok(pb::UpdateMcpServerResponse {
                server: Some(server(view)),
            })
        })
        .await
    }

    async fn remove_mcp_server(
        &self,
        request: Request<pb::RemoveMcpServerRequest>,
    ) -> Reply<pb::RemoveMcpServerResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let done = mcp_servers::remove(&state, &ctx, &r.server_id).await?;
            Ok(pb::RemoveMcpServerResponse {
                server_id: text(done.get("server_id")).unwrap_or_default(),
                server_name: text(done.get("server_name")).unwrap_or_default(),
                deleted: true,
            })
        })
        .await
    }

    async fn get_mcp_server_health(
        &self,
        request: Request<pb::GetMcpServerHealthRequest>,
    ) -> Reply<pb::GetMcpServerHealthResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let checked = mcp_servers::health(&state, &ctx, &r.server_id).await?;
            Ok(pb::GetMcpServerHealthResponse {
                health: Some(health(checked)),
            })
        })
        .await
    }
}

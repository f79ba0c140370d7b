//! MCP servers at runtime: `/mcp/servers` (and LiteLLM's `/v1/mcp/server`) and gRPC
//! `McpService`. Add, update, remove, list, health. Servers are stored in the database
//! (`store::mcp_servers`), credentials sealed, and run by the hub of every instance
//! ([`super::mcp_servers_sync`]). Config-file servers are listed but read-only.
//!
//! Changes are for proxy admins (a stdio server runs a command on the gateway's host) and
//! audited, without credentials. Proxy admins and admin viewers see every server; any other
//! caller sees only the servers it may use through `/mcp` (the others are not found).

use serde_json::{Value, json};
use tollgate_mcp::ServerSpec;

use super::mcp_servers_spec::{self as spec, Definition};
use super::mcp_servers_sync;
pub use super::mcp_servers_view::{McpServerHealth, McpServerView, view_of_row};
use super::mcp_servers_view::{live, status, view_of_config};
use super::{AdminContext, audit};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::mcp_servers::McpServerRow;

fn require_admin(ctx: &AdminContext) -> Result<()> {
    if ctx.principal.is_proxy_admin() {
        Ok(())
    } else {
        Err(Error::PermissionDenied(
            "only proxy admins may manage MCP servers".into(),
        ))
    }
}

fn config_server<'a>(state: &'a AppState, id: &str) -> Option<&'a ServerSpec> {
    state.config.mcp_servers.iter().find(|s| s.name == id)
}

/// Every server: the config's, then the stored ones. Proxy admins and admin viewers see all;
/// any other caller sees the servers its key, team and organization may use (as LiteLLM lists
/// them), so a client can discover what `/mcp` offers it.
pub async fn list(state: &AppState, ctx: &AdminContext) -> Result<Vec<McpServerView>> {
    let mut out: Vec<McpServerView> = state
        .config
        .mcp_servers
        .iter()
        .map(|s| view_of_config(state, s))
        .collect();
    for row in state.store.mcp_servers().await? {
        out.push(view_of_row(state, &row));
    }
    if !ctx.principal.reads_everything() {
        out.retain(|v| visible_to(state, ctx, &v.server_name));
    }
    Ok(out)
}

/// Whether the caller may use server `name` (a server it may not use is, to it, unknown).
fn visible_to(state: &AppState, ctx: &AdminContext, name: &str) -> bool {
    let access = crate::mcp_bridge::access_of(&ctx.principal);
    state
        .mcp
        .upstream(name)
        .is_some_and(|u| access.server_visible(u.spec()))
}

/// One server by id or name.
pub async fn get(state: &AppState, ctx: &AdminContext, id: &str) -> Result<McpServerView> {
    let view = match config_server(state, id) {
        Some(s) => view_of_config(state, s),
        None => view_of_row(state, &stored(state, id).await?),
    };
    if ctx.principal.reads_everything() || visible_to(state, ctx, &view.server_name) {
        Ok(view)
    } else {
        Err(not_found(id))
    }
}

/// One server's health on this instance.
pub async fn health(state: &AppState, ctx: &AdminContext, id: &str) -> Result<McpServerHealth> {
    let view = get(state, ctx, id).await?;
    let (healthy, tools, transport) = live(state, &view.server_name);
    let configured = view
        .settings
        .get("transport")
        .and_then(Value::as_str)
        .unwrap_or("http");
    Ok(McpServerHealth {
        server_id: view.server_id,
        server_name: view.server_name,
        transport: transport.unwrap_or(configured).to_owned(),
        healthy,
        status: status(healthy),
        tool_count: tools,
    })
}

async fn stored(state: &AppState, id: &str) -> Result<McpServerRow> {
    state
        .store
        .mcp_server(id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("no MCP server `{id}`"))
}

fn read_only(id: &str) -> Error {
    Error::invalid_param(
        format!("MCP server `{id}` comes from the config file and is read-only; change it there"),
        "server_id",
    )
}

/// Validates, seals and stores a server, then makes every instance run it.
async fn save(
    state: &AppState,
    ctx: &AdminContext,
    server_id: String,
    name: String,
    public: Definition,
    secrets: spec::Secrets,
    created: Option<&McpServerRow>,
) -> Result<McpServerRow> {
    spec::check_name(&name)?;
    if config_server(state, &name).is_some() {
        return Err(Error::invalid_param(
            format!("an MCP server named `{name}` is in the config file"),
            "server_name",
        ));
    }
    if let Some(other) = state.store.mcp_server(&name).await?
        && other.server_id != server_id
    {
        return Err(Error::invalid_param(
            format!(
                "an MCP server named `{name}` exists (`{}`)",
                other.server_id
            ),
            "server_name",
        ));
    }
    spec::build(&name, &public, &secrets, &|n| state.config.env_var(n))?;
    let sealed = match spec::non_empty(secrets) {
        Some(s) => Some(spec::seal(&s, state.router.secrets.as_ref())?),
        None => None,
    };
    let now = state.clock.now_ms();
    let actor = ctx.principal.actor();
    let row = McpServerRow {
        server_id,
        server_name: name,
        definition: Value::Object(public).to_string(),
        secrets: sealed,
        created_by: created.map_or(actor.clone(), |c| c.created_by.clone()),
        updated_by: actor,
        created_at: created.map_or(now, |c| c.created_at),
        updated_at: now,
        deleted: 0,
    };
    state.store.put_mcp_server(&row).await?;
    mcp_servers_sync::changed(state).await;
    Ok(row)
}

/// Adds a server (`server_id` defaults to its name, so grants may name either).
pub async fn add(state: &AppState, ctx: &AdminContext, body: Value) -> Result<McpServerView> {
    require_admin(ctx)?;
    let name = spec::name_of(&body)
        .or_else(|| {
            body.get("server_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .ok_or_else(|| Error::invalid_param("server_name (or alias): required", "server_name"))?;
    spec::check_name(&name)?;
    let server_id = body
        .get("server_id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map_or_else(|| name.clone(), str::to_owned);
    let taken = state
        .store
        .mcp_server(&server_id)
        .await?
        .is_some_and(|r| r.server_id == server_id);
    if taken || config_server(state, &server_id).is_some() {
        return Err(Error::invalid_param(
            format!("MCP server `{server_id}` exists; update it instead"),
            "server_id",
        ));
    }
    let (public, secrets) = spec::split(&body)?;
    let row = save(state, ctx, server_id, name, public, secrets, None).await?;
    let shown = view_of_row(state, &row);
    audit::record(
        state,
        ctx,
        "mcp_server.new",
        "mcp_server",
        &row.server_id,
        audit_diff(&shown),
    )
    .await?;
    Ok(shown)
}

/// Changes a stored server: given fields replace stored ones, `null` clears one; credentials
/// not given are kept.
pub async fn update(
    state: &AppState,
    ctx: &AdminContext,
    id: Option<&str>,
    body: Value,
) -> Result<McpServerView> {
    require_admin(ctx)?;
    let id = id
        .map(str::to_owned)
        .or_else(|| {
            body.get("server_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .ok_or_else(|| Error::invalid_param("server_id: required", "server_id"))?;
    if config_server(state, &id).is_some() {
        return Err(read_only(&id));
    }
    let current = stored(state, &id).await?;
    let (public, secrets) = spec::split(&body)?;
    let base: Definition = serde_json::from_str(&current.definition).unwrap_or_default();
    let open = spec::open(current.secrets.as_deref(), state.router.secrets.as_ref())?;
    let name = spec::name_of(&body).unwrap_or_else(|| current.server_name.clone());
    let row = save(
        state,
        ctx,
        current.server_id.clone(),
        name,
        spec::merge(base, public),
        spec::merge(open, secrets),
        Some(&current),
    )
    .await?;
    let shown = view_of_row(state, &row);
    audit::record(
        state,
        ctx,
        "mcp_server.update",
        "mcp_server",
        &row.server_id,
        audit_diff(&shown),
    )
    .await?;
    Ok(shown)
}

/// Removes a stored server; every instance stops it.
pub async fn remove(state: &AppState, ctx: &AdminContext, id: &str) -> Result<Value> {
    require_admin(ctx)?;
    if config_server(state, id).is_some() {
        return Err(read_only(id));
    }
    let current = stored(state, id).await?;
    state
        .store
        .delete_mcp_server(&current.server_id, state.clock.now_ms())
        .await?;
    mcp_servers_sync::changed(state).await;
    audit::record(
        state,
        ctx,
        "mcp_server.delete",
        "mcp_server",
        &current.server_id,
        json!({"server_name": current.server_name}),
    )
    .await?;
    Ok(json!({"server_id": current.server_id, "server_name": current.server_name, "deleted": true}))
}

fn audit_diff(view: &McpServerView) -> Value {
    let mut v = serde_json::to_value(view).unwrap_or_default();
    if let Some(m) = v.as_object_mut() {
        for live in ["healthy", "status", "tool_count"] {
            m.remove(live);
        }
    }
    v
}

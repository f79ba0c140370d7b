//! Every instance runs the stored MCP servers: the hub is reconciled with the table at startup,
//! right after this instance's own change, when another instance announces one
//! ([`crate::fleet::Invalidation::McpServers`]), and when its poll (every
//! `model_refresh_interval`, 10 s by default, like runtime models) sees the table's fingerprint
//! change, so an instance that missed a message still converges.

use std::sync::Mutex;
use std::time::Duration;

use tollgate_mcp::ServerSpec;

use super::mcp_servers_spec as spec;
use crate::error::Result;
use crate::state::AppState;

/// The fingerprint of the stored servers the hub was last reconciled with.
#[derive(Debug, Default)]
pub struct Loaded(Mutex<Option<(i64, i64)>>);

impl Loaded {
    fn get(&self) -> Option<(i64, i64)> {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set(&self, version: (i64, i64)) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(version);
    }
}

/// The servers the stored rows describe (a row that cannot be built is logged and skipped;
/// a name the config file uses is left to the config's server).
pub async fn stored_specs(state: &AppState) -> Result<Vec<ServerSpec>> {
    let mut specs = Vec::new();
    for row in state.store.mcp_servers().await? {
        let built = serde_json::from_str(&row.definition)
            .map_err(|e| crate::error::Error::Internal(format!("stored definition: {e}")))
            .and_then(|public| {
                let secrets = spec::open(row.secrets.as_deref(), state.router.secrets.as_ref())?;
                spec::build(&row.server_name, &public, &secrets, &|n| {
                    state.config.env_var(n)
                })
            });
        match built {
            Ok(s) => specs.push(s),
            Err(err) => {
                tracing::error!(server_id = %row.server_id, error = %err, "stored MCP server skipped")
            }
        }
    }
    Ok(specs)
}

/// Reconciles the hub with the table.
pub async fn reload(state: &AppState) -> Result<()> {
    let version = state.store.mcp_servers_version().await?;
    let specs = stored_specs(state).await?;
    let done = state.mcp.reconcile(specs);
    for name in &done.refused {
        tracing::warn!(server = %name, "stored MCP server ignored: the config file has one of that name");
    }
    if !done.is_empty() {
        tracing::info!(added = ?done.added, replaced = ?done.replaced, removed = ?done.removed, "MCP servers changed");
    }
    state.mcp_servers_loaded.set(version);
    Ok(())
}

/// Reloads when the table changed since the last reconciliation.
pub async fn refresh(state: &AppState) -> Result<()> {
    let version = state.store.mcp_servers_version().await?;
    if state.mcp_servers_loaded.get() != Some(version) {
        reload(state).await?;
    }
    Ok(())
}

/// After this instance's change: reconcile here, then tell the other instances.
pub async fn changed(state: &AppState) {
    if let Err(err) = reload(state).await {
        tracing::warn!(error = %err, "reloading MCP servers failed; the periodic refresh will retry");
    }
    state.publish(&crate::fleet::Invalidation::McpServers).await;
}

/// Polls for changes every `interval` until shutdown (a tracked task).
pub fn start(state: &AppState, interval: Duration) {
    let polled = state.clone();
    crate::periodic::refresh_every(
        &state.tasks,
        &state.shutdown,
        interval,
        "MCP servers",
        move || {
            let state = polled.clone();
            async move { refresh(&state).await }
        },
    );
}

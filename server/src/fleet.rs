//! Keeping a fleet of instances coherent: what one instance's admin change makes every instance
//! forget, and the deployment cooldowns one instance enters. [`AppState::invalidate`] is the one way admin code drops cached governance data: it
//! applies the change here and, with Redis, publishes it to every other instance
//! ([`crate::redis::invalidation`]), returning once Redis has delivered it.

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::directory::budget_cache::BudgetChange;
use crate::redis::invalidation::Received;
use crate::state::AppState;

/// Cached data an admin change makes stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "drop", rename_all = "snake_case")]
pub enum Invalidation {
    /// One key (by hash): updated, blocked, deleted or regenerated.
    Key { token: String },
    /// Every resolved key: a team, user or organization changed, which many keys inherit.
    AllKeys,
    /// One end user (customer).
    EndUser { user_id: String },
    /// A named budget or a tag (reloaded from the database).
    NamedBudget { change: BudgetChange },
    /// Runtime models were added, changed or removed (`/model/new|update|delete`).
    Models,
    /// Runtime MCP servers were added, changed or removed (`/mcp/servers`).
    McpServers,
    /// A deployment entered a cooldown: every instance stops picking it until then.
    Cooldown {
        deployment_id: String,
        cooling: crate::router::cooldown::Cooling,
    },
    /// A client ended its MCP session (HTTP DELETE): no instance may adopt its id again.
    McpSessionEnded { id: String },
}

impl AppState {
    /// Drops `what` from this instance's caches, then from every other instance's.
    pub async fn invalidate(&self, what: Invalidation) {
        self.apply_invalidation(&what).await;
        self.publish(&what).await;
    }

    /// Tells the other instances only (this one has already applied the change).
    pub async fn publish(&self, what: &Invalidation) {
        if let Some(bus) = &self.invalidations {
            bus.publish(what).await;
        }
    }

    /// Tells the other instances in the background (for the request path, which must not
    /// wait for Redis).
    pub fn announce(&self, what: Invalidation) {
        if self.invalidations.is_some() {
            let state = self.clone();
            self.tasks.spawn(async move { state.publish(&what).await });
        }
    }

    /// Drops `what` from this instance's caches only.
    async fn apply_invalidation(&self, what: &Invalidation) {
        match what {
            Invalidation::Key { token } => self.principals.invalidate_token(token),
            Invalidation::AllKeys => self.principals.invalidate_all(),
            Invalidation::EndUser { user_id } => self.end_users.invalidate(user_id),
            Invalidation::Cooldown {
                deployment_id,
                cooling,
            } => self.router.cooldowns.enter(deployment_id, cooling.clone()),
            Invalidation::McpSessionEnded { id } => {
                tollgate_mcp::front::end_session(&self.mcp, id).await;
            }
            Invalidation::Models => {
                if let Err(err) = crate::router::runtime::refresh(self).await {
                    tracing::warn!(error = %err, "reloading runtime models failed; the periodic refresh will retry");
                }
            }
            Invalidation::McpServers => {
                if let Err(err) = crate::admin::mcp_servers_sync::refresh(self).await {
                    tracing::warn!(error = %err, "reloading MCP servers failed; the periodic refresh will retry");
                }
            }
            Invalidation::NamedBudget { change } => {
                if let Err(err) = self.named_budgets.reload_one(&self.store, change).await {
                    tracing::warn!(error = %err, ?change, "reloading a named budget failed; the periodic refresh will retry");
                }
            }
        }
    }

    /// Drops everything cached (after messages may have been missed).
    async fn drop_all_caches(&self) {
        self.principals.invalidate_all();
        self.end_users.invalidate_all();
        if let Err(err) = crate::admin::mcp_servers_sync::refresh(self).await {
            tracing::warn!(error = %err, "reloading MCP servers failed; the periodic refresh will retry");
        }
        if let Err(err) = self.named_budgets.refresh(&self.store).await {
            tracing::warn!(error = %err, "reloading named budgets failed; the periodic refresh will retry");
        }
    }
}

/// Applies the other instances' invalidations until shutdown.
pub fn listen(state: &AppState, mut received: mpsc::UnboundedReceiver<Received<Invalidation>>) {
    let weak = std::sync::Arc::downgrade(&state.0);
    let shutdown = state.shutdown.clone();
    state.tasks.spawn(async move {
        loop {
            let message = tokio::select! {
                () = shutdown.cancelled() => return,
                m = received.recv() => m,
            };
            let (Some(message), Some(inner)) = (message, weak.upgrade()) else {
                return;
            };
            let state = AppState(inner);
            match message {
                Received::One(what) => state.apply_invalidation(&what).await,
                Received::Resubscribed => state.drop_all_caches().await,
            }
        }
    });
}

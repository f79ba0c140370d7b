//! The gateway's side of the MCP hub (`tollgate-mcp`): callers are authenticated with their
//! virtual key, see the MCP servers their key / team / organization may reach, and every tool
//! call is rate limited (`tool_rpm_limit`), priced against budgets (`cost_per_call`) and written
//! to the spend logs (`/mcp/tools/call`). The hub itself knows nothing of keys or budgets.

mod access;
mod ticket;

pub use access::of as access_of;
pub use ticket::tool_rpm_limit;

use std::sync::Arc;

use tollgate_mcp::{Access, CallTicket, Gateway, Refusal, ToolCall};

use crate::auth::Principal;
use crate::error::Error;
use crate::router::secrets::SecretBox;
use crate::state::AppState;

/// The `/mcp` router (to nest at `/mcp`).
pub fn service(state: &AppState) -> axum::Router {
    tollgate_mcp::router(
        state.mcp.clone(),
        Arc::new(McpGateway {
            state: state.clone(),
            session_box: session_box(state),
        }),
    )
}

/// Session ids are sealed with a key derived from the master key, which every instance of a
/// fleet shares; an open gateway (no master key) keeps sessions on the instance.
fn session_box(state: &AppState) -> Option<SecretBox> {
    let master = state.config.general.master_key.as_ref()?;
    Some(SecretBox::new(&format!(
        "tollgate-mcp-session-v1:{}",
        master.expose()
    )))
}

/// [`Gateway`] over the application state.
#[derive(Debug, Clone)]
pub struct McpGateway {
    state: AppState,
    session_box: Option<SecretBox>,
}

impl Gateway for McpGateway {
    type Caller = Principal;

    async fn authenticate(&self, credential: Option<&str>) -> Result<Principal, Refusal> {
        self.state
            .authenticate(credential)
            .await
            .map_err(|e| match e {
                Error::Authentication(m) | Error::PermissionDenied(m) => {
                    Refusal::Unauthenticated(m)
                }
                other => Refusal::Internal(other.to_string()),
            })
    }

    fn caller_id(&self, caller: &Principal) -> String {
        caller.token().map_or_else(|| caller.actor(), str::to_owned)
    }

    fn access(&self, caller: &Principal) -> Access {
        access::of(caller)
    }

    async fn begin_call(
        &self,
        caller: &Principal,
        call: &ToolCall<'_>,
    ) -> Result<Box<dyn CallTicket>, Refusal> {
        ticket::admit(&self.state, caller, call)
            .await
            .map(|t| Box::new(t) as Box<dyn CallTicket>)
            .map_err(|e| Refusal::Refused(e.to_string()))
    }

    fn seal_session(&self, claims: &str) -> Option<String> {
        self.session_box.as_ref()?.seal(claims).ok()
    }

    fn open_session(&self, id: &str) -> Option<String> {
        self.session_box.as_ref()?.open(id).ok()
    }

    async fn session_ended(&self, id: &str) {
        let ended = crate::fleet::Invalidation::McpSessionEnded { id: id.to_owned() };
        self.state.publish(&ended).await;
    }
}

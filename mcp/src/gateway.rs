//! What the hub needs from the gateway around it, so this crate does not depend on it: who is
//! calling (and what they may reach), and the governance of each tool call (rate limits,
//! budget, spend log). The server implements [`Gateway`]; tests can implement it too.

use std::future::Future;

use crate::access::Access;

/// Why the gateway refused a caller or a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// No or bad credentials: HTTP 401.
    Unauthenticated(String),
    /// Rate limit, budget or another policy: the call gets a JSON-RPC error with this message.
    Refused(String),
    /// The gateway itself failed.
    Internal(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::Unauthenticated(m) | Refusal::Refused(m) | Refusal::Internal(m) => m,
        }
    }
}

/// One tool call about to be made.
#[derive(Debug, Clone)]
pub struct ToolCall<'a> {
    pub server: &'a str,
    /// The upstream's own tool name.
    pub tool: &'a str,
    /// The name the client used (`<server>-<tool>` on `/mcp`).
    pub public_name: &'a str,
    /// USD, from the server's cost settings.
    pub cost: f64,
}

/// How a tool call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The tool reported an error (`isError`), or the upstream answered a JSON-RPC error.
    ToolError(String),
    /// The upstream was unavailable, timed out or dropped the call.
    UpstreamFailure(String),
}

/// A call admitted by the gateway; finished exactly once with its outcome.
pub trait CallTicket: Send {
    fn finish(self: Box<Self>, outcome: Outcome);
}

/// The gateway's side of the hub.
pub trait Gateway: Send + Sync + 'static {
    type Caller: Clone + Send + Sync + 'static;

    /// Resolves the caller from the credential sent (`Authorization: Bearer` or
    /// `x-tollgate-api-key`).
    fn authenticate(
        &self,
        credential: Option<&str>,
    ) -> impl Future<Output = Result<Self::Caller, Refusal>> + Send;

    /// A stable id of the caller's credential: a session only serves the key that opened it.
    fn caller_id(&self, caller: &Self::Caller) -> String;

    /// What the caller may see and call.
    fn access(&self, caller: &Self::Caller) -> Access;

    /// Admits a tool call (rate limits, budget reservation); the ticket records it when done.
    fn begin_call(
        &self,
        caller: &Self::Caller,
        call: &ToolCall<'_>,
    ) -> impl Future<Output = Result<Box<dyn CallTicket>, Refusal>> + Send;

    /// Seals a session's claims into a session id that every instance of the fleet can open
    /// (authenticated encryption with a key they share), so that a client load-balanced to
    /// another instance keeps its session. `None`: sessions stay on the instance that opened
    /// them.
    fn seal_session(&self, _claims: &str) -> Option<String> {
        None
    }

    /// The claims sealed in `id` by [`Gateway::seal_session`] on any instance, if it is genuine.
    fn open_session(&self, _id: &str) -> Option<String> {
        None
    }

    /// The client ended session `id` on this instance (HTTP DELETE), which has revoked it. A
    /// fleet tells its other instances, which call [`crate::front::end_session`], so that none
    /// of them adopts the id again; returns once they have been told.
    fn session_ended(&self, _id: &str) -> impl Future<Output = ()> + Send {
        async {}
    }
}

//! The MCP hub of Tollgate: one MCP endpoint (`/mcp`) in front of every registered MCP server.
//!
//! - [`spec`]: what an upstream server is (from the gateway's `mcp_servers` config).
//! - [`upstream`]: one long-lived session per upstream (stdio child, streamable HTTP), restarted
//!   with backoff, relaying JSON-RPC messages with the hub's own ids.
//! - [`hub`]: the registry, namespacing (`<server>-<tool>`) and what each caller may see.
//! - [`access`]: keys' / teams' / organizations' MCP permissions.
//! - [`front`]: the streamable-HTTP endpoint clients talk to, and their sessions.
//! - [`gateway`]: what the hub needs from the gateway (auth, governance of each call).
//!
//! Messages stay untyped JSON-RPC from end to end so that every MCP method passes through; see
//! `README.md` next to this crate for the reasoning and the session model.

pub mod access;
pub mod front;
pub mod gateway;
pub mod hub;
pub mod jsonrpc;
pub mod spec;
pub mod sse;
pub mod upstream;

pub use access::{Access, Grant};
pub use front::router;
pub use gateway::{CallTicket, Gateway, Outcome, Refusal, ToolCall};
pub use hub::{Hub, HubOptions, ServerHealth, View};
pub use spec::{CallCost, ServerSpec, Transport};

//! Tollgate: an LLM gateway serving gRPC, gRPC-Web and OpenAI/Anthropic-compatible HTTP on one
//! port, configured with a LiteLLM `config.yaml`.
//!
//! The request path (ARCHITECTURE §7) lives in [`pipeline`]; the HTTP and gRPC skins in [`api`]
//! only translate. [`run`] serves an already-bound listener until the shutdown token fires.

pub mod admin;
pub mod api;
pub mod auth;
pub mod budgets;
pub mod cli;
pub mod config;
pub mod directory;
pub mod error;
pub mod fleet;
#[cfg(test)]
pub mod golden;
pub mod governance;
pub mod keys;
pub mod mcp_bridge;
pub mod periodic;
pub mod pipeline;
pub mod pricing;
pub mod providers;
pub mod ratelimit;
pub mod redis;
pub mod router;
pub mod server;
pub mod spend;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod tokens;
pub mod translate;
pub mod types;

pub use error::{Error, Result};
pub use server::run;
pub use state::AppState;

/// The gateway version, sent in `x-tollgate-version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! End-to-end tests: the real gateway on port 0 against a mock provider, spoken to over the
//! network with real HTTP and gRPC clients. One test binary, one module per area.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failed step fails the test"
)]

mod anthropic;
mod budgets;
mod chat;
mod daily_limits;
mod directory;
mod errors;
mod fleet;
mod governance;
mod grpc;
mod grpc_models;
mod keys;
mod lifecycle;
mod limits_parity;
mod mcp;
mod mcp_front;
mod mcp_servers;
mod mcp_servers_fleet;
mod mcp_servers_grpc;
mod named_budgets;
mod ops;
mod rate_limits;
mod router;
mod router_anthropic;
mod router_fallbacks;
mod router_health;
mod router_models;
mod spend;
mod storage;
mod tag_budgets;
mod teams;

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
mod directory;
mod errors;
mod governance;
mod grpc;
mod keys;
mod lifecycle;
mod ops;
mod spend;
mod storage;
mod teams;

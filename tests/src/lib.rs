//! Test support for the end-to-end suite: a scripted mock provider (OpenAI and Anthropic wire
//! formats), the real gateway started in-process on `127.0.0.1:0`, and the storage backend
//! matrix. Mocks of providers live here and in benchmarks only, never in the product.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support: failing loudly on a broken fixture is the point"
)]

pub mod binary;
pub mod db;
pub mod gateway;
pub mod mock_provider;
pub mod redis_server;

pub use gateway::Gateway;
pub use mock_provider::MockProvider;

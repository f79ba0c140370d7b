//! End-to-end tests: the real gateway on port 0 against a mock provider, spoken to over the
//! network with real HTTP and gRPC clients. One test binary, one module per area.

mod anthropic;
mod chat;
mod errors;
mod lifecycle;
mod ops;
mod storage;

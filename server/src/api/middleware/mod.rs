//! HTTP middleware: per-call context (id, version headers, metrics) and authentication.

pub mod auth;
pub mod call;

//! The skins: HTTP (OpenAI, Anthropic, ops) and gRPC. They authenticate, translate, and call
//! [`crate::pipeline`]; no business logic lives here.

pub mod grpc;
pub mod http;
pub mod middleware;

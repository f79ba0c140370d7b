//! Administration: the domain operations behind LiteLLM's admin routes (`/key/*`, `/team/*`,
//! `/user/*`, `/organization/*`, `/customer/*`, `/budget/*`, `/tag/*`) and their gRPC twins.
//! Each operation is written once here; the HTTP and gRPC skins only translate. Every operation
//! checks [`permissions`] first and records an [`audit`] entry for every change.

pub mod audit;
pub mod bootstrap;
pub mod budgets;
pub mod customers;
pub mod keys;
pub mod mcp_servers;
pub mod mcp_servers_spec;
pub mod mcp_servers_sync;
pub mod mcp_servers_view;
pub mod models;
pub mod models_runtime;
pub mod organizations;
pub mod permissions;
pub mod spend;
pub mod tags;
pub mod teams;
pub mod users;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::auth::{Principal, credential_from_headers};
use crate::error::{Error, Result};
use crate::state::AppState;

/// Who is acting and from where, for permission checks and the audit log.
#[derive(Debug, Clone)]
pub struct AdminContext {
    pub principal: Principal,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

impl AdminContext {
    /// The gateway acting on its own (config bootstrap).
    pub fn system() -> Self {
        Self {
            principal: Principal::system(),
            client_ip: None,
            user_agent: Some(format!("tollgate/{}", crate::VERSION)),
        }
    }

    /// Authenticates a gRPC request from its `authorization` (or `x-api-key`) metadata.
    pub async fn from_grpc<T>(state: &AppState, request: &tonic::Request<T>) -> Result<Self> {
        let metadata = request.metadata();
        let credential = ["authorization", "x-api-key", "x-litellm-api-key"]
            .iter()
            .find_map(|name| metadata.get(*name).and_then(|v| v.to_str().ok()))
            .map(|v| {
                v.trim()
                    .strip_prefix("Bearer ")
                    .unwrap_or(v.trim())
                    .trim()
                    .to_owned()
            });
        let principal = state.authenticate(credential.as_deref()).await?;
        Ok(Self {
            principal,
            client_ip: request.remote_addr().map(|a| a.ip().to_string()),
            user_agent: metadata
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

impl FromRequestParts<AppState> for AdminContext {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        // Behind the auth middleware the principal is already resolved; otherwise resolve it.
        let principal = match parts.extensions.get::<Principal>() {
            Some(p) => p.clone(),
            None => {
                let credential = credential_from_headers(&parts.headers).map(str::to_owned);
                state.authenticate(credential.as_deref()).await?
            }
        };
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned());
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(Self {
            principal,
            client_ip: forwarded.or(peer),
            user_agent: parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

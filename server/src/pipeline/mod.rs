//! The request path (ARCHITECTURE §7), called alike by the HTTP and gRPC skins.
//!
//! Today: validate → resolve the model to a deployment → apply deployment defaults → call the
//! provider (or a request-level `mock_response`) → cost and metrics. The skins authenticate first
//! and translate the result; they never call providers themselves. Rate limits, budgets, retries,
//! fallbacks and spend records plug in here as their issues land.

pub mod anthropic;
mod cost;
mod end_users;
mod prepare;
mod stream;

use std::sync::Arc;
use std::time::Instant;

use crate::auth::Principal;
use crate::error::{Error, Result};
use crate::providers::ChunkStream;
use crate::router::Deployment;
use crate::state::AppState;
use crate::telemetry::metrics;
use crate::types::openai::{
    ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, EmbeddingsRequest,
    EmbeddingsResponse, ModelCard, ModelList,
};

pub use prepare::Route;

/// What the gateway reports about a call (headers, gRPC `CallInfo`).
#[derive(Debug, Clone, PartialEq)]
pub struct CallMeta {
    pub call_id: String,
    /// The public model name requested.
    pub model_group: String,
    /// The deployment that served it (`x-tollgate-model-id`).
    pub deployment_id: String,
    pub api_base: Option<String>,
    /// USD, from the deployment's prices (0 when none are known).
    pub response_cost: f64,
    pub cache_hit: bool,
}

/// A finished call.
#[derive(Debug)]
pub struct Completed<T> {
    pub body: T,
    pub meta: CallMeta,
}

/// A call whose answer streams. `meta.response_cost` is final only when the stream ends.
pub struct Streaming {
    pub stream: ChunkStream,
    pub meta: CallMeta,
}

impl std::fmt::Debug for Streaming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streaming")
            .field("meta", &self.meta)
            .finish()
    }
}

/// A fresh call id (UUID v7: sortable by time).
pub fn new_call_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A chat completion.
pub async fn chat(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: ChatRequest,
) -> Result<Completed<ChatResponse>> {
    let route = prepare::chat(state, principal, req)?;
    end_users::admit(state, route.request.user.as_deref()).await?;
    chat_on(route, call_id).await
}

/// A chat completion on an already chosen deployment.
async fn chat_on(route: Route, call_id: String) -> Result<Completed<ChatResponse>> {
    let started = Instant::now();
    let result = route.deployment.provider.chat(route.request).await;
    observe(&route.deployment, result.is_ok(), started);
    let body = result?;
    let cost = cost::of_usage(&route.deployment, body.usage.as_ref());
    Ok(Completed {
        body,
        meta: meta(call_id, &route.deployment, cost),
    })
}

/// A streamed chat completion. The returned stream yields OpenAI chunks; the usage chunk is
/// included only if the client asked for it (`stream_options.include_usage`).
pub async fn chat_stream(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: ChatRequest,
) -> Result<Streaming> {
    let route = prepare::chat(state, principal, req)?;
    end_users::admit(state, route.request.user.as_deref()).await?;
    chat_stream_on(route, call_id).await
}

/// A streamed chat completion on an already chosen deployment.
async fn chat_stream_on(route: Route, call_id: String) -> Result<Streaming> {
    let wants_usage = route.request.wants_stream_usage();
    let started = Instant::now();
    let result = route.deployment.provider.chat_stream(route.request).await;
    if result.is_err() {
        observe(&route.deployment, false, started);
    }
    let upstream = result?;
    let stream = stream::finish(upstream, route.deployment.clone(), wants_usage, started);
    Ok(Streaming {
        stream,
        meta: meta(call_id, &route.deployment, 0.0),
    })
}

/// Embeddings.
pub async fn embeddings(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: EmbeddingsRequest,
) -> Result<Completed<EmbeddingsResponse>> {
    let (deployment, req) = prepare::embeddings(state, principal, req)?;
    end_users::admit(state, req.user.as_deref()).await?;
    let started = Instant::now();
    let result = deployment.provider.embeddings(req).await;
    observe(&deployment, result.is_ok(), started);
    let body = result?;
    let cost = cost::of_usage(&deployment, body.usage.as_ref());
    Ok(Completed {
        body,
        meta: meta(call_id, &deployment, cost),
    })
}

/// A legacy text completion (non-streaming).
pub async fn completions(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: CompletionRequest,
) -> Result<Completed<CompletionResponse>> {
    let (deployment, req) = prepare::completions(state, principal, req)?;
    end_users::admit(state, req.user.as_deref()).await?;
    let started = Instant::now();
    let result = deployment.provider.completions(req).await;
    observe(&deployment, result.is_ok(), started);
    let body = result?;
    let cost = cost::of_usage(&deployment, body.usage.as_ref());
    Ok(Completed {
        body,
        meta: meta(call_id, &deployment, cost),
    })
}

/// The models the caller may call.
pub fn list_models(state: &AppState, principal: &Principal) -> ModelList {
    ModelList {
        object: "list".into(),
        data: crate::auth::models::visible_models(principal, &state.router)
            .iter()
            .map(|name| model_card(name))
            .collect(),
    }
}

/// One model the caller may call, or `NotFound`.
pub fn get_model(state: &AppState, principal: &Principal, id: &str) -> Result<ModelCard> {
    list_models(state, principal)
        .data
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| Error::NotFound(format!("The model `{id}` does not exist")))
}

fn model_card(id: &str) -> ModelCard {
    ModelCard {
        id: id.to_owned(),
        object: "model".into(),
        // LiteLLM reports a fixed creation time for configured models; so do we.
        created: 1_677_610_602,
        owned_by: "openai".into(),
    }
}

fn meta(call_id: String, deployment: &Arc<Deployment>, cost: f64) -> CallMeta {
    CallMeta {
        call_id,
        model_group: deployment.model_name.clone(),
        deployment_id: deployment.id.clone(),
        api_base: deployment.api_base().map(str::to_owned),
        response_cost: cost,
        cache_hit: false,
    }
}

fn observe(deployment: &Deployment, ok: bool, started: Instant) {
    metrics::record_upstream(
        &deployment.model_name,
        deployment.provider.name(),
        ok,
        started.elapsed(),
    );
}

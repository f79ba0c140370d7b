//! The request path (ARCHITECTURE §7), called alike by the HTTP and gRPC skins.
//!
//! Today: validate → model access (aliases, allow-lists) → resolve the model to a deployment →
//! admit the end user → reserve the budget (the most the call can cost, at every level) → call
//! the provider (or a request-level `mock_response`) → settle the reservation with the real cost
//! and queue the spend record ([`call::CallEnd`]). The skins authenticate first and translate the
//! result; they never call providers themselves. Rate limits, retries and fallbacks plug in here
//! as their issues land.

pub mod anthropic;
mod budget;
mod call;
mod cost;
mod end_users;
mod prepare;
mod stream;

use std::sync::Arc;

use crate::auth::Principal;
use crate::error::{Error, Result};
use crate::providers::ChunkStream;
use crate::router::Deployment;
use crate::state::AppState;
use crate::types::openai::{
    ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, EmbeddingsRequest,
    EmbeddingsResponse, ModelCard, ModelList,
};

pub use prepare::Route;

use call::{CallEnd, CallStart};

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
    let mut route = prepare::chat(state, principal, req)?;
    let end = begin_chat(state, principal, &call_id, &mut route).await?;
    chat_on(route, call_id, end).await
}

/// Admits the end user and reserves the budget for a chat call on its chosen deployment.
async fn begin_chat(
    state: &AppState,
    principal: &Principal,
    call_id: &str,
    route: &mut Route,
) -> Result<CallEnd> {
    let end_user = end_users::admit(state, route.request.user.as_deref()).await?;
    let limits = budget::limits_for(
        state,
        principal,
        end_user.as_ref(),
        &route.deployment.model_name,
    );
    let reservation = if limits.is_empty() {
        None
    } else {
        let prompt_tokens = crate::tokens::count_chat(&route.request);
        let (reservation, imposed_cap) = budget::reserve(
            state,
            &limits,
            &route.deployment.price,
            prompt_tokens,
            route.request.output_cap(),
            route.deployment.max_output_tokens(),
        )?;
        if imposed_cap.is_some() {
            route.request.max_tokens = imposed_cap;
        }
        reservation
    };
    let start = CallStart {
        principal,
        call_id,
        route: call::CHAT,
        end_user: end_user.as_ref().map(|e| e.user_id.as_str()),
        tags: &route.tags,
    };
    Ok(CallEnd::new(
        state,
        start,
        route.deployment.clone(),
        reservation,
        limits,
    ))
}

/// A chat completion on an already chosen deployment.
async fn chat_on(route: Route, call_id: String, end: CallEnd) -> Result<Completed<ChatResponse>> {
    let request_json = || serde_json::to_value(&route.request).unwrap_or_default();
    let end = end.with_bodies(request_json, || serde_json::Value::Null);
    let result = route.deployment.provider.chat(route.request).await;
    let body = match result {
        Ok(body) => body,
        Err(err) => {
            end.fail(&err);
            return Err(err);
        }
    };
    let cost = end.succeed(body.usage.as_ref());
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
    let mut route = prepare::chat(state, principal, req)?;
    let end = begin_chat(state, principal, &call_id, &mut route).await?;
    chat_stream_on(route, call_id, end).await
}

/// A streamed chat completion on an already chosen deployment.
async fn chat_stream_on(route: Route, call_id: String, end: CallEnd) -> Result<Streaming> {
    let wants_usage = route.request.wants_stream_usage();
    let prompt_tokens = crate::tokens::count_chat(&route.request);
    let result = route.deployment.provider.chat_stream(route.request).await;
    let upstream = match result {
        Ok(upstream) => upstream,
        Err(err) => {
            end.fail(&err);
            return Err(err);
        }
    };
    let stream = stream::finish(upstream, end, wants_usage, prompt_tokens);
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
    let (deployment, req, tags) = prepare::embeddings(state, principal, req)?;
    let end_user = end_users::admit(state, req.user.as_deref()).await?;
    let limits = budget::limits_for(state, principal, end_user.as_ref(), &deployment.model_name);
    let prompt_tokens: u64 = if limits.is_empty() {
        0
    } else {
        req.input_texts()
            .iter()
            .map(|t| crate::tokens::count(t))
            .sum()
    };
    let (reservation, _) = budget::reserve(
        state,
        &limits,
        &deployment.price,
        prompt_tokens,
        Some(0),
        None,
    )?;
    let start = CallStart {
        principal,
        call_id: &call_id,
        route: call::EMBEDDINGS,
        end_user: end_user.as_ref().map(|e| e.user_id.as_str()),
        tags: &tags,
    };
    let end = CallEnd::new(state, start, deployment.clone(), reservation, limits);
    let body = match deployment.provider.embeddings(req).await {
        Ok(body) => body,
        Err(err) => {
            end.fail(&err);
            return Err(err);
        }
    };
    let cost = end.succeed(body.usage.as_ref());
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
    let (deployment, mut req, tags) = prepare::completions(state, principal, req)?;
    let end_user = end_users::admit(state, req.user.as_deref()).await?;
    let limits = budget::limits_for(state, principal, end_user.as_ref(), &deployment.model_name);
    let prompt_tokens = if limits.is_empty() {
        0
    } else {
        crate::tokens::count(&req.prompt.to_string())
    };
    // OpenAI's legacy completions default to 16 output tokens.
    let cap = Some(req.max_tokens.unwrap_or(LEGACY_DEFAULT_MAX_TOKENS));
    let (reservation, _) =
        budget::reserve(state, &limits, &deployment.price, prompt_tokens, cap, None)?;
    if reservation.is_some() && req.max_tokens.is_none() {
        req.max_tokens = cap;
    }
    let start = CallStart {
        principal,
        call_id: &call_id,
        route: call::COMPLETIONS,
        end_user: end_user.as_ref().map(|e| e.user_id.as_str()),
        tags: &tags,
    };
    let end = CallEnd::new(state, start, deployment.clone(), reservation, limits);
    let body = match deployment.provider.completions(req).await {
        Ok(body) => body,
        Err(err) => {
            end.fail(&err);
            return Err(err);
        }
    };
    let cost = end.succeed(body.usage.as_ref());
    Ok(Completed {
        body,
        meta: meta(call_id, &deployment, cost),
    })
}

/// OpenAI's default `max_tokens` for legacy completions.
const LEGACY_DEFAULT_MAX_TOKENS: u32 = 16;

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

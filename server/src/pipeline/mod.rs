//! The request path (ARCHITECTURE §7), called alike by the HTTP and gRPC skins.
//!
//! Today: validate → model access (aliases, allow-lists) → resolve the model to a deployment →
//! admit the end user → reserve the budget (the most the call can cost, at every level) → call
//! the provider (or a request-level `mock_response`) → settle the reservation with the real cost
//! and queue the spend record ([`call::CallEnd`]). The skins authenticate first and translate the
//! result; they never call providers themselves. Rate limits, retries and fallbacks plug in here
//! as their issues land.

mod admission;
pub mod anthropic;
mod anthropic_attempts;
mod attempts;
pub(crate) mod budget;
mod call;
mod cost;
mod end_users;
mod plan;
mod prepare;
mod rate_limits;
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

use admission::Admission;
use call::CallEnd;

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
    /// The tightest rate limits after this call was admitted (`x-ratelimit-*`).
    pub rate_limits: crate::ratelimit::RateStatus,
}

impl CallMeta {
    pub fn with_rate_limits(mut self, rate_limits: crate::ratelimit::RateStatus) -> Self {
        self.rate_limits = rate_limits;
        self
    }
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
    chat_on(state, principal, route, call_id, end).await
}

/// Admits the end user and reserves the budget for a chat call on its chosen deployment.
async fn begin_chat(
    state: &AppState,
    principal: &Principal,
    call_id: &str,
    route: &mut Route,
) -> Result<CallEnd> {
    let admission = Admission {
        call_id,
        route: call::CHAT,
        deployment: &route.deployment,
        tags: &route.tags,
        end_user: route.request.user.as_deref(),
        output_cap: route.request.output_cap(),
        model_cap: route.deployment.max_output_tokens(),
    };
    let (end, imposed_cap) = admission::admit(state, principal, admission, || {
        crate::tokens::count_chat(&route.request)
    })
    .await?;
    if imposed_cap.is_some() {
        route.request.max_tokens = imposed_cap;
    }
    Ok(end)
}

/// A chat completion starting on the chosen deployment, with retries and fallbacks.
async fn chat_on(
    state: &AppState,
    principal: &Principal,
    route: Route,
    call_id: String,
    end: CallEnd,
) -> Result<Completed<ChatResponse>> {
    let request_json = || serde_json::to_value(&route.request).unwrap_or_default();
    let end = end.with_bodies(request_json, || serde_json::Value::Null);
    let first = route.deployment.clone();
    let result = attempts::run(state, principal, &route.plan, first, |d| {
        let req = route.request_for(&d);
        async move { d.provider.chat(req).await }
    })
    .await;
    served(call_id, end, result, |body| body.usage.as_ref())
}

/// Ends a unary call with the outcome of its attempts: the serving attempt and the call are
/// settled with the answer's usage, or the call fails with the last error.
fn served<T>(
    call_id: String,
    end: CallEnd,
    result: Result<attempts::Served<T>>,
    usage: impl Fn(&T) -> Option<&crate::types::openai::Usage>,
) -> Result<Completed<T>> {
    let (
        attempts::Served {
            value: body,
            attempt,
        },
        end,
    ) = end.after_attempts(result)?;
    let deployment = attempt.deployment().clone();
    attempt.succeed(usage(&body).map_or(0, |u| u.total_tokens));
    let rate = end.rate_status();
    let cost = end.succeed(usage(&body));
    Ok(Completed {
        body,
        meta: meta(call_id, &deployment, cost).with_rate_limits(rate),
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
    chat_stream_on(state, principal, route, call_id, end).await
}

/// A streamed chat completion starting on the chosen deployment. Retries and fallbacks happen
/// only before the first chunk; after it a failure ends the stream with an error event.
async fn chat_stream_on(
    state: &AppState,
    principal: &Principal,
    route: Route,
    call_id: String,
    end: CallEnd,
) -> Result<Streaming> {
    let wants_usage = route.request.wants_stream_usage();
    let prompt_tokens = crate::tokens::count_chat(&route.request);
    let first = route.deployment.clone();
    let config = &state.config;
    let result = attempts::run(state, principal, &route.plan, first, |d| {
        let req = route.request_for(&d);
        attempts::open_stream(d, req, config)
    })
    .await;
    let (served, end) = end.after_attempts(result)?;
    let deployment = served.deployment();
    let upstream = attempts::track(served.value, served.attempt, state.clone());
    let rate = end.rate_status();
    let stream = stream::finish(upstream, end, wants_usage, prompt_tokens);
    Ok(Streaming {
        stream,
        meta: meta(call_id, &deployment, 0.0).with_rate_limits(rate),
    })
}

/// Embeddings.
pub async fn embeddings(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: EmbeddingsRequest,
) -> Result<Completed<EmbeddingsResponse>> {
    let (deployment, req, tags, plan) = prepare::embeddings(state, principal, req)?;
    let admission = Admission {
        call_id: &call_id,
        route: call::EMBEDDINGS,
        deployment: &deployment,
        tags: &tags,
        end_user: req.user.as_deref(),
        output_cap: Some(0),
        model_cap: None,
    };
    let (end, _) = admission::admit(state, principal, admission, || {
        req.input_texts()
            .iter()
            .map(|t| crate::tokens::count(t))
            .sum()
    })
    .await?;
    let result = attempts::run(state, principal, &plan, deployment, |d| {
        let mut req = req.clone();
        req.model.clone_from(&d.model_name);
        async move { d.provider.embeddings(req).await }
    })
    .await;
    served(call_id, end, result, |body| body.usage.as_ref())
}

/// A legacy text completion (non-streaming).
pub async fn completions(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: CompletionRequest,
) -> Result<Completed<CompletionResponse>> {
    let (deployment, mut req, tags, plan) = prepare::completions(state, principal, req)?;
    // OpenAI's legacy completions default to 16 output tokens.
    let cap = Some(req.max_tokens.unwrap_or(LEGACY_DEFAULT_MAX_TOKENS));
    let admission = Admission {
        call_id: &call_id,
        route: call::COMPLETIONS,
        deployment: &deployment,
        tags: &tags,
        end_user: req.user.as_deref(),
        output_cap: cap,
        model_cap: None,
    };
    let (end, _) = admission::admit(state, principal, admission, || {
        crate::tokens::count(&req.prompt.to_string())
    })
    .await?;
    if end.has_reservation() && req.max_tokens.is_none() {
        req.max_tokens = cap;
    }
    let result = attempts::run(state, principal, &plan, deployment, |d| {
        let mut req = req.clone();
        req.model.clone_from(&d.model_name);
        async move { d.provider.completions(req).await }
    })
    .await;
    served(call_id, end, result, |body| body.usage.as_ref())
}

/// OpenAI's default `max_tokens` for legacy completions.
const LEGACY_DEFAULT_MAX_TOKENS: u32 = 16;

/// The models the caller may call.
pub fn list_models(state: &AppState, principal: &Principal) -> ModelList {
    ModelList {
        object: "list".into(),
        data: crate::auth::models::visible_models(principal, &state.router.snapshot())
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
        rate_limits: crate::ratelimit::RateStatus::default(),
    }
}

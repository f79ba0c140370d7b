//! Validation and routing before a provider call: checks the request, picks the deployment,
//! applies its default parameters and strips gateway-only parameters.

use std::sync::Arc;

use serde_json::Value;

use super::plan::{self, Plan};
use crate::auth::Principal;
use crate::auth::models::{check_model, resolve_alias};
use crate::error::{Error, Result};
use crate::providers::mock::MockProvider;
use crate::router::Deployment;
use crate::router::strategy::CallShape;
use crate::spend::request_tags;
use crate::state::AppState;
use crate::types::openai::{ChatRequest, CompletionRequest, EmbeddingsRequest, Extra};

/// Request parameters that steer the gateway (LiteLLM's names) and must not reach a provider.
const GATEWAY_PARAMS: &[&str] = &[
    "metadata",
    "litellm_metadata",
    "tags",
    "fallbacks",
    "context_window_fallbacks",
    "num_retries",
    "caching",
    "cache",
    "mock_testing_fallbacks",
    "mock_testing_rate_limit_error",
    "mock_testing_context_window_fallback",
    "mock_testing_context_window_fallbacks",
    "mock_testing_context_fallbacks",
    "mock_testing_content_policy_fallbacks",
    "disable_fallbacks",
    "litellm_session_id",
    "guardrails",
    "api_key",
    "api_base",
    "base_url",
];

/// A chat request bound to the deployment that will serve it.
#[derive(Debug)]
pub struct Route {
    pub deployment: Arc<Deployment>,
    pub request: ChatRequest,
    /// Request tags (`metadata.tags`, `tags`), read before gateway parameters are stripped.
    pub tags: Vec<String>,
    /// Retries, fallbacks and the rest of what the router is asked (`pipeline/plan.rs`).
    pub plan: Plan,
    /// Request keys filled from `deployment`'s defaults (replaced when another one serves).
    pub defaulted: Vec<String>,
}

impl Route {
    /// The request as `other` (a retry or fallback deployment) should receive it: with its
    /// defaults instead of the first deployment's, and its public name.
    pub fn request_for(&self, other: &Deployment) -> ChatRequest {
        if Arc::ptr_eq(&self.deployment.entry, &other.entry) {
            return self.request.clone();
        }
        let mut value = serde_json::to_value(&self.request).unwrap_or_default();
        if let Value::Object(map) = &mut value {
            for key in &self.defaulted {
                map.remove(key);
            }
        }
        let mut req: ChatRequest =
            serde_json::from_value(value).unwrap_or_else(|_| self.request.clone());
        req.model.clone_from(&other.model_name);
        apply_defaults(req.clone(), other).map_or(req, |(req, _)| req)
    }
}

pub fn chat(state: &AppState, principal: &Principal, mut req: ChatRequest) -> Result<Route> {
    req.model = allowed_model(state, principal, &req.model)?;
    let mock = take_mock(&mut req.extra)?;
    let mut plan = chat_plan(state, principal, &req)?;
    let deployment = pick(state, principal, &mut plan, mock)?;
    bind(deployment, req, plan)
}

/// The router plan of a chat request (the prompt is counted only when a check needs it).
pub fn chat_plan(state: &AppState, principal: &Principal, req: &ChatRequest) -> Result<Plan> {
    let counts = state.router.policy.enable_pre_call_checks.unwrap_or(false)
        || state.router.strategy == crate::config::RoutingStrategy::UsageBased;
    let prompt_tokens = if counts {
        crate::tokens::count_chat(req)
    } else {
        0
    };
    let shape = CallShape {
        stream: req.is_stream(),
        tokens: prompt_tokens + u64::from(req.output_cap().unwrap_or(0)),
        lowest_latency_buffer: 0.0,
    };
    let mut plan = plan::read(
        state,
        principal,
        &req.model,
        &req.extra,
        req.user.as_deref(),
    )?;
    plan.selection.shape = shape;
    plan.selection.prompt_tokens = prompt_tokens;
    Ok(plan)
}

/// The plan of a request that only needs a deployment chosen (no retries asked for).
pub fn simple_plan(
    state: &AppState,
    principal: &Principal,
    model: &str,
    extra: &Extra,
) -> Result<Plan> {
    plan::read(state, principal, model, extra, None)
}

/// The real model name a request may use: alias-resolved, existing, and allowed for the
/// principal (400 for an unknown model, 403 for a forbidden one).
pub fn allowed_model(state: &AppState, principal: &Principal, requested: &str) -> Result<String> {
    require_model(requested)?;
    let model = resolve_alias(principal, requested);
    if !state.router.knows(&model) {
        return Err(crate::router::unknown_model(requested));
    }
    check_model(principal, &model, &state.router.snapshot())?;
    Ok(model)
}

/// Binds a chat request to a deployment chosen already (the Anthropic route picks first to know
/// whether it can pass the request through natively).
pub fn bind(deployment: Arc<Deployment>, mut req: ChatRequest, plan: Plan) -> Result<Route> {
    if req.messages.is_empty() {
        return Err(Error::invalid_param(
            "messages: at least one message is required",
            "messages",
        ));
    }
    let tags = request_tags(&req.extra);
    strip_gateway_params(&mut req.extra);
    let (request, defaulted) = apply_defaults(req, &deployment)?;
    Ok(Route {
        deployment,
        request,
        tags,
        plan,
        defaulted,
    })
}

pub fn embeddings(
    state: &AppState,
    principal: &Principal,
    mut req: EmbeddingsRequest,
) -> Result<(Arc<Deployment>, EmbeddingsRequest, Vec<String>, Plan)> {
    req.model = allowed_model(state, principal, &req.model)?;
    let empty = match &req.input {
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
        _ => false,
    };
    if empty {
        return Err(Error::invalid_param("input: must not be empty", "input"));
    }
    if !matches!(req.input, Value::String(_) | Value::Array(_)) {
        return Err(Error::invalid_param(
            "input: expected a string, a list of strings, or token ids",
            "input",
        ));
    }
    let (deployment, tags, plan) = routed(
        state,
        principal,
        &req.model,
        &mut req.extra,
        req.user.as_deref(),
    )?;
    Ok((deployment, req, tags, plan))
}

pub fn completions(
    state: &AppState,
    principal: &Principal,
    mut req: CompletionRequest,
) -> Result<(Arc<Deployment>, CompletionRequest, Vec<String>, Plan)> {
    req.model = allowed_model(state, principal, &req.model)?;
    if req.stream == Some(true) {
        return Err(Error::invalid_param(
            "stream: streaming is not supported on /v1/completions; use /v1/chat/completions",
            "stream",
        ));
    }
    let (deployment, tags, plan) = routed(
        state,
        principal,
        &req.model,
        &mut req.extra,
        req.user.as_deref(),
    )?;
    Ok((deployment, req, tags, plan))
}

/// The deployment, plan and spend tags of a request that needs nothing but its model, `user`
/// and gateway parameters (embeddings, text completions); the gateway parameters are taken out
/// of `extra` so they never reach the provider.
fn routed(
    state: &AppState,
    principal: &Principal,
    model: &str,
    extra: &mut Extra,
    user: Option<&str>,
) -> Result<(Arc<Deployment>, Vec<String>, Plan)> {
    let mock = take_mock(extra)?;
    let mut plan = plan::read(state, principal, model, extra, user)?;
    let deployment = pick(state, principal, &mut plan, mock)?;
    let tags = request_tags(extra);
    strip_gateway_params(extra);
    Ok((deployment, tags, plan))
}

pub fn require_model(model: &str) -> Result<()> {
    if model.trim().is_empty() {
        return Err(Error::invalid_param("model: required", "model"));
    }
    Ok(())
}

/// A request-level `mock_response` (LiteLLM): answer without a provider.
pub fn take_mock(extra: &mut Extra) -> Result<Option<String>> {
    match extra.remove("mock_response") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid_param(
            "mock_response: expected a string",
            "mock_response",
        )),
    }
}

/// The deployment of the first attempt (see `attempts::first`); a request-level mock answers
/// in its place.
pub fn pick(
    state: &AppState,
    principal: &Principal,
    plan: &mut Plan,
    mock: Option<String>,
) -> Result<Arc<Deployment>> {
    let deployment = super::attempts::first(state, principal, plan)?;
    let Some(text) = mock else {
        return Ok(deployment);
    };
    let provider = Arc::new(MockProvider::new(text));
    Ok(Arc::new(deployment.with_provider(provider, "mock")))
}

pub fn strip_gateway_params(extra: &mut Extra) {
    for key in GATEWAY_PARAMS {
        extra.remove(*key);
    }
}

/// Deployment defaults (`temperature: 0.2` in `litellm_params`) fill what the request leaves out;
/// returns the request and the keys filled.
fn apply_defaults(req: ChatRequest, deployment: &Deployment) -> Result<(ChatRequest, Vec<String>)> {
    let defaults = &deployment.entry.params.default_params;
    if defaults.is_empty() {
        return Ok((req, Vec::new()));
    }
    let mut filled = Vec::new();
    let mut value = serde_json::to_value(req).map_err(Error::internal)?;
    if let Value::Object(map) = &mut value {
        for (k, v) in defaults {
            if !map.contains_key(k) || map.get(k).is_some_and(Value::is_null) {
                map.insert(k.clone(), v.clone());
                filled.push(k.clone());
            }
        }
    }
    let req = serde_json::from_value(value)
        .map_err(|e| Error::Internal(format!("deployment defaults do not fit a request: {e}")))?;
    Ok((req, filled))
}

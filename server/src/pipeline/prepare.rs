//! Validation and routing before a provider call: checks the request, picks the deployment,
//! applies its default parameters and strips gateway-only parameters.

use std::sync::Arc;

use serde_json::Value;

use crate::auth::Principal;
use crate::auth::models::{check_model, resolve_alias};
use crate::error::{Error, Result};
use crate::providers::mock::MockProvider;
use crate::router::Deployment;
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
}

pub fn chat(state: &AppState, principal: &Principal, mut req: ChatRequest) -> Result<Route> {
    req.model = allowed_model(state, principal, &req.model)?;
    let mock = take_mock(&mut req.extra)?;
    let deployment = pick(state, &req.model, mock)?;
    bind(deployment, req)
}

/// The real model name a request may use: alias-resolved, existing, and allowed for the
/// principal (400 for an unknown model, 403 for a forbidden one).
pub fn allowed_model(state: &AppState, principal: &Principal, requested: &str) -> Result<String> {
    require_model(requested)?;
    let model = resolve_alias(principal, requested);
    if !state.router.knows(&model) {
        return Err(crate::router::unknown_model(requested));
    }
    check_model(principal, &model, &state.router)?;
    Ok(model)
}

/// Binds a chat request to a deployment chosen already (the Anthropic route picks first to know
/// whether it can pass the request through natively).
pub fn bind(deployment: Arc<Deployment>, mut req: ChatRequest) -> Result<Route> {
    if req.messages.is_empty() {
        return Err(Error::invalid_param(
            "messages: at least one message is required",
            "messages",
        ));
    }
    let tags = request_tags(&req.extra);
    strip_gateway_params(&mut req.extra);
    let request = apply_defaults(req, &deployment)?;
    Ok(Route {
        deployment,
        request,
        tags,
    })
}

pub fn embeddings(
    state: &AppState,
    principal: &Principal,
    mut req: EmbeddingsRequest,
) -> Result<(Arc<Deployment>, EmbeddingsRequest, Vec<String>)> {
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
    let mock = take_mock(&mut req.extra)?;
    let deployment = pick(state, &req.model, mock)?;
    let tags = request_tags(&req.extra);
    strip_gateway_params(&mut req.extra);
    Ok((deployment, req, tags))
}

pub fn completions(
    state: &AppState,
    principal: &Principal,
    mut req: CompletionRequest,
) -> Result<(Arc<Deployment>, CompletionRequest, Vec<String>)> {
    req.model = allowed_model(state, principal, &req.model)?;
    if req.stream == Some(true) {
        return Err(Error::invalid_param(
            "stream: streaming is not supported on /v1/completions; use /v1/chat/completions",
            "stream",
        ));
    }
    let mock = take_mock(&mut req.extra)?;
    let deployment = pick(state, &req.model, mock)?;
    let tags = request_tags(&req.extra);
    strip_gateway_params(&mut req.extra);
    Ok((deployment, req, tags))
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

pub fn pick(state: &AppState, model: &str, mock: Option<String>) -> Result<Arc<Deployment>> {
    let deployment = state.router.pick(model, &state.config, &state.http)?;
    let Some(text) = mock else {
        return Ok(deployment);
    };
    Ok(Arc::new(Deployment {
        id: deployment.id.clone(),
        model_name: deployment.model_name.clone(),
        provider: Arc::new(MockProvider::new(text)),
        provider_name: "mock".into(),
        upstream_model: deployment.upstream_model.clone(),
        entry: deployment.entry.clone(),
        price: deployment.price,
        price_source: deployment.price_source,
    }))
}

fn strip_gateway_params(extra: &mut Extra) {
    for key in GATEWAY_PARAMS {
        extra.remove(*key);
    }
}

/// Deployment defaults (`temperature: 0.2` in `litellm_params`) fill what the request leaves out.
fn apply_defaults(req: ChatRequest, deployment: &Deployment) -> Result<ChatRequest> {
    let defaults = &deployment.entry.params.default_params;
    if defaults.is_empty() {
        return Ok(req);
    }
    let mut value = serde_json::to_value(req).map_err(Error::internal)?;
    if let Value::Object(map) = &mut value {
        for (k, v) in defaults {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    serde_json::from_value(value)
        .map_err(|e| Error::Internal(format!("deployment defaults do not fit a request: {e}")))
}

//! What a request asks of the router besides its model: its own `fallbacks`,
//! `context_window_fallbacks`, `disable_fallbacks` and `num_retries`, its tags and session (for
//! tag routing and affinity), and LiteLLM's test hooks (`mock_testing_*`, admin keys only).
//! Read from the request body before gateway parameters are stripped.

use serde_json::Value;

use crate::auth::Principal;
use crate::error::{Error, Result};
use crate::router::Selection;
use crate::router::fallbacks::RequestFallbacks;
use crate::router::strategy::CallShape;
use crate::state::AppState;
use crate::types::openai::Extra;

/// Failures the `mock_testing_*` parameters fake on the requested model group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MockHooks {
    /// `mock_testing_fallbacks`: the requested group fails (500), so fallbacks run.
    pub fallbacks: bool,
    /// `mock_testing_rate_limit_error`: the first attempt fails with a 429.
    pub rate_limit: bool,
    /// `mock_testing_context_window_fallback(s)`: the group fails with a context-window error.
    pub context_window: bool,
    /// `mock_testing_content_policy_fallbacks`: the group fails with a content-policy error.
    pub content_policy: bool,
}

impl MockHooks {
    pub fn any(&self) -> bool {
        self.fallbacks || self.rate_limit || self.context_window || self.content_policy
    }
}

/// The router's instructions for one request.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The requested model group (alias-resolved).
    pub group: String,
    pub fallbacks: RequestFallbacks,
    pub num_retries: Option<u32>,
    pub mock: MockHooks,
    pub selection: Selection,
    /// Where the first deployment was found: 0 is the requested group, k the k-th group of
    /// `chain` (when the requested group could not take the call at all).
    pub start: usize,
    /// The fallback chain, once a failure has fixed it.
    pub chain: Option<Vec<String>>,
}

/// Reads the plan of a request for `group` from its body parameters; the caller fills in
/// `selection.shape` and `selection.prompt_tokens` when a check needs them.
pub fn read(
    state: &AppState,
    principal: &Principal,
    group: &str,
    extra: &Extra,
    user: Option<&str>,
) -> Result<Plan> {
    let mock = MockHooks {
        fallbacks: truthy(extra.get("mock_testing_fallbacks")),
        rate_limit: truthy(extra.get("mock_testing_rate_limit_error")),
        context_window: [
            "mock_testing_context_window_fallback",
            "mock_testing_context_window_fallbacks",
            "mock_testing_context_fallbacks",
        ]
        .iter()
        .any(|k| truthy(extra.get(*k))),
        content_policy: truthy(extra.get("mock_testing_content_policy_fallbacks")),
    };
    if mock.any() && !principal.is_proxy_admin() {
        return Err(Error::PermissionDenied(
            "mock_testing_* parameters are for admin keys only".into(),
        ));
    }
    let fallbacks = RequestFallbacks {
        fallbacks: model_list(state, principal, extra.get("fallbacks"), "fallbacks")?,
        context_window: model_list(
            state,
            principal,
            extra.get("context_window_fallbacks"),
            "context_window_fallbacks",
        )?,
        disabled: truthy(extra.get("disable_fallbacks")),
    };
    let num_retries = match extra.get("num_retries") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    Error::invalid_param(
                        "num_retries: expected a non-negative integer",
                        "num_retries",
                    )
                })?,
        ),
    };
    let session = extra
        .get("metadata")
        .and_then(|m| m.get("session_id").or_else(|| m.get("litellm_session_id")))
        .or_else(|| extra.get("litellm_session_id"))
        .and_then(Value::as_str)
        .or(user)
        .map(str::to_owned);
    Ok(Plan {
        group: group.to_owned(),
        fallbacks,
        num_retries,
        mock,
        selection: Selection {
            tried: Vec::new(),
            tags: crate::spend::request_tags(extra),
            session,
            prompt_tokens: 0,
            shape: CallShape::default(),
        },
        start: 0,
        chain: None,
    })
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A per-request model list (`["a", "b"]` or LiteLLM's `[{"model": "a"}]`), every model
/// checked against the key's access: a key may not reach a model through a fallback it could
/// not call directly.
fn model_list(
    state: &AppState,
    principal: &Principal,
    value: Option<&Value>,
    param: &str,
) -> Result<Option<Vec<String>>> {
    let items = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(Error::invalid_param(
                format!("{param}: expected a list of model names"),
                param,
            ));
        }
    };
    let mut models = Vec::with_capacity(items.len());
    for item in items {
        let name = item
            .as_str()
            .or_else(|| item.get("model").and_then(Value::as_str))
            .ok_or_else(|| {
                Error::invalid_param(format!("{param}: expected a list of model names"), param)
            })?;
        models.push(super::prepare::allowed_model(state, principal, name)?);
    }
    Ok(Some(models))
}

//! `/model/info`: the deployments the caller may use, with their parameters (never their
//! credentials), prices and where the price came from, and their live state (`state`: healthy,
//! cooling until, in flight, recent latency, failures this minute). Deployments with no known
//! price are flagged (`price_source: "unknown"`): their calls cost 0.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::AdminContext;
use crate::auth::models::check_model;
use crate::governance::clock::to_rfc3339;
use crate::pricing::PriceSource;
use crate::router::{Deployment, LiveRouter};
use crate::state::AppState;

/// LiteLLM's `/model/info` response.
#[derive(Debug, Serialize)]
pub struct ModelInfoList {
    pub data: Vec<ModelInfoEntry>,
}

#[derive(Debug, Serialize)]
pub struct ModelInfoEntry {
    pub model_name: String,
    pub litellm_params: Map<String, Value>,
    pub model_info: Map<String, Value>,
    /// Tollgate's own: the deployment's live state on this instance.
    pub state: Value,
}

/// The deployments the caller may call; `model` narrows to one public name.
pub fn info(state: &AppState, ctx: &AdminContext, model: Option<&str>) -> ModelInfoList {
    let table = state.router.snapshot();
    let data = table
        .deployments()
        .filter(|d| model.is_none_or(|m| d.model_name == m))
        .filter(|d| check_model(&ctx.principal, &d.model_name, &table).is_ok())
        .map(|d| entry(d, &state.router))
        .collect();
    ModelInfoList { data }
}

/// A deployment's live state, as `/model/info` and `/health` show it.
pub fn live_state(d: &Deployment, router: &LiveRouter) -> Value {
    let view = d.state.view();
    let cooling = router.cooldowns.cooling(&d.id);
    json!({
        "healthy": view.healthy && cooling.is_none(),
        "health_check": view.health,
        "cooldown_until": cooling.as_ref().map(|c| to_rfc3339(c.until_ms)),
        "cooldown_reason": cooling.map(|c| c.reason),
        "in_flight": view.in_flight,
        "latency_ms": view.latency_ms,
        "time_to_first_token_ms": view.ttft_ms,
        "rpm_used": view.rpm_used,
        "tpm_used": view.tpm_used,
        "successes_this_minute": view.successes_this_minute,
        "failures_this_minute": view.failures_this_minute,
    })
}

fn entry(d: &Deployment, router: &LiveRouter) -> ModelInfoEntry {
    let p = &d.entry.params;
    let mut params = Map::new();
    params.insert("model".into(), json!(p.model));
    for (name, value) in [
        ("api_base", p.api_base.as_ref().map(|v| json!(v))),
        ("api_version", p.api_version.as_ref().map(|v| json!(v))),
        ("rpm", p.rpm.map(|v| json!(v))),
        ("tpm", p.tpm.map(|v| json!(v))),
        ("weight", p.weight.map(|v| json!(v))),
        ("order", p.order.map(|v| json!(v))),
        ("timeout", p.timeout.map(|v| json!(v.as_secs_f64()))),
        (
            "stream_timeout",
            p.stream_timeout.map(|v| json!(v.as_secs_f64())),
        ),
        ("max_retries", p.max_retries.map(|v| json!(v))),
    ] {
        if let Some(v) = value {
            params.insert(name.into(), v);
        }
    }
    let table = crate::pricing::lookup(
        &d.provider_name,
        &d.upstream_model,
        d.entry.info.base_model.as_deref(),
    );
    let info = &d.entry.info;
    let mut model_info = Map::new();
    model_info.insert("id".into(), json!(d.id));
    model_info.insert("litellm_provider".into(), json!(d.provider_name));
    model_info.insert(
        "input_cost_per_token".into(),
        json!(d.price.input_cost_per_token),
    );
    model_info.insert(
        "output_cost_per_token".into(),
        json!(d.price.output_cost_per_token),
    );
    if let Some(c) = d.price.cache_read_input_token_cost {
        model_info.insert("cache_read_input_token_cost".into(), json!(c));
    }
    if let Some(c) = d.price.cache_creation_input_token_cost {
        model_info.insert("cache_creation_input_token_cost".into(), json!(c));
    }
    model_info.insert("price_source".into(), json!(d.price_source));
    model_info.insert(
        "price_unknown".into(),
        json!(d.price_source == PriceSource::Unknown),
    );
    model_info.insert(
        "max_input_tokens".into(),
        json!(
            info.max_input_tokens
                .or(table.and_then(|t| t.max_input_tokens))
        ),
    );
    model_info.insert(
        "max_output_tokens".into(),
        json!(
            info.max_output_tokens
                .or(table.and_then(|t| t.max_output_tokens))
        ),
    );
    model_info.insert(
        "mode".into(),
        json!(
            info.mode
                .clone()
                .or(table.and_then(|t| t.mode.clone()))
                .unwrap_or_else(|| "chat".into())
        ),
    );
    model_info.insert("access_groups".into(), json!(info.access_groups));
    if let Some(base) = &info.base_model {
        model_info.insert("base_model".into(), json!(base));
    }
    ModelInfoEntry {
        model_name: d.model_name.clone(),
        litellm_params: params,
        model_info,
        state: live_state(d, router),
    }
}

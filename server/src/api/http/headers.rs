//! Response headers that describe a completed call (ARCHITECTURE §6), under Tollgate's and
//! LiteLLM's names.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::api::middleware::call::ModelLabel;
use crate::pipeline::CallMeta;

/// Headers for a call: cost, deployment id, API base, cache hit.
pub fn call_headers(meta: &CallMeta) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut put = |suffix: &str, value: &str| {
        let Ok(value) = HeaderValue::from_str(value) else {
            return;
        };
        for prefix in ["x-tollgate-", "x-litellm-"] {
            if let Ok(name) = HeaderName::from_bytes(format!("{prefix}{suffix}").as_bytes()) {
                headers.insert(name, value.clone());
            }
        }
    };
    put("response-cost", &format_cost(meta.response_cost));
    put("model-id", &meta.deployment_id);
    put("model-group", &meta.model_group);
    if let Some(base) = &meta.api_base {
        put("model-api-base", base);
    }
    put("cache-hit", if meta.cache_hit { "true" } else { "false" });
    headers
}

/// The response extension that labels metrics with the model.
pub fn model_label(meta: &CallMeta) -> ModelLabel {
    ModelLabel(meta.model_group.clone())
}

fn format_cost(cost: f64) -> String {
    if cost == 0.0 {
        "0.0".to_owned()
    } else {
        format!("{cost:.10}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Costs print without float noise, and every header exists under both names.
    #[test]
    fn formats_headers() {
        let meta = CallMeta {
            call_id: "c".into(),
            model_group: "gpt".into(),
            deployment_id: "d1".into(),
            api_base: Some("http://x/v1".into()),
            response_cost: 0.000_125,
            cache_hit: false,
        };
        let h = call_headers(&meta);
        assert_eq!(h["x-tollgate-response-cost"], "0.000125");
        assert_eq!(h["x-litellm-response-cost"], "0.000125");
        assert_eq!(h["x-tollgate-model-id"], "d1");
        assert_eq!(h["x-litellm-model-api-base"], "http://x/v1");
    }
}

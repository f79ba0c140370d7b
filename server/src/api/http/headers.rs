//! Response headers that describe a completed call (ARCHITECTURE §6), under Tollgate's and
//! LiteLLM's names.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::api::middleware::call::ModelLabel;
use crate::pipeline::CallMeta;
use crate::ratelimit::RateStatus;

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
    rate_limit_headers(&mut headers, &meta.rate_limits);
    headers
}

/// OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the tightest limits.
fn rate_limit_headers(headers: &mut HeaderMap, status: &RateStatus) {
    for (kind, limit) in [("requests", status.requests), ("tokens", status.tokens)] {
        let Some(limit) = limit else { continue };
        let values = [
            ("limit", limit.limit.to_string()),
            ("remaining", limit.remaining.to_string()),
            ("reset", format_reset(limit.reset_ms)),
        ];
        for (what, value) in values {
            let name = format!("x-ratelimit-{what}-{kind}");
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.insert(name, value);
            }
        }
    }
}

/// A reset delay in OpenAI's style: `"1s"`, `"6m0s"`, `"250ms"`.
fn format_reset(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        return format!("{ms}ms");
    }
    let secs = (ms + 999) / 1_000;
    match (secs / 3_600, (secs % 3_600) / 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
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
            rate_limits: RateStatus {
                requests: Some(crate::ratelimit::Remaining {
                    limit: 100,
                    remaining: 7,
                    reset_ms: 61_000,
                }),
                tokens: None,
            },
        };
        let h = call_headers(&meta);
        assert_eq!(h["x-ratelimit-limit-requests"], "100");
        assert_eq!(h["x-ratelimit-remaining-requests"], "7");
        assert_eq!(h["x-ratelimit-reset-requests"], "1m1s");
        assert!(h.get("x-ratelimit-limit-tokens").is_none());
        assert_eq!(format_reset(250), "250ms");
        assert_eq!(format_reset(7_200_000), "2h0m0s");
        assert_eq!(h["x-tollgate-response-cost"], "0.000125");
        assert_eq!(h["x-litellm-response-cost"], "0.000125");
        assert_eq!(h["x-tollgate-model-id"], "d1");
        assert_eq!(h["x-litellm-model-api-base"], "http://x/v1");
    }
}

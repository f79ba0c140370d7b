//! The router's reliability settings (LiteLLM's names): retries, cooldowns, fallbacks, pre-call
//! checks, strategy arguments and background health checks.
//!
//! Retry and fallback keys are read from `router_settings` and, as LiteLLM also accepts them
//! there, from `litellm_settings`; a key set in both takes the `router_settings` value. Each
//! setting is validated here; how they act is described in `router/mod.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_yaml::Value;

use super::reader::{Problems, Section};

/// LiteLLM's default `allowed_fails`: failures per minute a deployment may have before it cools.
pub const DEFAULT_ALLOWED_FAILS: u32 = 3;
/// LiteLLM's default `cooldown_time`.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(5);
/// LiteLLM's default `max_fallbacks`.
pub const DEFAULT_MAX_FALLBACKS: u32 = 5;

/// Retries per error class (`retry_policy`); `None` means `num_retries`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryPolicy {
    pub bad_request: Option<u32>,
    pub authentication: Option<u32>,
    pub timeout: Option<u32>,
    pub rate_limit: Option<u32>,
    pub content_policy: Option<u32>,
    pub internal_server: Option<u32>,
}

/// Fallback lists keyed by model group: `[{"gpt-4o": ["claude", "gpt-4o-mini"]}]`.
pub type FallbackMap = BTreeMap<String, Vec<String>>;

/// The reliability part of `router_settings` (and `litellm_settings`), every key optional.
#[derive(Debug, Clone, Default)]
pub struct RouterPolicy {
    pub num_retries: Option<u32>,
    pub retry_policy: Option<RetryPolicy>,
    /// Minimum wait before a retry (`retry_after`, seconds).
    pub retry_after: Option<Duration>,
    pub allowed_fails: Option<u32>,
    pub cooldown_time: Option<Duration>,
    pub disable_cooldowns: Option<bool>,
    pub fallbacks: Option<FallbackMap>,
    pub default_fallbacks: Option<Vec<String>>,
    pub context_window_fallbacks: Option<FallbackMap>,
    pub content_policy_fallbacks: Option<FallbackMap>,
    pub max_fallbacks: Option<u32>,
    pub enable_pre_call_checks: Option<bool>,
    /// `routing_strategy_args.lowest_latency_buffer`: latency-based routing picks at random
    /// among deployments within this share of the fastest (0.5 = up to 50% slower).
    pub lowest_latency_buffer: Option<f64>,
    /// `enable_tag_filtering`: requests with tags go only to deployments carrying one of them.
    pub enable_tag_filtering: Option<bool>,
    /// `optional_pre_call_checks` contains `deployment_affinity` (or Tollgate's
    /// `session_affinity: true`): the same user or session keeps the same healthy deployment.
    pub session_affinity: Option<bool>,
    /// How often runtime models (`/model/new`) are re-read from the database (Tollgate's own
    /// `model_refresh_interval`, seconds; LiteLLM polls every 30 s).
    pub model_refresh_interval: Option<Duration>,
}

impl RouterPolicy {
    /// `self`, with keys it leaves unset taken from `other`.
    pub fn or(self, other: RouterPolicy) -> RouterPolicy {
        RouterPolicy {
            num_retries: self.num_retries.or(other.num_retries),
            retry_policy: self.retry_policy.or(other.retry_policy),
            retry_after: self.retry_after.or(other.retry_after),
            allowed_fails: self.allowed_fails.or(other.allowed_fails),
            cooldown_time: self.cooldown_time.or(other.cooldown_time),
            disable_cooldowns: self.disable_cooldowns.or(other.disable_cooldowns),
            fallbacks: self.fallbacks.or(other.fallbacks),
            default_fallbacks: self.default_fallbacks.or(other.default_fallbacks),
            context_window_fallbacks: self
                .context_window_fallbacks
                .or(other.context_window_fallbacks),
            content_policy_fallbacks: self
                .content_policy_fallbacks
                .or(other.content_policy_fallbacks),
            max_fallbacks: self.max_fallbacks.or(other.max_fallbacks),
            enable_pre_call_checks: self.enable_pre_call_checks.or(other.enable_pre_call_checks),
            lowest_latency_buffer: self.lowest_latency_buffer.or(other.lowest_latency_buffer),
            enable_tag_filtering: self.enable_tag_filtering.or(other.enable_tag_filtering),
            session_affinity: self.session_affinity.or(other.session_affinity),
            model_refresh_interval: self.model_refresh_interval.or(other.model_refresh_interval),
        }
    }

    pub fn allowed_fails(&self) -> u32 {
        self.allowed_fails.unwrap_or(DEFAULT_ALLOWED_FAILS)
    }

    pub fn cooldown_time(&self) -> Duration {
        self.cooldown_time.unwrap_or(DEFAULT_COOLDOWN)
    }

    pub fn max_fallbacks(&self) -> u32 {
        self.max_fallbacks.unwrap_or(DEFAULT_MAX_FALLBACKS)
    }
}

/// Background health checks (`general_settings.background_health_checks` +
/// `health_check_interval`, seconds).
pub fn read_health(s: &mut Section, problems: &mut Problems) -> Option<Duration> {
    let enabled: bool = s.get("background_health_checks", problems).unwrap_or(false);
    let interval: Option<f64> = s.get("health_check_interval", problems);
    if !enabled {
        return None;
    }
    let secs = interval.unwrap_or(300.0);
    if secs.is_finite() && secs > 0.0 {
        Some(Duration::from_secs_f64(secs))
    } else {
        problems.error(format!(
            "{}.health_check_interval: must be a positive number of seconds, got {secs}",
            s.path()
        ));
        None
    }
}

/// Takes the reliability keys out of `s` (`router_settings` or `litellm_settings`).
pub fn read(s: &mut Section, problems: &mut Problems) -> RouterPolicy {
    let path = s.path().to_owned();
    let mut policy = RouterPolicy {
        num_retries: s.get("num_retries", problems),
        retry_policy: s
            .take_raw("retry_policy")
            .map(|v| retry_policy(&path, v, problems)),
        retry_after: seconds(s, "retry_after", true, problems),
        allowed_fails: s.get("allowed_fails", problems),
        cooldown_time: seconds(s, "cooldown_time", true, problems),
        disable_cooldowns: s.get("disable_cooldowns", problems),
        fallbacks: fallback_map(s, "fallbacks", problems),
        default_fallbacks: s.get("default_fallbacks", problems),
        context_window_fallbacks: fallback_map(s, "context_window_fallbacks", problems),
        content_policy_fallbacks: fallback_map(s, "content_policy_fallbacks", problems),
        max_fallbacks: s.get("max_fallbacks", problems),
        enable_pre_call_checks: s.get("enable_pre_call_checks", problems),
        lowest_latency_buffer: None,
        enable_tag_filtering: s.get("enable_tag_filtering", problems),
        session_affinity: s.get("session_affinity", problems),
        model_refresh_interval: seconds(s, "model_refresh_interval", false, problems),
    };
    if let Some(args) = s.get::<BTreeMap<String, Value>>("routing_strategy_args", problems) {
        for (key, value) in args {
            match (key.as_str(), value.as_f64()) {
                ("lowest_latency_buffer", Some(b)) if b.is_finite() && b >= 0.0 => {
                    policy.lowest_latency_buffer = Some(b);
                }
                ("lowest_latency_buffer", _) => problems.error(format!(
                    "{path}.routing_strategy_args.lowest_latency_buffer: must be a non-negative number"
                )),
                _ => problems.unsupported(format!(
                    "{path}.routing_strategy_args.{key}: accepted but not implemented by Tollgate; it has no effect"
                )),
            }
        }
    }
    if let Some(checks) = s.get::<Vec<String>>("optional_pre_call_checks", problems) {
        for check in checks {
            if check == "deployment_affinity" || check == "session_affinity" {
                policy.session_affinity = Some(true);
            } else {
                problems.unsupported(format!(
                    "{path}.optional_pre_call_checks: `{check}` is not implemented by Tollgate; it has no effect"
                ));
            }
        }
    }
    policy
}

fn retry_policy(path: &str, value: Value, problems: &mut Problems) -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    let Value::Mapping(map) = value else {
        problems.error(format!("{path}.retry_policy: expected a mapping"));
        return policy;
    };
    for (key, value) in map {
        let key = key.as_str().unwrap_or_default().to_owned();
        let Some(n) = value.as_u64().and_then(|n| u32::try_from(n).ok()) else {
            problems.error(format!(
                "{path}.retry_policy.{key}: expected a non-negative integer"
            ));
            continue;
        };
        let slot = match key.as_str() {
            "BadRequestErrorRetries" => &mut policy.bad_request,
            "AuthenticationErrorRetries" => &mut policy.authentication,
            "TimeoutErrorRetries" => &mut policy.timeout,
            "RateLimitErrorRetries" => &mut policy.rate_limit,
            "ContentPolicyViolationErrorRetries" => &mut policy.content_policy,
            "InternalServerErrorRetries" => &mut policy.internal_server,
            _ => {
                problems.unsupported(format!(
                    "{path}.retry_policy.{key}: not recognised; ignored"
                ));
                continue;
            }
        };
        *slot = Some(n);
    }
    policy
}

/// `[{"a": ["b", "c"]}, ...]` (LiteLLM's shape) or a plain mapping `{a: [b, c]}`.
fn fallback_map(s: &mut Section, key: &str, problems: &mut Problems) -> Option<FallbackMap> {
    let value = s.take_raw(key)?;
    let entries: Vec<Value> = match value {
        Value::Sequence(items) => items,
        map @ Value::Mapping(_) => vec![map],
        _ => {
            problems.error(format!(
                "{}.{key}: expected a list like [{{\"model\": [\"fallback\"]}}]",
                s.path()
            ));
            return None;
        }
    };
    let mut out = FallbackMap::new();
    for entry in entries {
        match serde_yaml::from_value::<BTreeMap<String, Vec<String>>>(entry) {
            Ok(map) => out.extend(map),
            Err(e) => problems.error(format!("{}.{key}: {e}", s.path())),
        }
    }
    Some(out)
}

fn seconds(s: &mut Section, key: &str, zero_ok: bool, problems: &mut Problems) -> Option<Duration> {
    let secs: f64 = s.get(key, problems)?;
    if secs.is_finite() && (secs > 0.0 || (zero_ok && secs == 0.0)) {
        Some(Duration::from_secs_f64(secs))
    } else {
        problems.error(format!(
            "{}.{key}: must be a positive number of seconds, got {secs}",
            s.path()
        ));
        None
    }
}

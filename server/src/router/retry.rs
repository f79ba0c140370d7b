//! How many times a failure is retried and how long to wait first (LiteLLM's rules).
//!
//! Retries: `retry_policy` names a count per error class; without an entry, transient failures
//! (rate limit, timeout, 5xx, unreachable) get `num_retries`, a bad key or model gets
//! `num_retries` only when another deployment can take the retry, and client errors
//! (bad request, context window, content policy) none: they go to their fallbacks instead.
//!
//! Waits: none when another deployment can take the retry; else the upstream's `retry-after`
//! (up to a minute); else exponential backoff from 0.5 s doubling up to 8 s, shortened by up to
//! a quarter at random (jitter) so clients that failed together do not retry together, and
//! never below `retry_after`.

use std::time::Duration;

use crate::config::routing::RetryPolicy;
use crate::providers::classify::ErrorClass;

const INITIAL_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);
const MAX_UPSTREAM_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Retries allowed for a failure of `class`, given `num_retries` and the `retry_policy`.
pub fn retries_for(
    class: ErrorClass,
    num_retries: u32,
    policy: Option<&RetryPolicy>,
    other_deployments: bool,
) -> u32 {
    let from_policy = policy.and_then(|p| match class {
        ErrorClass::RateLimit => p.rate_limit,
        ErrorClass::Timeout => p.timeout,
        ErrorClass::InternalServer => p.internal_server,
        ErrorClass::ContentPolicy => p.content_policy,
        ErrorClass::Authentication => p.authentication,
        ErrorClass::BadRequest | ErrorClass::NotFound => p.bad_request,
        ErrorClass::ContextWindow | ErrorClass::Gateway => None,
    });
    if let Some(n) = from_policy {
        return n;
    }
    match class {
        c if c.retried_by_default() => num_retries,
        ErrorClass::Authentication | ErrorClass::NotFound if other_deployments => num_retries,
        _ => 0,
    }
}

/// The wait before retry number `retry` (0 for the first), with `r` uniform in [0, 1).
pub fn backoff(
    retry: u32,
    upstream_retry_after: Option<Duration>,
    minimum: Duration,
    other_deployments: bool,
    r: f64,
) -> Duration {
    if other_deployments {
        return Duration::ZERO;
    }
    if let Some(after) = upstream_retry_after.filter(|a| *a <= MAX_UPSTREAM_RETRY_AFTER) {
        return after.max(minimum);
    }
    let exponential = INITIAL_DELAY
        .saturating_mul(2u32.saturating_pow(retry.min(16)))
        .min(MAX_DELAY);
    exponential
        .mul_f64(1.0 - 0.25 * r.clamp(0.0, 1.0))
        .max(minimum)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Transient failures get num_retries, client errors none, and the policy overrides both.
    #[test]
    fn retries_follow_class_and_policy() {
        assert_eq!(retries_for(ErrorClass::RateLimit, 2, None, false), 2);
        assert_eq!(retries_for(ErrorClass::BadRequest, 2, None, true), 0);
        assert_eq!(retries_for(ErrorClass::Authentication, 2, None, false), 0);
        assert_eq!(retries_for(ErrorClass::Authentication, 2, None, true), 2);
        let policy = RetryPolicy {
            rate_limit: Some(5),
            bad_request: Some(1),
            ..RetryPolicy::default()
        };
        assert_eq!(
            retries_for(ErrorClass::RateLimit, 2, Some(&policy), false),
            5
        );
        assert_eq!(
            retries_for(ErrorClass::BadRequest, 0, Some(&policy), false),
            1
        );
        assert_eq!(retries_for(ErrorClass::Timeout, 3, Some(&policy), false), 3);
    }

    // Backoff doubles to a cap with at most 25% jitter, yields to retry-after, and is zero
    // when another deployment can take the retry.
    #[test]
    fn backoff_is_exponential_with_jitter() {
        let none = Duration::ZERO;
        assert_eq!(
            backoff(0, None, none, false, 0.0),
            Duration::from_millis(500)
        );
        assert_eq!(backoff(1, None, none, false, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(10, None, none, false, 0.0), Duration::from_secs(8));
        assert_eq!(
            backoff(1, None, none, false, 1.0),
            Duration::from_millis(750)
        );
        for i in 0..100 {
            let d = backoff(2, None, none, false, f64::from(i) / 100.0);
            assert!(d <= Duration::from_secs(2) && d > Duration::from_millis(1499));
        }
        let after = Some(Duration::from_secs(3));
        assert_eq!(backoff(0, after, none, false, 0.5), Duration::from_secs(3));
        assert_eq!(backoff(0, after, none, true, 0.5), Duration::ZERO);
        let min = Duration::from_secs(2);
        assert_eq!(backoff(0, None, min, false, 0.5), min);
    }
}

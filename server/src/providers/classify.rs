//! What kind of failure a provider error is, in LiteLLM's classes: the router's retry policy,
//! cooldowns and fallback choice read this (never the raw status alone).
//!
//! A context-window or content-policy refusal is an upstream 400 whose message says so; the
//! phrases are those OpenAI, Azure, Anthropic and vLLM use. Errors of the gateway itself
//! (budgets, permissions, ...) are [`ErrorClass::Gateway`]: never retried, never a fallback.

use std::time::Duration;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Upstream 429.
    RateLimit,
    /// The upstream did not answer in time (or answered 408).
    Timeout,
    /// Upstream 5xx, or the upstream could not be reached.
    InternalServer,
    /// The prompt does not fit the model's context window.
    ContextWindow,
    /// The upstream refused the content.
    ContentPolicy,
    /// Upstream 401/403: this deployment's credentials are wrong.
    Authentication,
    /// Upstream 404: this deployment's model or URL is wrong.
    NotFound,
    /// Another upstream 4xx: the request itself is wrong.
    BadRequest,
    /// Not an upstream failure.
    Gateway,
}

impl ErrorClass {
    pub fn of(err: &Error) -> Self {
        match err {
            Error::Upstream {
                status, message, ..
            } => match *status {
                429 => ErrorClass::RateLimit,
                408 => ErrorClass::Timeout,
                401 | 403 => ErrorClass::Authentication,
                404 => ErrorClass::NotFound,
                s if s >= 500 => ErrorClass::InternalServer,
                _ if is_context_window(message) => ErrorClass::ContextWindow,
                _ if is_content_policy(message) => ErrorClass::ContentPolicy,
                _ => ErrorClass::BadRequest,
            },
            Error::UpstreamUnreachable { .. } => ErrorClass::InternalServer,
            Error::Timeout(_) => ErrorClass::Timeout,
            Error::InvalidRequest { .. }
            | Error::Authentication(_)
            | Error::PermissionDenied(_)
            | Error::NotFound(_)
            | Error::MethodNotAllowed(_)
            | Error::BudgetExceeded(_)
            | Error::RateLimited { .. }
            | Error::Unavailable(_)
            | Error::Internal(_) => ErrorClass::Gateway,
        }
    }

    /// Whether the failure says something about the deployment (counts towards its cooldown)
    /// rather than about the request.
    pub fn blames_deployment(self) -> bool {
        matches!(
            self,
            ErrorClass::RateLimit
                | ErrorClass::Timeout
                | ErrorClass::InternalServer
                | ErrorClass::Authentication
                | ErrorClass::NotFound
        )
    }

    /// Retried without a `retry_policy` entry: transient failures only.
    pub fn retried_by_default(self) -> bool {
        matches!(
            self,
            ErrorClass::RateLimit | ErrorClass::Timeout | ErrorClass::InternalServer
        )
    }
}

/// The upstream's `retry-after`, if it sent one.
pub fn retry_after(err: &Error) -> Option<Duration> {
    match err {
        Error::Upstream { retry_after, .. } => *retry_after,
        _ => None,
    }
}

fn is_context_window(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "context length",
        "context_length_exceeded",
        "context window",
        "maximum context",
        "prompt is too long",
        "too many tokens",
        "input is too long",
        "reduce the length",
    ]
    .iter()
    .any(|p| m.contains(p))
}

fn is_content_policy(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "content_policy",
        "content policy",
        "content management policy",
        "content_filter",
        "safety system",
    ]
    .iter()
    .any(|p| m.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream(status: u16, message: &str) -> Error {
        Error::Upstream {
            status,
            message: message.into(),
            provider: "openai",
            retry_after: None,
        }
    }

    // Statuses and provider phrases map to LiteLLM's error classes.
    #[test]
    fn classifies_upstream_errors() {
        assert_eq!(ErrorClass::of(&upstream(429, "x")), ErrorClass::RateLimit);
        assert_eq!(
            ErrorClass::of(&upstream(503, "x")),
            ErrorClass::InternalServer
        );
        assert_eq!(
            ErrorClass::of(&upstream(
                400,
                "This model's maximum context length is 8192 tokens"
            )),
            ErrorClass::ContextWindow
        );
        assert_eq!(
            ErrorClass::of(&upstream(400, "prompt is too long: 210000 tokens")),
            ErrorClass::ContextWindow
        );
        assert_eq!(
            ErrorClass::of(&upstream(400, "filtered by the content management policy")),
            ErrorClass::ContentPolicy
        );
        assert_eq!(
            ErrorClass::of(&upstream(400, "bad")),
            ErrorClass::BadRequest
        );
        assert_eq!(
            ErrorClass::of(&Error::Timeout("t".into())),
            ErrorClass::Timeout
        );
        assert_eq!(
            ErrorClass::of(&Error::BudgetExceeded("b".into())),
            ErrorClass::Gateway
        );
        assert!(!ErrorClass::BadRequest.retried_by_default());
        assert!(!ErrorClass::ContextWindow.blames_deployment());
    }
}

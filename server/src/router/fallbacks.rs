//! Which model groups a failed request falls back to, in order (LiteLLM's rules).
//!
//! A context-window failure uses `context_window_fallbacks` when any are configured (the
//! request's own first), a content-policy refusal `content_policy_fallbacks`; every other
//! failure that is not the client's fault uses the request's `fallbacks`, else the group's
//! entry in `fallbacks`, else the `"*"` entry, else `default_fallbacks`. A bad request or a
//! refusal by the gateway itself (budget, permission) falls back nowhere. At most
//! `max_fallbacks` groups are tried.

use crate::config::routing::{FallbackMap, RouterPolicy};
use crate::providers::classify::ErrorClass;

/// Fallbacks a request names for itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestFallbacks {
    pub fallbacks: Option<Vec<String>>,
    pub context_window: Option<Vec<String>>,
    /// `disable_fallbacks: true`.
    pub disabled: bool,
}

/// The groups to try after `group` failed with `class`.
pub fn chain(
    policy: &RouterPolicy,
    request: &RequestFallbacks,
    group: &str,
    class: ErrorClass,
) -> Vec<String> {
    if request.disabled {
        return Vec::new();
    }
    let from_map = |map: &FallbackMap| map.get(group).cloned().unwrap_or_default();
    let specific = match class {
        ErrorClass::BadRequest | ErrorClass::Gateway => return Vec::new(),
        ErrorClass::ContextWindow => request.context_window.clone().or_else(|| {
            policy
                .context_window_fallbacks
                .as_ref()
                .filter(|m| !m.is_empty())
                .map(from_map)
        }),
        ErrorClass::ContentPolicy => policy
            .content_policy_fallbacks
            .as_ref()
            .filter(|m| !m.is_empty())
            .map(from_map),
        _ => None,
    };
    let mut groups = specific.unwrap_or_else(|| generic(policy, request, group));
    groups.retain(|g| g != group);
    groups.truncate(usize::try_from(policy.max_fallbacks()).unwrap_or(usize::MAX));
    groups
}

fn generic(policy: &RouterPolicy, request: &RequestFallbacks, group: &str) -> Vec<String> {
    if let Some(list) = &request.fallbacks {
        return list.clone();
    }
    let configured = policy.fallbacks.as_ref();
    configured
        .and_then(|m| m.get(group).or_else(|| m.get("*")))
        .cloned()
        .or_else(|| policy.default_fallbacks.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RouterPolicy {
        RouterPolicy {
            fallbacks: Some([("gpt".to_owned(), vec!["claude".to_owned()])].into()),
            default_fallbacks: Some(vec!["cheap".into()]),
            context_window_fallbacks: Some(
                [("gpt".to_owned(), vec!["gpt-long".to_owned()])].into(),
            ),
            ..RouterPolicy::default()
        }
    }

    // Each failure class takes its own list; default_fallbacks cover groups with none.
    #[test]
    fn chooses_the_list_by_class() {
        let p = policy();
        let none = RequestFallbacks::default();
        assert_eq!(
            chain(&p, &none, "gpt", ErrorClass::InternalServer),
            ["claude"]
        );
        assert_eq!(chain(&p, &none, "other", ErrorClass::RateLimit), ["cheap"]);
        assert_eq!(
            chain(&p, &none, "gpt", ErrorClass::ContextWindow),
            ["gpt-long"]
        );
        assert!(chain(&p, &none, "other", ErrorClass::ContextWindow).is_empty());
        assert_eq!(
            chain(&p, &none, "gpt", ErrorClass::ContentPolicy),
            ["claude"]
        );
        assert!(chain(&p, &none, "gpt", ErrorClass::BadRequest).is_empty());
    }

    // The request's own fallbacks replace the configured ones; disable_fallbacks empties them.
    #[test]
    fn request_fallbacks_win() {
        let p = policy();
        let req = RequestFallbacks {
            fallbacks: Some(vec!["mine".into(), "gpt".into()]),
            ..RequestFallbacks::default()
        };
        assert_eq!(chain(&p, &req, "gpt", ErrorClass::Timeout), ["mine"]);
        let off = RequestFallbacks {
            disabled: true,
            ..req
        };
        assert!(chain(&p, &off, "gpt", ErrorClass::Timeout).is_empty());
    }
}

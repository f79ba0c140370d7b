//! Filters applied to a group before a strategy chooses: tag-based routing and the pre-call
//! context-window check.

use std::sync::Arc;

use super::Deployment;
use super::live::NoDeployment;

/// The tag that marks deployments serving requests with no matching tag (LiteLLM's name).
const DEFAULT_TAG: &str = "default";

/// Tag-based routing: a request with tags goes to deployments carrying one of them, else to
/// those tagged `default`; a request without tags goes to `default` ones when there are any,
/// else anywhere. `None` when nothing matches.
pub fn by_tags(group: Vec<Arc<Deployment>>, tags: &[String]) -> Option<Vec<Arc<Deployment>>> {
    let has = |d: &Deployment, tag: &str| d.entry.params.tags.iter().any(|t| t == tag);
    let matching: Vec<Arc<Deployment>> = group
        .iter()
        .filter(|d| tags.iter().any(|t| has(d, t)))
        .cloned()
        .collect();
    if !matching.is_empty() {
        return Some(matching);
    }
    let defaults: Vec<Arc<Deployment>> = group
        .iter()
        .filter(|d| has(d, DEFAULT_TAG))
        .cloned()
        .collect();
    if !defaults.is_empty() {
        return Some(defaults);
    }
    tags.is_empty().then_some(group)
}

/// Pre-call check (`enable_pre_call_checks`): only deployments whose `max_input_tokens` fits
/// a prompt of `tokens`.
pub fn by_context(
    group: Vec<Arc<Deployment>>,
    tokens: u64,
) -> Result<Vec<Arc<Deployment>>, NoDeployment> {
    let mut largest = 0;
    let fitting: Vec<Arc<Deployment>> = group
        .into_iter()
        .filter(|d| match d.max_input_tokens() {
            Some(max) => {
                largest = largest.max(max);
                tokens <= max
            }
            None => true,
        })
        .collect();
    if fitting.is_empty() {
        return Err(NoDeployment::ContextWindow {
            tokens,
            max: largest,
        });
    }
    Ok(fitting)
}

//! Deployment groups and the choice of a deployment for each attempt of a call.
//!
//! Every `model_list` entry is a [`Deployment`]; entries sharing a `model_name` form a group.
//! A requested name resolves to its group, else to the most specific wildcard entry (`openai/*`,
//! `openai/o1-*`: the longest literal prefix wins), whose `*` part becomes the upstream model.
//! [`ModelRouter`] is that table, immutable; [`LiveRouter`] holds the current table (replaced
//! whole when it changes), every deployment's live state ([`state`]: in flight, latency and
//! time-to-first-token averages, this minute's usage and failures, last health check) and the
//! [`Cooldowns`].
//!
//! A selection ([`LiveRouter::select`]) filters the group — tags (`enable_tag_filtering`),
//! context window (`enable_pre_call_checks`), cooling deployments, unhealthy ones and those the
//! request already tried (each only while others remain), the lowest `order` tier, `rpm`/`tpm`
//! for usage-based routing — then applies session affinity and the [`strategy`]. The retry and
//! fallback loop that calls it lives in `pipeline/attempts.rs`; the rules it follows are here:
//! [`retry`] (how many retries, how long to wait), [`fallbacks`] (which groups next),
//! [`cooldown`] (when a deployment is taken out), `providers::classify` (what kind of failure).
//! [`health`] runs live checks. Everything time-dependent reads the injected clock.
//!
//! [`runtime`] merges the models added with `/model/new` (stored, credentials sealed by
//! [`secrets`]) into the table and picks up other instances' changes.
//!
//! Not here: cooldowns shared between instances (the plug-in point is marked `Redis:` in
//! `cooldown.rs`).

pub mod attempt;
pub mod cooldown;
mod deployment;
pub mod fallbacks;
mod filters;
pub mod health;
pub mod live;
pub mod retry;
pub mod runtime;
pub mod secrets;
pub mod state;
pub mod strategy;

use std::collections::HashMap;
use std::sync::Arc;

pub use cooldown::{Cooldowns, Cooling};
pub use deployment::{Deployment, deployment_id};
pub use live::{LiveRouter, NoDeployment, Selection, StateRegistry};

use crate::config::{Config, ModelEntry};
use crate::error::{Error, Result};
use crate::governance::Clock;

/// All deployments, grouped for lookup.
#[derive(Debug, Default)]
pub struct ModelRouter {
    groups: HashMap<String, Vec<Arc<Deployment>>>,
    /// Public names in config order, for `/v1/models`.
    names: Vec<String>,
    wildcards: Vec<Wildcard>,
}

/// What serves a model name, for access checks: the group or wildcard pattern name and the
/// access groups its deployments carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serving<'a> {
    pub name: &'a str,
    pub access_groups: Vec<&'a str>,
}

/// A wildcard entry: `model_name` like `openai/*` with its template deployment.
#[derive(Debug)]
struct Wildcard {
    prefix: String,
    suffix: String,
    template: Arc<Deployment>,
}

impl ModelRouter {
    /// Builds every deployment of the config with fresh state (tests, tools).
    pub fn build(config: &Config, client: &reqwest::Client) -> (Self, Vec<String>) {
        let states = StateRegistry::new(Clock::System);
        Self::build_with(config, &config.model_list, client, &states)
    }

    /// Builds `entries` (config and runtime models), their live state taken from `states`;
    /// returns the table and the warnings to log once.
    pub fn build_with(
        config: &Config,
        entries: &[ModelEntry],
        client: &reqwest::Client,
        states: &StateRegistry,
    ) -> (Self, Vec<String>) {
        let mut router = ModelRouter::default();
        let mut warnings = Vec::new();
        for entry in entries {
            let state = states.get(&deployment_id(entry));
            let (deployment, warning) =
                Deployment::build(Arc::new(entry.clone()), None, config, client, state);
            warnings.extend(warning);
            let deployment = Arc::new(deployment);
            if let Some((prefix, suffix)) = entry.model_name.split_once('*') {
                router.wildcards.push(Wildcard {
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                    template: deployment,
                });
                continue;
            }
            if !router.groups.contains_key(&entry.model_name) {
                router.names.push(entry.model_name.clone());
            }
            router
                .groups
                .entry(entry.model_name.clone())
                .or_default()
                .push(deployment);
        }
        // Most specific first: a longer literal part wins.
        router
            .wildcards
            .sort_by_key(|w| std::cmp::Reverse(w.prefix.len() + w.suffix.len()));
        (router, warnings)
    }

    /// Every configured deployment (wildcard entries as their templates), in config order.
    pub fn deployments(&self) -> impl Iterator<Item = &Arc<Deployment>> {
        self.names
            .iter()
            .filter_map(|n| self.groups.get(n))
            .flatten()
            .chain(self.wildcards.iter().map(|w| &w.template))
    }

    /// Public model names (groups, then wildcard patterns), in config order.
    pub fn model_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str).chain(
            self.wildcards
                .iter()
                .map(|w| w.template.model_name.as_str()),
        )
    }

    /// Every deployment that serves `model`: its group, or the concrete deployment of the most
    /// specific wildcard entry.
    pub fn group(
        &self,
        model: &str,
        config: &Config,
        client: &reqwest::Client,
    ) -> Result<Vec<Arc<Deployment>>> {
        if let Some(group) = self.groups.get(model) {
            return Ok(group.clone());
        }
        for w in &self.wildcards {
            if let Some(matched) = model
                .strip_prefix(&w.prefix)
                .and_then(|rest| rest.strip_suffix(&w.suffix))
            {
                return Ok(vec![Arc::new(
                    w.template.for_wildcard(model, matched, config, client),
                )]);
            }
        }
        Err(unknown_model(model))
    }

    /// How many deployments serve `model` (1 for a wildcard match, 0 when none).
    pub fn group_size(&self, model: &str) -> usize {
        match self.groups.get(model) {
            Some(group) => group.len(),
            None => usize::from(self.knows(model)),
        }
    }

    /// The deployment with id `id`, if configured.
    pub fn by_id(&self, id: &str) -> Option<&Arc<Deployment>> {
        self.deployments().find(|d| d.id == id)
    }

    /// The group or most specific wildcard entry that serves `model`.
    pub fn serving(&self, model: &str) -> Option<Serving<'_>> {
        if let Some(group) = self.groups.get(model) {
            let mut access_groups: Vec<&str> = group
                .iter()
                .flat_map(|d| d.entry.info.access_groups.iter().map(String::as_str))
                .collect();
            access_groups.sort_unstable();
            access_groups.dedup();
            let name = group.first().map_or("", |d| d.entry.model_name.as_str());
            return Some(Serving {
                name,
                access_groups,
            });
        }
        self.wildcards
            .iter()
            .find(|w| {
                model.len() >= w.prefix.len() + w.suffix.len()
                    && model.starts_with(&w.prefix)
                    && model.ends_with(&w.suffix)
            })
            .map(|w| Serving {
                name: w.template.model_name.as_str(),
                access_groups: w
                    .template
                    .entry
                    .info
                    .access_groups
                    .iter()
                    .map(String::as_str)
                    .collect(),
            })
    }

    /// Whether `model` names a group or matches a wildcard.
    pub fn knows(&self, model: &str) -> bool {
        self.groups.contains_key(model)
            || self.wildcards.iter().any(|w| {
                model.starts_with(&w.prefix) && model[w.prefix.len()..].ends_with(&w.suffix)
            })
    }
}

/// The error for a model name no deployment serves (LiteLLM's wording).
pub fn unknown_model(model: &str) -> Error {
    Error::invalid_param(
        format!(
            "Invalid model name passed in model={model}. Call `/v1/models` to view available models for your key."
        ),
        "model",
    )
}

/// The index `r` (uniform in [0, 1)) falls on when the line is cut in proportion to `weights`;
/// all-zero weights mean uniform.
pub fn weighted_index(weights: &[f64], r: f64) -> usize {
    let total: f64 = weights.iter().sum();
    if weights.is_empty() {
        return 0;
    }
    if total <= 0.0 {
        return ((r * weights.len() as f64) as usize).min(weights.len() - 1);
    }
    let mut target = r * total;
    for (i, w) in weights.iter().enumerate() {
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    // The cut points follow the weights; zero weights are never chosen unless all are zero.
    #[test]
    fn weighted_index_follows_weights() {
        let w = [1.0, 0.0, 3.0];
        assert_eq!(weighted_index(&w, 0.0), 0);
        assert_eq!(weighted_index(&w, 0.24), 0);
        assert_eq!(weighted_index(&w, 0.26), 2);
        assert_eq!(weighted_index(&w, 0.999), 2);
        assert_eq!(weighted_index(&[0.0, 0.0], 0.6), 1);
    }

    // Over many draws the share of each deployment matches its weight.
    #[test]
    fn weighted_distribution_within_tolerance() {
        let w = [1.0, 3.0];
        let mut counts = [0usize; 2];
        let n = 20_000;
        for i in 0..n {
            counts[weighted_index(&w, (i as f64 + 0.5) / n as f64)] += 1;
        }
        assert_eq!(counts[0], n / 4);
    }
}

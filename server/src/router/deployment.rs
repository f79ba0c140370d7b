//! One deployment: a `model_list` entry with its built provider and stable id.

use std::sync::Arc;

use super::state::DeploymentState;
use crate::config::{Config, ModelEntry};
use crate::pricing::{self, Price, PriceSource};
use crate::providers::{Provider, factory};

#[derive(Debug)]
pub struct Deployment {
    /// Stable id: `model_info.id`, else a hash of what identifies the upstream.
    pub id: String,
    /// The public name it serves (for a wildcard, the concrete requested name).
    pub model_name: String,
    pub provider: Arc<dyn Provider>,
    /// The provider family (`openai`, `azure`, `anthropic`, `groq`, ...).
    pub provider_name: String,
    pub upstream_model: String,
    pub entry: Arc<ModelEntry>,
    /// USD per token, resolved once (config override, else the price table, else 0).
    pub price: Price,
    pub price_source: PriceSource,
    /// Live counters (in flight, latency, failures, health), shared by every copy of this
    /// deployment and kept across table replacements.
    pub state: Arc<DeploymentState>,
}

impl Deployment {
    /// Builds the deployment of `entry`, for `upstream` when a wildcard names a concrete model.
    pub fn build(
        entry: Arc<ModelEntry>,
        upstream: Option<&str>,
        config: &Config,
        client: &reqwest::Client,
        state: Arc<DeploymentState>,
    ) -> (Self, Option<String>) {
        let (provider_name, configured) = factory::split_model(
            &entry.params.model,
            entry.params.custom_llm_provider.as_deref(),
        );
        let upstream_model = upstream.map_or(configured, str::to_owned);
        let (provider, mut warning) =
            factory::build(&entry, &upstream_model, &provider_name, config, client);
        let (price, price_source) = pricing::resolve(&entry, &provider_name, &upstream_model);
        let priced = price_source != PriceSource::Unknown
            || entry.params.mock_response.is_some()
            || upstream_model.contains('*');
        if !priced && warning.is_none() {
            warning = Some(format!(
                "{} ({}): no known price for {provider_name}/{upstream_model}; its calls cost 0 (set input_cost_per_token/output_cost_per_token or model_info.base_model)",
                entry.model_name, entry.origin
            ));
        }
        let deployment = Self {
            id: deployment_id(&entry),
            model_name: entry.model_name.clone(),
            provider,
            provider_name,
            upstream_model,
            entry,
            price,
            price_source,
            state,
        };
        (deployment, warning)
    }

    /// The concrete deployment of a wildcard template for `requested` (whose `*` part is
    /// `matched`): `openai/*` with `model: openai/*` serves `openai/gpt-4o` as `gpt-4o`.
    pub fn for_wildcard(
        &self,
        requested: &str,
        matched: &str,
        config: &Config,
        client: &reqwest::Client,
    ) -> Self {
        let upstream = if self.upstream_model.contains('*') {
            self.upstream_model.replacen('*', matched, 1)
        } else {
            self.upstream_model.clone()
        };
        let (mut deployment, _) = Deployment::build(
            self.entry.clone(),
            Some(&upstream),
            config,
            client,
            self.state.clone(),
        );
        deployment.model_name = requested.to_owned();
        deployment
    }

    /// The simple-shuffle weight: `weight`, else `rpm`, else `tpm`, else 1.
    pub fn weight(&self) -> f64 {
        let p = &self.entry.params;
        p.weight
            .or(p.rpm.map(|r| r as f64))
            .or(p.tpm.map(|t| t as f64))
            .unwrap_or(1.0)
    }

    /// The model's output limit: `model_info.max_output_tokens`, else the price table's.
    pub fn max_output_tokens(&self) -> Option<u64> {
        self.entry.info.max_output_tokens.or_else(|| {
            crate::pricing::lookup(
                &self.provider_name,
                &self.upstream_model,
                self.entry.info.base_model.as_deref(),
            )
            .and_then(|e| e.max_output_tokens)
        })
    }

    /// The model's context window: `model_info.max_input_tokens`, else the price table's.
    pub fn max_input_tokens(&self) -> Option<u64> {
        self.entry.info.max_input_tokens.or_else(|| {
            crate::pricing::lookup(
                &self.provider_name,
                &self.upstream_model,
                self.entry.info.base_model.as_deref(),
            )
            .and_then(|e| e.max_input_tokens)
        })
    }

    /// A copy of this deployment answering with `provider` instead (request-level mocks).
    pub fn with_provider(&self, provider: Arc<dyn Provider>, provider_name: &str) -> Self {
        Self {
            id: self.id.clone(),
            model_name: self.model_name.clone(),
            provider,
            provider_name: provider_name.to_owned(),
            upstream_model: self.upstream_model.clone(),
            entry: self.entry.clone(),
            price: self.price,
            price_source: self.price_source,
            state: self.state.clone(),
        }
    }

    pub fn api_base(&self) -> Option<&str> {
        self.provider.api_base()
    }
}

/// `model_info.id`, else the first 16 hex digits of FNV-1a over the public name, provider model
/// and API base: stable across restarts and instances, different for different upstreams.
pub fn deployment_id(entry: &ModelEntry) -> String {
    if let Some(id) = &entry.info.id {
        return id.clone();
    }
    let identity = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}",
        entry.model_name,
        entry.params.model,
        entry.params.api_base.as_deref().unwrap_or(""),
        entry.params.api_version.as_deref().unwrap_or("")
    );
    let hash = identity.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

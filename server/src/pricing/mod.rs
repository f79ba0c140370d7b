//! What a call costs: the price table shipped in `server/data/prices.json` (refreshed by
//! `scripts/refresh_prices.py`), per-deployment overrides from the config, and the cost of a
//! usage (uncached input, cached input, cache writes, output).
//!
//! A deployment's price is resolved once, when the deployment is built; the request path only
//! multiplies. A deployment with no known price costs 0, is flagged in `/model/info`, and is
//! named once in a startup warning.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::config::ModelEntry;
use crate::types::openai::Usage;

/// Prices in USD per token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Price {
    pub input_cost_per_token: f64,
    pub output_cost_per_token: f64,
    /// Cached prompt tokens (prompt cache reads); defaults to the input price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_token_cost: Option<f64>,
    /// Prompt cache writes (Anthropic); defaults to the input price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_token_cost: Option<f64>,
}

/// One entry of the price table.
#[derive(Debug, Clone, Deserialize)]
pub struct TableEntry {
    #[serde(flatten)]
    pub price: Price,
    #[serde(default)]
    pub max_input_tokens: Option<u64>,
    #[serde(default)]
    pub max_output_tokens: Option<u64>,
    #[serde(default)]
    pub mode: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TableFile {
    models: HashMap<String, TableEntry>,
}

const TABLE_JSON: &str = include_str!("../../data/prices.json");

/// The shipped price table (parsed once).
pub fn table() -> &'static HashMap<String, TableEntry> {
    static TABLE: OnceLock<HashMap<String, TableEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str::<TableFile>(TABLE_JSON)
            .map(|f| f.models)
            .unwrap_or_else(|e| {
                tracing::error!("the built-in price table is invalid ({e}); every model costs 0");
                HashMap::new()
            })
    })
}

/// Where a deployment's price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// `input_cost_per_token`/`output_cost_per_token` in `litellm_params` (or `model_info`).
    Config,
    /// The shipped table.
    Table,
    /// Unknown: the deployment costs 0.
    Unknown,
}

/// The price of a deployment of `entry` serving `upstream_model` through `provider`.
pub fn resolve(entry: &ModelEntry, provider: &str, upstream_model: &str) -> (Price, PriceSource) {
    let p = &entry.params;
    if p.input_cost_per_token.is_some() || p.output_cost_per_token.is_some() {
        let price = Price {
            input_cost_per_token: p.input_cost_per_token.unwrap_or(0.0),
            output_cost_per_token: p.output_cost_per_token.unwrap_or(0.0),
            ..Price::default()
        };
        return (price, PriceSource::Config);
    }
    match lookup(provider, upstream_model, entry.info.base_model.as_deref()) {
        Some(e) => (e.price, PriceSource::Table),
        None => (Price::default(), PriceSource::Unknown),
    }
}

/// The table entry for a model: `base_model` first (Azure deployments have arbitrary names),
/// then `provider/model`, then the model without a date suffix.
pub fn lookup(
    provider: &str,
    model: &str,
    base_model: Option<&str>,
) -> Option<&'static TableEntry> {
    let table = table();
    let family = match provider {
        "azure" | "text-completion-openai" => "openai",
        other => other,
    };
    let mut candidates: Vec<String> = Vec::with_capacity(6);
    if let Some(base) = base_model {
        candidates.push(base.to_owned());
        candidates.push(format!("{family}/{base}"));
        candidates.push(format!("openai/{base}"));
    }
    candidates.push(format!("{family}/{model}"));
    candidates.push(format!("{family}/{}", undated(model)));
    candidates
        .iter()
        .find_map(|c| table.get(c.as_str()).or_else(|| table.get(undated(c))))
}

/// `gpt-4o-2024-08-06` → `gpt-4o`; `claude-3-5-sonnet-20241022` → `claude-3-5-sonnet`;
/// `claude-sonnet-4-5@20250929` → `claude-sonnet-4-5`; `-latest` stays.
pub fn undated(model: &str) -> &str {
    let bytes = model.as_bytes();
    let n = bytes.len();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    // -YYYY-MM-DD
    if n > 11
        && bytes[n - 11] == b'-'
        && bytes[n - 6] == b'-'
        && bytes[n - 3] == b'-'
        && digits(&bytes[n - 10..n - 6])
        && digits(&bytes[n - 5..n - 3])
        && digits(&bytes[n - 2..])
    {
        return &model[..n - 11];
    }
    // -YYYYMMDD or @YYYYMMDD
    if n > 9 && (bytes[n - 9] == b'-' || bytes[n - 9] == b'@') && digits(&bytes[n - 8..]) {
        return &model[..n - 9];
    }
    model
}

/// USD for `usage` at `price`. Prompt tokens include cached reads (and Anthropic's cache writes,
/// reported in `cache_creation_input_tokens`), each priced at its own rate.
pub fn cost(price: &Price, usage: &Usage) -> f64 {
    let cached = usage.cached_prompt_tokens().min(usage.prompt_tokens);
    let writes = usage
        .extra
        .get("cache_creation_input_tokens")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
        .min(usage.prompt_tokens - cached);
    let uncached = usage.prompt_tokens - cached - writes;
    let read_price = price
        .cache_read_input_token_cost
        .unwrap_or(price.input_cost_per_token);
    let write_price = price
        .cache_creation_input_token_cost
        .unwrap_or(price.input_cost_per_token);
    uncached as f64 * price.input_cost_per_token
        + cached as f64 * read_price
        + writes as f64 * write_price
        + usage.completion_tokens as f64 * price.output_cost_per_token
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;

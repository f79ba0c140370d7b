//! Typed configuration, read from a LiteLLM-compatible `config.yaml` (ARCHITECTURE §3).
//!
//! [`load`] reads the file, applies `environment_variables`, resolves `os.environ/NAME` values,
//! and validates everything in one pass, returning every problem at once. Keys LiteLLM documents
//! but Tollgate does not implement, and unknown keys inside the known sections, are warnings
//! (errors under `--strict`); an unknown top-level section or a wrong type is an error.
//! This module does not touch the network or the database.

mod env;
mod litellm_keys;
mod load;
pub mod mcp;
mod reader;
pub mod redis;
pub mod routing;
mod secret;

use std::time::Duration;

pub use load::{LoadError, Loaded, load, load_str, model_entry};
pub use reader::Problems;
pub use secret::Secret;

/// LiteLLM's default upstream timeout (`request_timeout`), in seconds.
pub const DEFAULT_TIMEOUT_SECS: f64 = 600.0;

/// The whole validated configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub model_list: Vec<ModelEntry>,
    pub router: RouterSettings,
    pub litellm: LitellmSettings,
    pub general: GeneralSettings,
    /// `environment_variables`: consulted before the process environment.
    pub environment: std::collections::BTreeMap<String, String>,
    /// Declarative bootstrap (`teams:`, `keys:`): created or updated idempotently at startup.
    pub bootstrap: Bootstrap,
    /// `mcp_servers`: the upstream servers of the MCP hub (`/mcp`).
    pub mcp_servers: Vec<tollgate_mcp::ServerSpec>,
}

/// Teams and keys the config declares (GitOps). Each entry carries the fields of `/team/new`
/// or `/key/generate`; they are validated by those operations when applied at startup.
#[derive(Debug, Clone, Default)]
pub struct Bootstrap {
    /// Each has a `team_id`.
    pub teams: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Each has the secret under `key` (usually `os.environ/...`).
    pub keys: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// One `model_list[]` entry: a deployment of a public model name.
#[derive(Debug, Clone)]
pub struct ModelEntry {
    /// Public name clients request; may repeat (a group) or be a wildcard (`openai/*`).
    pub model_name: String,
    pub params: LitellmParams,
    pub info: ModelInfo,
    /// Where it came from, e.g. `model_list[3]`, for messages.
    pub origin: String,
}

/// `litellm_params` of a deployment.
#[derive(Debug, Clone, Default)]
pub struct LitellmParams {
    /// `<provider>/<upstream model>`.
    pub model: String,
    pub custom_llm_provider: Option<String>,
    pub api_base: Option<String>,
    pub api_key: Option<Secret>,
    pub api_version: Option<String>,
    pub organization: Option<String>,
    pub extra_headers: Vec<(String, String)>,
    pub timeout: Option<Duration>,
    pub stream_timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub rpm: Option<u64>,
    pub tpm: Option<u64>,
    pub weight: Option<f64>,
    pub order: Option<u32>,
    /// Tags for tag-based routing (`enable_tag_filtering`).
    pub tags: Vec<String>,
    pub input_cost_per_token: Option<f64>,
    pub output_cost_per_token: Option<f64>,
    /// Answer every call with this text instead of calling a provider (LiteLLM's mock).
    pub mock_response: Option<String>,
    /// OpenAI request parameters given as deployment defaults (`temperature: 0.2`, ...): applied
    /// when the request does not set them, as LiteLLM does.
    pub default_params: serde_json::Map<String, serde_json::Value>,
    /// `os.environ/NAME` references that were not set: the deployment answers with a clear error.
    pub missing_env: Vec<String>,
}

/// `model_info` of a deployment.
#[derive(Debug, Clone, Default)]
pub struct ModelInfo {
    pub id: Option<String>,
    pub access_groups: Vec<String>,
    pub max_input_tokens: Option<u64>,
    pub max_output_tokens: Option<u64>,
    pub mode: Option<String>,
    pub base_model: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RoutingStrategy {
    #[default]
    SimpleShuffle,
    LeastBusy,
    UsageBased,
    LatencyBased,
    CostBased,
}

impl RoutingStrategy {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "simple-shuffle" => Self::SimpleShuffle,
            "least-busy" => Self::LeastBusy,
            "usage-based-routing" | "usage-based-routing-v2" => Self::UsageBased,
            "latency-based-routing" => Self::LatencyBased,
            "cost-based-routing" => Self::CostBased,
            _ => return None,
        })
    }
}

/// `router_settings`.
#[derive(Debug, Clone, Default)]
pub struct RouterSettings {
    pub routing_strategy: RoutingStrategy,
    pub timeout: Option<Duration>,
    pub stream_timeout: Option<Duration>,
    /// Shared state for a fleet of instances (`None`: everything stays in memory).
    pub redis: Option<redis::RedisSettings>,
    /// Retries, cooldowns, fallbacks and the other reliability keys (also read from
    /// `litellm_settings`; `router_settings` wins).
    pub policy: routing::RouterPolicy,
}

/// `litellm_settings`.
#[derive(Debug, Clone, Default)]
pub struct LitellmSettings {
    pub drop_params: bool,
    pub request_timeout: Option<Duration>,
    /// Budget given to end users created on first use (enforced by the budgets).
    pub max_end_user_budget: Option<f64>,
    /// Budget of the whole proxy (USD), and its reset period (`30d`, ...).
    pub max_budget: Option<f64>,
    pub budget_duration: Option<String>,
}

/// `general_settings`.
#[derive(Debug, Clone, Default)]
pub struct GeneralSettings {
    /// Budget alert sinks (`alerting: [slack, webhook]`, LiteLLM's names).
    pub alerting: Alerting,
    pub master_key: Option<Secret>,
    pub database_url: Option<Secret>,
    pub store_prompts_in_spend_logs: bool,
    /// `maximum_spend_logs_retention_period`: spend log rows older than this are deleted (daily
    /// aggregates stay). `None` keeps them forever.
    pub maximum_spend_logs_retention_period: Option<Duration>,
    /// `maximum_spend_logs_retention_interval`: how often pruning runs (default 1 day).
    pub maximum_spend_logs_retention_interval: Option<Duration>,
    /// `spend_logs_journal_path` (Tollgate's own): where spend records wait while the database
    /// is down; default next to the SQLite file, else `./tollgate-spend-journal.jsonl`.
    pub spend_logs_journal_path: Option<String>,
    /// `background_health_checks` + `health_check_interval`: how often every deployment gets a
    /// minimal live call (`None`: no background checks).
    pub health_check_interval: Option<Duration>,
    /// `mcp_allowed_origins`: browser origins `/mcp` accepts besides localhost and the gateway's
    /// own host (`*`: any).
    pub mcp_allowed_origins: Vec<String>,
}

impl Config {
    /// An environment variable, from `environment_variables` first, then the process.
    pub fn env_var(&self, name: &str) -> Option<String> {
        self.environment
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    }

    /// The timeout of a whole non-streaming call to `entry`: its own, else the router's, else
    /// `request_timeout`, else 600 s.
    pub fn timeout_for(&self, entry: &ModelEntry) -> Duration {
        entry
            .params
            .timeout
            .or(self.router.timeout)
            .or(self.litellm.request_timeout)
            .unwrap_or(Duration::from_secs_f64(DEFAULT_TIMEOUT_SECS))
    }

    /// The time a stream may take to start for `entry`: `stream_timeout` at either level, else
    /// the call timeout.
    pub fn stream_timeout_for(&self, entry: &ModelEntry) -> Duration {
        entry
            .params
            .stream_timeout
            .or(self.router.stream_timeout)
            .unwrap_or_else(|| self.timeout_for(entry))
    }
}

/// Where budget alerts go.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alerting {
    /// Slack-compatible incoming webhook (`{"text": ...}`): `alert_to_webhook_url.budget_alerts`,
    /// `alerting_args.slack_webhook_url`, or `SLACK_WEBHOOK_URL`, when `slack` is listed.
    pub slack_url: Option<String>,
    /// Generic JSON webhook: `alerting_args.webhook_url` or `WEBHOOK_URL`, when `webhook` is listed.
    pub webhook_url: Option<String>,
    /// Alert when spend reaches this share of a budget (`alerting_args.budget_alert_ratio`,
    /// e.g. 0.8), besides each entity's own `soft_budget`.
    pub budget_alert_ratio: Option<f64>,
}

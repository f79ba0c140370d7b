//! One call's spend record, as the pipeline builds it and as the journal stores it (one JSON
//! line each). Built with [`SpendRecord::new`] and chained setters; prompts and responses are
//! dropped by the writer unless `store_prompts_in_spend_logs` is on.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::auth::Principal;
use crate::error::Error;
use crate::router::Deployment;
use crate::types::openai::Usage;

/// The outcome of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendStatus {
    Success,
    Failure,
}

impl SpendStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SpendStatus::Success => "success",
            SpendStatus::Failure => "failure",
        }
    }

    pub fn parse(text: &str) -> Self {
        if text == "failure" {
            SpendStatus::Failure
        } else {
            SpendStatus::Success
        }
    }
}

/// What one call cost and who made it. Ids that do not apply are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendRecord {
    /// The call id (`x-tollgate-call-id`): the primary key, so a record is written once.
    pub call_id: String,
    /// Unix ms.
    pub started_at: i64,
    pub ended_at: i64,
    /// SHA-256 (hex) of the key used.
    pub key_hash: Option<String>,
    pub key_alias: Option<String>,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub organization_id: Option<String>,
    /// The request's `user` (LiteLLM's customer).
    pub end_user: Option<String>,
    /// The public model name requested.
    pub model_group: String,
    pub deployment_id: Option<String>,
    pub provider: Option<String>,
    pub upstream_model: Option<String>,
    pub api_base: Option<String>,
    /// `/v1/chat/completions`, `/v1/embeddings`, `/v1/messages`, ...
    pub route: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Prompt tokens served from the provider's prompt cache.
    pub cached_tokens: u64,
    /// USD.
    pub cost: f64,
    pub latency_ms: u64,
    pub status: SpendStatus,
    /// The error `type` of a failed call (`rate_limit_error`, `timeout`, ...).
    pub error_type: Option<String>,
    /// Whether the gateway's cache answered.
    pub cache_hit: bool,
    /// The request's `metadata.tags` and the key's `tags`, deduplicated, in that order.
    pub tags: Vec<String>,
    /// The request body; kept only with `store_prompts_in_spend_logs`.
    pub request: Option<Value>,
    /// The response body; kept only with `store_prompts_in_spend_logs`.
    pub response: Option<Value>,
    pub metadata: Map<String, Value>,
}

impl SpendRecord {
    /// A successful call `call_id` on `route` that started at `started_at` (Unix ms), made by
    /// `principal` (its key hash, alias, user, team, organization and key tags are taken).
    /// Ends at `started_at` until [`SpendRecord::succeeded`] or [`SpendRecord::failed`] says.
    pub fn new(
        call_id: impl Into<String>,
        route: impl Into<String>,
        started_at: i64,
        principal: &Principal,
    ) -> Self {
        let key = principal.key.as_deref();
        let mut record = Self {
            call_id: call_id.into(),
            started_at,
            ended_at: started_at,
            key_hash: key.map(|k| k.token.clone()),
            key_alias: key.and_then(|k| k.key_alias.clone()),
            user_id: principal.user_id().map(str::to_owned),
            team_id: key
                .and_then(|k| k.team_id.clone())
                .or_else(|| principal.team.as_ref().map(|t| t.team_id.clone())),
            organization_id: key
                .and_then(|k| k.organization_id.clone())
                .or_else(|| principal.team.as_ref()?.organization_id.clone())
                .or_else(|| {
                    principal
                        .organization
                        .as_ref()
                        .map(|o| o.organization_id.clone())
                }),
            end_user: None,
            model_group: String::new(),
            deployment_id: None,
            provider: None,
            upstream_model: None,
            api_base: None,
            route: route.into(),
            prompt_tokens: 0,
            completion_tokens: 0,
            cached_tokens: 0,
            cost: 0.0,
            latency_ms: 0,
            status: SpendStatus::Success,
            error_type: None,
            cache_hit: false,
            tags: Vec::new(),
            request: None,
            response: None,
            metadata: Map::new(),
        };
        if let Some(key) = key {
            record.add_tags(&key.settings.tags);
        }
        record
    }

    /// The public model name requested (also set by [`SpendRecord::deployment`]).
    pub fn model_group(mut self, model_group: impl Into<String>) -> Self {
        self.model_group = model_group.into();
        self
    }

    /// The deployment that served the call: its id, provider, upstream model, API base and the
    /// public name it serves.
    pub fn deployment(mut self, deployment: &Deployment) -> Self {
        self.model_group.clone_from(&deployment.model_name);
        self.deployment_id = Some(deployment.id.clone());
        self.provider = Some(deployment.provider_name.clone());
        self.upstream_model = Some(deployment.upstream_model.clone());
        self.api_base = deployment.api_base().map(str::to_owned);
        self
    }

    /// Tokens from an OpenAI `usage` (cached prompt tokens from `prompt_tokens_details`).
    pub fn usage(self, usage: Option<&Usage>) -> Self {
        match usage {
            Some(u) => {
                let cached = u
                    .prompt_tokens_details
                    .as_ref()
                    .and_then(|d| d.cached_tokens)
                    .unwrap_or(0);
                self.tokens(u.prompt_tokens, u.completion_tokens, cached)
            }
            None => self,
        }
    }

    pub fn tokens(mut self, prompt: u64, completion: u64, cached: u64) -> Self {
        self.prompt_tokens = prompt;
        self.completion_tokens = completion;
        self.cached_tokens = cached;
        self
    }

    /// USD.
    pub fn cost(mut self, usd: f64) -> Self {
        self.cost = if usd.is_finite() { usd } else { 0.0 };
        self
    }

    /// The request's `user`.
    pub fn end_user(mut self, end_user: Option<&str>) -> Self {
        self.end_user = end_user.filter(|u| !u.is_empty()).map(str::to_owned);
        self
    }

    /// Adds request tags (see [`crate::spend::request_tags`]) to the key's.
    pub fn tags(mut self, tags: &[String]) -> Self {
        self.add_tags(tags);
        self
    }

    pub fn cache_hit(mut self, hit: bool) -> Self {
        self.cache_hit = hit;
        self
    }

    /// The request and response bodies (stored only with `store_prompts_in_spend_logs`).
    pub fn bodies(mut self, request: Option<Value>, response: Option<Value>) -> Self {
        self.request = request;
        self.response = response;
        self
    }

    /// Extra metadata stored with the row (JSON object).
    pub fn metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = metadata;
        self
    }

    /// The call succeeded and ended at `ended_at` (Unix ms).
    pub fn succeeded(mut self, ended_at: i64) -> Self {
        self.finish(ended_at);
        self.status = SpendStatus::Success;
        self.error_type = None;
        self
    }

    /// The call failed with `error` and ended at `ended_at` (Unix ms).
    pub fn failed(mut self, ended_at: i64, error: &Error) -> Self {
        self.finish(ended_at);
        self.status = SpendStatus::Failure;
        self.error_type = Some(error.kind().kind.to_owned());
        self
    }

    fn finish(&mut self, ended_at: i64) {
        self.ended_at = ended_at.max(self.started_at);
        self.latency_ms = u64::try_from(self.ended_at - self.started_at).unwrap_or(0);
    }

    fn add_tags(&mut self, tags: &[String]) {
        for tag in tags {
            let tag = tag.trim();
            if !tag.is_empty() && !self.tags.iter().any(|t| t == tag) {
                self.tags.push(tag.to_owned());
            }
        }
    }

    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens.saturating_add(self.completion_tokens)
    }

    /// The UTC day of the call's start, `YYYY-MM-DD`.
    pub fn day(&self) -> String {
        super::day::of_ms(self.started_at)
    }
}

/// The request tags LiteLLM reads: `metadata.tags` (and `litellm_metadata.tags`) and a top-level
/// `tags`, from a request body's extra fields. Read it before the gateway parameters are stripped.
pub fn request_tags(extra: &Map<String, Value>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let lists = [
        extra.get("metadata").and_then(|m| m.get("tags")),
        extra.get("litellm_metadata").and_then(|m| m.get("tags")),
        extra.get("tags"),
    ];
    for list in lists.into_iter().flatten() {
        if let Some(items) = list.as_array() {
            for tag in items.iter().filter_map(Value::as_str) {
                let tag = tag.trim();
                if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
                    tags.push(tag.to_owned());
                }
            }
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::keys::{KeyRecord, KeySettings};

    fn principal() -> Principal {
        let mut p = Principal::master();
        p.key = Some(Arc::new(KeyRecord {
            token: "abc".into(),
            key_name: "sk-...abcd".into(),
            key_alias: Some("ci".into()),
            user_id: Some("u1".into()),
            team_id: Some("t1".into()),
            organization_id: None,
            blocked: false,
            expires: None,
            spend: 0.0,
            budget_reset_at: None,
            settings: KeySettings {
                tags: vec!["prod".into(), "team-a".into()],
                ..KeySettings::default()
            },
            created_at: 0,
            updated_at: 0,
            created_by: None,
            updated_by: None,
        }));
        p
    }

    // The principal's ids and key tags are taken; request tags are merged without duplicates;
    // latency and status follow the outcome.
    #[test]
    fn builds_from_principal_and_outcome() {
        let extra: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "metadata": {"tags": ["prod", "batch", 7]},
            "tags": ["batch", " nightly "]
        }))
        .unwrap();
        let r = SpendRecord::new("c1", "/v1/chat/completions", 1_000, &principal())
            .model_group("gpt")
            .tags(&request_tags(&extra))
            .tokens(10, 5, 2)
            .cost(0.5)
            .end_user(Some(""))
            .succeeded(1_250);
        assert_eq!(r.key_hash.as_deref(), Some("abc"));
        assert_eq!(r.key_alias.as_deref(), Some("ci"));
        assert_eq!(r.user_id.as_deref(), Some("u1"));
        assert_eq!(r.team_id.as_deref(), Some("t1"));
        assert_eq!(r.tags, ["prod", "team-a", "batch", "nightly"]);
        assert_eq!(r.latency_ms, 250);
        assert_eq!(r.total_tokens(), 15);
        assert_eq!(r.end_user, None);
        assert_eq!(r.status, SpendStatus::Success);
        let failed = r.failed(900, &Error::Timeout("slow".into()));
        assert_eq!(failed.status, SpendStatus::Failure);
        assert_eq!(failed.error_type.as_deref(), Some("timeout"));
        assert_eq!(
            failed.latency_ms, 0,
            "an end before the start clamps to the start"
        );
    }

    // A record survives the journal's JSON round trip unchanged.
    #[test]
    fn json_round_trip() {
        let r = SpendRecord::new("c2", "/v1/embeddings", 5, &Principal::master())
            .bodies(Some(serde_json::json!({"input": "hi"})), None)
            .cost(f64::NAN);
        assert_eq!(r.cost, 0.0);
        let line = serde_json::to_string(&r).unwrap();
        let back: SpendRecord = serde_json::from_str(&line).unwrap();
        assert_eq!(back, r);
    }
}

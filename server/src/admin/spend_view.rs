//! LiteLLM's shapes of spend data: a `LiteLLM_SpendLogs` row, and the per-day summary that
//! `/spend/logs` answers when given `start_date` and `end_date` (unless `summarize=false`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::governance::clock::to_rfc3339;
use crate::spend::day;
use crate::store::spend::SpendLogRow;

/// One call, as LiteLLM's `/spend/logs` shows it, plus Tollgate's own fields at the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendLog {
    pub request_id: String,
    pub call_type: String,
    /// The key's hash.
    pub api_key: String,
    pub spend: f64,
    pub total_tokens: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    #[serde(rename = "startTime")]
    pub start_time: String,
    #[serde(rename = "endTime")]
    pub end_time: String,
    pub request_duration_ms: i64,
    #[serde(rename = "completionStartTime")]
    pub completion_start_time: Option<String>,
    /// The upstream model.
    pub model: String,
    /// The deployment id.
    pub model_id: String,
    /// The public model name.
    pub model_group: String,
    pub custom_llm_provider: String,
    pub api_base: String,
    /// The key's user.
    pub user: String,
    pub metadata: Value,
    /// `"True"` or `"False"`, as LiteLLM stores it.
    pub cache_hit: String,
    pub cache_key: String,
    pub request_tags: Vec<String>,
    pub team_id: Option<String>,
    pub organization_id: Option<String>,
    pub end_user: Option<String>,
    pub requester_ip_address: Option<String>,
    pub messages: Value,
    pub response: Value,
    pub session_id: Option<String>,
    pub status: String,
    pub key_alias: Option<String>,
    pub route: String,
    pub cached_tokens: i64,
    pub error_type: Option<String>,
    /// Unix ms (Tollgate's own, exact).
    pub start_time_ms: i64,
    pub end_time_ms: i64,
}

fn some(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn json_or(text: Option<&str>, default: Value) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(default)
}

impl From<SpendLogRow> for SpendLog {
    fn from(r: SpendLogRow) -> Self {
        let mut metadata = match json_or(Some(&r.metadata), json!({})) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        for (name, value) in [
            ("user_api_key", Some(r.api_key.clone())),
            ("user_api_key_alias", r.key_alias.clone()),
            ("user_api_key_user_id", some(r.user_id.clone())),
            ("user_api_key_team_id", some(r.team_id.clone())),
            ("user_api_key_org_id", some(r.organization_id.clone())),
            ("user_api_key_end_user_id", some(r.end_user.clone())),
        ] {
            metadata
                .entry(name)
                .or_insert(value.map_or(Value::Null, Value::String));
        }
        metadata.entry("status").or_insert(json!(r.status));
        if let Some(error) = &r.error_type {
            metadata
                .entry("error_information")
                .or_insert(json!({"error_class": error}));
        }
        let tags: Vec<String> = serde_json::from_str(&r.request_tags).unwrap_or_default();
        Self {
            total_tokens: r.prompt_tokens.saturating_add(r.completion_tokens),
            start_time: to_rfc3339(r.start_time),
            end_time: to_rfc3339(r.end_time),
            request_duration_ms: r.latency_ms,
            completion_start_time: None,
            cache_hit: if r.cache_hit { "True" } else { "False" }.to_owned(),
            cache_key: String::new(),
            request_tags: tags,
            metadata: Value::Object(metadata),
            messages: json_or(r.messages.as_deref(), json!({})),
            response: json_or(r.response.as_deref(), json!({})),
            team_id: some(r.team_id),
            organization_id: some(r.organization_id),
            end_user: some(r.end_user),
            requester_ip_address: None,
            session_id: None,
            api_base: r.api_base.unwrap_or_default(),
            request_id: r.request_id,
            call_type: r.call_type,
            api_key: r.api_key,
            spend: r.spend,
            prompt_tokens: r.prompt_tokens,
            completion_tokens: r.completion_tokens,
            model: r.model,
            model_id: r.model_id,
            model_group: r.model_group,
            custom_llm_provider: r.custom_llm_provider,
            user: r.user_id,
            status: r.status,
            key_alias: r.key_alias,
            route: r.route,
            cached_tokens: r.cached_tokens,
            error_type: r.error_type,
            start_time_ms: r.start_time,
            end_time_ms: r.end_time,
        }
    }
}

/// LiteLLM's summary: one entry per day with spend (`startTime`, `spend`, `users`, `models`, and
/// each key's hash with its spend), then zero entries for the days after the last one through
/// `end_day`, as LiteLLM does.
pub fn summary(rows: &[SpendLogRow], end_day: &str) -> Vec<Value> {
    let mut days: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for r in rows {
        let entry = days.entry(day::of_ms(r.start_time)).or_insert_with(|| {
            let mut m = Map::new();
            m.insert("users".into(), json!({}));
            m.insert("models".into(), json!({}));
            m.insert("spend".into(), json!(0.0));
            m
        });
        add(entry, "spend", r.spend);
        add(entry, &r.api_key, r.spend);
        if let Some(Value::Object(users)) = entry.get_mut("users") {
            add(users, &r.user_id, r.spend);
        }
        if let Some(Value::Object(models)) = entry.get_mut("models") {
            add(models, &r.model, r.spend);
        }
    }
    let last = days.keys().next_back().cloned();
    let mut out: Vec<Value> = days
        .into_iter()
        .map(|(d, mut m)| {
            m.insert("startTime".into(), json!(d));
            Value::Object(m)
        })
        .collect();
    if let (Some(last), Ok(end)) = (last, day::parse(end_day, "end_date"))
        && let Ok(mut next) = day::parse(&last, "day")
    {
        next.ms += 86_400_000;
        while next.ms < end.end_exclusive_ms() {
            out.push(json!({"startTime": next.day(), "spend": 0, "users": {}, "models": {}}));
            next.ms += 86_400_000;
        }
    }
    out
}

fn add(map: &mut Map<String, Value>, key: &str, amount: f64) {
    let current = map.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    map.insert(key.to_owned(), json!(current + amount));
}

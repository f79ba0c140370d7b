//! Loading and validating a config file into [`Config`], listing every problem at once.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_yaml::Value;

use super::env::{self, MissingVar};
use super::litellm_keys as keys;
use super::reader::{Problems, Section, describe};
use super::{
    Bootstrap, Config, GeneralSettings, LitellmParams, LitellmSettings, ModelEntry, ModelInfo,
    RouterSettings, RoutingStrategy, Secret,
};

/// A config that loaded, with the warnings to log once.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

/// A config that did not load: every problem found.
#[derive(Debug)]
pub struct LoadError {
    pub problems: Vec<String>,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "invalid configuration ({} problems):",
            self.problems.len()
        )?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

const TOP_LEVEL_IMPLEMENTED: &[&str] = &[
    "model_list",
    "litellm_settings",
    "general_settings",
    "router_settings",
    "environment_variables",
    "teams",
    "keys",
    "mcp_servers",
];

/// Loads `path` (or the defaults when `None`), reading the process environment.
pub fn load(path: Option<&Path>, strict: bool) -> Result<Loaded, LoadError> {
    let text = match path {
        Some(p) => std::fs::read_to_string(p).map_err(|e| LoadError {
            problems: vec![format!("cannot read config file {}: {e}", p.display())],
        })?,
        None => String::new(),
    };
    load_str(&text, strict, &|name| std::env::var(name).ok())
}

/// Loads a config from YAML text with an explicit environment (for tests).
pub fn load_str(
    text: &str,
    strict: bool,
    process_env: &dyn Fn(&str) -> Option<String>,
) -> Result<Loaded, LoadError> {
    let mut problems = Problems {
        strict,
        ..Problems::default()
    };
    let root: Value = if text.trim().is_empty() {
        Value::Null
    } else {
        serde_yaml::from_str(text).map_err(|e| LoadError {
            problems: vec![format!("config is not valid YAML: {e}")],
        })?
    };
    let mut top = Section::new("config", Some(root), &mut problems);

    // `environment_variables` come first: later `os.environ/` references may name them.
    let overlay: BTreeMap<String, String> = top
        .get::<BTreeMap<String, Value>>("environment_variables", &mut problems)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, scalar_to_string(&v)))
        .collect();
    let lookup = |name: &str| overlay.get(name).cloned().or_else(|| process_env(name));

    let mut sections: BTreeMap<&str, Value> = BTreeMap::new();
    let mut deployment_missing = Vec::new();
    for name in [
        "model_list",
        "litellm_settings",
        "general_settings",
        "router_settings",
        "teams",
        "keys",
        "mcp_servers",
    ] {
        if let Some(mut value) = top.take_raw(name) {
            let missing = env::resolve(&mut value, name, &lookup);
            sections.insert(name, value);
            deployment_missing.extend(report_missing(missing, &mut problems));
        }
    }
    let unknown_top: Vec<String> = top_level_leftovers(top, &mut problems);
    for key in unknown_top {
        problems.error(format!(
            "config.{key}: unknown top-level section (known: {})",
            TOP_LEVEL_IMPLEMENTED.join(", ")
        ));
    }

    let model_list = read_model_list(
        sections.remove("model_list"),
        &deployment_missing,
        &mut problems,
    );
    let mut router = read_router(sections.remove("router_settings"), &lookup, &mut problems);
    let bootstrap = Bootstrap {
        teams: read_bootstrap("teams", "team_id", sections.remove("teams"), &mut problems),
        keys: read_bootstrap("keys", "key", sections.remove("keys"), &mut problems),
    };
    let mcp_servers = super::mcp::read(sections.remove("mcp_servers"), &mut problems);
    let (litellm, litellm_policy) =
        read_litellm(sections.remove("litellm_settings"), &mut problems);
    router.policy = std::mem::take(&mut router.policy).or(litellm_policy);
    let mut general = read_general(sections.remove("general_settings"), &lookup, &mut problems);
    if general.master_key.is_none() {
        general.master_key = lookup("TOLLGATE_MASTER_KEY")
            .or_else(|| lookup("LITELLM_MASTER_KEY"))
            .filter(|k| !k.is_empty())
            .map(Secret::new);
    }
    if general.database_url.is_none() {
        general.database_url = lookup("DATABASE_URL")
            .filter(|k| !k.is_empty())
            .map(Secret::new);
    }

    if !problems.errors.is_empty() {
        return Err(LoadError {
            problems: problems.errors,
        });
    }
    Ok(Loaded {
        config: Config {
            model_list,
            router,
            litellm,
            general,
            environment: overlay,
            bootstrap,
            mcp_servers,
        },
        warnings: problems
            .warnings
            .into_iter()
            .chain(dedupe_warnings(problems.unsupported_keys))
            .collect(),
    })
}

/// Missing variables under a deployment's `litellm_params` only disable that deployment (the
/// example config names provider keys a newcomer may not have) and are returned; anywhere else
/// they are errors.
fn report_missing(missing: Vec<MissingVar>, problems: &mut Problems) -> Vec<MissingVar> {
    let mut for_deployments = Vec::new();
    for m in missing {
        if is_deployment_param(&m.path) {
            problems.warnings.push(format!(
                "{}: environment variable {} is not set; calls to this deployment will fail until it is",
                m.path, m.name
            ));
            for_deployments.push(m);
        } else {
            problems.error(format!(
                "{}: environment variable {} is not set",
                m.path, m.name
            ));
        }
    }
    for_deployments
}

fn is_deployment_param(path: &str) -> bool {
    path.starts_with("model_list[") && path.contains("].litellm_params.")
}

fn top_level_leftovers(top: Section, problems: &mut Problems) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = Problems::default();
    top.finish(keys::TOP_LEVEL, &mut rest);
    for message in rest.unsupported_keys.into_iter().chain(rest.errors) {
        // `finish` formats "config.<key>: ..."; recover the key to classify it.
        let key = message
            .trim_start_matches("config.")
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        if keys::TOP_LEVEL.contains(&key.as_str()) {
            problems.unsupported(message);
        } else {
            unknown.push(key);
        }
    }
    unknown
}

fn read_model_list(
    value: Option<Value>,
    missing: &[MissingVar],
    problems: &mut Problems,
) -> Vec<ModelEntry> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(other) => {
            problems.error(format!(
                "model_list: expected a list, found {}",
                describe(&other)
            ));
            return Vec::new();
        }
    };
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let origin = format!("model_list[{i}]");
        if let Some(mut entry) = read_model_entry(&origin, item, problems) {
            let prefix = format!("{origin}.litellm_params.");
            entry.params.missing_env = missing
                .iter()
                .filter(|m| m.path.starts_with(&prefix))
                .map(|m| m.name.clone())
                .collect();
            entries.push(entry);
        }
    }
    entries
}

/// Reads one `model_list` entry given at runtime (`/model/new`), resolving `os.environ/`
/// references: the entry and its warnings, or every problem found.
pub fn model_entry(
    origin: &str,
    value: serde_json::Value,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(ModelEntry, Vec<String>), Vec<String>> {
    let mut item: Value = serde_yaml::to_value(value).map_err(|e| vec![e.to_string()])?;
    let mut problems = Problems::default();
    for m in env::resolve(&mut item, origin, lookup) {
        problems.error(format!(
            "{}: environment variable {} is not set",
            m.path, m.name
        ));
    }
    let entry = read_model_entry(origin, item, &mut problems);
    match entry {
        Some(entry) if problems.errors.is_empty() => Ok((entry, problems.unsupported_keys)),
        _ => Err(problems.errors),
    }
}

fn read_model_entry(origin: &str, item: Value, problems: &mut Problems) -> Option<ModelEntry> {
    let mut entry = Section::new(origin, Some(item), problems);
    let model_name: Option<String> = entry.get("model_name", problems);
    let params_value = entry.take_raw("litellm_params");
    let info_value = entry.take_raw("model_info");
    entry.finish(&[], problems);

    let params = read_params(&format!("{origin}.litellm_params"), params_value, problems);
    let info = read_info(&format!("{origin}.model_info"), info_value, problems);
    let Some(model_name) = model_name.filter(|n| !n.trim().is_empty()) else {
        problems.error(format!("{origin}.model_name: required"));
        return None;
    };
    let params = params?;
    Some(ModelEntry {
        model_name,
        params,
        info,
        origin: origin.to_owned(),
    })
}

fn read_params(path: &str, value: Option<Value>, problems: &mut Problems) -> Option<LitellmParams> {
    if value.is_none() {
        problems.error(format!("{path}: required"));
        return None;
    }
    let mut s = Section::new(path, value, problems);
    let model: Option<String> = s.get("model", problems);
    let mut extra_headers: Vec<(String, String)> = Vec::new();
    for key in ["extra_headers", "headers"] {
        if let Some(h) = s.get::<BTreeMap<String, String>>(key, problems) {
            extra_headers.extend(h);
        }
    }
    let mut default_params = serde_json::Map::new();
    for key in keys::DEFAULT_REQUEST_PARAMS {
        if let Some(v) = s.get::<serde_json::Value>(key, problems) {
            default_params.insert((*key).to_owned(), v);
        }
    }
    let params = LitellmParams {
        model: model.unwrap_or_default(),
        custom_llm_provider: s.get("custom_llm_provider", problems),
        api_base: s.get("api_base", problems),
        api_key: s.get::<String>("api_key", problems).map(Secret::new),
        api_version: s.get("api_version", problems),
        organization: s.get("organization", problems),
        extra_headers,
        timeout: seconds(&mut s, "timeout", problems),
        stream_timeout: seconds(&mut s, "stream_timeout", problems),
        max_retries: s.get("max_retries", problems),
        rpm: s.get("rpm", problems),
        tpm: s.get("tpm", problems),
        weight: s.get("weight", problems),
        order: s.get("order", problems),
        tags: s.get("tags", problems).unwrap_or_default(),
        input_cost_per_token: s.get("input_cost_per_token", problems),
        output_cost_per_token: s.get("output_cost_per_token", problems),
        mock_response: s.get("mock_response", problems),
        default_params,
        missing_env: Vec::new(),
    };
    s.finish(keys::LITELLM_PARAMS, problems);
    if params.model.trim().is_empty() {
        problems.error(format!("{path}.model: required (\"<provider>/<model>\")"));
        return None;
    }
    if let Some(w) = params.weight
        && !(w.is_finite() && w >= 0.0)
    {
        problems.error(format!(
            "{path}.weight: must be a non-negative number, got {w}"
        ));
    }
    Some(params)
}

fn read_info(path: &str, value: Option<Value>, problems: &mut Problems) -> ModelInfo {
    let mut s = Section::new(path, value, problems);
    let info = ModelInfo {
        id: s.get::<Value>("id", problems).map(|v| scalar_to_string(&v)),
        access_groups: s.get("access_groups", problems).unwrap_or_default(),
        max_input_tokens: s.get("max_input_tokens", problems),
        max_output_tokens: s
            .get("max_output_tokens", problems)
            .or_else(|| s.get("max_tokens", problems)),
        mode: s.get("mode", problems),
        base_model: s.get("base_model", problems),
    };
    s.finish(keys::MODEL_INFO, problems);
    info
}

fn read_router(
    value: Option<Value>,
    lookup: &dyn Fn(&str) -> Option<String>,
    problems: &mut Problems,
) -> RouterSettings {
    let mut s = Section::new("router_settings", value, problems);
    let redis = super::redis::read(&mut s, lookup, problems);
    let strategy = match s.get::<String>("routing_strategy", problems) {
        None => RoutingStrategy::SimpleShuffle,
        Some(name) => match RoutingStrategy::parse(&name) {
            Some(strategy) => strategy,
            None => {
                problems.error(format!(
                    "router_settings.routing_strategy: unknown strategy `{name}` (simple-shuffle, least-busy, usage-based-routing, latency-based-routing, cost-based-routing)"
                ));
                RoutingStrategy::SimpleShuffle
            }
        },
    };
    let settings = RouterSettings {
        routing_strategy: strategy,
        policy: super::routing::read(&mut s, problems),
        timeout: seconds(&mut s, "timeout", problems),
        stream_timeout: seconds(&mut s, "stream_timeout", problems),
        redis,
    };
    s.finish(keys::ROUTER_SETTINGS, problems);
    settings
}

fn read_litellm(
    value: Option<Value>,
    problems: &mut Problems,
) -> (LitellmSettings, super::routing::RouterPolicy) {
    let mut s = Section::new("litellm_settings", value, problems);
    let settings = LitellmSettings {
        drop_params: s.get("drop_params", problems).unwrap_or(false),
        request_timeout: seconds(&mut s, "request_timeout", problems),
        max_end_user_budget: s.get("max_end_user_budget", problems),
        max_budget: s.get("max_budget", problems),
        budget_duration: s.get("budget_duration", problems),
    };
    if let Some(d) = &settings.budget_duration
        && let Err(e) = crate::governance::duration::parse(d, "budget_duration")
    {
        problems.error(format!("litellm_settings.{e}"));
    }
    let policy = super::routing::read(&mut s, problems);
    s.finish(keys::LITELLM_SETTINGS, problems);
    (settings, policy)
}

fn read_general(
    value: Option<Value>,
    lookup: &dyn Fn(&str) -> Option<String>,
    problems: &mut Problems,
) -> GeneralSettings {
    let mut s = Section::new("general_settings", value, problems);
    let alerting = read_alerting(&mut s, lookup, problems);
    let settings = GeneralSettings {
        alerting,
        master_key: s
            .get::<String>("master_key", problems)
            .filter(|k| !k.is_empty())
            .map(Secret::new),
        database_url: s
            .get::<String>("database_url", problems)
            .filter(|k| !k.is_empty())
            .map(Secret::new),
        store_prompts_in_spend_logs: s
            .get("store_prompts_in_spend_logs", problems)
            .unwrap_or(false),
        maximum_spend_logs_retention_period: span(
            &mut s,
            "maximum_spend_logs_retention_period",
            problems,
        ),
        maximum_spend_logs_retention_interval: span(
            &mut s,
            "maximum_spend_logs_retention_interval",
            problems,
        ),
        spend_logs_journal_path: s
            .get::<String>("spend_logs_journal_path", problems)
            .filter(|p| !p.trim().is_empty()),
        health_check_interval: super::routing::read_health(&mut s, problems),
        mcp_allowed_origins: s.get("mcp_allowed_origins", problems).unwrap_or_default(),
    };
    s.finish(keys::GENERAL_SETTINGS, problems);
    settings
}

/// A `teams:` or `keys:` section: a list of mappings, each with its identifying field.
fn read_bootstrap(
    section: &str,
    id_field: &str,
    value: Option<Value>,
    problems: &mut Problems,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(other) => {
            problems.error(format!(
                "{section}: expected a list, found {}",
                describe(&other)
            ));
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match serde_yaml::from_value::<serde_json::Value>(item) {
            Ok(serde_json::Value::Object(map)) => {
                let has_id = map
                    .get(id_field)
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|v| !v.trim().is_empty());
                if has_id {
                    entries.push(map);
                } else {
                    problems.error(format!("{section}[{i}].{id_field}: required"));
                }
            }
            Ok(_) => problems.error(format!("{section}[{i}]: expected a mapping")),
            Err(e) => problems.error(format!("{section}[{i}]: {e}")),
        }
    }
    entries
}

/// A LiteLLM duration (`30s`, `10m`, `24h`, `7d`, `1mo`; a bare number is seconds).
fn span(s: &mut Section, key: &str, problems: &mut Problems) -> Option<Duration> {
    let text = match s.get::<Value>(key, problems)? {
        Value::Number(n) => format!("{n}s"),
        Value::String(text) => text,
        other => {
            problems.error(format!(
                "{}.{key}: expected a duration like 30d, found {}",
                s.path(),
                describe(&other)
            ));
            return None;
        }
    };
    match crate::governance::duration::parse(&text, key) {
        Ok(span) => Some(Duration::from_millis(
            u64::try_from(span.millis).unwrap_or(u64::MAX),
        )),
        Err(e) => {
            problems.error(format!("{}.{e}", s.path()));
            None
        }
    }
}

/// `alerting`, `alerting_args`, `alert_to_webhook_url` (LiteLLM's names).
fn read_alerting(
    s: &mut Section,
    lookup: &dyn Fn(&str) -> Option<String>,
    problems: &mut Problems,
) -> super::Alerting {
    let sinks: Vec<String> = s.get("alerting", problems).unwrap_or_default();
    let args: BTreeMap<String, Value> = s.get("alerting_args", problems).unwrap_or_default();
    let per_type: BTreeMap<String, String> =
        s.get("alert_to_webhook_url", problems).unwrap_or_default();
    let arg = |name: &str| args.get(name).and_then(Value::as_str).map(str::to_owned);
    for sink in &sinks {
        if sink != "slack" && sink != "webhook" {
            problems.unsupported(format!(
                "general_settings.alerting: `{sink}` is not implemented; only slack and webhook"
            ));
        }
    }
    let listed = |name: &str| sinks.iter().any(|s| s == name);
    let ratio = args.get("budget_alert_ratio").and_then(Value::as_f64);
    if let Some(r) = ratio
        && !(r > 0.0 && r <= 1.0)
    {
        problems.error(format!(
            "general_settings.alerting_args.budget_alert_ratio: must be in (0, 1], got {r}"
        ));
    }
    let alerting = super::Alerting {
        slack_url: listed("slack")
            .then(|| {
                per_type
                    .get("budget_alerts")
                    .cloned()
                    .or_else(|| arg("slack_webhook_url"))
                    .or_else(|| lookup("SLACK_WEBHOOK_URL"))
            })
            .flatten(),
        webhook_url: listed("webhook")
            .then(|| arg("webhook_url").or_else(|| lookup("WEBHOOK_URL")))
            .flatten(),
        budget_alert_ratio: ratio,
    };
    if listed("slack") && alerting.slack_url.is_none() {
        problems.unsupported(
            "general_settings.alerting: slack is listed but no webhook URL is set (SLACK_WEBHOOK_URL, alerting_args.slack_webhook_url or alert_to_webhook_url.budget_alerts); slack alerts are off",
        );
    }
    if listed("webhook") && alerting.webhook_url.is_none() {
        problems.unsupported(
            "general_settings.alerting: webhook is listed but no URL is set (WEBHOOK_URL or alerting_args.webhook_url); webhook alerts are off",
        );
    }
    alerting
}

/// A positive number of seconds.
fn seconds(s: &mut Section, key: &str, problems: &mut Problems) -> Option<Duration> {
    let secs: f64 = s.get(key, problems)?;
    if secs.is_finite() && secs > 0.0 {
        Some(Duration::from_secs_f64(secs))
    } else {
        problems.error(format!(
            "{}.{key}: must be a positive number of seconds, got {secs}",
            s.path()
        ));
        None
    }
}

fn scalar_to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// One warning per distinct key: `model_list[3].model_info.tier` and `model_list[7]...` are
/// reported once as `model_list[*].model_info.tier`.
fn dedupe_warnings(warnings: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for w in warnings {
        let generic = generalise_indices(&w);
        if seen.insert(generic.clone()) {
            out.push(generic);
        }
    }
    out
}

fn generalise_indices(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '[' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('*');
        }
    }
    out
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;

//! Budget alerts: when a scope's settled spend crosses its `soft_budget`, a configured share of
//! its budget (`alerting_args.budget_alert_ratio`), or the budget itself, one alert is sent per
//! scope, kind and budget period, to a Slack-compatible webhook (`{"text": ...}`) and/or a
//! generic JSON webhook (LiteLLM's `alerting: [slack, webhook]`). Delivery runs in a tracked
//! background task with a timeout: it never slows a request, and shutdown waits for it.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use tokio_util::task::TaskTracker;

use super::{Scope, ScopeLimit, Spent};
use crate::config::Alerting;
use crate::governance::clock::to_rfc3339;

const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Which line was crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    SoftBudget,
    Threshold,
    BudgetReached,
}

impl AlertKind {
    /// LiteLLM's webhook `event` names.
    fn event(self) -> &'static str {
        match self {
            AlertKind::SoftBudget => "soft_budget_crossed",
            AlertKind::Threshold => "threshold_crossed",
            AlertKind::BudgetReached => "budget_crossed",
        }
    }
}

/// Sends each budget alert once per scope, kind and period.
#[derive(Debug)]
pub struct BudgetAlerts {
    config: Alerting,
    http: reqwest::Client,
    sent: Mutex<HashSet<(Scope, AlertKind, Option<i64>)>>,
    /// With Redis, the fleet agrees on who sends (`SET NX`), so each alert goes out once in all.
    redis: Option<std::sync::Arc<crate::redis::RedisLink>>,
}

/// How long the fleet remembers a sent alert (longer than any budget period in use).
const SENT_MEMORY_MS: u64 = 400 * 86_400_000;

impl BudgetAlerts {
    pub fn new(
        config: Alerting,
        http: reqwest::Client,
        redis: Option<std::sync::Arc<crate::redis::RedisLink>>,
    ) -> Self {
        Self {
            config,
            http,
            sent: Mutex::new(HashSet::new()),
            redis,
        }
    }

    fn enabled(&self) -> bool {
        self.config.slack_url.is_some() || self.config.webhook_url.is_some()
    }

    /// Checks every scope of a settled call and sends the alerts now due.
    pub fn check(&self, limits: &[ScopeLimit], settled: &[Spent], tasks: &TaskTracker) {
        if !self.enabled() {
            return;
        }
        for limit in limits {
            let Some(&Spent {
                spent, reset_at, ..
            }) = settled.iter().find(|s| s.scope == limit.scope)
            else {
                continue;
            };
            let max = limit.max_budget.is_finite().then_some(limit.max_budget);
            let lines = [
                (AlertKind::SoftBudget, limit.soft_budget),
                (
                    AlertKind::Threshold,
                    self.config.budget_alert_ratio.zip(max).map(|(r, m)| r * m),
                ),
                (AlertKind::BudgetReached, max),
            ];
            for (kind, line) in lines {
                let Some(line) = line.filter(|l| *l > 0.0 && spent >= *l) else {
                    continue;
                };
                let first = self.sent.lock().unwrap_or_else(|e| e.into_inner()).insert((
                    limit.scope.clone(),
                    kind,
                    reset_at,
                ));
                if first {
                    let alert = alert_body(limit, kind, spent, line, max, reset_at);
                    let claim = format!(
                        "{}alert:{}:{kind:?}:{}",
                        crate::redis::PREFIX,
                        limit.scope.storage_key(),
                        reset_at.unwrap_or(0)
                    );
                    self.send(tasks, claim, alert);
                }
            }
        }
    }

    /// Sends an alert; with Redis only the instance that claims `claim` first sends it.
    fn send(&self, tasks: &TaskTracker, claim: String, (text, payload): (String, Value)) {
        let Some(redis) = self.redis.clone() else {
            deliver(&self.config, &self.http, tasks, text, payload);
            return;
        };
        let (config, http, inner_tasks) = (self.config.clone(), self.http.clone(), tasks.clone());
        tasks.spawn(async move {
            let claimed = redis
                .run::<Option<String>>(
                    redis::cmd("SET")
                        .arg(&claim)
                        .arg(1)
                        .arg("NX")
                        .arg("PX")
                        .arg(SENT_MEMORY_MS),
                )
                .await;
            // Redis down: better one alert per instance than none.
            if matches!(claimed, Ok(None)) {
                return;
            }
            deliver(&config, &http, &inner_tasks, text, payload);
        });
    }
}

/// Posts an alert to the configured Slack and webhook targets (in the background).
fn deliver(
    config: &Alerting,
    http: &reqwest::Client,
    tasks: &TaskTracker,
    text: String,
    payload: Value,
) {
    tracing::warn!(alert = %text, "budget alert");
    let targets = [
        config.slack_url.clone().map(|u| (u, json!({"text": text}))),
        config.webhook_url.clone().map(|u| (u, payload)),
    ];
    for (url, body) in targets.into_iter().flatten() {
        let http = http.clone();
        tasks.spawn(async move {
            let sent = http
                .post(&url)
                .timeout(SEND_TIMEOUT)
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {}
                Ok(r) => {
                    tracing::warn!(status = %r.status(), "budget alert webhook refused the alert")
                }
                Err(err) => tracing::warn!(error = %err, "budget alert webhook unreachable"),
            }
        });
    }
}

/// The Slack text and the webhook payload (LiteLLM's `WebhookEvent` fields where they apply).
fn alert_body(
    limit: &ScopeLimit,
    kind: AlertKind,
    spent: f64,
    line: f64,
    max: Option<f64>,
    reset_at: Option<i64>,
) -> (String, Value) {
    let what = match kind {
        AlertKind::SoftBudget => "soft budget",
        AlertKind::Threshold => "alert threshold",
        AlertKind::BudgetReached => "budget",
    };
    let text = format!(
        "Budget alert: {} has spent ${spent:.6}, reaching its {what} of ${line:.6}{}",
        limit.scope.describe(),
        max.map(|m| format!(" (budget ${m:.6})"))
            .unwrap_or_default()
    );
    let (group, ids) = match &limit.scope {
        Scope::Proxy => ("proxy", json!({})),
        Scope::Organization(id) => ("organization", json!({"organization_id": id})),
        Scope::Team(id) => ("team", json!({"team_id": id})),
        Scope::TeamMember { team_id, user_id } => (
            "team_member",
            json!({"team_id": team_id, "user_id": user_id}),
        ),
        Scope::User(id) => ("user", json!({"user_id": id})),
        Scope::Key(token) => ("key", json!({"token": token})),
        Scope::KeyModel { token, model } => ("key", json!({"token": token, "model": model})),
        Scope::EndUser(id) => ("customer", json!({"customer_id": id})),
        Scope::Tag(tag) => ("tag", json!({"tag": tag})),
    };
    let mut payload = json!({
        "event": kind.event(),
        "event_group": group,
        "event_message": text,
        "spend": spent,
        "max_budget": max,
        "soft_budget": limit.soft_budget,
        "threshold": line,
        "budget_reset_at": reset_at.map(to_rfc3339),
    });
    if let (Value::Object(p), Value::Object(ids)) = (&mut payload, ids) {
        p.extend(ids);
    }
    (text, payload)
}

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

use super::{BudgetLedger, Scope, ScopeLimit};
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
}

impl BudgetAlerts {
    pub fn new(config: Alerting, http: reqwest::Client) -> Self {
        Self {
            config,
            http,
            sent: Mutex::new(HashSet::new()),
        }
    }

    fn enabled(&self) -> bool {
        self.config.slack_url.is_some() || self.config.webhook_url.is_some()
    }

    /// Checks every scope of a settled call and sends the alerts now due.
    pub fn check(&self, ledger: &BudgetLedger, limits: &[ScopeLimit], tasks: &TaskTracker) {
        if !self.enabled() {
            return;
        }
        for limit in limits {
            let Some((spent, _, reset_at)) = ledger.snapshot(&limit.scope) else {
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
                    self.send(tasks, alert_body(limit, kind, spent, line, max, reset_at));
                }
            }
        }
    }

    fn send(&self, tasks: &TaskTracker, (text, payload): (String, Value)) {
        tracing::warn!(alert = %text, "budget alert");
        let targets = [
            self.config
                .slack_url
                .clone()
                .map(|u| (u, json!({"text": text}))),
            self.config.webhook_url.clone().map(|u| (u, payload)),
        ];
        for (url, body) in targets.into_iter().flatten() {
            let http = self.http.clone();
            tasks.spawn(async move {
                let sent = http.post(&url).timeout(SEND_TIMEOUT).json(&body).send().await;
                match sent {
                    Ok(r) if r.status().is_success() => {}
                    Ok(r) => tracing::warn!(status = %r.status(), "budget alert webhook refused the alert"),
                    Err(err) => tracing::warn!(error = %err, "budget alert webhook unreachable"),
                }
            });
        }
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

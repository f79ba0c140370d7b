//! Health checks: a minimal live call to each deployment (a one-token chat, or a one-word
//! embedding for `mode: embedding`), on demand (`GET /health`, admin) and in the background
//! every `health_check_interval` when `background_health_checks` is on. A failed check marks
//! the deployment unhealthy: the router skips it while a healthy one remains in its group, and
//! the next passing check marks it healthy again. Wildcard entries are not checked (they name
//! no concrete model).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::json;

use super::Deployment;
use crate::state::AppState;
use crate::types::openai::{ChatMessage, ChatRequest, EmbeddingsRequest};

/// The most a health check may take, whatever the deployment's own timeout.
const CHECK_TIMEOUT: Duration = Duration::from_secs(60);

/// One deployment's check, as `/health` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub model_name: String,
    /// `litellm_params.model`.
    pub model: String,
    pub model_id: String,
    pub api_base: Option<String>,
    pub latency_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// LiteLLM's `/health` answer.
#[derive(Debug, Clone, Serialize)]
pub struct HealthReport {
    pub healthy_endpoints: Vec<Checked>,
    pub unhealthy_endpoints: Vec<Checked>,
    pub healthy_count: usize,
    pub unhealthy_count: usize,
}

/// Checks one deployment now and records the result on it.
pub async fn check(deployment: &Deployment) -> Checked {
    let started = Instant::now();
    let embedding = deployment.entry.info.mode.as_deref() == Some("embedding");
    let call = async {
        if embedding {
            let req: EmbeddingsRequest = serde_json::from_value(json!({
                "model": deployment.model_name, "input": "ping"
            }))
            .map_err(crate::Error::internal)?;
            deployment.provider.embeddings(req).await.map(|_| ())
        } else {
            let req = ChatRequest {
                model: deployment.model_name.clone(),
                messages: vec![ping()?],
                max_tokens: Some(1),
                ..ChatRequest::default()
            };
            deployment.provider.chat(req).await.map(|_| ())
        }
    };
    let error = match tokio::time::timeout(CHECK_TIMEOUT, call).await {
        Ok(Ok(())) => None,
        Ok(Err(err)) => Some(err.to_string()),
        Err(_) => Some(format!("no answer within {}s", CHECK_TIMEOUT.as_secs())),
    };
    let latency = started.elapsed();
    deployment
        .state
        .set_health(error.is_none(), latency, error.clone());
    Checked {
        model_name: deployment.model_name.clone(),
        model: deployment.entry.params.model.clone(),
        model_id: deployment.id.clone(),
        api_base: deployment.api_base().map(str::to_owned),
        latency_ms: latency.as_secs_f64() * 1000.0,
        error,
    }
}

fn ping() -> crate::Result<ChatMessage> {
    serde_json::from_value(json!({"role": "user", "content": "ping"}))
        .map_err(crate::Error::internal)
}

/// Checks every deployment (of `model` only, when given), concurrently.
pub async fn check_all(state: &AppState, model: Option<&str>) -> HealthReport {
    let table = state.router.snapshot();
    let deployments: Vec<Arc<Deployment>> = table
        .deployments()
        .filter(|d| !d.model_name.contains('*'))
        .filter(|d| model.is_none_or(|m| d.model_name == m))
        .cloned()
        .collect();
    let results = futures_util::future::join_all(deployments.iter().map(|d| check(d))).await;
    let (healthy, unhealthy): (Vec<Checked>, Vec<Checked>) =
        results.into_iter().partition(|c| c.error.is_none());
    HealthReport {
        healthy_count: healthy.len(),
        unhealthy_count: unhealthy.len(),
        healthy_endpoints: healthy,
        unhealthy_endpoints: unhealthy,
    }
}

/// Runs [`check_all`] every `interval` until shutdown (a tracked task).
pub fn start(state: &AppState, interval: Duration) {
    let state = state.clone();
    state.tasks.clone().spawn(async move {
        loop {
            let report = tokio::select! {
                report = check_all(&state, None) => report,
                () = state.shutdown.cancelled() => break,
            };
            if report.unhealthy_count > 0 {
                let names: Vec<&str> = report
                    .unhealthy_endpoints
                    .iter()
                    .map(|c| c.model_id.as_str())
                    .collect();
                tracing::warn!(unhealthy = ?names, "background health check: deployments unhealthy");
            }
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = state.shutdown.cancelled() => break,
            }
        }
    });
}

/// Counts for `/health/readiness`: deployments in total, failing their last health check, and
/// cooling down now (wildcard entries left out).
pub fn summary(state: &AppState) -> serde_json::Value {
    let table = state.router.snapshot();
    let (mut total, mut unhealthy, mut cooling) = (0, 0, 0);
    for d in table.deployments().filter(|d| !d.model_name.contains('*')) {
        total += 1;
        if !d.state.view().healthy {
            unhealthy += 1;
        }
        if state.router.cooldowns.is_cooling(&d.id) {
            cooling += 1;
        }
    }
    json!({"total": total, "unhealthy": unhealthy, "cooling": cooling})
}

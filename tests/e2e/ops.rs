//! Liveness, readiness and metrics.

use serde_json::Value;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

// Liveness and readiness need no key; readiness reports the store.
#[tokio::test]
async fn health_routes() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let live = gw
        .client
        .get(gw.url("/health/liveliness"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    let ready = gw
        .client
        .get(gw.url("/health/readiness"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["db"], "connected");
    gw.stop().await;
}

// Metrics count requests by route, model and status in Prometheus text format.
#[tokio::test]
async fn metrics_count_requests() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let chat = serde_json::json!({"model": "demo", "messages": [{"role": "user", "content": "x"}]});
    assert_eq!(gw.post("/v1/chat/completions", &chat).await.status(), 200);
    let text = gw
        .client
        .get(gw.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("tollgate_requests_total")
                && l.contains("route=\"/v1/chat/completions\"")
                && l.contains("model=\"demo\"")
                && l.contains("status=\"200\"")),
        "{text}"
    );
    assert!(text.contains("tollgate_request_duration_seconds_bucket"));
    gw.stop().await;
}

//! The router against scripted mock upstreams: load balancing strategies, retries landing on
//! another deployment, cooldowns entered and left (injected clock), fail-fast when a whole
//! group cools, rpm limits, and timeouts that move on to another deployment.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tollgate::governance::Clock;
use tollgate_e2e::mock_provider::Script;
use tollgate_e2e::{Gateway, MockProvider};

/// A minute boundary, so minute windows do not roll over mid-test.
pub const START_MS: i64 = 1_800_000_000_000;

/// A config with `deployments` (`(model_name, upstream, id, extra litellm_params)`) on `mock`
/// and `router` as the `router_settings` body.
pub fn config(
    mock: &MockProvider,
    deployments: &[(&str, &str, &str, &str)],
    router: &str,
) -> String {
    let base = mock.openai_base();
    let mut yaml = String::from("model_list:\n");
    for (name, upstream, id, extra) in deployments {
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(", {extra}")
        };
        yaml.push_str(&format!(
            "  - model_name: {name}\n    litellm_params: {{model: openai/{upstream}, api_base: \"{base}\", api_key: sk-up{extra}}}\n    model_info: {{id: {id}}}\n"
        ));
    }
    yaml.push_str(&format!(
        "router_settings: {{{router}}}\ngeneral_settings:\n  master_key: {}\n",
        tollgate_e2e::gateway::MASTER_KEY
    ));
    yaml
}

pub fn chat(model: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": "hi"}]})
}

/// Sends a chat; returns the status and the deployment id that served it.
pub async fn call(gw: &Gateway, body: &Value) -> (u16, String) {
    let res = gw.post("/v1/chat/completions", body).await;
    let id = res
        .headers()
        .get("x-tollgate-model-id")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (res.status().as_u16(), id)
}

// Simple-shuffle spreads calls in proportion to the weights, within tolerance.
#[tokio::test]
async fn weighted_distribution_within_tolerance() {
    let mock = MockProvider::start().await;
    let deployments = [("g", "r1", "a", "weight: 1"), ("g", "r2", "b", "weight: 3")];
    let gw = Gateway::start(&config(&mock, &deployments, "")).await;
    let mut counts: HashMap<String, u32> = HashMap::new();
    for _ in 0..200 {
        let (status, id) = call(&gw, &chat("g")).await;
        assert_eq!(status, 200);
        *counts.entry(id).or_default() += 1;
    }
    let a = counts.get("a").copied().unwrap_or(0);
    assert!(
        (25..=75).contains(&a),
        "expected ~50 of 200 on a, got {counts:?}"
    );
    gw.stop().await;
}

// Least-busy sends a call to the deployment that is not busy with another one.
#[tokio::test]
async fn least_busy_avoids_the_busy_deployment() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::slow(400));
    mock.script("r2", Script::slow(400));
    let deployments = [("g", "r1", "a", ""), ("g", "r2", "b", "")];
    let gw = Gateway::start(&config(&mock, &deployments, "routing_strategy: least-busy")).await;
    for _ in 0..3 {
        let first = {
            let client = gw.client.clone();
            let url = gw.url("/v1/chat/completions");
            tokio::spawn(async move {
                let res = client
                    .post(url)
                    .bearer_auth(tollgate_e2e::gateway::MASTER_KEY)
                    .json(&chat("g"))
                    .send()
                    .await
                    .unwrap();
                res.headers()["x-tollgate-model-id"]
                    .to_str()
                    .unwrap()
                    .to_owned()
            })
        };
        tokio::time::sleep(Duration::from_millis(150)).await;
        let (_, second) = call(&gw, &chat("g")).await;
        let first = first.await.unwrap();
        assert_ne!(first, second, "the second call went to the busy deployment");
    }
    gw.stop().await;
}

// Latency-based routing explores both deployments, then keeps to the faster one.
#[tokio::test]
async fn latency_based_prefers_the_fast_deployment() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::slow(150));
    let deployments = [("g", "r1", "slow", ""), ("g", "r2", "fast", "")];
    let router = "routing_strategy: latency-based-routing";
    let gw = Gateway::start(&config(&mock, &deployments, router)).await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..20 {
        seen.insert(call(&gw, &chat("g")).await.1);
        if seen.len() == 2 {
            break;
        }
    }
    assert_eq!(seen.len(), 2, "both deployments are explored first");
    for _ in 0..10 {
        assert_eq!(call(&gw, &chat("g")).await.1, "fast");
    }
    gw.stop().await;
}

// A failed attempt is retried on the other deployment of the group.
#[tokio::test]
async fn retry_lands_on_another_deployment() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::failing(500));
    let deployments = [("g", "r1", "bad", ""), ("g", "r2", "good", "")];
    let router = "num_retries: 1, allowed_fails: 100";
    let gw = Gateway::start(&config(&mock, &deployments, router)).await;
    for _ in 0..10 {
        assert_eq!(call(&gw, &chat("g")).await, (200, "good".to_owned()));
    }
    assert!(mock.count("r1") > 0, "the failing deployment was tried");
    gw.stop().await;
}

// More than allowed_fails failures in a minute cool a deployment for cooldown_time; it is
// picked again once the (injected) clock passes the cooldown.
#[tokio::test]
async fn cooldown_entered_and_left() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::failing(500));
    let deployments = [
        ("g", "r1", "heavy", "weight: 1000"),
        ("g", "r2", "light", "weight: 1"),
    ];
    let router = "allowed_fails: 1, cooldown_time: 30";
    let clock = Clock::manual(START_MS);
    let gw =
        Gateway::start_with_clock(&config(&mock, &deployments, router), None, clock.clone()).await;
    // Two failures: the second is more than allowed_fails (1) this minute.
    let mut failures = 0;
    while failures < 2 {
        if call(&gw, &chat("g")).await.0 == 500 {
            failures += 1;
        }
    }
    let tried = mock.count("r1");
    for _ in 0..5 {
        assert_eq!(call(&gw, &chat("g")).await, (200, "light".to_owned()));
    }
    assert_eq!(
        mock.count("r1"),
        tried,
        "no call reaches a cooling deployment"
    );
    let info: Value = gw.get("/model/info").await.json().await.unwrap();
    let heavy = info["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["model_info"]["id"] == "heavy")
        .unwrap()
        .clone();
    assert!(heavy["state"]["cooldown_until"].is_string(), "{heavy}");
    assert_eq!(heavy["state"]["healthy"], false);
    clock.advance_ms(31_000);
    let mut back = false;
    for _ in 0..10 {
        if call(&gw, &chat("g")).await.0 == 500 {
            back = true;
            break;
        }
    }
    assert!(back, "the deployment is tried again after its cooldown");
    assert!(mock.count("r1") > tried);
    gw.stop().await;
}

// When every deployment of a group is cooling, calls fail fast with a clear 429.
#[tokio::test]
async fn all_cooling_group_fails_fast() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::failing(429).retry_after(30));
    mock.script("r2", Script::failing(429).retry_after(30));
    let deployments = [("g", "r1", "a", ""), ("g", "r2", "b", "")];
    let gw = Gateway::start(&config(&mock, &deployments, "num_retries: 1")).await;
    assert_eq!(call(&gw, &chat("g")).await.0, 429);
    assert_eq!(
        mock.count("r1") + mock.count("r2"),
        2,
        "the retry went to the other one"
    );
    let started = Instant::now();
    let res = gw.post("/v1/chat/completions", &chat("g")).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let body: Value = res.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("cooling down"), "{message}");
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(
        mock.count("r1") + mock.count("r2"),
        2,
        "no upstream was called"
    );
    gw.stop().await;
}

// Usage-based routing never sends a deployment more than its rpm in a minute.
#[tokio::test]
async fn usage_based_never_passes_rpm() {
    let mock = MockProvider::start().await;
    let deployments = [("g", "r1", "a", "rpm: 2"), ("g", "r2", "b", "rpm: 1")];
    let router = "routing_strategy: usage-based-routing";
    let clock = Clock::manual(START_MS);
    let gw =
        Gateway::start_with_clock(&config(&mock, &deployments, router), None, clock.clone()).await;
    let mut served = Vec::new();
    for _ in 0..3 {
        let (status, id) = call(&gw, &chat("g")).await;
        assert_eq!(status, 200);
        served.push(id);
    }
    served.sort();
    assert_eq!(served, ["a", "a", "b"]);
    assert_eq!(
        call(&gw, &chat("g")).await.0,
        429,
        "every deployment is at its rpm"
    );
    clock.advance_ms(60_000);
    assert_eq!(call(&gw, &chat("g")).await.0, 200, "a new minute");
    gw.stop().await;
}

// A deployment that times out is retried on the next one, within the timeout, not after it.
#[tokio::test]
async fn timeout_moves_to_another_deployment() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::slow(2000));
    let deployments = [
        ("g", "r1", "slow", "timeout: 0.3, order: 1"),
        ("g", "r2", "fast", "order: 2"),
    ];
    let gw = Gateway::start(&config(&mock, &deployments, "num_retries: 1")).await;
    let started = Instant::now();
    assert_eq!(call(&gw, &chat("g")).await, (200, "fast".to_owned()));
    assert!(started.elapsed() < Duration::from_millis(1500));
    gw.stop().await;
}

// `order` keeps traffic on the first tier while it has a deployment available.
#[tokio::test]
async fn order_tiers_are_respected() {
    let mock = MockProvider::start().await;
    let deployments = [
        ("g", "r1", "primary", "order: 1"),
        ("g", "r2", "backup", "order: 2"),
    ];
    let gw = Gateway::start(&config(&mock, &deployments, "")).await;
    for _ in 0..10 {
        assert_eq!(call(&gw, &chat("g")).await.1, "primary");
    }
    gw.stop().await;
}

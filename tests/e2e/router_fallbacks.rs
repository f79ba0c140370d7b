//! Fallbacks against scripted mock upstreams: chains with `default_fallbacks`, context-window
//! fallbacks on error and before the call, per-request fallbacks and model access, streams
//! that fail before and after their first byte, stream timeouts, LiteLLM's `mock_testing_*`
//! hooks (admin only), and cost charged at the deployment that served.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tollgate_e2e::gateway::{MASTER_KEY, sse_data};
use tollgate_e2e::mock_provider::Script;
use tollgate_e2e::{Gateway, MockProvider};

use super::router::{call, chat, config};

/// The seed scenario: `gpt` has two replicas, a `backup` group and a `cheap` default fallback,
/// a `long` group for prompts that do not fit.
fn seed(mock: &MockProvider, router_extra: &str) -> String {
    let deployments = [
        (
            "gpt",
            "replica-1",
            "gpt-1",
            "input_cost_per_token: 0.001, output_cost_per_token: 0.001",
        ),
        (
            "gpt",
            "replica-2",
            "gpt-2",
            "input_cost_per_token: 0.001, output_cost_per_token: 0.001",
        ),
        ("backup", "backup-up", "backup-1", ""),
        (
            "cheap",
            "cheap-up",
            "cheap-1",
            "input_cost_per_token: 0.000001, output_cost_per_token: 0.000001",
        ),
        ("long", "long-up", "long-1", ""),
        ("other", "other-up", "other-1", ""),
    ];
    let router = format!(
        "num_retries: 1, fallbacks: [{{gpt: [backup, cheap]}}], default_fallbacks: [cheap], context_window_fallbacks: [{{gpt: [long]}}]{router_extra}"
    );
    config(mock, &deployments, &router)
}

async fn key(gw: &Gateway, models: &[&str]) -> String {
    let res = gw.post("/key/generate", &json!({"models": models})).await;
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn call_as(gw: &Gateway, key: &str, body: &Value) -> reqwest::Response {
    gw.client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap()
}

// A failing group walks its fallback chain in order; the answer names who served it, and the
// cost is the serving deployment's (the failed attempts cost nothing).
#[tokio::test]
async fn fallback_chain_reaches_the_first_healthy_group() {
    let mock = MockProvider::start().await;
    for m in ["replica-1", "replica-2", "backup-up"] {
        mock.script(m, Script::failing(500));
    }
    let gw = Gateway::start(&seed(&mock, "")).await;
    let res = gw.post("/v1/chat/completions", &chat("gpt")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-tollgate-model-id"], "cheap-1");
    let cost: f64 = res.headers()["x-tollgate-response-cost"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(cost < 0.0001, "charged at the cheap price, got {cost}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["model"], "cheap-up");
    assert_eq!(
        mock.count("replica-1") + mock.count("replica-2"),
        2,
        "retried once"
    );
    assert_eq!(mock.count("backup-up"), 2, "the backup got its own retry");
    gw.stop().await;
}

// A group with no fallbacks of its own uses default_fallbacks; a client error falls back nowhere.
#[tokio::test]
async fn default_fallbacks_and_client_errors() {
    let mock = MockProvider::start().await;
    mock.script("other-up", Script::failing(503));
    let gw = Gateway::start(&seed(&mock, "")).await;
    assert_eq!(call(&gw, &chat("other")).await, (200, "cheap-1".to_owned()));
    mock.script("other-up", Script::failing(400).message("bad field"));
    let before = mock.count("cheap-up");
    assert_eq!(call(&gw, &chat("other")).await.0, 400);
    assert_eq!(mock.count("cheap-up"), before);
    gw.stop().await;
}

// A context-length error goes to context_window_fallbacks, not to the regular ones.
#[tokio::test]
async fn context_window_fallback_on_error() {
    let mock = MockProvider::start().await;
    let too_long = "This model's maximum context length is 8192 tokens";
    mock.script("replica-1", Script::failing(400).message(too_long));
    mock.script("replica-2", Script::failing(400).message(too_long));
    let gw = Gateway::start(&seed(&mock, "")).await;
    assert_eq!(call(&gw, &chat("gpt")).await, (200, "long-1".to_owned()));
    assert_eq!(
        mock.count("replica-1") + mock.count("replica-2"),
        1,
        "not retried"
    );
    assert_eq!(mock.count("backup-up"), 0);
    gw.stop().await;
}

// With pre-call checks a prompt longer than max_input_tokens goes straight to the fallback.
#[tokio::test]
async fn context_window_fallback_before_the_call() {
    let mock = MockProvider::start().await;
    let yaml = seed(&mock, ", enable_pre_call_checks: true")
        .replace(
            "model_info: {id: gpt-1}",
            "model_info: {id: gpt-1, max_input_tokens: 20}",
        )
        .replace(
            "model_info: {id: gpt-2}",
            "model_info: {id: gpt-2, max_input_tokens: 20}",
        );
    let gw = Gateway::start(&yaml).await;
    let long = "word ".repeat(200);
    let body = json!({"model": "gpt", "messages": [{"role": "user", "content": long}]});
    assert_eq!(call(&gw, &body).await, (200, "long-1".to_owned()));
    assert_eq!(call(&gw, &chat("gpt")).await.0, 200, "a short prompt stays");
    assert_eq!(mock.count("replica-1") + mock.count("replica-2"), 1);
    gw.stop().await;
}

// Per-request fallbacks replace the configured ones, and a key never reaches a model it may
// not call through a fallback.
#[tokio::test]
async fn request_fallbacks_respect_model_access() {
    let mock = MockProvider::start().await;
    mock.script("replica-1", Script::failing(500));
    mock.script("replica-2", Script::failing(500));
    let gw = Gateway::start(&seed(&mock, "")).await;
    let mut body = chat("gpt");
    body["fallbacks"] = json!(["other"]);
    assert_eq!(call(&gw, &body).await, (200, "other-1".to_owned()));

    let limited = key(&gw, &["gpt"]).await;
    let res = call_as(&gw, &limited, &body).await;
    assert_eq!(
        res.status(),
        403,
        "a fallback the key may not call is refused"
    );
    let before = (mock.count("backup-up"), mock.count("cheap-up"));
    let res = call_as(&gw, &limited, &chat("gpt")).await;
    assert_eq!(
        res.status(),
        500,
        "configured fallbacks the key may not call are skipped"
    );
    assert_eq!((mock.count("backup-up"), mock.count("cheap-up")), before);
    gw.stop().await;
}

// A stream that fails before its first byte falls back, and the client sees one clean stream.
#[tokio::test]
async fn stream_failing_before_first_byte_falls_back() {
    let mock = MockProvider::start().await;
    mock.script("replica-1", Script::failing(500));
    mock.script("replica-2", Script::failing(500));
    let gw = Gateway::start(&seed(&mock, "")).await;
    let mut body = chat("gpt");
    body["stream"] = json!(true);
    let res = gw.post("/v1/chat/completions", &body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-tollgate-model-id"], "backup-1");
    let data = sse_data(res).await;
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    assert_eq!(data.iter().filter(|d| *d == "[DONE]").count(), 1);
    let text: String = data
        .iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|c| {
            c["choices"][0]["delta"]["content"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(text, "echo: hi");
    gw.stop().await;
}

// A stream that fails after its first byte is not replayed elsewhere: the client gets what was
// sent, then an explicit error event, and never a [DONE].
#[tokio::test]
async fn stream_failing_after_first_byte_ends_with_an_error() {
    let mock = MockProvider::start().await;
    mock.script("replica-1", Script::stream_breaking_after(2));
    mock.script("replica-2", Script::stream_breaking_after(2));
    let gw = Gateway::start(&seed(&mock, "")).await;
    let mut body = chat("gpt");
    body["stream"] = json!(true);
    let data = sse_data(gw.post("/v1/chat/completions", &body).await).await;
    let parts: Vec<Value> = data
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let contents: Vec<&str> = parts
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(contents, ["part0 ", "part1 "], "no duplicate output");
    assert!(
        parts.last().unwrap()["error"]["message"].is_string(),
        "{data:?}"
    );
    assert!(
        !data.iter().any(|d| d == "[DONE]"),
        "never a fake clean finish"
    );
    assert_eq!(mock.count("backup-up") + mock.count("cheap-up"), 0);
    gw.stop().await;
}

// A stream whose first token is later than stream_timeout moves on to the fallback.
#[tokio::test]
async fn stream_timeout_falls_back() {
    let mock = MockProvider::start().await;
    mock.script("replica-1", Script::slow(3000));
    mock.script("replica-2", Script::slow(3000));
    let yaml = seed(&mock, ", stream_timeout: 0.3").replace("num_retries: 1", "num_retries: 0");
    let gw = Gateway::start(&yaml).await;
    let mut body = chat("gpt");
    body["stream"] = json!(true);
    let started = Instant::now();
    let res = gw.post("/v1/chat/completions", &body).await;
    assert_eq!(res.headers()["x-tollgate-model-id"], "backup-1");
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(
        sse_data(res).await.last().map(String::as_str),
        Some("[DONE]")
    );
    gw.stop().await;
}

// LiteLLM's test hooks trigger each path for admin keys and are refused to other keys.
#[tokio::test]
async fn mock_testing_hooks_are_admin_only() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&seed(&mock, "")).await;
    let hook = |name: &str| {
        let mut body = chat("gpt");
        body[name] = json!(true);
        body
    };
    assert_eq!(
        call(&gw, &hook("mock_testing_fallbacks")).await,
        (200, "backup-1".to_owned())
    );
    assert_eq!(
        call(&gw, &hook("mock_testing_context_window_fallback")).await,
        (200, "long-1".to_owned())
    );
    let (status, id) = call(&gw, &hook("mock_testing_rate_limit_error")).await;
    assert_eq!(status, 200, "the retry after the mock 429 succeeds");
    assert!(id.starts_with("gpt-"), "{id}");
    assert_eq!(mock.count("replica-1") + mock.count("replica-2"), 1);
    let user = key(&gw, &[]).await;
    let res = call_as(&gw, &user, &hook("mock_testing_fallbacks")).await;
    assert_eq!(res.status(), 403);
    assert!(!MASTER_KEY.is_empty());
    gw.stop().await;
}

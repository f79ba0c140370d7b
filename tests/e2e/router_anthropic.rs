//! The router on `/v1/messages`: native `anthropic/` deployments get the same retries,
//! cooldowns and fallbacks as chat, and a retry or fallback landing on an OpenAI-shaped
//! deployment answers a valid Anthropic message (translated), streamed or not.

use serde_json::{Value, json};
use tollgate::governance::Clock;
use tollgate_e2e::gateway::{MASTER_KEY, sse_events};
use tollgate_e2e::mock_provider::Script;
use tollgate_e2e::{Gateway, MockProvider};

use super::router::START_MS;

/// `claude` has two native deployments (`c1` → `claude-up-1` weighted heavily, `c2` →
/// `claude-up-2`), `gpt` one OpenAI-shaped (`g1` → `gpt-up`); `router` is the body of
/// `router_settings`.
fn config(mock: &MockProvider, router: &str) -> String {
    let (base, openai) = (mock.base(), mock.openai_base());
    format!(
        r#"
model_list:
  - model_name: claude
    litellm_params: {{model: anthropic/claude-up-1, api_base: "{base}", api_key: sk-ant-up, weight: 1000}}
    model_info: {{id: c1}}
  - model_name: claude
    litellm_params: {{model: anthropic/claude-up-2, api_base: "{base}", api_key: sk-ant-up, weight: 1}}
    model_info: {{id: c2}}
  - model_name: gpt
    litellm_params: {{model: openai/gpt-up, api_base: "{openai}", api_key: sk-up}}
    model_info: {{id: g1}}
router_settings: {{{router}}}
general_settings:
  master_key: {MASTER_KEY}
"#
    )
}

/// `claude` falls back to `gpt`.
const FALLBACK: &str = "fallbacks: [{claude: [gpt]}]";

fn message(stream: bool) -> Value {
    json!({"model": "claude", "max_tokens": 64, "stream": stream,
           "messages": [{"role": "user", "content": "hi"}]})
}

async fn send(gw: &Gateway, body: &Value) -> reqwest::Response {
    gw.post("/v1/messages", body).await
}

fn served_by(res: &reqwest::Response) -> String {
    res.headers()["x-tollgate-model-id"]
        .to_str()
        .unwrap()
        .to_owned()
}

// A native deployment failing with a 500 is retried on the other native deployment.
#[tokio::test]
async fn native_retry_lands_on_the_other_anthropic_deployment() {
    let mock = MockProvider::start().await;
    mock.script("claude-up-1", Script::failing(500));
    let gw = Gateway::start(&config(
        &mock,
        &format!("{FALLBACK}, num_retries: 1, allowed_fails: 100"),
    ))
    .await;
    for _ in 0..5 {
        let res = send(&gw, &message(false)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(served_by(&res), "c2");
        assert_eq!(res.headers()["x-litellm-model-id"], "c2");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["type"], "message");
        assert_eq!(body["content"][0]["text"], "echo: hi");
    }
    assert!(mock.count("claude-up-1") > 0, "the failing one was tried");
    assert_eq!(mock.count("gpt-up"), 0, "no fallback was needed");
    gw.stop().await;
}

// A failing group falls back to an OpenAI-shaped model; the answer is an Anthropic message.
#[tokio::test]
async fn failing_group_falls_back_to_an_openai_model() {
    let mock = MockProvider::start().await;
    mock.script("claude-up-1", Script::failing(500));
    mock.script("claude-up-2", Script::failing(500));
    let gw = Gateway::start(&config(&mock, &format!("{FALLBACK}, num_retries: 1"))).await;
    let res = send(&gw, &message(false)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(served_by(&res), "g1");
    assert_eq!(res.headers()["x-tollgate-model-group"], "gpt");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["type"], "message");
    assert_eq!(body["role"], "assistant");
    assert_eq!(body["content"][0]["type"], "text");
    assert_eq!(body["content"][0]["text"], "echo: hi");
    assert_eq!(body["stop_reason"], "end_turn");
    assert!(body["usage"]["input_tokens"].as_u64().unwrap() > 0);
    assert_eq!(mock.count("claude-up-1") + mock.count("claude-up-2"), 2);
    let chat = mock.last_request();
    assert_eq!(chat.path, "/v1/chat/completions", "translated for OpenAI");
    assert_eq!(chat.body["messages"][0]["content"], "hi");
    gw.stop().await;
}

// Gateway parameters (per-request fallbacks, retries, test hooks) steer the router and never
// reach the Anthropic API; `mock_testing_fallbacks` works on /v1/messages as on chat.
#[tokio::test]
async fn gateway_params_steer_and_are_not_passed_through() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&config(&mock, FALLBACK)).await;
    let mut body = message(false);
    body["fallbacks"] = json!(["gpt"]);
    body["num_retries"] = json!(2);
    let res = send(&gw, &body).await;
    assert_eq!(res.status(), 200);
    let sent = mock.last_request().body;
    assert!(sent.get("fallbacks").is_none(), "{sent}");
    assert!(sent.get("num_retries").is_none(), "{sent}");
    body["mock_testing_fallbacks"] = json!(true);
    let before = mock.count("claude-up-1") + mock.count("claude-up-2");
    let res = send(&gw, &body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(served_by(&res), "g1");
    assert_eq!(
        mock.count("claude-up-1") + mock.count("claude-up-2"),
        before
    );
    gw.stop().await;
}

// A native stream failing before its first byte falls back; the client sees one clean
// Anthropic event stream from the fallback.
#[tokio::test]
async fn stream_failing_before_first_byte_falls_back() {
    let mock = MockProvider::start().await;
    mock.script("claude-up-1", Script::failing(500));
    mock.script("claude-up-2", Script::failing(503));
    let gw = Gateway::start(&config(&mock, &format!("{FALLBACK}, num_retries: 1"))).await;
    let res = send(&gw, &message(true)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(served_by(&res), "g1");
    let events = sse_events(res).await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"message_start"), "{names:?}");
    assert_eq!(names.last(), Some(&"message_stop"), "{names:?}");
    assert!(!names.contains(&"error"), "{names:?}");
    let text: String = events
        .iter()
        .filter_map(|(_, e)| e["delta"]["text"].as_str())
        .collect();
    assert_eq!(text, "echo: hi");
    gw.stop().await;
}

// A native stream failing after its first byte is not replayed: it ends with an `error` event.
#[tokio::test]
async fn stream_failing_after_first_byte_ends_with_an_error_event() {
    let mock = MockProvider::start().await;
    mock.script("claude-up-1", Script::stream_breaking_after(1));
    mock.script("claude-up-2", Script::stream_breaking_after(1));
    let gw = Gateway::start(&config(&mock, &format!("{FALLBACK}, num_retries: 1"))).await;
    let res = send(&gw, &message(true)).await;
    assert_eq!(res.status(), 200);
    let events = sse_events(res).await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"message_start"), "{names:?}");
    assert_eq!(names.last(), Some(&"error"), "{names:?}");
    assert!(
        !names.contains(&"message_stop"),
        "never a fake clean finish"
    );
    let deltas = names
        .iter()
        .filter(|n| **n == "content_block_delta")
        .count();
    assert_eq!(deltas, 1, "no duplicate output: {names:?}");
    assert_eq!(mock.count("claude-up-1") + mock.count("claude-up-2"), 1);
    assert_eq!(mock.count("gpt-up"), 0);
    gw.stop().await;
}

// More than allowed_fails failures of a native deployment cool it: later calls skip it.
#[tokio::test]
async fn native_deployment_cools_after_allowed_fails() {
    let mock = MockProvider::start().await;
    mock.script("claude-up-1", Script::failing(500));
    let yaml = config(&mock, "allowed_fails: 1, cooldown_time: 30");
    let clock = Clock::manual(START_MS);
    let gw = Gateway::start_with_clock(&yaml, None, clock).await;
    let mut failures = 0;
    while failures < 2 {
        if send(&gw, &message(false)).await.status() == 500 {
            failures += 1;
        }
    }
    let tried = mock.count("claude-up-1");
    for _ in 0..5 {
        let res = send(&gw, &message(false)).await;
        assert_eq!((res.status().as_u16(), served_by(&res)), (200, "c2".into()));
    }
    assert_eq!(mock.count("claude-up-1"), tried, "no call reaches it");
    let info: Value = gw.get("/model/info").await.json().await.unwrap();
    let c1 = info["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["model_info"]["id"] == "c1")
        .unwrap()
        .clone();
    assert!(c1["state"]["cooldown_until"].is_string(), "{c1}");
    gw.stop().await;
}

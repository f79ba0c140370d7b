//! Anthropic Messages API in front: native pass-through and translation to OpenAI upstreams.

use serde_json::{Value, json};
use tollgate_e2e::gateway::{MASTER_KEY, sse_events, standard_config};
use tollgate_e2e::mock_provider::{COMPLETION_TOKENS, PROMPT_TOKENS};
use tollgate_e2e::{Gateway, MockProvider};

async fn setup() -> (MockProvider, Gateway) {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    (mock, gw)
}

async fn messages(gw: &Gateway, path: &str, body: &Value) -> reqwest::Response {
    gw.client
        .post(gw.url(path))
        .header("x-api-key", MASTER_KEY)
        .header("anthropic-version", "2023-06-01")
        .json(body)
        .send()
        .await
        .unwrap()
}

// Anthropic in → OpenAI provider: translated there and back, under both route prefixes.
#[tokio::test]
async fn anthropic_in_openai_provider() {
    let (mock, gw) = setup().await;
    for path in ["/v1/messages", "/anthropic/v1/messages"] {
        let res = messages(&gw, path, &json!({"model": "gpt-mock", "max_tokens": 100, "system": "be brief", "messages": [{"role": "user", "content": "hello gpt"}]})).await;
        assert_eq!(res.status(), 200, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["type"], "message");
        assert_eq!(body["role"], "assistant");
        assert_eq!(body["content"][0]["type"], "text");
        assert_eq!(body["content"][0]["text"], "echo: hello gpt");
        assert_eq!(body["stop_reason"], "end_turn");
        assert_eq!(body["usage"]["input_tokens"], PROMPT_TOKENS);
        assert_eq!(body["usage"]["output_tokens"], COMPLETION_TOKENS);
        let upstream = mock.last_request();
        assert_eq!(upstream.path, "/v1/chat/completions");
        assert_eq!(upstream.body["messages"][0]["role"], "system");
        assert_eq!(upstream.body["max_tokens"], 100);
    }
    gw.stop().await;
}

// Anthropic in → OpenAI provider, streamed: the full Anthropic event sequence with text and usage.
#[tokio::test]
async fn anthropic_in_openai_provider_stream() {
    let (_mock, gw) = setup().await;
    let res = messages(&gw, "/v1/messages", &json!({"model": "gpt-mock", "max_tokens": 100, "stream": true, "messages": [{"role": "user", "content": "stream gpt"}]})).await;
    assert_eq!(res.status(), 200);
    let events = sse_events(res).await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"message_start"));
    assert_eq!(names.last(), Some(&"message_stop"));
    assert!(names.contains(&"content_block_start") && names.contains(&"content_block_stop"));
    let text: String = events
        .iter()
        .filter(|(n, _)| n == "content_block_delta")
        .filter_map(|(_, d)| d["delta"]["text"].as_str())
        .collect();
    assert_eq!(text, "echo: stream gpt");
    let delta = events.iter().find(|(n, _)| n == "message_delta").unwrap();
    assert_eq!(delta.1["delta"]["stop_reason"], "end_turn");
    assert_eq!(delta.1["usage"]["output_tokens"], COMPLETION_TOKENS);
    gw.stop().await;
}

// Anthropic in → Anthropic provider: passed through natively, tools and all, streamed or not.
#[tokio::test]
async fn anthropic_native_pass_through() {
    let (mock, gw) = setup().await;
    let tools = json!([{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]);
    let body = json!({"model": "claude-mock", "max_tokens": 50, "tools": tools, "top_k": 5, "messages": [{"role": "user", "content": "weather?"}]});
    let res: Value = messages(&gw, "/v1/messages", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(res["stop_reason"], "tool_use");
    assert_eq!(res["content"][0]["input"]["city"], "Paris");
    let upstream = mock.last_request();
    assert_eq!(upstream.body["model"], "claude-3-5-sonnet-20241022");
    assert_eq!(
        upstream.body["top_k"], 5,
        "native requests keep Anthropic-only params"
    );
    assert_eq!(upstream.body["tools"], tools);

    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    let events = sse_events(messages(&gw, "/v1/messages", &streamed).await).await;
    let json_parts: String = events
        .iter()
        .filter_map(|(_, d)| d["delta"]["partial_json"].as_str())
        .collect();
    assert_eq!(json_parts, r#"{"city":"Paris"}"#);
    assert_eq!(events.last().unwrap().0, "message_stop");
    gw.stop().await;
}

// count_tokens: Anthropic deployments ask the provider; others count locally.
#[tokio::test]
async fn count_tokens() {
    let (_mock, gw) = setup().await;
    let req = |model: &str| json!({"model": model, "messages": [{"role": "user", "content": "How many tokens is this?"}]});
    let native: Value = messages(&gw, "/v1/messages/count_tokens", &req("claude-mock"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(native["input_tokens"], 42);
    let local: Value = messages(&gw, "/v1/messages/count_tokens", &req("gpt-mock"))
        .await
        .json()
        .await
        .unwrap();
    let n = local["input_tokens"].as_u64().unwrap();
    assert!((5..=20).contains(&n), "{n}");
    gw.stop().await;
}

// Errors on Anthropic routes have Anthropic's shape and the right status.
#[tokio::test]
async fn anthropic_error_shape() {
    let (_mock, gw) = setup().await;
    let res = gw
        .client
        .post(gw.url("/v1/messages"))
        .header("x-api-key", "sk-wrong")
        .json(&json!({"model": "gpt-mock", "max_tokens": 5, "messages": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "authentication_error");

    let res = messages(
        &gw,
        "/v1/messages",
        &json!({"model": "nope", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}),
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    gw.stop().await;
}

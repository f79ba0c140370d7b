//! OpenAI-compatible chat, completions, embeddings and models.

use serde_json::{Value, json};
use tollgate_e2e::gateway::{sse_data, standard_config};
use tollgate_e2e::mock_provider::{COMPLETION_TOKENS, PROMPT_TOKENS};
use tollgate_e2e::{Gateway, MockProvider};

async fn setup() -> (MockProvider, Gateway) {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    (mock, gw)
}

// A non-streaming chat reaches the upstream with its model replaced and returns its answer,
// usage, cost and call headers.
#[tokio::test]
async fn chat_non_stream() {
    let (mock, gw) = setup().await;
    let res = gw
        .post(
            "/v1/chat/completions",
            &json!({"model": "gpt-mock", "messages": [{"role": "user", "content": "hi there"}], "temperature": 0.3, "logit_bias": {"50256": -100}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert!(h.contains_key("x-tollgate-call-id"));
    assert_eq!(h["x-litellm-call-id"], h["x-tollgate-call-id"]);
    assert!(h.contains_key("x-tollgate-version"));
    assert_eq!(h["x-tollgate-model-api-base"], mock.openai_base().as_str());
    assert!(h.contains_key("x-tollgate-model-id"));
    assert_eq!(h["x-tollgate-cache-hit"], "false");
    // 11 prompt tokens at 1e-6 + 7 completion tokens at 2e-6.
    assert_eq!(h["x-tollgate-response-cost"], "0.000025");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["choices"][0]["message"]["content"], "echo: hi there");
    assert_eq!(body["usage"]["prompt_tokens"], PROMPT_TOKENS);
    assert_eq!(
        body["service_tier"], "default",
        "unknown response fields pass through"
    );

    let upstream = mock.last_request();
    assert_eq!(upstream.path, "/v1/chat/completions");
    assert_eq!(upstream.body["model"], "gpt-4o-mini");
    assert_eq!(upstream.body["temperature"], 0.3);
    assert_eq!(
        upstream.body["logit_bias"]["50256"], -100,
        "unknown params pass through"
    );
    assert_eq!(upstream.headers["authorization"], "Bearer sk-upstream");
    gw.stop().await;
}

// A streamed chat arrives as SSE chunks ending in [DONE]; usage only when asked.
#[tokio::test]
async fn chat_stream_with_and_without_usage() {
    let (mock, gw) = setup().await;
    for include_usage in [false, true] {
        let res = gw
            .post(
                "/v1/chat/completions",
                &json!({"model": "gpt-mock", "stream": true, "stream_options": {"include_usage": include_usage}, "messages": [{"role": "user", "content": "stream me"}]}),
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        let data = sse_data(res).await;
        assert_eq!(data.last().unwrap(), "[DONE]");
        let chunks: Vec<Value> = data[..data.len() - 1]
            .iter()
            .map(|d| serde_json::from_str(d).unwrap())
            .collect();
        let text: String = chunks
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
            .collect();
        assert_eq!(text, "echo: stream me");
        let usage: Vec<&Value> = chunks.iter().filter(|c| !c["usage"].is_null()).collect();
        if include_usage {
            assert_eq!(usage.len(), 1);
            assert_eq!(usage[0]["usage"]["completion_tokens"], COMPLETION_TOKENS);
        } else {
            assert!(
                usage.is_empty(),
                "usage leaked to a client that did not ask"
            );
        }
        // The gateway always asks the upstream for usage, to account tokens.
        assert_eq!(
            mock.last_request().body["stream_options"]["include_usage"],
            true
        );
    }
    gw.stop().await;
}

// Tool definitions reach the upstream and tool calls and results round trip, streamed or not.
#[tokio::test]
async fn tool_calls_round_trip() {
    let (_mock, gw) = setup().await;
    let tools = json!([{"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]);
    let res = gw
        .post("/v1/chat/completions", &json!({"model": "gpt-mock", "tools": tools, "messages": [{"role": "user", "content": "weather?"}]}))
        .await;
    let body: Value = res.json().await.unwrap();
    let call = &body["choices"][0]["message"]["tool_calls"][0];
    assert_eq!(body["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(call["function"]["name"], "get_weather");
    assert_eq!(call["function"]["arguments"], r#"{"city":"Paris"}"#);

    let followup = json!({"model": "gpt-mock", "tools": tools, "messages": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": null, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": call["id"], "content": "sunny"}
    ]});
    let body: Value = gw
        .post("/v1/chat/completions", &followup)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["choices"][0]["message"]["content"], "tool said: sunny");

    // Streamed tool calls: the argument fragments reassemble.
    let res = gw
        .post("/v1/chat/completions", &json!({"model": "gpt-mock", "stream": true, "tools": tools, "messages": [{"role": "user", "content": "weather?"}]}))
        .await;
    let data = sse_data(res).await;
    let args: String = data
        .iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|c| {
            c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(args, r#"{"city":"Paris"}"#);
    gw.stop().await;
}

// Embeddings reach the upstream and come back with one vector per input.
#[tokio::test]
async fn embeddings() {
    let (mock, gw) = setup().await;
    let res = gw
        .post(
            "/v1/embeddings",
            &json!({"model": "embed-mock", "input": ["a", "b"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    assert_eq!(body["data"][1]["index"], 1);
    assert_eq!(mock.last_request().body["model"], "text-embedding-3-small");
    gw.stop().await;
}

// Legacy completions pass through to OpenAI-compatible upstreams.
#[tokio::test]
async fn legacy_completions() {
    let (mock, gw) = setup().await;
    let res = gw
        .post(
            "/v1/completions",
            &json!({"model": "gpt-mock", "prompt": "once upon"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["choices"][0]["text"], "echo: once upon");
    assert_eq!(mock.last_request().path, "/v1/completions");
    gw.stop().await;
}

// Models lists every configured name; a single model is found by id, others are 404.
#[tokio::test]
async fn models() {
    let (_mock, gw) = setup().await;
    for path in ["/v1/models", "/models"] {
        let body: Value = gw.get(path).await.json().await.unwrap();
        let ids: Vec<&str> = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&"gpt-mock") && ids.contains(&"demo") && ids.contains(&"claude-mock"),
            "{ids:?}"
        );
        assert_eq!(body["object"], "list");
    }
    let one = gw.get("/v1/models/gpt-mock").await;
    assert_eq!(one.status(), 200);
    assert_eq!(gw.get("/v1/models/nope").await.status(), 404);
    gw.stop().await;
}

// The mock_response demo model answers with no provider, also per request and streamed.
#[tokio::test]
async fn mock_response() {
    let (mock, gw) = setup().await;
    let body: Value = gw
        .post(
            "/v1/chat/completions",
            &json!({"model": "demo", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Hello from Tollgate!"
    );
    let body: Value = gw
        .post("/v1/chat/completions", &json!({"model": "gpt-mock", "mock_response": "canned", "messages": [{"role": "user", "content": "hi"}]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["choices"][0]["message"]["content"], "canned");
    assert!(
        mock.requests().is_empty(),
        "mock_response must not call the provider"
    );
    gw.stop().await;
}

// Azure deployments get the deployment URL, api-version and api-key header.
#[tokio::test]
async fn azure_deployment_url() {
    let (mock, gw) = setup().await;
    let res = gw
        .post(
            "/v1/chat/completions",
            &json!({"model": "azure-mock", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let upstream = mock.last_request();
    assert_eq!(
        upstream.path,
        "/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21"
    );
    assert_eq!(upstream.headers["api-key"], "azure-key");
    assert!(upstream.headers.get("authorization").is_none());
    gw.stop().await;
}

// OpenAI in → Anthropic provider: the request is translated and so is the answer.
#[tokio::test]
async fn openai_in_anthropic_provider() {
    let (mock, gw) = setup().await;
    let body: Value = gw
        .post("/v1/chat/completions", &json!({"model": "claude-mock", "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello claude"}]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "echo: hello claude"
    );
    assert_eq!(body["choices"][0]["finish_reason"], "stop");
    assert_eq!(body["usage"]["prompt_tokens"], PROMPT_TOKENS);
    let upstream = mock.last_request();
    assert_eq!(upstream.path, "/v1/messages");
    // The system prompt goes out as Anthropic text blocks (as LiteLLM sends it).
    let system = &upstream.body["system"];
    assert!(
        system == "be brief" || system[0]["text"] == "be brief",
        "{system}"
    );
    assert_eq!(upstream.body["model"], "claude-3-5-sonnet-20241022");
    assert!(upstream.body["max_tokens"].as_u64().unwrap() > 0);
    assert_eq!(upstream.headers["x-api-key"], "sk-ant-upstream");
    assert_eq!(upstream.headers["anthropic-version"], "2023-06-01");

    let res = gw
        .post("/v1/chat/completions", &json!({"model": "claude-mock", "stream": true, "stream_options": {"include_usage": true}, "messages": [{"role": "user", "content": "stream claude"}]}))
        .await;
    let data = sse_data(res).await;
    assert_eq!(data.last().unwrap(), "[DONE]");
    let chunks: Vec<Value> = data[..data.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "echo: stream claude");
    assert!(
        chunks
            .iter()
            .any(|c| c["choices"][0]["finish_reason"] == "stop")
    );
    assert!(
        chunks
            .iter()
            .any(|c| c["usage"]["completion_tokens"] == COMPLETION_TOKENS)
    );
    gw.stop().await;
}

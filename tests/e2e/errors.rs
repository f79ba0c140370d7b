//! Bad input and upstream failures reach the client as OpenAI-shaped errors with the right
//! status, never a 500 or a dropped connection.

use std::time::Instant;

use serde_json::{Value, json};
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

async fn setup() -> (MockProvider, Gateway) {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    (mock, gw)
}

async fn error_of(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    assert!(
        res.headers().contains_key("x-tollgate-call-id"),
        "errors carry the call id too"
    );
    let body: Value = res.json().await.unwrap();
    for field in ["message", "type", "param", "code"] {
        assert!(
            body["error"].get(field).is_some(),
            "missing error.{field} in {body}"
        );
    }
    (status, body)
}

fn chat(model: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": "x"}]})
}

// Upstream 500 and 429 are passed on with their status, message and retry-after.
#[tokio::test]
async fn upstream_errors_pass_through() {
    let (_mock, gw) = setup().await;
    let (status, body) = error_of(gw.post("/v1/chat/completions", &chat("fail-500")).await).await;
    assert_eq!(status, 500);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("mock internal error")
    );

    let res = gw.post("/v1/chat/completions", &chat("fail-429")).await;
    assert_eq!(res.headers()["retry-after"], "3");
    let (status, body) = error_of(res).await;
    assert_eq!(status, 429);
    assert_eq!(body["error"]["type"], "rate_limit_error");

    let (status, body) = error_of(gw.post("/v1/chat/completions", &chat("fail-400")).await).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("mock bad request")
    );
    gw.stop().await;
}

// An upstream slower than the deployment's timeout gives a 408 timeout error, promptly.
#[tokio::test]
async fn upstream_timeout() {
    let (_mock, gw) = setup().await;
    let started = Instant::now();
    let (status, body) = error_of(gw.post("/v1/chat/completions", &chat("slow")).await).await;
    assert_eq!(status, 408);
    assert_eq!(body["error"]["type"], "timeout");
    assert!(
        started.elapsed().as_secs_f64() < 1.9,
        "the timeout did not cut the call short"
    );
    gw.stop().await;
}

// An unreachable upstream is a 502 connection error, not a 500.
#[tokio::test]
async fn upstream_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = listener.local_addr().unwrap();
    drop(listener);
    let config = format!(
        "model_list:\n  - model_name: dead\n    litellm_params: {{model: openai/x, api_base: \"http://{dead}/v1\", api_key: k}}\n"
    );
    let gw = Gateway::start(&config).await;
    let (status, body) = error_of(gw.post("/v1/chat/completions", &chat("dead")).await).await;
    assert_eq!(status, 502);
    assert_eq!(body["error"]["type"], "api_connection_error");
    gw.stop().await;
}

// Malformed JSON, wrong types, missing model, unknown model: each a clear 400.
#[tokio::test]
async fn bad_requests() {
    let (_mock, gw) = setup().await;
    let raw = |body: &'static str| {
        gw.client
            .post(gw.url("/v1/chat/completions"))
            .bearer_auth(tollgate_e2e::gateway::MASTER_KEY)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let (status, body) = error_of(raw("{\"model\": ").await.unwrap()).await;
    assert_eq!(
        (status, body["error"]["type"].as_str()),
        (400, Some("invalid_request_error"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );

    let (status, body) = error_of(raw(r#"{"model": 5, "messages": []}"#).await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid type")
    );

    let (status, body) = error_of(
        raw(r#"{"messages": [{"role": "user", "content": "x"}]}"#)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "model");

    let (status, body) = error_of(
        raw(r#"{"model": "gpt-mock", "messages": [{"role": "wizard", "content": "x"}]}"#)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let (status, body) = error_of(
        gw.post("/v1/chat/completions", &chat("no-such-model"))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "model");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-model")
    );

    let (status, _) = error_of(
        gw.post(
            "/v1/chat/completions",
            &json!({"model": "gpt-mock", "messages": []}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = error_of(
        gw.post(
            "/v1/embeddings",
            &json!({"model": "embed-mock", "input": []}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    gw.stop().await;
}

// Missing or wrong keys get 401 authentication errors; unknown routes 404, wrong methods 405.
#[tokio::test]
async fn auth_and_routing_errors() {
    let (_mock, gw) = setup().await;
    let res = gw
        .client
        .post(gw.url("/v1/chat/completions"))
        .json(&chat("gpt-mock"))
        .send()
        .await
        .unwrap();
    let (status, body) = error_of(res).await;
    assert_eq!(
        (status, body["error"]["type"].as_str()),
        (401, Some("authentication_error"))
    );

    let res = gw
        .client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth("sk-wrong")
        .json(&chat("gpt-mock"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(res).await.0, 401);
    let res = gw
        .client
        .get(gw.url("/v1/models"))
        .bearer_auth("sk-wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(res).await.0, 401);

    let (status, _) = error_of(gw.get("/v1/nothing-here").await).await;
    assert_eq!(status, 404);
    let (status, _) = error_of(gw.get("/v1/chat/completions").await).await;
    assert_eq!(status, 405);
    gw.stop().await;
}

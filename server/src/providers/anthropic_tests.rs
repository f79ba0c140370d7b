//! Tests of the Anthropic provider against a mock Anthropic server on `127.0.0.1:0`.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::*;

const KEY: &str = "sk-ant-test";

fn golden(name: &str) -> String {
    let path = format!(
        "{}/tests/golden/anthropic/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// What the mock server received: each body, with the `anthropic-beta` header if any.
type Seen = Arc<Mutex<Vec<(Value, Option<String>)>>>;

fn reject(headers: &HeaderMap) -> Option<Response> {
    let key_ok = headers.get("x-api-key").and_then(|v| v.to_str().ok()) == Some(KEY);
    let version_ok = headers
        .get("anthropic-version")
        .and_then(|v| v.to_str().ok())
        == Some(ANTHROPIC_VERSION);
    if key_ok && version_ok {
        return None;
    }
    let body =
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}});
    Some(
        (
            StatusCode::from_u16(529).unwrap_or(StatusCode::BAD_GATEWAY),
            axum::Json(body),
        )
            .into_response(),
    )
}

/// A mock Anthropic API answering with the golden response and stream files.
async fn mock_server(seen: Seen) -> String {
    let messages = {
        let seen = seen.clone();
        move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
            let seen = seen.clone();
            async move {
                if let Some(rejection) = reject(&headers) {
                    return rejection;
                }
                let beta = headers
                    .get("anthropic-beta")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let stream = body["stream"] == json!(true);
                let hang = body["metadata"]["user_id"] == json!("hang");
                seen.lock().expect("lock").push((body, beta));
                if hang {
                    // One event, then silence: the provider's idle timeout must fire.
                    let first = golden("outbound_stream.in.sse")
                        .split("\n\n")
                        .next()
                        .map(|e| format!("{e}\n\n"))
                        .unwrap_or_default();
                    let body =
                        futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) })
                            .chain(futures_util::stream::pending());
                    return (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        Body::from_stream(body),
                    )
                        .into_response();
                }
                if stream {
                    return (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        golden("outbound_stream.in.sse"),
                    )
                        .into_response();
                }
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    golden("outbound_response.in.json"),
                )
                    .into_response()
            }
        }
    };
    let count = move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
        let seen = seen.clone();
        async move {
            if let Some(rejection) = reject(&headers) {
                return rejection;
            }
            seen.lock().expect("lock").push((body, None));
            axum::Json(json!({"input_tokens": 42})).into_response()
        }
    };
    let app = Router::new()
        .route("/v1/messages", post(messages))
        .route("/v1/messages/count_tokens", post(count));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn provider(api_base: Option<&str>, key: &str) -> AnthropicProvider {
    AnthropicProvider::new(
        reqwest::Client::new(),
        "claude-sonnet-4-5".into(),
        api_base.map(str::to_owned),
        Some(key.into()),
        Duration::from_secs(5),
        Duration::from_millis(300),
    )
}

fn chat_request(stream: bool) -> ChatRequest {
    serde_json::from_value(json!({
        "model": "public-name", "stream": stream,
        "messages": [{"role": "user", "content": "Weather in Paris?"}]
    }))
    .expect("valid request")
}

// The endpoint gets exactly one `/v1`, whatever form the configured base takes.
#[test]
fn endpoint_does_not_double_v1() {
    assert_eq!(
        provider(None, KEY).endpoint("/messages"),
        "https://api.anthropic.com/v1/messages"
    );
    assert_eq!(
        provider(Some("http://proxy:8080/v1/"), KEY).endpoint("/messages/count_tokens"),
        "http://proxy:8080/v1/messages/count_tokens"
    );
    assert_eq!(
        provider(Some("http://proxy:8080/anthropic"), KEY).endpoint("/messages"),
        "http://proxy:8080/anthropic/v1/messages"
    );
}

// The API key never appears in debug output (logs).
#[test]
fn debug_redacts_key() {
    let text = format!("{:?}", provider(None, KEY));
    assert!(!text.contains(KEY), "{text}");
}

// A chat call reaches /v1/messages with the upstream model and comes back in OpenAI shape.
#[tokio::test]
async fn chat_round_trip() {
    let seen = Seen::default();
    let base = mock_server(seen.clone()).await;
    let response = provider(Some(&base), KEY)
        .chat(chat_request(false))
        .await
        .expect("chat succeeds");
    assert_eq!(
        response.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    assert_eq!(response.usage.as_ref().map(|u| u.prompt_tokens), Some(2372));
    let (body, _) = seen.lock().expect("lock")[0].clone();
    assert_eq!(body["model"], "claude-sonnet-4-5");
    assert_eq!(body["max_tokens"], 4096);
    assert!(body.get("stream").is_none(), "{body}");
}

// A streamed chat call asks for a stream and yields chunks ending with the usage chunk.
#[tokio::test]
async fn chat_stream_round_trip() {
    let seen = Seen::default();
    let base = mock_server(seen.clone()).await;
    let stream = provider(Some(&base), KEY)
        .chat_stream(chat_request(true))
        .await
        .expect("stream starts");
    let chunks: Vec<_> = stream.collect().await;
    assert!(chunks.iter().all(Result::is_ok), "{chunks:?}");
    let last = chunks
        .last()
        .and_then(|c| c.as_ref().ok())
        .expect("a last chunk");
    assert_eq!(last.usage.as_ref().map(|u| u.completion_tokens), Some(89));
    assert_eq!(seen.lock().expect("lock")[0].0["stream"], true);
}

// Native pass-through keeps the request as sent (model replaced), forwards anthropic-beta, and
// count_tokens reaches its own endpoint.
#[tokio::test]
async fn native_pass_through() {
    let seen = Seen::default();
    let base = mock_server(seen.clone()).await;
    let p = provider(Some(&format!("{base}/v1")), KEY);
    let req: MessagesRequest = serde_json::from_value(json!({
        "model": "public-name", "max_tokens": 10, "service_tier": "auto",
        "messages": [{"role": "user", "content": "hi"}]
    }))
    .expect("valid request");
    let message = p
        .messages_with_beta(req.clone(), Some("prompt-caching-2024-07-31"))
        .await
        .expect("message");
    assert_eq!(message.id, "msg_01Aq9w938a90dw8q");
    let events: Vec<_> = p
        .messages_stream(req.clone())
        .await
        .expect("stream")
        .collect()
        .await;
    assert!(matches!(
        events.last(),
        Some(Ok(AnthropicEvent::MessageStop))
    ));
    let count: CountTokensRequest =
        serde_json::from_value(serde_json::to_value(&req).expect("json")).expect("valid");
    assert_eq!(p.count_tokens(count).await.expect("count").input_tokens, 42);

    let seen = seen.lock().expect("lock");
    assert_eq!(seen[0].0["model"], "claude-sonnet-4-5");
    assert_eq!(seen[0].0["service_tier"], "auto");
    assert_eq!(seen[0].1.as_deref(), Some("prompt-caching-2024-07-31"));
    assert_eq!(seen[1].0["stream"], true);
    assert_eq!(seen[2].0["model"], "claude-sonnet-4-5");
}

// Anthropic's error status and message reach the caller as an upstream error.
#[tokio::test]
async fn upstream_error_keeps_status_and_message() {
    let base = mock_server(Seen::default()).await;
    let err = provider(Some(&base), "wrong-key")
        .chat(chat_request(false))
        .await
        .expect_err("rejected");
    match err {
        Error::Upstream {
            status, message, ..
        } => {
            assert_eq!(status, 529);
            assert_eq!(message, "Overloaded");
        }
        other => panic!("expected an upstream error, got {other:?}"),
    }
}

// A stream that goes silent longer than the stream timeout ends with a timeout error.
#[tokio::test]
async fn silent_stream_times_out() {
    let base = mock_server(Seen::default()).await;
    let mut req = chat_request(true);
    req.user = Some("hang".into());
    let chunks: Vec<_> = provider(Some(&base), KEY)
        .chat_stream(req)
        .await
        .expect("stream starts")
        .collect()
        .await;
    assert!(matches!(chunks.first(), Some(Ok(_))), "{chunks:?}");
    assert!(
        matches!(chunks.last(), Some(Err(Error::Timeout(_)))),
        "{chunks:?}"
    );
}

// Embeddings are refused as the client's mistake.
#[tokio::test]
async fn no_embeddings() {
    let req: EmbeddingsRequest =
        serde_json::from_value(json!({"model": "m", "input": "x"})).expect("valid");
    let err = provider(None, KEY)
        .embeddings(req)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest { .. }));
}

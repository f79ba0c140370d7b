//! A mock LLM provider speaking OpenAI's and Anthropic's wire formats, scripted by the upstream
//! model name:
//! - `error-500`, `error-429` (with `retry-after: 3`), `error-400`: answer that error;
//! - `slow`: wait 2 s before answering;
//! - `slow-stream`: stream 10 chunks 100 ms apart;
//! - `endless-stream`: stream a chunk every 50 ms until the client goes away (then
//!   [`MockProvider::stream_dropped`] turns true);
//! - anything else: echo the last user message (`echo: <text>`); with tools offered and no tool
//!   result yet, call the first tool with `{"city":"Paris"}`; after a tool result, answer
//!   `tool said: <result>`.
//!
//! Tests may also script any upstream model name with [`MockProvider::script`]: fail with a
//! status a number of times (or always), answer after a delay, or break a stream after some
//! chunks (see [`Script`]); on the OpenAI and the Anthropic Messages routes alike.
//!
//! Every request is recorded (path, headers, body) for assertions.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

pub const PROMPT_TOKENS: u64 = 11;
pub const COMPLETION_TOKENS: u64 = 7;

/// One request the mock received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Clone, Default)]
struct Shared {
    requests: Arc<Mutex<Vec<Recorded>>>,
    stream_dropped: Arc<std::sync::atomic::AtomicBool>,
    scripts: Arc<Mutex<std::collections::HashMap<String, Script>>>,
    /// Chat requests being answered now, and the most ever answered at once.
    in_flight: Arc<std::sync::atomic::AtomicUsize>,
    max_in_flight: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts a chat request as in flight while it lives.
struct InFlight(Shared);

impl InFlight {
    fn enter(shared: &Shared) -> Self {
        use std::sync::atomic::Ordering::SeqCst;
        let now = shared.in_flight.fetch_add(1, SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, SeqCst);
        Self(shared.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Scripted behaviour for one upstream model name.
#[derive(Clone, Debug, Default)]
pub struct Script {
    /// Answer this status (with `message`) for the next `failures` requests.
    pub status: Option<u16>,
    pub failures: u32,
    pub message: Option<String>,
    /// `retry-after` seconds sent with a scripted failure.
    pub retry_after: Option<u64>,
    /// Wait this long before answering (or before the first stream chunk).
    pub delay: Duration,
    /// Streams: send this many content chunks, then an error event instead of the rest.
    pub stream_break_after: Option<usize>,
}

impl Script {
    /// Every request fails with `status`.
    pub fn failing(status: u16) -> Self {
        Self::failing_times(status, u32::MAX)
    }

    /// The next `times` requests fail with `status`, later ones succeed.
    pub fn failing_times(status: u16, times: u32) -> Self {
        Self {
            status: Some(status),
            failures: times,
            ..Self::default()
        }
    }

    /// Answers after `ms` milliseconds.
    pub fn slow(ms: u64) -> Self {
        Self {
            delay: Duration::from_millis(ms),
            ..Self::default()
        }
    }

    /// Streams break with an error event after `chunks` content chunks.
    pub fn stream_breaking_after(chunks: usize) -> Self {
        Self {
            stream_break_after: Some(chunks),
            ..Self::default()
        }
    }

    pub fn message(mut self, message: &str) -> Self {
        self.message = Some(message.to_owned());
        self
    }

    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
}

/// Sets the flag when the response body it lives in is dropped (the connection went away).
struct DropFlag(Arc<std::sync::atomic::AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A running mock provider.
#[derive(Clone)]
pub struct MockProvider {
    pub addr: SocketAddr,
    shared: Shared,
}

impl MockProvider {
    pub async fn start() -> Self {
        let shared = Shared::default();
        let app = Router::new()
            .route("/v1/chat/completions", post(openai_chat))
            .route("/v1/completions", post(openai_completions))
            .route("/v1/embeddings", post(openai_embeddings))
            .route(
                "/openai/deployments/{deployment}/chat/completions",
                post(openai_chat),
            )
            .route(
                "/openai/deployments/{deployment}/embeddings",
                post(openai_embeddings),
            )
            .route("/v1/messages", post(anthropic_messages))
            .route("/v1/messages/count_tokens", post(anthropic_count))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr, shared }
    }

    /// `http://127.0.0.1:PORT/v1` (OpenAI `api_base`).
    pub fn openai_base(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// `http://127.0.0.1:PORT` (Anthropic and Azure `api_base`).
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Whether an `endless-stream` response was dropped by the gateway.
    pub fn stream_dropped(&self) -> bool {
        self.shared
            .stream_dropped
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Scripts the upstream model `model` (replacing an earlier script).
    pub fn script(&self, model: &str, script: Script) {
        self.shared
            .scripts
            .lock()
            .unwrap()
            .insert(model.to_owned(), script);
    }

    /// The most chat requests the mock was answering at once (unary answers; a stream counts
    /// until its response head is sent).
    pub fn max_in_flight(&self) -> usize {
        self.shared
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many requests named the upstream model `model`.
    pub fn count(&self, model: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.body["model"] == model)
            .count()
    }

    pub fn last_request(&self) -> Recorded {
        self.requests().pop().expect("the mock received no request")
    }
}

async fn record(shared: &Shared, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Value {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    shared.requests.lock().unwrap().push(Recorded {
        path: uri.to_string(),
        headers: headers.clone(),
        body: body.clone(),
    });
    body
}

/// The scripted failure for `model`, if any.
async fn scripted_error(model: &str, anthropic: bool) -> Option<Response> {
    let (status, message) = match model {
        "error-500" => (StatusCode::INTERNAL_SERVER_ERROR, "mock internal error"),
        "error-429" => (StatusCode::TOO_MANY_REQUESTS, "mock rate limit"),
        "error-400" => (StatusCode::BAD_REQUEST, "mock bad request"),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            return None;
        }
        _ => return None,
    };
    let body = if anthropic {
        json!({"type": "error", "error": {"type": "api_error", "message": message}})
    } else {
        json!({"error": {"message": message, "type": "mock_error", "code": null}})
    };
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert("retry-after", "3".parse().unwrap());
    }
    Some(response)
}

/// What the mock answers: text, or a tool call `(id, name, arguments)`.
enum Reply {
    Text(String),
    ToolCall(String, String, String),
}

fn text_of(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    }
}

fn openai_reply(body: &Value) -> Reply {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    if let Some(tool) = messages.iter().rev().find(|m| m["role"] == "tool") {
        return Reply::Text(format!("tool said: {}", text_of(&tool["content"])));
    }
    if let Some(name) = body["tools"][0]["function"]["name"].as_str() {
        return Reply::ToolCall(
            "call_mock_1".into(),
            name.into(),
            r#"{"city":"Paris"}"#.into(),
        );
    }
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .map(|m| text_of(&m["content"]))
        .unwrap_or_default();
    Reply::Text(format!("echo: {last_user}"))
}

async fn openai_chat(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = record(&shared, &uri, &headers, &body).await;
    let model = body["model"].as_str().unwrap_or("").to_owned();
    if let Some(err) = scripted_error(&model, false).await {
        return err;
    }
    let _in_flight = InFlight::enter(&shared);
    let script = run_script(&shared, &model).await;
    if let Err(response) = script {
        return response;
    }
    if let Ok(Some(after)) = script
        && body["stream"] == true
    {
        return breaking_stream(&model, after);
    }
    if model == "slow-stream" || model == "endless-stream" {
        return timed_stream(&model, &shared);
    }
    let reply = openai_reply(&body);
    let usage = json!({"prompt_tokens": PROMPT_TOKENS, "completion_tokens": COMPLETION_TOKENS, "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS});
    if body["stream"] == true {
        let include_usage = body["stream_options"]["include_usage"] == true;
        let mut events = Vec::new();
        let chunk = |delta: Value, finish: Value| json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1, "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
        events.push(chunk(
            json!({"role": "assistant", "content": ""}),
            Value::Null,
        ));
        let finish = match reply {
            Reply::Text(text) => {
                let third = text.len() / 3;
                let cut = |i: usize| {
                    text.char_indices()
                        .map(|(p, _)| p)
                        .find(|p| *p >= i)
                        .unwrap_or(text.len())
                };
                let (a, b) = (cut(third), cut(2 * third));
                for piece in [&text[..a], &text[a..b], &text[b..]] {
                    events.push(chunk(json!({"content": piece}), Value::Null));
                }
                "stop"
            }
            Reply::ToolCall(id, name, args) => {
                events.push(chunk(json!({"tool_calls": [{"index": 0, "id": id, "type": "function", "function": {"name": name, "arguments": ""}}]}), Value::Null));
                let mid = args.len() / 2;
                for piece in [&args[..mid], &args[mid..]] {
                    events.push(chunk(
                        json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}),
                        Value::Null,
                    ));
                }
                "tool_calls"
            }
        };
        events.push(chunk(json!({}), json!(finish)));
        if include_usage {
            events.push(json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1, "model": model, "choices": [], "usage": usage}));
        }
        let mut text: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
        text.push_str("data: [DONE]\n\n");
        return sse(text);
    }
    let (message, finish) = match reply {
        Reply::Text(text) => (json!({"role": "assistant", "content": text}), "stop"),
        Reply::ToolCall(id, name, args) => (
            json!({"role": "assistant", "content": null, "tool_calls": [{"id": id, "type": "function", "function": {"name": name, "arguments": args}}]}),
            "tool_calls",
        ),
    };
    axum::Json(json!({
        "id": "chatcmpl-mock", "object": "chat.completion", "created": 1, "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": usage, "system_fingerprint": "fp_mock", "service_tier": "default"
    }))
    .into_response()
}

async fn openai_completions(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = record(&shared, &uri, &headers, &body).await;
    let model = body["model"].as_str().unwrap_or("").to_owned();
    if let Some(err) = scripted_error(&model, false).await {
        return err;
    }
    let prompt = body["prompt"].as_str().unwrap_or("").to_owned();
    axum::Json(json!({
        "id": "cmpl-mock", "object": "text_completion", "created": 1, "model": model,
        "choices": [{"index": 0, "text": format!("echo: {prompt}"), "finish_reason": "stop", "logprobs": null}],
        "usage": {"prompt_tokens": PROMPT_TOKENS, "completion_tokens": COMPLETION_TOKENS, "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS}
    }))
    .into_response()
}

async fn openai_embeddings(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = record(&shared, &uri, &headers, &body).await;
    let model = body["model"].as_str().unwrap_or("").to_owned();
    if let Some(err) = scripted_error(&model, false).await {
        return err;
    }
    if let Err(response) = run_script(&shared, &model).await {
        return response;
    }
    let inputs = match &body["input"] {
        Value::Array(a) => a.len(),
        _ => 1,
    };
    let data: Vec<Value> = (0..inputs)
        .map(|i| json!({"object": "embedding", "index": i, "embedding": [0.1, 0.2, i as f64]}))
        .collect();
    axum::Json(json!({"object": "list", "data": data, "model": model, "usage": {"prompt_tokens": 5, "total_tokens": 5}}))
        .into_response()
}

fn anthropic_reply(body: &Value) -> Reply {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    for m in messages.iter().rev() {
        if let Some(blocks) = m["content"].as_array()
            && let Some(result) = blocks.iter().find(|b| b["type"] == "tool_result")
        {
            return Reply::Text(format!("tool said: {}", text_of(&result["content"])));
        }
        if m["role"] == "user" {
            break;
        }
    }
    if let Some(name) = body["tools"][0]["name"].as_str() {
        return Reply::ToolCall(
            "toolu_mock_1".into(),
            name.into(),
            r#"{"city":"Paris"}"#.into(),
        );
    }
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .map(|m| text_of(&m["content"]))
        .unwrap_or_default();
    Reply::Text(format!("echo: {last_user}"))
}

async fn anthropic_messages(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = record(&shared, &uri, &headers, &body).await;
    let model = body["model"].as_str().unwrap_or("").to_owned();
    if let Some(err) = scripted_error(&model, true).await {
        return err;
    }
    let break_after = match run_script(&shared, &model).await {
        Ok(break_after) => break_after,
        Err(response) => return response,
    };
    let reply = anthropic_reply(&body);
    if body["stream"] == true {
        let mut events: Vec<(String, Value)> = vec![(
            "message_start".into(),
            json!({"type": "message_start", "message": {"id": "msg_mock", "type": "message", "role": "assistant", "content": [], "model": model, "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": PROMPT_TOKENS, "output_tokens": 1}}}),
        )];
        let stop = match reply {
            Reply::Text(text) => {
                events.push(("content_block_start".into(), json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})));
                events.push(("ping".into(), json!({"type": "ping"})));
                let mid = text
                    .char_indices()
                    .map(|(p, _)| p)
                    .find(|p| *p >= text.len() / 2)
                    .unwrap_or(0);
                for piece in [&text[..mid], &text[mid..]] {
                    events.push(("content_block_delta".into(), json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}})));
                }
                events.push((
                    "content_block_stop".into(),
                    json!({"type": "content_block_stop", "index": 0}),
                ));
                "end_turn"
            }
            Reply::ToolCall(id, name, args) => {
                events.push(("content_block_start".into(), json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": id, "name": name, "input": {}}})));
                let mid = args.len() / 2;
                for piece in [&args[..mid], &args[mid..]] {
                    events.push(("content_block_delta".into(), json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": piece}})));
                }
                events.push((
                    "content_block_stop".into(),
                    json!({"type": "content_block_stop", "index": 0}),
                ));
                "tool_use"
            }
        };
        events.push(("message_delta".into(), json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": COMPLETION_TOKENS}})));
        events.push(("message_stop".into(), json!({"type": "message_stop"})));
        if let Some(after) = break_after {
            events = anthropic_breaking(events, after);
        }
        let text: String = events
            .iter()
            .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
            .collect();
        return sse(text);
    }
    let (content, stop) = match reply {
        Reply::Text(text) => (json!([{"type": "text", "text": text}]), "end_turn"),
        Reply::ToolCall(id, name, args) => (
            json!([{"type": "tool_use", "id": id, "name": name, "input": serde_json::from_str::<Value>(&args).unwrap()}]),
            "tool_use",
        ),
    };
    axum::Json(json!({
        "id": "msg_mock", "type": "message", "role": "assistant", "model": model,
        "content": content, "stop_reason": stop, "stop_sequence": null,
        "usage": {"input_tokens": PROMPT_TOKENS, "output_tokens": COMPLETION_TOKENS}
    }))
    .into_response()
}

/// Anthropic events cut after `after` content deltas and ended by an `error` event.
fn anthropic_breaking(events: Vec<(String, Value)>, after: usize) -> Vec<(String, Value)> {
    let mut kept = Vec::new();
    let mut deltas = 0;
    for (name, data) in events {
        if name == "content_block_delta" {
            if deltas == after {
                break;
            }
            deltas += 1;
        }
        kept.push((name, data));
    }
    let error =
        json!({"type": "error", "error": {"type": "api_error", "message": "mock stream broke"}});
    kept.push(("error".into(), error));
    kept
}

async fn anthropic_count(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    record(&shared, &uri, &headers, &body).await;
    axum::Json(json!({"input_tokens": 42})).into_response()
}

/// Applies the script of `model`: `Err` is the scripted failure to answer; `Ok` says whether a
/// stream must break (after how many chunks).
async fn run_script(shared: &Shared, model: &str) -> Result<Option<usize>, Response> {
    let script = {
        let mut scripts = shared.scripts.lock().unwrap();
        let Some(script) = scripts.get_mut(model) else {
            return Ok(None);
        };
        let current = script.clone();
        if current.status.is_some() && script.failures > 0 && script.failures != u32::MAX {
            script.failures -= 1;
        }
        current
    };
    if !script.delay.is_zero() {
        tokio::time::sleep(script.delay).await;
    }
    if let Some(status) = script.status.filter(|_| script.failures > 0) {
        let message = script
            .message
            .unwrap_or_else(|| format!("scripted {status}"));
        let body = json!({"error": {"message": message, "type": "mock_error", "code": null}});
        let status = StatusCode::from_u16(status).unwrap();
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(after) = script.retry_after {
            response
                .headers_mut()
                .insert("retry-after", after.to_string().parse().unwrap());
        }
        return Err(response);
    }
    Ok(script.stream_break_after)
}

/// A stream of `after` content chunks followed by an error event (no `[DONE]`).
fn breaking_stream(model: &str, after: usize) -> Response {
    let mut text = String::new();
    for i in 0..after {
        let chunk = json!({"id": "chatcmpl-b", "object": "chat.completion.chunk", "created": 1, "model": model, "choices": [{"index": 0, "delta": {"content": format!("part{i} ")}, "finish_reason": null}]});
        text.push_str(&format!("data: {chunk}\n\n"));
    }
    let error =
        json!({"error": {"message": "mock stream broke", "type": "server_error", "code": 500}});
    text.push_str(&format!("data: {error}\n\n"));
    sse(text)
}

fn sse(text: String) -> Response {
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from(text))
        .unwrap()
}

/// A stream paced in time: `slow-stream` ends after 10 chunks; `endless-stream` never does.
fn timed_stream(model: &str, shared: &Shared) -> Response {
    let endless = model == "endless-stream";
    let (period, count) = if endless { (50, usize::MAX) } else { (100, 10) };
    let flag = DropFlag(shared.stream_dropped.clone());
    let model = model.to_owned();
    let body = async_stream::stream! {
        let _flag = flag;
        for i in 0..count {
            tokio::time::sleep(Duration::from_millis(period)).await;
            let chunk = json!({"id": "chatcmpl-t", "object": "chat.completion.chunk", "created": 1, "model": model, "choices": [{"index": 0, "delta": {"content": format!("{i} ")}, "finish_reason": null}]});
            yield Ok::<_, std::convert::Infallible>(format!("data: {chunk}\n\n"));
        }
        let last = json!({"id": "chatcmpl-t", "object": "chat.completion.chunk", "created": 1, "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
        yield Ok(format!("data: {last}\n\ndata: [DONE]\n\n"));
    };
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(body))
        .unwrap()
}

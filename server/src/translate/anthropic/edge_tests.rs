//! Edge cases of the Anthropic translation that the golden files do not cover.

use futures_util::StreamExt;
use serde_json::{Value, json};

use super::inbound_stream::{InboundStream, to_events};
use super::outbound_stream::{OutboundStream, to_chunks};
use super::{error_response, inbound, outbound, outbound_response, to_sse};
use crate::error::Error;
use crate::providers::ChunkStream;
use crate::types::anthropic::{AnthropicEvent, ContentBlock, MessagesRequest, MessagesResponse};
use crate::types::openai::{ChatChunk, ChatRequest, MessageContent, Role};

fn chat(body: Value) -> ChatRequest {
    serde_json::from_value(body).expect("valid chat request")
}

fn messages(body: Value) -> MessagesRequest {
    serde_json::from_value(body).expect("valid messages request")
}

fn out(body: Value) -> Value {
    let req = outbound::to_messages(chat(body), "claude").expect("translates");
    serde_json::to_value(req).expect("serializes")
}

fn is_invalid<T: std::fmt::Debug>(result: crate::error::Result<T>, needle: &str) -> bool {
    match result {
        Err(Error::InvalidRequest { message, .. }) => message.contains(needle),
        other => panic!("expected InvalidRequest containing {needle:?}, got {other:?}"),
    }
}

// Consecutive same-role messages merge into one turn (tool answers and the next user text too),
// and empty messages vanish instead of reaching Anthropic.
#[test]
fn outbound_merges_consecutive_roles_and_drops_empty() {
    let body = out(json!({"model": "m", "messages": [
        {"role": "user", "content": "a"},
        {"role": "user", "content": ""},
        {"role": "user", "content": [{"type": "text", "text": "b"}]},
        {"role": "assistant", "content": null, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}},
            {"id": "c2", "type": "function", "function": {"name": "f", "arguments": ""}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "r1"},
        {"role": "tool", "tool_call_id": "c2", "content": [{"type": "text", "text": "r2"}], "is_error": true},
        {"role": "user", "content": "next"}
    ]}));
    assert_eq!(body["max_tokens"], 4096, "LiteLLM's default max_tokens");
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
                {"type": "tool_use", "id": "c2", "name": "f", "input": {}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "c1", "content": "r1"},
                {"type": "tool_result", "tool_use_id": "c2", "is_error": true,
                 "content": [{"type": "text", "text": "r2"}]},
                {"type": "text", "text": "next"}]}
        ])
    );
}

// Tool results go first in their user turn even when the client put text before them.
#[test]
fn outbound_puts_tool_results_first() {
    let body = out(json!({"model": "m", "messages": [
        {"role": "user", "content": "q"},
        {"role": "assistant", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "user", "content": "also this"},
        {"role": "tool", "tool_call_id": "c1", "content": "r1"}]}));
    let kinds: Vec<&str> = body["messages"][2]["content"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["type"].as_str())
        .collect();
    assert_eq!(kinds, ["tool_result", "text"]);
}

// A conversation with nothing to send is refused with a clear message, not sent upstream.
#[test]
fn outbound_refuses_empty_conversation() {
    let req = chat(json!({"model": "m", "messages": [
        {"role": "system", "content": "s"}, {"role": "user", "content": ""}]}));
    assert!(is_invalid(
        outbound::to_messages(req, "claude"),
        "at least one"
    ));
}

// Tool-call arguments that are not a JSON object are refused (Anthropic needs an object).
#[test]
fn outbound_refuses_invalid_tool_arguments() {
    let req = chat(json!({"model": "m", "messages": [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]}]}));
    assert!(is_invalid(
        outbound::to_messages(req, "claude"),
        "not a JSON object"
    ));
}

// Ids from other providers are made valid Anthropic tool ids, the same way on both sides.
#[test]
fn outbound_sanitizes_tool_ids() {
    let body = out(json!({"model": "m", "messages": [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [
            {"id": "functions.Bash:0", "type": "function", "function": {"name": "Bash", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "functions.Bash:0", "content": "ok"}]}));
    assert_eq!(body["messages"][1]["content"][0]["id"], "functions_Bash_0");
    assert_eq!(
        body["messages"][2]["content"][0]["tool_use_id"],
        "functions_Bash_0"
    );
}

// response_format becomes a forced `json_tool_call` tool, and its input comes back as content.
#[test]
fn outbound_json_mode_round_trip() {
    let req = outbound::to_messages(
        chat(
            json!({"model": "m", "messages": [{"role": "user", "content": "x"}],
            "response_format": {"type": "json_schema", "json_schema": {"name": "p",
                "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}}}),
        ),
        "claude",
    )
    .expect("translates");
    assert!(outbound::is_json_mode(&req));
    let body = serde_json::to_value(&req).expect("serializes");
    assert_eq!(
        body["tool_choice"],
        json!({"type": "tool", "name": "json_tool_call"})
    );
    assert_eq!(
        body["tools"][0]["input_schema"],
        json!({"type": "object", "properties": {"a": {"type": "integer"}}})
    );

    let resp: MessagesResponse = serde_json::from_value(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude",
        "content": [{"type": "tool_use", "id": "t", "name": "json_tool_call", "input": {"a": 1}}],
        "stop_reason": "tool_use", "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 2}}))
    .expect("valid response");
    let chat = outbound_response::from_messages(resp, true);
    let choice = &chat.choices[0];
    assert_eq!(choice.message.content.as_deref(), Some(r#"{"a":1}"#));
    assert_eq!(choice.message.tool_calls, None);
    assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
}

// Anthropic tool_choice kinds map to OpenAI's (any → required, tool → function, none → none).
#[test]
fn inbound_tool_choice_kinds() {
    let base = |choice: Value| {
        messages(json!({"model": "m", "max_tokens": 5, "tool_choice": choice,
            "messages": [{"role": "user", "content": "x"}]}))
    };
    let tc = |choice: Value| {
        inbound::to_chat(base(choice))
            .expect("translates")
            .tool_choice
    };
    assert_eq!(tc(json!({"type": "any"})), Some(json!("required")));
    assert_eq!(tc(json!({"type": "auto"})), Some(json!("auto")));
    assert_eq!(tc(json!({"type": "none"})), Some(json!("none")));
    assert_eq!(
        tc(json!({"type": "tool", "name": "f"})),
        Some(json!({"type": "function", "function": {"name": "f"}}))
    );
}

// A tool_result with is_error still answers its call with the error text, and an assistant turn
// holding only thinking is dropped (other providers cannot take it).
#[test]
fn inbound_error_tool_result_and_thinking_only_turn() {
    let req = messages(json!({"model": "m", "max_tokens": 5, "messages": [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "hm", "signature": "s"}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "is_error": true,
             "content": [{"type": "text", "text": "boom"}]},
            {"type": "tool_result", "tool_use_id": "t2"}]}]}));
    let chat = inbound::to_chat(req).expect("translates");
    let roles: Vec<Role> = chat.messages.iter().map(|m| m.role).collect();
    assert_eq!(roles, vec![Role::User, Role::Tool, Role::Tool]);
    assert_eq!(chat.messages[1].tool_call_id.as_deref(), Some("t1"));
    assert_eq!(
        chat.messages[1].content,
        Some(MessageContent::Text("boom".into()))
    );
    assert_eq!(
        chat.messages[2].content,
        Some(MessageContent::Text(String::new()))
    );
}

// Unknown block types survive (de)serialization untouched, and are refused clearly when they
// would have to be translated for another provider.
#[test]
fn unknown_blocks_preserved_or_refused() {
    let raw = json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": [
        {"type": "search_result", "source": "https://x", "title": "t",
         "content": [{"type": "text", "text": "c"}]}]}],
        "tools": [{"type": "web_fetch_20250910", "name": "web_fetch", "max_uses": 2}]});
    let req = messages(raw.clone());
    assert_eq!(serde_json::to_value(&req).expect("serializes"), raw);
    assert!(is_invalid(inbound::to_chat(req), "`search_result`"));

    let block: ContentBlock =
        serde_json::from_value(json!({"type": "tool_use", "name": "missing id"})).expect("kept");
    assert!(matches!(block, ContentBlock::Other(_)));
}

// Events render as `event: <type>` + `data: <json>` + blank line.
#[test]
fn sse_rendering() {
    assert_eq!(
        to_sse(&AnthropicEvent::ContentBlockStop { index: 2 }),
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n"
    );
    assert_eq!(
        to_sse(&AnthropicEvent::MessageStop),
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
    );
}

// Gateway errors take Anthropic's error types in `{"type":"error","error":{..}}` bodies.
#[test]
fn error_bodies() {
    let body = serde_json::to_value(error_response(&Error::invalid("bad"))).expect("serializes");
    assert_eq!(
        body,
        json!({"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}})
    );
    let overloaded = Error::Upstream {
        status: 529,
        message: "Overloaded".into(),
        provider: "anthropic",
        retry_after: None,
    };
    assert_eq!(error_response(&overloaded).error.kind, "overloaded_error");
}

// An error mid-stream becomes one `error` event after what was already sent, then the end.
#[tokio::test]
async fn inbound_stream_error_becomes_error_event() {
    let first: ChatChunk = serde_json::from_value(json!({"id": "c", "model": "m",
        "choices": [{"index": 0, "delta": {"content": "hi"}}]}))
    .expect("valid chunk");
    let items = vec![
        Ok(first),
        Err(Error::Timeout("upstream too slow".into())),
        Ok(serde_json::from_value(json!({"id": "c", "model": "m"})).expect("valid chunk")),
    ];
    let chunks: ChunkStream = Box::pin(futures_util::stream::iter(items));
    let events: Vec<AnthropicEvent> = to_events(chunks, "m".into()).collect().await;
    let types: Vec<&str> = events.iter().map(AnthropicEvent::event_type).collect();
    assert_eq!(
        types,
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "error"
        ]
    );
    let AnthropicEvent::Error { error } = &events[3] else {
        panic!("error event")
    };
    assert_eq!(error.kind, "api_error");
    assert!(error.message.contains("too slow"));
}

// A stream with no chunks at all still yields a complete, valid event sequence.
#[test]
fn inbound_empty_stream_is_complete() {
    let events = InboundStream::new("m".into()).finish();
    let types: Vec<&str> = events.iter().map(AnthropicEvent::event_type).collect();
    assert_eq!(types, ["message_start", "message_delta", "message_stop"]);
}

// Anthropic `error` events and streams cut before message_stop end the chunk stream with Err.
#[tokio::test]
async fn outbound_stream_errors() {
    let start: AnthropicEvent = serde_json::from_value(json!({"type": "message_start",
        "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [],
        "model": "claude", "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 3, "output_tokens": 1}}}))
    .expect("valid event");
    let overloaded: AnthropicEvent = serde_json::from_value(json!({"type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"}}))
    .expect("valid event");

    let items: Vec<_> = to_chunks(
        futures_util::stream::iter([Ok(start.clone()), Ok(overloaded)]),
        false,
    )
    .collect()
    .await;
    assert_eq!(items.len(), 2);
    assert!(matches!(
        &items[1],
        Err(Error::Upstream { status: 529, .. })
    ));

    let cut: Vec<_> = to_chunks(futures_util::stream::iter([Ok(start)]), false)
        .collect()
        .await;
    assert!(matches!(
        cut.last(),
        Some(Err(Error::UpstreamUnreachable { .. }))
    ));

    let mut state = OutboundStream::new(false);
    let unknown: AnthropicEvent =
        serde_json::from_value(json!({"type": "future_event", "x": 1})).expect("kept");
    assert!(state.on_event(unknown).expect("ignored").is_empty());
}

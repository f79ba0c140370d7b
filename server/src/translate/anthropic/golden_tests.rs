//! Golden files pinning the Anthropic ↔ OpenAI translation (CONVENTIONS §15).
//!
//! Each case reads `server/tests/golden/anthropic/<case>.in.{json,sse}` and compares the
//! translation with `<case>.out.json` as JSON values. `created` timestamps are zeroed. Run with
//! `UPDATE_GOLDEN=1` to rewrite the expected files, then review the diff by hand against the
//! Anthropic API documentation before committing.

use std::path::PathBuf;

use serde_json::Value;

use super::inbound_stream::InboundStream;
use super::outbound_stream::{OutboundStream, parse_event};
use super::{inbound, outbound, outbound_response};
use crate::providers::sse::SseDecoder;
use crate::types::anthropic::{MessagesRequest, MessagesResponse};
use crate::types::openai::{ChatChunk, ChatRequest, ChatResponse};

const UPSTREAM_MODEL: &str = "claude-sonnet-4-5-20250929";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/anthropic")
}

fn read(name: &str) -> String {
    let path = dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn read_json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("parse {name}: {e}"))
}

/// The `data` of every SSE event of a file, `[DONE]` excluded.
fn sse_data(name: &str) -> Vec<String> {
    let mut decoder = SseDecoder::new();
    let mut events = decoder.feed(read(name).as_bytes());
    events.extend(decoder.finish());
    events
        .into_iter()
        .map(|e| e.data)
        .filter(|d| d != "[DONE]")
        .collect()
}

/// Sets every `created` field to 0 (they carry the translation time).
fn zero_created(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(created) = map.get_mut("created") {
                *created = Value::from(0);
            }
            map.values_mut().for_each(zero_created);
        }
        Value::Array(items) => items.iter_mut().for_each(zero_created),
        _ => {}
    }
}

fn check(case: &str, actual: impl serde::Serialize) {
    let mut actual = serde_json::to_value(actual).expect("serializes");
    zero_created(&mut actual);
    let path = dir().join(format!("{case}.out.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let text = serde_json::to_string_pretty(&actual).expect("pretty") + "\n";
        std::fs::write(&path, text).expect("write golden file");
        return;
    }
    let expected: Value = read_json(&format!("{case}.out.json"));
    assert_eq!(
        actual,
        expected,
        "{case}: translation differs from {}; if intended, rerun with UPDATE_GOLDEN=1 and review",
        path.display()
    );
}

// OpenAI request (system + developer, multi-turn, images, tools, tool result, OpenAI-only
// params) → the Anthropic request LiteLLM would send.
#[test]
fn outbound_request() {
    let req: ChatRequest = read_json("outbound_request.in.json");
    check(
        "outbound_request",
        outbound::to_messages(req, UPSTREAM_MODEL).expect("translates"),
    );
}

// Anthropic response (thinking + text + tool_use, usage with cache reads and writes) → OpenAI.
#[test]
fn outbound_response() {
    let resp: MessagesResponse = read_json("outbound_response.in.json");
    check(
        "outbound_response",
        outbound_response::from_messages(resp, false),
    );
}

// Anthropic stream (text, then tool_use with input_json_delta, message_delta usage) → chunks.
#[test]
fn outbound_stream() {
    let mut state = OutboundStream::new(false);
    let mut chunks: Vec<ChatChunk> = Vec::new();
    for data in sse_data("outbound_stream.in.sse") {
        let event = parse_event(&data).expect("valid event");
        chunks.extend(state.on_event(event).expect("no error event"));
    }
    assert!(state.is_done());
    check("outbound_stream", chunks);
}

// Anthropic request from a client like Claude Code → the OpenAI request for another provider.
#[test]
fn inbound_request() {
    let req: MessagesRequest = read_json("inbound_request.in.json");
    check(
        "inbound_request",
        inbound::to_chat(req).expect("translates"),
    );
}

// OpenAI response (text + tool call, cached prompt tokens) → Anthropic message.
#[test]
fn inbound_response() {
    let resp: ChatResponse = read_json("inbound_response.in.json");
    check("inbound_response", inbound::from_chat(resp));
}

// OpenAI chunks (text, two streamed tool calls, usage chunk) → Anthropic events.
#[test]
fn inbound_stream() {
    let mut state = InboundStream::new("gpt-4o".into());
    let mut events = Vec::new();
    for data in sse_data("inbound_stream.in.sse") {
        let chunk: ChatChunk = serde_json::from_str(&data).expect("valid chunk");
        events.extend(state.on_chunk(chunk));
    }
    events.extend(state.finish());
    check("inbound_stream", events);
}

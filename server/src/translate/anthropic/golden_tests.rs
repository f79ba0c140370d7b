//! Golden files pinning the Anthropic ↔ OpenAI translation (CONVENTIONS §15).
//!
//! Each case reads `server/tests/golden/anthropic/<case>.in.{json,sse}` and compares the
//! translation with `<case>.out.json` as JSON values. `created` timestamps are zeroed. Run with
//! `UPDATE_GOLDEN=1` to rewrite the expected files, then review the diff by hand against the
//! Anthropic API documentation before committing.

use super::inbound_stream::InboundStream;
use super::outbound_stream::{OutboundStream, parse_event};
use super::{inbound, outbound, outbound_response};
use crate::golden;
use crate::types::anthropic::{MessagesRequest, MessagesResponse};
use crate::types::openai::{ChatChunk, ChatRequest, ChatResponse};

const UPSTREAM_MODEL: &str = "claude-sonnet-4-5-20250929";

const SUITE: &str = "anthropic";

fn read_json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    golden::read_json(SUITE, name)
}

fn sse_data(name: &str) -> Vec<String> {
    golden::sse_data(SUITE, name)
}

fn check(case: &str, actual: impl serde::Serialize) {
    golden::check(SUITE, case, actual);
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

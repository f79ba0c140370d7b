//! Outbound responses: an Anthropic message as the canonical OpenAI chat response.
//!
//! Text blocks are joined into `content`; `tool_use` blocks become `tool_calls` with their input
//! as a JSON string; thinking becomes `reasoning_content` (and the blocks themselves are kept in
//! `thinking_blocks`, LiteLLM's field, so a client can send them back on the next turn);
//! `stop_reason` end_turn/stop_sequence → stop, max_tokens → length, tool_use → tool_calls.
//! Usage counts every prompt token: `prompt_tokens = input + cache_read + cache_creation`, with
//! the cached ones in `prompt_tokens_details.cached_tokens` and both cache counts kept under
//! their Anthropic names (LiteLLM's usage fields) for pricing.

use serde_json::Value;

use super::finish_from_stop_reason;
use super::outbound::JSON_TOOL_NAME;
use crate::types::anthropic::{ContentBlock, MessagesResponse, Usage as AUsage};
use crate::types::openai::{
    ChatResponse, Choice, Extra, FunctionCall, PromptTokensDetails, ResponseMessage, Role,
    ToolCall, Usage,
};

/// `MessagesResponse` → `ChatResponse`. With `json_mode` (the request forced
/// [`JSON_TOOL_NAME`]), that tool's input becomes the message content.
pub fn from_messages(resp: MessagesResponse, json_mode: bool) -> ChatResponse {
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut thinking_blocks = Vec::new();
    let mut calls = Vec::new();
    for block in resp.content {
        match block {
            ContentBlock::Text(t) => text.push_str(&t.text),
            ContentBlock::ToolUse(call) => calls.push(ToolCall {
                id: call.id,
                kind: "function".into(),
                function: FunctionCall {
                    name: call.name,
                    arguments: call.input.to_string(),
                },
            }),
            ContentBlock::Thinking(t) => {
                reasoning.push_str(&t.thinking);
                thinking_blocks.extend(serde_json::to_value(ContentBlock::Thinking(t)).ok());
            }
            block @ ContentBlock::RedactedThinking(_) => {
                thinking_blocks.extend(serde_json::to_value(block).ok());
            }
            // Server tool blocks (web search, code execution, ...) have no OpenAI shape.
            ContentBlock::Image(_)
            | ContentBlock::Document(_)
            | ContentBlock::ToolResult(_)
            | ContentBlock::Other(_) => {}
        }
    }
    let mut finish_reason = resp.stop_reason.as_deref().map(finish_from_stop_reason);
    if json_mode && calls.len() == 1 && calls[0].function.name == JSON_TOOL_NAME {
        let arguments = std::mem::take(&mut calls[0].function.arguments);
        text = json_content(arguments);
        calls.clear();
        finish_reason = Some("stop");
    }
    let mut extra = Extra::new();
    if !thinking_blocks.is_empty() {
        extra.insert("thinking_blocks".into(), Value::Array(thinking_blocks));
    }
    ChatResponse {
        id: resp.id,
        object: "chat.completion".into(),
        created: super::unix_now(),
        model: resp.model,
        choices: vec![Choice {
            index: 0,
            message: ResponseMessage {
                role: Role::Assistant,
                content: (!text.is_empty()).then_some(text),
                tool_calls: (!calls.is_empty()).then_some(calls),
                refusal: None,
                reasoning_content: (!reasoning.is_empty()).then_some(reasoning),
                extra,
            },
            finish_reason: finish_reason.map(str::to_owned),
            logprobs: None,
            extra: Default::default(),
        }],
        usage: Some(usage(&resp.usage)),
        system_fingerprint: None,
        extra: Extra::new(),
    }
}

/// The JSON-mode tool input as content; a lone `values` key is unwrapped as LiteLLM does.
pub(crate) fn json_content(arguments: String) -> String {
    match serde_json::from_str::<Value>(&arguments) {
        Ok(Value::Object(mut o)) if o.len() == 1 && o.contains_key("values") => o
            .remove("values")
            .map(|v| v.to_string())
            .unwrap_or(arguments),
        _ => arguments,
    }
}

/// Anthropic usage → OpenAI usage (see the module docs).
pub fn usage(u: &AUsage) -> Usage {
    let cache_read = u.cache_read_input_tokens.unwrap_or(0);
    let cache_creation = u.cache_creation_input_tokens.unwrap_or(0);
    let prompt = u.input_tokens + cache_read + cache_creation;
    let mut usage = Usage::new(prompt, u.output_tokens);
    usage.prompt_tokens_details = Some(PromptTokensDetails {
        cached_tokens: Some(cache_read),
        extra: Extra::new(),
    });
    if let Some(n) = u.cache_creation_input_tokens {
        usage
            .extra
            .insert("cache_creation_input_tokens".into(), n.into());
    }
    if let Some(n) = u.cache_read_input_tokens {
        usage
            .extra
            .insert("cache_read_input_tokens".into(), n.into());
    }
    usage
}

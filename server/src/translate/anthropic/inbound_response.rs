//! Inbound responses: an OpenAI chat response (from a non-Anthropic deployment) as an Anthropic
//! message. Reasoning becomes a thinking block (without signature), then the text, then one
//! `tool_use` block per call; `finish_reason` maps as LiteLLM maps it (anything but `length`
//! and `tool_calls` is `end_turn`); usage is split into fresh, cached and cache-written input.

use serde_json::{Value, json};

use super::stop_reason_from_finish;
use crate::types::anthropic::{
    ContentBlock, MessagesResponse, Role as ARole, ThinkingBlock, ToolUseBlock, Usage as AUsage,
};
use crate::types::openai::{ChatResponse, Extra, Usage};

/// `ChatResponse` → `MessagesResponse`: reasoning → a thinking block, then the text, then one
/// `tool_use` block per call with its arguments parsed. The upstream id and model are kept.
pub fn from_chat(resp: ChatResponse) -> MessagesResponse {
    let mut content = Vec::new();
    let mut finish = None;
    if let Some(choice) = resp.choices.into_iter().next() {
        finish = choice.finish_reason;
        let msg = choice.message;
        if let Some(reasoning) = msg.reasoning_content.filter(|r| !r.is_empty()) {
            content.push(ContentBlock::Thinking(ThinkingBlock {
                thinking: reasoning,
                signature: Some(String::new()),
                extra: Extra::new(),
            }));
        }
        if let Some(text) = msg.content.filter(|t| !t.is_empty()) {
            content.push(ContentBlock::text(text));
        }
        for call in msg.tool_calls.unwrap_or_default() {
            content.push(ContentBlock::ToolUse(ToolUseBlock {
                input: parse_arguments(&call.function.arguments),
                id: call.id,
                name: call.function.name,
                cache_control: None,
                extra: Extra::new(),
            }));
        }
    }
    MessagesResponse {
        id: resp.id,
        kind: "message".into(),
        role: ARole::Assistant,
        content,
        model: resp.model,
        stop_reason: Some(stop_reason_from_finish(finish.as_deref().unwrap_or("stop")).into()),
        stop_sequence: None,
        usage: resp.usage.as_ref().map(usage).unwrap_or_default(),
        extra: Extra::new(),
    }
}

/// Tool-call arguments as a JSON object; empty → `{}`. Arguments that are not JSON (a model
/// mistake) are kept as a string under `_raw` rather than lost.
pub(crate) fn parse_arguments(arguments: &str) -> Value {
    if arguments.trim().is_empty() {
        return json!({});
    }
    match serde_json::from_str::<Value>(arguments) {
        Ok(value @ Value::Object(_)) => value,
        Ok(other) => json!({ "_raw": other }),
        Err(_) => json!({ "_raw": arguments }),
    }
}

/// OpenAI usage → Anthropic usage: `input_tokens` excludes cached and cache-written tokens, which
/// are reported separately (LiteLLM's mapping).
pub fn usage(u: &Usage) -> AUsage {
    let extra_u64 = |key: &str| u.extra.get(key).and_then(Value::as_u64);
    let details_u64 = |key: &str| {
        u.prompt_tokens_details
            .as_ref()
            .and_then(|d| d.extra.get(key))
            .and_then(Value::as_u64)
    };
    let cache_read = extra_u64("cache_read_input_tokens")
        .filter(|n| *n > 0)
        .unwrap_or_else(|| u.cached_prompt_tokens());
    let cache_creation = extra_u64("cache_creation_input_tokens")
        .filter(|n| *n > 0)
        .or_else(|| details_u64("cache_creation_tokens"))
        .or_else(|| details_u64("cache_write_tokens"))
        .unwrap_or(0);
    AUsage {
        input_tokens: u
            .prompt_tokens
            .saturating_sub(cache_read)
            .saturating_sub(cache_creation),
        output_tokens: u.completion_tokens,
        cache_creation_input_tokens: Some(cache_creation),
        cache_read_input_tokens: Some(cache_read),
        extra: Extra::new(),
    }
}

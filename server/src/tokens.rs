//! Local token counting with an OpenAI tokenizer (`o200k_base`), for providers that offer no
//! counting API. Counts are exact for OpenAI's current models and an estimate for others. The
//! tokenizer is loaded once, on first use, so it costs nothing for gateways that never count.

use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;

use crate::types::anthropic::CountTokensRequest;

static TOKENIZER: OnceLock<Option<CoreBPE>> = OnceLock::new();

/// Tokens in `text`; falls back to a quarter of the characters if the tokenizer cannot load.
pub fn count(text: &str) -> u64 {
    match TOKENIZER.get_or_init(|| tiktoken_rs::o200k_base().ok()) {
        Some(bpe) => bpe.encode_with_special_tokens(text).len() as u64,
        None => (text.chars().count() as u64).div_ceil(4),
    }
}

/// Per-message framing tokens (role markers), as OpenAI's chat format counts them.
const TOKENS_PER_MESSAGE: u64 = 3;

/// The input tokens of an Anthropic `count_tokens` request: system prompt, messages and tool
/// definitions, counted as the JSON text the model reads.
pub fn count_anthropic(req: &CountTokensRequest) -> crate::types::anthropic::CountTokensResponse {
    let mut total = 0;
    if let Some(system) = &req.system {
        total += count(&text_of(&serde_json::to_value(system).unwrap_or_default()));
    }
    for message in &req.messages {
        total += TOKENS_PER_MESSAGE;
        total += count(&text_of(
            &serde_json::to_value(&message.content).unwrap_or_default(),
        ));
    }
    if let Some(tools) = &req.tools {
        total += count(&serde_json::to_string(tools).unwrap_or_default());
    }
    crate::types::anthropic::CountTokensResponse {
        input_tokens: total,
        extra: Default::default(),
    }
}

/// The text a model reads from a content value: strings as they are, `text` fields of blocks,
/// and other blocks (tool calls, results) as compact JSON.
fn text_of(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join("\n"),
        Value::Object(map) => match map.get("text") {
            Some(Value::String(s)) => s.clone(),
            _ => value.to_string(),
        },
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The prompt tokens of a chat request: every message's text (other parts as JSON), tool calls,
/// and tool definitions, plus per-message framing. An upper-bound-minded estimate for providers
/// whose tokenizer differs.
pub fn count_chat(req: &crate::types::openai::ChatRequest) -> u64 {
    let mut total = 3;
    for m in &req.messages {
        total += TOKENS_PER_MESSAGE;
        if let Some(content) = &m.content {
            total += count(&text_of(&serde_json::to_value(content).unwrap_or_default()));
        }
        if let Some(calls) = &m.tool_calls {
            total += count(&serde_json::to_string(calls).unwrap_or_default());
        }
    }
    if let Some(tools) = &req.tools {
        total += count(&serde_json::to_string(tools).unwrap_or_default());
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    // The tokenizer loads and counts a known sentence plausibly.
    #[test]
    fn counts_tokens() {
        let n = count("Hello, world! This is a test.");
        assert!((5..=12).contains(&n), "{n}");
        assert_eq!(count(""), 0);
    }
}

//! Outbound requests: the canonical OpenAI chat request as an Anthropic Messages request, for
//! `anthropic/...` deployments.
//!
//! Mapping (LiteLLM's `AnthropicConfig`): system and developer messages → `system` blocks;
//! `tool` messages → user `tool_result` blocks; assistant `tool_calls` → `tool_use` blocks with
//! the arguments parsed (not JSON → `InvalidRequest`); consecutive same-role turns merged
//! (Anthropic wants alternating roles); data-URL images → base64 sources, other URLs → url
//! sources; `max_tokens` defaults to 4096; `stop` → `stop_sequences` (whitespace-only ones
//! dropped, Anthropic refuses them); `user` → `metadata.user_id`; `parallel_tool_calls: false` →
//! `disable_parallel_tool_use`; `reasoning_effort` → `thinking`; `response_format` → a forced
//! `json_tool_call` tool (see [`JSON_TOOL_NAME`]). OpenAI-only parameters (`n`, penalties,
//! `seed`, `logit_bias`, `logprobs`, `stream_options`, ...) are dropped; only parameters Anthropic
//! accepts pass through from `extra`. Responses are in [`super::outbound_response`].

use serde_json::{Value, json};

use super::outbound_content::{
    apply_message_cache_control, cache_control, content_blocks, text_block,
};
use super::outbound_params::{
    choice_of, json_tool, metadata_user_id, reasoning_effort, tool_choice, tool_def, valid_user_id,
};
use crate::error::{Error, Result};
use crate::types::anthropic::{
    Content, ContentBlock, InputMessage, MessagesRequest, Metadata, Role as ARole, SystemPrompt,
    ToolChoiceKind, ToolDef, ToolResultBlock, ToolResultContent, ToolUseBlock,
};
use crate::types::openai::{ChatMessage, ChatRequest, Extra, MessageContent, Role};

/// LiteLLM's default `max_tokens` for Anthropic (which requires the field).
pub const DEFAULT_MAX_TOKENS: u32 = 4096;

/// The tool LiteLLM forces to get JSON output (`response_format`) from Anthropic models; its
/// input comes back as the message content.
pub const JSON_TOOL_NAME: &str = "json_tool_call";

/// Top-level parameters of an OpenAI request's `extra` that Anthropic accepts as they are.
const PASS_THROUGH: &[&str] = &[
    "container",
    "context_management",
    "mcp_servers",
    "output_config",
    "output_format",
];

/// `ChatRequest` → `MessagesRequest` for `upstream_model`.
pub fn to_messages(req: ChatRequest, upstream_model: &str) -> Result<MessagesRequest> {
    let max_tokens_asked = req.output_cap();
    let mut system = Vec::new();
    let mut turns: Vec<InputMessage> = Vec::new();
    for msg in req.messages {
        match msg.role {
            Role::System | Role::Developer => system.extend(system_blocks(msg)),
            Role::User => push_turn(&mut turns, ARole::User, user_blocks(msg)?),
            Role::Assistant => push_turn(&mut turns, ARole::Assistant, assistant_blocks(msg)?),
            Role::Tool => push_turn(&mut turns, ARole::User, vec![tool_result(msg)?]),
            Role::Function => {
                return Err(Error::invalid_param(
                    "role `function` is not supported for anthropic models; use tools",
                    "messages",
                ));
            }
        }
    }
    tool_results_first(&mut turns);
    trim_final_assistant(&mut turns);
    if turns.is_empty() {
        return Err(Error::invalid_param(
            "at least one user or assistant message with content is required",
            "messages",
        ));
    }

    let mut extra = req.extra;
    let thinking = match extra.remove("thinking") {
        Some(thinking) => Some(thinking),
        None => reasoning_effort(extra.remove("reasoning_effort"))?,
    };
    let thinking_budget = thinking
        .as_ref()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("enabled"))
        .and_then(|t| t.get("budget_tokens"))
        .and_then(Value::as_u64)
        .map(|b| u32::try_from(b).unwrap_or(u32::MAX));
    let max_tokens = max_tokens_asked.unwrap_or_else(|| match thinking_budget {
        Some(budget) => budget.saturating_add(DEFAULT_MAX_TOKENS),
        None => DEFAULT_MAX_TOKENS,
    });

    let mut tools: Vec<ToolDef> = req
        .tools
        .unwrap_or_default()
        .into_iter()
        .map(tool_def)
        .collect();
    let mut tool_choice = match req.tool_choice {
        Some(choice) => Some(tool_choice(choice)?),
        None => None,
    };
    if let Some(parallel) = req.parallel_tool_calls {
        let choice = tool_choice.get_or_insert_with(|| choice_of(ToolChoiceKind::Auto, None));
        if choice.kind != ToolChoiceKind::None {
            choice.disable_parallel_tool_use = Some(!parallel);
        }
    }
    if let Some(tool) = req.response_format.as_ref().and_then(json_tool) {
        tools.push(ToolDef::Custom(tool));
        let thinking_on = thinking
            .as_ref()
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
            .is_some_and(|t| t != "disabled");
        // Anthropic refuses a forced tool while thinking; the tool is then only offered.
        if !thinking_on {
            tool_choice = Some(choice_of(ToolChoiceKind::Tool, Some(JSON_TOOL_NAME.into())));
        }
    }
    if tools.is_empty() {
        // Anthropic refuses a tool_choice without tools.
        tool_choice = None;
    }

    let top_k = extra
        .remove("top_k")
        .and_then(|v| v.as_u64())
        .and_then(|v| u32::try_from(v).ok());
    let user_id = req
        .user
        .filter(|u| valid_user_id(u))
        .or_else(|| metadata_user_id(&extra));
    let passed: Extra = extra
        .into_iter()
        .filter(|(k, _)| PASS_THROUGH.contains(&k.as_str()))
        .collect();
    let stop_sequences: Vec<String> = req
        .stop
        .map(|s| s.into_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();

    Ok(MessagesRequest {
        model: upstream_model.to_owned(),
        messages: turns,
        system: (!system.is_empty()).then_some(SystemPrompt::Blocks(system)),
        max_tokens,
        metadata: user_id.map(|user_id| Metadata {
            user_id: Some(user_id),
            extra: Extra::new(),
        }),
        stop_sequences: (!stop_sequences.is_empty()).then_some(stop_sequences),
        stream: req.stream.filter(|s| *s),
        temperature: req.temperature,
        top_p: req.top_p,
        top_k,
        tools: (!tools.is_empty()).then_some(tools),
        tool_choice,
        thinking,
        extra: passed,
    })
}

/// Whether the translated request forces [`JSON_TOOL_NAME`] (so the response's tool input is
/// the JSON content the client asked for).
pub fn is_json_mode(req: &MessagesRequest) -> bool {
    req.tool_choice.as_ref().is_some_and(|c| {
        c.kind == ToolChoiceKind::Tool && c.name.as_deref() == Some(JSON_TOOL_NAME)
    })
}

/// Appends a turn, merging it into the previous one when the role repeats; empty turns vanish.
fn push_turn(turns: &mut Vec<InputMessage>, role: ARole, blocks: Vec<ContentBlock>) {
    if blocks.is_empty() {
        return;
    }
    if let Some(last) = turns.last_mut()
        && last.role == role
        && let Content::Blocks(existing) = &mut last.content
    {
        existing.extend(blocks);
        return;
    }
    turns.push(InputMessage {
        role,
        content: Content::Blocks(blocks),
        extra: Extra::new(),
    });
}

/// Anthropic wants a user turn's `tool_result` blocks before anything else in it (merged turns
/// may have had the client's text first). The sort is stable: results keep their order.
fn tool_results_first(turns: &mut [InputMessage]) {
    for turn in turns.iter_mut().filter(|t| t.role == ARole::User) {
        if let Content::Blocks(blocks) = &mut turn.content {
            blocks.sort_by_key(|b| !matches!(b, ContentBlock::ToolResult(_)));
        }
    }
}

/// Anthropic refuses a final assistant turn (a prefill) ending in whitespace.
fn trim_final_assistant(turns: &mut Vec<InputMessage>) {
    let Some(last) = turns.last_mut() else { return };
    if last.role != ARole::Assistant {
        return;
    }
    if let Content::Blocks(blocks) = &mut last.content {
        if let Some(ContentBlock::Text(t)) = blocks.last_mut() {
            t.text.truncate(t.text.trim_end().len());
            if t.text.is_empty() {
                blocks.pop();
            }
        }
        if blocks.is_empty() {
            turns.pop();
        }
    }
}

fn system_blocks(msg: ChatMessage) -> Vec<ContentBlock> {
    let mut blocks = match msg.content {
        None => Vec::new(),
        Some(MessageContent::Text(text)) => vec![text_block(text, None)],
        Some(MessageContent::Parts(parts)) => parts
            .into_iter()
            .filter_map(|p| {
                let cc = cache_control(&p.extra);
                p.text.map(|t| text_block(t, cc))
            })
            .collect(),
    };
    blocks.retain(|b| !matches!(b, ContentBlock::Text(t) if t.text.trim().is_empty()));
    apply_message_cache_control(&mut blocks, &msg.extra);
    blocks
}

fn user_blocks(msg: ChatMessage) -> Result<Vec<ContentBlock>> {
    let mut blocks = content_blocks(msg.content)?;
    apply_message_cache_control(&mut blocks, &msg.extra);
    Ok(blocks)
}

fn assistant_blocks(msg: ChatMessage) -> Result<Vec<ContentBlock>> {
    let mut blocks = Vec::new();
    // Thinking blocks returned earlier (LiteLLM's `thinking_blocks`) go back first, as
    // Anthropic requires when thinking is on.
    if let Some(Value::Array(thinking)) = msg.extra.get("thinking_blocks") {
        for block in thinking {
            if let Ok(block @ (ContentBlock::Thinking(_) | ContentBlock::RedactedThinking(_))) =
                serde_json::from_value::<ContentBlock>(block.clone())
            {
                blocks.push(block);
            }
        }
    }
    let text = msg.content.map(|c| c.joined_text()).unwrap_or_default();
    if !text.trim().is_empty() {
        blocks.push(text_block(text, None));
    }
    for call in msg.tool_calls.unwrap_or_default() {
        let input = if call.function.arguments.trim().is_empty() {
            json!({})
        } else {
            serde_json::from_str::<Value>(&call.function.arguments)
                .ok()
                .filter(Value::is_object)
                .ok_or_else(|| {
                    Error::invalid_param(
                        format!(
                            "the arguments of tool call `{}` are not a JSON object",
                            call.id
                        ),
                        "messages",
                    )
                })?
        };
        blocks.push(ContentBlock::ToolUse(ToolUseBlock {
            id: tool_id(&call.id),
            name: call.function.name,
            input,
            cache_control: None,
            extra: Extra::new(),
        }));
    }
    apply_message_cache_control(&mut blocks, &msg.extra);
    Ok(blocks)
}

fn tool_result(msg: ChatMessage) -> Result<ContentBlock> {
    let Some(id) = msg.tool_call_id.as_deref() else {
        return Err(Error::invalid_param(
            "tool messages need a `tool_call_id`",
            "messages",
        ));
    };
    let content = match msg.content {
        Some(MessageContent::Text(text)) if text.is_empty() => None,
        Some(MessageContent::Text(text)) => Some(ToolResultContent::Text(text)),
        other => {
            let blocks = content_blocks(other)?;
            (!blocks.is_empty()).then_some(ToolResultContent::Blocks(blocks))
        }
    };
    Ok(ContentBlock::ToolResult(ToolResultBlock {
        tool_use_id: tool_id(id),
        content,
        is_error: msg.extra.get("is_error").and_then(Value::as_bool),
        cache_control: cache_control(&msg.extra),
        extra: Extra::new(),
    }))
}

/// Anthropic tool ids match `^[a-zA-Z0-9_-]+$`; ids from other providers may not.
fn tool_id(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "toolu_".into()
    } else {
        clean
    }
}

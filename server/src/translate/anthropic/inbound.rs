//! Inbound: an Anthropic Messages request for a non-Anthropic deployment, to the canonical OpenAI
//! chat request, and the OpenAI response back to an Anthropic message.
//!
//! Mapping (as LiteLLM's `/v1/messages` adapter does): `system` → a first system message; text and
//! image blocks → content parts (images as data URLs); `tool_use` → assistant `tool_calls` with
//! JSON-string arguments; each `tool_result` → one `role: tool` message, placed before the rest of
//! its user turn (OpenAI wants tool answers right after the call); tools → functions;
//! `tool_choice` any → required; `stop_sequences` → `stop`; `metadata.user_id` → `user`;
//! `thinking` and unknown fields pass through in `extra`. Thinking blocks of earlier assistant
//! turns are dropped (other providers cannot verify them). Block types no OpenAI-shaped API can
//! carry are refused with a clear `InvalidRequest` rather than silently lost.

use serde_json::{Value, json};

pub use super::inbound_response::{from_chat, usage};
use crate::error::{Error, Result};
use crate::types::anthropic::{
    Content, ContentBlock, CustomTool, DocumentBlock, MediaSource, MessagesRequest, Role as ARole,
    SystemPrompt, ToolChoice, ToolChoiceKind, ToolDef, ToolResultBlock, ToolResultContent,
    ToolUseBlock,
};
use crate::types::openai::{
    ChatMessage, ChatRequest, ContentPart, Extra, FunctionCall, FunctionDef, MessageContent, Role,
    Stop, Tool, ToolCall,
};

/// `MessagesRequest` → `ChatRequest` (model name unchanged).
pub fn to_chat(req: MessagesRequest) -> Result<ChatRequest> {
    let mut messages = Vec::with_capacity(req.messages.len() + 1);
    if let Some(system) = req.system
        && let Some(message) = system_message(system)
    {
        messages.push(message);
    }
    for message in req.messages {
        match message.role {
            ARole::User => user_turn(message.content, &mut messages)?,
            ARole::Assistant => messages.extend(assistant_turn(message.content)?),
        }
    }

    let mut extra = req.extra;
    let tools = match req.tools {
        Some(defs) => convert_tools(defs, &mut extra)?,
        None => None,
    };
    let (tool_choice, parallel_tool_calls) = match req.tool_choice {
        Some(choice) => convert_tool_choice(choice)?,
        None => (None, None),
    };
    if let Some(top_k) = req.top_k {
        extra.insert("top_k".into(), top_k.into());
    }
    if let Some(thinking) = req.thinking {
        extra.insert("thinking".into(), thinking);
    }
    let response_format = output_format(&mut extra);

    Ok(ChatRequest {
        model: req.model,
        messages,
        stream: req.stream,
        max_tokens: Some(req.max_tokens),
        temperature: req.temperature,
        top_p: req.top_p,
        stop: req.stop_sequences.filter(|s| !s.is_empty()).map(Stop::Many),
        user: req.metadata.and_then(|m| m.user_id),
        tools,
        tool_choice,
        parallel_tool_calls,
        response_format,
        extra,
        ..ChatRequest::default()
    })
}

fn system_message(system: SystemPrompt) -> Option<ChatMessage> {
    match system {
        SystemPrompt::Text(text) if text.is_empty() => None,
        SystemPrompt::Text(text) => Some(ChatMessage::text(Role::System, text)),
        SystemPrompt::Blocks(blocks) => {
            let parts: Vec<ContentPart> = blocks
                .into_iter()
                .filter_map(|b| match b {
                    ContentBlock::Text(t) => Some(ContentPart::text(t.text)),
                    _ => None,
                })
                .collect();
            (!parts.is_empty()).then(|| message(Role::System, Some(MessageContent::Parts(parts))))
        }
    }
}

fn message(role: Role, content: Option<MessageContent>) -> ChatMessage {
    ChatMessage {
        role,
        content,
        name: None,
        tool_calls: None,
        tool_call_id: None,
        extra: Extra::new(),
    }
}

/// One user turn: its tool results become `tool` messages (first, in order), the rest one user
/// message. Images inside tool results follow in that user message (tool messages carry text).
fn user_turn(content: Content, out: &mut Vec<ChatMessage>) -> Result<()> {
    let blocks = match content {
        Content::Text(text) => {
            out.push(ChatMessage::text(Role::User, text));
            return Ok(());
        }
        Content::Blocks(blocks) => blocks,
    };
    let mut parts = Vec::new();
    let mut tool_images = Vec::new();
    for block in blocks {
        match block {
            ContentBlock::ToolResult(result) => {
                out.push(tool_message(result, &mut tool_images)?);
            }
            other => {
                if let Some(part) = user_part(other)? {
                    parts.push(part);
                }
            }
        }
    }
    parts.extend(tool_images);
    if !parts.is_empty() {
        out.push(message(Role::User, Some(MessageContent::Parts(parts))));
    }
    Ok(())
}

fn user_part(block: ContentBlock) -> Result<Option<ContentPart>> {
    Ok(match block {
        ContentBlock::Text(t) => Some(ContentPart::text(t.text)),
        ContentBlock::Image(image) => Some(ContentPart::image(image_url(&image.source)?, None)),
        ContentBlock::Document(doc) => Some(document_part(doc)?),
        // A user turn cannot carry reasoning; nothing to translate.
        ContentBlock::Thinking(_) | ContentBlock::RedactedThinking(_) => None,
        ContentBlock::ToolUse(_) => {
            return Err(Error::invalid_param(
                "tool_use blocks are only allowed in assistant messages",
                "messages",
            ));
        }
        ContentBlock::ToolResult(_) | ContentBlock::Other(_) => return Err(unsupported(&block)),
    })
}

fn unsupported(block: &ContentBlock) -> Error {
    Error::invalid_param(
        format!(
            "content block type `{}` is only supported by Anthropic models",
            block.kind()
        ),
        "messages",
    )
}

/// An image source as an OpenAI image URL (a data URL for base64 data).
fn image_url(source: &MediaSource) -> Result<String> {
    match (source.kind.as_str(), &source.data, &source.url) {
        ("base64", Some(data), _) => {
            let media_type = source.media_type.as_deref().unwrap_or("image/jpeg");
            Ok(format!("data:{media_type};base64,{data}"))
        }
        ("url", _, Some(url)) => Ok(url.clone()),
        (kind, _, _) => Err(Error::invalid_param(
            format!("image source type `{kind}` is only supported by Anthropic models"),
            "messages",
        )),
    }
}

/// A document: PDF data → an OpenAI `file` part; plain text → a text part.
fn document_part(doc: DocumentBlock) -> Result<ContentPart> {
    let source = doc.source;
    match (source.kind.as_str(), source.data) {
        ("text", Some(text)) => Ok(ContentPart::text(text)),
        ("base64", Some(data)) => {
            let media_type = source.media_type.as_deref().unwrap_or("application/pdf");
            let mut file = serde_json::Map::new();
            file.insert(
                "file_data".into(),
                format!("data:{media_type};base64,{data}").into(),
            );
            if let Some(title) = doc.extra.get("title").and_then(Value::as_str) {
                file.insert("filename".into(), title.into());
            }
            let mut extra = Extra::new();
            extra.insert("file".into(), Value::Object(file));
            Ok(ContentPart {
                kind: "file".into(),
                text: None,
                image_url: None,
                extra,
            })
        }
        (kind, _) => Err(Error::invalid_param(
            format!("document source type `{kind}` is only supported by Anthropic models"),
            "messages",
        )),
    }
}

fn tool_message(result: ToolResultBlock, images: &mut Vec<ContentPart>) -> Result<ChatMessage> {
    let text = match result.content {
        None => String::new(),
        Some(ToolResultContent::Text(text)) => text,
        Some(ToolResultContent::Blocks(blocks)) => {
            let mut texts = Vec::new();
            for block in blocks {
                match block {
                    ContentBlock::Text(t) => texts.push(t.text),
                    ContentBlock::Image(image) => {
                        images.push(ContentPart::image(image_url(&image.source)?, None));
                    }
                    ContentBlock::Document(doc) => images.push(document_part(doc)?),
                    other => return Err(unsupported(&other)),
                }
            }
            texts.join("\n")
        }
    };
    let mut msg = ChatMessage::text(Role::Tool, text);
    msg.tool_call_id = Some(result.tool_use_id);
    Ok(msg)
}

/// An assistant turn: text joined, `tool_use` → `tool_calls`; `None` when nothing remains.
fn assistant_turn(content: Content) -> Result<Option<ChatMessage>> {
    let blocks = match content {
        Content::Text(text) => return Ok(Some(ChatMessage::text(Role::Assistant, text))),
        Content::Blocks(blocks) => blocks,
    };
    let mut text: Option<String> = None;
    let mut calls = Vec::new();
    for block in blocks {
        match block {
            ContentBlock::Text(t) => text.get_or_insert_with(String::new).push_str(&t.text),
            ContentBlock::ToolUse(call) => calls.push(tool_call(call)),
            ContentBlock::Thinking(_) | ContentBlock::RedactedThinking(_) => {}
            other => return Err(unsupported(&other)),
        }
    }
    if text.is_none() && calls.is_empty() {
        return Ok(None);
    }
    let mut msg = message(Role::Assistant, text.map(MessageContent::Text));
    if !calls.is_empty() {
        msg.tool_calls = Some(calls);
    }
    Ok(Some(msg))
}

fn tool_call(call: ToolUseBlock) -> ToolCall {
    ToolCall {
        id: call.id,
        kind: "function".into(),
        function: FunctionCall {
            name: call.name,
            arguments: call.input.to_string(),
        },
    }
}

/// Client tools → functions. A `web_search_*` server tool becomes `web_search_options` (as
/// LiteLLM maps it); other server tools only exist on Anthropic.
fn convert_tools(defs: Vec<ToolDef>, extra: &mut Extra) -> Result<Option<Vec<Tool>>> {
    let mut tools = Vec::with_capacity(defs.len());
    for def in defs {
        match def {
            ToolDef::Custom(CustomTool {
                name,
                description,
                input_schema,
                ..
            }) => tools.push(Tool {
                kind: "function".into(),
                function: FunctionDef {
                    name,
                    description,
                    parameters: Some(input_schema),
                    strict: None,
                },
                extra: Extra::new(),
            }),
            ToolDef::Server(raw) => {
                let kind = raw.get("type").and_then(Value::as_str).unwrap_or("unknown");
                if kind.starts_with("web_search") {
                    extra.insert("web_search_options".into(), json!({}));
                } else {
                    return Err(Error::invalid_param(
                        format!("tool type `{kind}` is only supported by Anthropic models"),
                        "tools",
                    ));
                }
            }
        }
    }
    Ok((!tools.is_empty()).then_some(tools))
}

fn convert_tool_choice(choice: ToolChoice) -> Result<(Option<Value>, Option<bool>)> {
    let value = match choice.kind {
        ToolChoiceKind::Auto => json!("auto"),
        ToolChoiceKind::Any => json!("required"),
        ToolChoiceKind::None => json!("none"),
        ToolChoiceKind::Tool => {
            let Some(name) = choice.name else {
                return Err(Error::invalid_param(
                    "tool_choice of type `tool` needs a `name`",
                    "tool_choice",
                ));
            };
            json!({"type": "function", "function": {"name": name}})
        }
    };
    let parallel = choice.disable_parallel_tool_use.map(|disable| !disable);
    Ok((Some(value), parallel))
}

/// `output_format` / `output_config.format` (`{"type":"json_schema","schema":..}`) →
/// `response_format`, as LiteLLM maps structured output. Both fields are consumed (they mean
/// nothing to other providers).
fn output_format(extra: &mut Extra) -> Option<Value> {
    let config = extra.remove("output_config");
    let format = extra
        .remove("output_format")
        .or_else(|| config.and_then(|c| c.get("format").cloned()))?;
    let schema = format
        .get("schema")
        .filter(|_| format.get("type").and_then(Value::as_str) == Some("json_schema"))?;
    Some(json!({
        "type": "json_schema",
        "json_schema": {"name": "structured_output", "schema": schema},
    }))
}

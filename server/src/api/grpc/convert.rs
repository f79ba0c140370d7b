//! Pure translation between the `tollgate.v1` protobuf messages and the gateway's OpenAI types
//! ([`crate::types::openai`]), plus `google.protobuf.Struct` ↔ JSON.
//!
//! Requests are validated only as far as the proto shape needs (model set, messages present,
//! roles set, no `extra` key shadowing a typed field); business rules stay in the pipeline.
//! `extra` objects are merged into the JSON form of the typed request and read back, so a known
//! OpenAI parameter sent through `extra` still lands in its typed field.

mod response;
pub mod structs;

use prost_types::Struct;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tollgate_proto::tollgate::v1 as pb;

use crate::error::{Error, Result};
use crate::types::openai as oa;

pub use response::{call_info, chat_chunk, chat_response, embed_response, model_list};
pub use structs::{json_to_value, map_to_struct, struct_to_map, value_to_json};

/// Merges `extra` into the JSON form of `typed` and reads it back. A key that `typed` already
/// sets is refused, so the two ways of saying a thing cannot disagree.
fn with_extra<T: Serialize + DeserializeOwned>(
    typed: T,
    extra: Option<Struct>,
    at: &str,
) -> Result<T> {
    let Some(extra) = extra.filter(|s| !s.fields.is_empty()) else {
        return Ok(typed);
    };
    let mut object = match serde_json::to_value(&typed).map_err(Error::internal)? {
        Value::Object(object) => object,
        other => {
            return Err(Error::internal(format!(
                "expected a JSON object, got {other}"
            )));
        }
    };
    for (key, value) in struct_to_map(extra) {
        if object.contains_key(&key) {
            return Err(Error::invalid_param(
                format!("`{at}extra.{key}` duplicates a typed field: set the field instead"),
                format!("{at}extra.{key}"),
            ));
        }
        object.insert(key, value);
    }
    serde_json::from_value(Value::Object(object))
        .map_err(|e| Error::invalid_param(format!("`{at}extra`: {e}"), format!("{at}extra")))
}

// Requests

/// A proto chat request as the canonical OpenAI request; `stream` is set by the RPC.
pub fn chat_request(req: pb::ChatRequest, stream: bool) -> Result<oa::ChatRequest> {
    if req.model.trim().is_empty() {
        return Err(Error::invalid_param("`model` is required", "model"));
    }
    if req.messages.is_empty() {
        return Err(Error::invalid_param(
            "`messages` must contain at least one message",
            "messages",
        ));
    }
    let messages = req
        .messages
        .into_iter()
        .enumerate()
        .map(|(i, m)| message(m, i))
        .collect::<Result<Vec<_>>>()?;
    let tools = req
        .tools
        .into_iter()
        .enumerate()
        .map(|(i, t)| tool(t, i))
        .collect::<Result<Vec<_>>>()?;
    let typed = oa::ChatRequest {
        model: req.model,
        messages,
        stream: stream.then_some(true),
        // OpenAI refuses `stream_options` without `stream`.
        stream_options: req
            .stream_options
            .filter(|_| stream)
            .map(|o| oa::StreamOptions {
                include_usage: o.include_usage,
                extra: oa::Extra::new(),
            }),
        max_tokens: req.max_tokens,
        max_completion_tokens: req.max_completion_tokens,
        temperature: req.temperature,
        top_p: req.top_p,
        n: req.n,
        stop: (!req.stop.is_empty()).then_some(oa::Stop::Many(req.stop)),
        seed: req.seed,
        presence_penalty: req.presence_penalty,
        frequency_penalty: req.frequency_penalty,
        user: req.user,
        tools: (!tools.is_empty()).then_some(tools),
        tool_choice: req.tool_choice.map(tool_choice).transpose()?.flatten(),
        parallel_tool_calls: req.parallel_tool_calls,
        response_format: req.response_format.map(response_format).transpose()?,
        extra: oa::Extra::new(),
    };
    with_extra(typed, req.extra, "")
}

fn message(m: pb::ChatMessage, i: usize) -> Result<oa::ChatMessage> {
    let at = format!("messages[{i}]");
    let role = role_from_proto(m.role).ok_or_else(|| {
        Error::invalid_param(
            format!("`{at}.role` is required (system, developer, user, assistant or tool)"),
            format!("{at}.role"),
        )
    })?;
    let content = match m.content {
        None => None,
        Some(pb::chat_message::Content::Text(text)) => Some(oa::MessageContent::Text(text)),
        Some(pb::chat_message::Content::Parts(parts)) => Some(oa::MessageContent::Parts(
            parts
                .parts
                .into_iter()
                .enumerate()
                .map(|(j, p)| content_part(p, &format!("{at}.content[{j}]")))
                .collect::<Result<Vec<_>>>()?,
        )),
    };
    let tool_calls: Vec<oa::ToolCall> = m
        .tool_calls
        .into_iter()
        .map(|c| oa::ToolCall {
            id: c.id,
            kind: "function".into(),
            function: oa::FunctionCall {
                name: c.name,
                arguments: c.arguments,
            },
        })
        .collect();
    let mut extra = oa::Extra::new();
    if let Some(refusal) = m.refusal {
        extra.insert("refusal".into(), Value::String(refusal));
    }
    if let Some(reasoning) = m.reasoning_content {
        extra.insert("reasoning_content".into(), Value::String(reasoning));
    }
    let typed = oa::ChatMessage {
        role,
        content,
        name: m.name,
        tool_calls: (!tool_calls.is_empty()).then_some(tool_calls),
        tool_call_id: m.tool_call_id,
        extra,
    };
    with_extra(typed, m.extra, &format!("{at}."))
}

fn content_part(part: pb::ContentPart, at: &str) -> Result<oa::ContentPart> {
    use pb::content_part::Part;
    match part.part {
        Some(Part::Text(text)) => Ok(oa::ContentPart::text(text)),
        Some(Part::Image(image)) if !image.url.is_empty() => {
            Ok(oa::ContentPart::image(image.url, image.detail))
        }
        Some(Part::Image(_)) => Err(Error::invalid_param(
            format!("`{at}.image.url` is required"),
            format!("{at}.image.url"),
        )),
        Some(Part::Other(other)) => serde_json::from_value(Value::Object(struct_to_map(other)))
            .map_err(|e| Error::invalid_param(format!("`{at}.other`: {e}"), format!("{at}.other"))),
        None => Err(Error::invalid_param(
            format!("`{at}` is empty: set `text`, `image` or `other`"),
            at.to_owned(),
        )),
    }
}

fn tool(t: pb::Tool, i: usize) -> Result<oa::Tool> {
    if t.name.is_empty() {
        return Err(Error::invalid_param(
            format!("`tools[{i}].name` is required"),
            format!("tools[{i}].name"),
        ));
    }
    Ok(oa::Tool {
        kind: "function".into(),
        function: oa::FunctionDef {
            name: t.name,
            description: t.description,
            parameters: t.parameters.map(|s| Value::Object(struct_to_map(s))),
            strict: t.strict,
        },
        extra: oa::Extra::new(),
    })
}

/// `None` when the message is present but empty.
fn tool_choice(choice: pb::ToolChoice) -> Result<Option<Value>> {
    use pb::tool_choice::Choice;
    let mode = match choice.choice {
        None => return Ok(None),
        Some(Choice::FunctionName(name)) => {
            return Ok(Some(
                json!({"type": "function", "function": {"name": name}}),
            ));
        }
        Some(Choice::Mode(mode)) => mode,
    };
    let mode = match pb::ToolChoiceMode::try_from(mode) {
        Ok(pb::ToolChoiceMode::None) => "none",
        Ok(pb::ToolChoiceMode::Auto) => "auto",
        Ok(pb::ToolChoiceMode::Required) => "required",
        Ok(pb::ToolChoiceMode::Unspecified) | Err(_) => {
            return Err(Error::invalid_param(
                "`tool_choice.mode` must be NONE, AUTO or REQUIRED",
                "tool_choice.mode",
            ));
        }
    };
    Ok(Some(Value::String(mode.into())))
}

fn response_format(format: pb::ResponseFormat) -> Result<Value> {
    if format.r#type.is_empty() {
        return Err(Error::invalid_param(
            "`response_format.type` is required (text, json_object or json_schema)",
            "response_format.type",
        ));
    }
    let mut object = Map::new();
    object.insert("type".into(), Value::String(format.r#type));
    if let Some(schema) = format.json_schema {
        object.insert("json_schema".into(), Value::Object(struct_to_map(schema)));
    }
    Ok(Value::Object(object))
}

fn role_from_proto(role: i32) -> Option<oa::Role> {
    match pb::Role::try_from(role).ok()? {
        pb::Role::Unspecified => None,
        pb::Role::System => Some(oa::Role::System),
        pb::Role::Developer => Some(oa::Role::Developer),
        pb::Role::User => Some(oa::Role::User),
        pb::Role::Assistant => Some(oa::Role::Assistant),
        pb::Role::Tool => Some(oa::Role::Tool),
        pb::Role::Function => Some(oa::Role::Function),
    }
}

pub(super) fn role_to_proto(role: oa::Role) -> pb::Role {
    match role {
        oa::Role::System => pb::Role::System,
        oa::Role::Developer => pb::Role::Developer,
        oa::Role::User => pb::Role::User,
        oa::Role::Assistant => pb::Role::Assistant,
        oa::Role::Tool => pb::Role::Tool,
        oa::Role::Function => pb::Role::Function,
    }
}

/// A proto embeddings request as the canonical OpenAI request. Vectors always come back as
/// floats, so `base64` is asked of the provider as `float`.
pub fn embed_request(req: pb::EmbedRequest) -> Result<oa::EmbeddingsRequest> {
    if req.model.trim().is_empty() {
        return Err(Error::invalid_param("`model` is required", "model"));
    }
    if req.input.is_empty() {
        return Err(Error::invalid_param(
            "`input` must contain at least one text",
            "input",
        ));
    }
    let encoding_format = match req.encoding_format.as_deref() {
        None => None,
        Some("float" | "base64") => Some("float".to_owned()),
        Some(other) => {
            return Err(Error::invalid_param(
                format!("`encoding_format` must be float or base64, not `{other}`"),
                "encoding_format",
            ));
        }
    };
    let typed = oa::EmbeddingsRequest {
        model: req.model,
        input: Value::Array(req.input.into_iter().map(Value::String).collect()),
        encoding_format,
        dimensions: req.dimensions,
        user: req.user,
        extra: oa::Extra::new(),
    };
    with_extra(typed, req.extra, "")
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;

//! OpenAI responses (as the pipeline returns them) → `tollgate.v1` responses, with the call's
//! gateway metadata as `CallInfo`.

use serde_json::Value;
use tollgate_proto::tollgate::v1 as pb;

use super::role_to_proto;
use super::structs::{extra_to_struct, object_to_struct};
use crate::error::{Error, Result};
use crate::pipeline::CallMeta;
use crate::types::openai as oa;

/// The gateway metadata of a call.
pub fn call_info(meta: &CallMeta) -> pb::CallInfo {
    pb::CallInfo {
        call_id: meta.call_id.clone(),
        model_group: meta.model_group.clone(),
        model_id: meta.deployment_id.clone(),
        api_base: meta.api_base.clone(),
        response_cost: meta.response_cost,
        cache_hit: meta.cache_hit,
    }
}

fn usage(usage: oa::Usage) -> pb::Usage {
    pb::Usage {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.total_tokens,
        cached_tokens: usage.cached_prompt_tokens(),
    }
}

/// A chat completion as the proto response, with its call info.
pub fn chat_response(resp: oa::ChatResponse, meta: &CallMeta) -> pb::ChatResponse {
    pb::ChatResponse {
        id: resp.id,
        model: resp.model,
        created: resp.created,
        choices: resp
            .choices
            .into_iter()
            .map(|c| pb::Choice {
                index: c.index,
                message: Some(response_message(c.message)),
                finish_reason: c.finish_reason.unwrap_or_default(),
                logprobs: object_to_struct(c.logprobs),
            })
            .collect(),
        usage: resp.usage.map(usage),
        system_fingerprint: resp.system_fingerprint,
        call_info: Some(call_info(meta)),
        extra: extra_to_struct(resp.extra),
    }
}

pub(super) fn response_message(m: oa::ResponseMessage) -> pb::ChatMessage {
    pb::ChatMessage {
        role: role_to_proto(m.role).into(),
        content: m.content.map(pb::chat_message::Content::Text),
        name: None,
        tool_calls: m
            .tool_calls
            .unwrap_or_default()
            .into_iter()
            .map(|c| pb::ToolCall {
                id: c.id,
                name: c.function.name,
                arguments: c.function.arguments,
            })
            .collect(),
        tool_call_id: None,
        refusal: m.refusal,
        reasoning_content: m.reasoning_content,
        extra: extra_to_struct(m.extra),
    }
}

/// One stream chunk as the proto stream message; `meta` is given for the first chunk only.
pub fn chat_chunk(chunk: oa::ChatChunk, meta: Option<&CallMeta>) -> pb::ChatStreamResponse {
    let chunk = pb::ChatChunk {
        id: chunk.id,
        model: chunk.model,
        created: chunk.created,
        choices: chunk
            .choices
            .into_iter()
            .map(|c| pb::ChunkChoice {
                index: c.index,
                delta: Some(delta(c.delta)),
                finish_reason: c.finish_reason.unwrap_or_default(),
                logprobs: object_to_struct(c.logprobs),
            })
            .collect(),
        usage: chunk.usage.map(usage),
        system_fingerprint: chunk.system_fingerprint,
        call_info: meta.map(call_info),
        extra: extra_to_struct(chunk.extra),
    };
    pb::ChatStreamResponse { chunk: Some(chunk) }
}

fn delta(d: oa::Delta) -> pb::Delta {
    pb::Delta {
        role: d.role.map_or(pb::Role::Unspecified, role_to_proto).into(),
        content: d.content,
        tool_calls: d
            .tool_calls
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                let (name, arguments) = t.function.map_or((None, None), |f| (f.name, f.arguments));
                pb::ToolCallDelta {
                    index: t.index,
                    id: t.id,
                    name,
                    arguments,
                }
            })
            .collect(),
        refusal: d.refusal,
        reasoning_content: d.reasoning_content,
    }
}

/// Embeddings as the proto response. A vector that is not a list of numbers is a provider fault.
pub fn embed_response(resp: oa::EmbeddingsResponse, meta: &CallMeta) -> Result<pb::EmbedResponse> {
    let data = resp
        .data
        .into_iter()
        .map(|e| {
            let Value::Array(items) = e.embedding else {
                return Err(Error::internal(
                    "the provider returned an embedding that is not a list of floats",
                ));
            };
            // Embeddings are f32 on the wire; providers send them as JSON numbers.
            let values = items
                .iter()
                .map(|v| v.as_f64().map(|f| f as f32))
                .collect::<Option<Vec<f32>>>()
                .ok_or_else(|| Error::internal("the provider returned a non-numeric embedding"))?;
            Ok(pb::Embedding {
                index: e.index,
                values,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(pb::EmbedResponse {
        model: resp.model,
        data,
        usage: resp.usage.map(usage),
        call_info: Some(call_info(meta)),
    })
}

/// The model list as the proto response.
pub fn model_list(list: oa::ModelList) -> pb::ListModelsResponse {
    pb::ListModelsResponse {
        data: list
            .data
            .into_iter()
            .map(|m| pb::Model {
                id: m.id,
                owned_by: m.owned_by,
                created: m.created,
            })
            .collect(),
    }
}

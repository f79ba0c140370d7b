//! Anthropic Messages ↔ OpenAI chat translation, both directions, unary and streamed.
//!
//! - [`inbound`] / [`inbound_response`] / [`inbound_stream`]: an Anthropic client (`POST /v1/messages`) served by a
//!   non-Anthropic deployment: `MessagesRequest → ChatRequest`, then `ChatResponse` or the
//!   chunk stream back to Anthropic shapes and events.
//! - [`outbound`] / [`outbound_response`] / [`outbound_stream`]: an OpenAI-shaped request served
//!   by an `anthropic/...` deployment: `ChatRequest → MessagesRequest`, then `MessagesResponse`
//!   or Anthropic's events back to OpenAI shapes and chunks.
//!
//! The mapping choices follow LiteLLM (`litellm/llms/anthropic/chat/transformation.py` outbound,
//! `litellm/llms/anthropic/experimental_pass_through/adapters/` inbound) so a LiteLLM user sees the
//! same results; golden files under `server/tests/golden/anthropic/` pin them. Everything here is
//! pure (no I/O); the HTTP calls live in [`crate::providers::anthropic`]. Errors are rendered as
//! Anthropic bodies by [`error_response`], as SSE by [`to_sse`].

pub mod inbound;
pub mod inbound_response;
pub mod inbound_stream;
pub mod outbound;
mod outbound_content;
mod outbound_params;
pub mod outbound_response;
pub mod outbound_stream;

#[cfg(test)]
mod edge_tests;
#[cfg(test)]
mod golden_tests;

use crate::error::Error;
use crate::types::anthropic::{AnthropicEvent, ErrorDetail, ErrorResponse};

/// Renders one event as Server-Sent Events text: `event: <type>\ndata: <json>\n\n`.
pub fn to_sse(event: &AnthropicEvent) -> String {
    let data = serde_json::to_string(event).unwrap_or_else(|e| {
        let fallback = ErrorResponse::new("api_error", format!("cannot encode event: {e}"));
        serde_json::to_string(&fallback).unwrap_or_default()
    });
    format!("event: {}\ndata: {data}\n\n", event.event_type())
}

/// The Anthropic error `type` for an HTTP status, as Anthropic's API documents them.
pub fn error_type_for_status(status: u16) -> &'static str {
    match status {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 | 529 => "overloaded_error",
        408 => "api_error",
        400..=499 => "invalid_request_error",
        _ => "api_error",
    }
}

/// The HTTP status Anthropic uses for an error `type` (for errors met inside a stream).
pub fn status_for_error_type(error_type: &str) -> u16 {
    match error_type {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "timeout_error" => 504,
        "overloaded_error" => 529,
        _ => 500,
    }
}

/// The Anthropic error body for a gateway error (`{"type":"error","error":{type,message}}`); the
/// HTTP status stays `err.kind().status`.
pub fn error_response(err: &Error) -> ErrorResponse {
    ErrorResponse::new(
        error_type_for_status(err.kind().status.as_u16()),
        err.to_string(),
    )
}

/// The `error` stream event for a gateway error.
pub fn error_event(err: &Error) -> AnthropicEvent {
    AnthropicEvent::Error {
        error: error_response(err).error,
    }
}

/// An Anthropic error object (from an `error` event) as a gateway error.
pub fn upstream_error(detail: &ErrorDetail) -> Error {
    Error::Upstream {
        status: status_for_error_type(&detail.kind),
        message: detail.message.clone(),
        provider: "anthropic",
        retry_after: None,
    }
}

/// OpenAI `finish_reason` → Anthropic `stop_reason`. Like LiteLLM, anything but `length` and
/// `tool_calls` (including `content_filter`) ends the turn normally.
pub fn stop_reason_from_finish(finish_reason: &str) -> &'static str {
    match finish_reason {
        "length" => "max_tokens",
        "tool_calls" | "function_call" => "tool_use",
        _ => "end_turn",
    }
}

/// Anthropic `stop_reason` → OpenAI `finish_reason`.
pub fn finish_from_stop_reason(stop_reason: &str) -> &'static str {
    match stop_reason {
        "max_tokens" | "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    }
}

/// Seconds since the Unix epoch, for `created` fields.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Splits a `data:<media type>;base64,<data>` URL into media type and data.
pub(crate) fn parse_data_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let media_type = meta.strip_suffix(";base64")?;
    Some((media_type, data))
}

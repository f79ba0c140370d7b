//! Streaming events of the Messages API (`message_start`, `content_block_*`, `message_delta`,
//! `message_stop`, `ping`, `error`) and Anthropic's error body. Part of
//! [`crate::types::anthropic`], which re-exports everything here.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ContentBlock, Extra, MessagesResponse};

/// One server-sent event of a streamed message. An event of a type the gateway does not know
/// is kept whole in [`AnthropicEvent::Unknown`] (Anthropic may add event types).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnthropicEvent {
    MessageStart {
        message: MessagesResponse,
    },
    ContentBlockStart {
        index: u32,
        content_block: ContentBlock,
    },
    ContentBlockDelta {
        index: u32,
        delta: BlockDelta,
    },
    ContentBlockStop {
        index: u32,
    },
    MessageDelta {
        delta: MessageDeltaBody,
        #[serde(default)]
        usage: DeltaUsage,
    },
    MessageStop,
    Ping,
    Error {
        error: ErrorDetail,
    },
    #[serde(untagged)]
    Unknown(Value),
}

impl AnthropicEvent {
    /// The SSE `event:` name: the event's `type`.
    pub fn event_type(&self) -> &str {
        match self {
            AnthropicEvent::MessageStart { .. } => "message_start",
            AnthropicEvent::ContentBlockStart { .. } => "content_block_start",
            AnthropicEvent::ContentBlockDelta { .. } => "content_block_delta",
            AnthropicEvent::ContentBlockStop { .. } => "content_block_stop",
            AnthropicEvent::MessageDelta { .. } => "message_delta",
            AnthropicEvent::MessageStop => "message_stop",
            AnthropicEvent::Ping => "ping",
            AnthropicEvent::Error { .. } => "error",
            AnthropicEvent::Unknown(v) => {
                v.get("type").and_then(Value::as_str).unwrap_or("unknown")
            }
        }
    }
}

/// The `delta` of a `content_block_delta` event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockDelta {
    TextDelta {
        text: String,
    },
    InputJsonDelta {
        partial_json: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    SignatureDelta {
        signature: String,
    },
    /// `citations_delta` and later additions, kept whole.
    #[serde(untagged)]
    Other(Value),
}

/// The `delta` of a `message_delta` event.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct MessageDeltaBody {
    #[serde(default)]
    pub stop_reason: Option<String>,
    #[serde(default)]
    pub stop_sequence: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `usage` of a `message_delta` event: cumulative counts. Anthropic always sends
/// `output_tokens`; newer API versions also repeat the input counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DeltaUsage {
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Anthropic's error body: `{"type":"error","error":{"type","message"}}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorResponse {
    #[serde(rename = "type", default = "error_type")]
    pub kind: String,
    pub error: ErrorDetail,
    #[serde(flatten)]
    pub extra: Extra,
}

fn error_type() -> String {
    "error".to_owned()
}

impl ErrorResponse {
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: "error".to_owned(),
            error: ErrorDetail {
                kind: error_type.into(),
                message: message.into(),
            },
            extra: Extra::new(),
        }
    }
}

/// `invalid_request_error`, `authentication_error`, `permission_error`, `not_found_error`,
/// `request_too_large`, `rate_limit_error`, `api_error`, `overloaded_error`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorDetail {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
}

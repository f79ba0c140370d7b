//! Outbound streaming: Anthropic's stream events as OpenAI chat chunks.
//!
//! `message_start` → a first chunk with `role: assistant`; `text_delta` → `content`;
//! `thinking_delta` → `reasoning_content` (a `signature_delta` → `thinking_blocks`, LiteLLM's
//! field); a `tool_use` block → a tool-call delta with index, id and name, then its
//! `input_json_delta`s as `arguments` fragments; `message_delta` → a chunk with the
//! `finish_reason`; `message_stop` → a last chunk with empty `choices` and the usage (always
//! sent; the pipeline strips it when the client did not ask). An `error` event becomes an `Err`
//! item; a stream that ends before `message_stop` ends with an `Err` too. `ping` and unknown
//! events are ignored.

use std::collections::HashMap;

use futures_util::{Stream, StreamExt};

use super::outbound::JSON_TOOL_NAME;
use super::outbound_response::usage;
use super::{finish_from_stop_reason, upstream_error};
use crate::error::{Error, Result};
use crate::providers::ChunkStream;
use crate::types::anthropic::{AnthropicEvent, BlockDelta, ContentBlock, Usage as AUsage};
use crate::types::openai::{
    ChatChunk, ChunkChoice, Delta, Extra, FunctionCallDelta, Role, ToolCallDelta,
};

/// Parses the `data` of one Anthropic SSE event.
pub fn parse_event(data: &str) -> Result<AnthropicEvent> {
    serde_json::from_str(data).map_err(|e| Error::UpstreamUnreachable {
        provider: "anthropic",
        message: format!("invalid stream event: {e}"),
    })
}

/// Adapts Anthropic events to an OpenAI chunk stream. `json_mode` as in
/// [`super::outbound_response::from_messages`].
pub fn to_chunks<S>(events: S, json_mode: bool) -> ChunkStream
where
    S: Stream<Item = Result<AnthropicEvent>> + Send + 'static,
{
    Box::pin(async_stream::stream! {
        let mut events = std::pin::pin!(events);
        let mut state = OutboundStream::new(json_mode);
        while let Some(item) = events.next().await {
            match item.and_then(|event| state.on_event(event)) {
                Ok(chunks) => {
                    for chunk in chunks {
                        yield Ok(chunk);
                    }
                }
                Err(err) => {
                    yield Err(err);
                    return;
                }
            }
            if state.is_done() {
                return;
            }
        }
        yield Err(Error::UpstreamUnreachable {
            provider: "anthropic",
            message: "the stream ended before message_stop".into(),
        });
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Text,
    Thinking,
    /// A tool call, with its OpenAI tool-call index.
    Tool(u32),
    /// The forced JSON-mode tool: its input is the content.
    Json,
    Ignored,
}

/// The translation state of one stream.
#[derive(Debug)]
pub struct OutboundStream {
    json_mode: bool,
    id: String,
    model: String,
    created: i64,
    blocks: HashMap<u32, BlockKind>,
    next_tool: u32,
    usage: AUsage,
    done: bool,
}

impl OutboundStream {
    pub fn new(json_mode: bool) -> Self {
        Self {
            json_mode,
            id: String::new(),
            model: String::new(),
            created: super::unix_now(),
            blocks: HashMap::new(),
            next_tool: 0,
            usage: AUsage::default(),
            done: false,
        }
    }

    /// Whether `message_stop` was seen.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The chunks one event produces; an `error` event is an `Err`.
    pub fn on_event(&mut self, event: AnthropicEvent) -> Result<Vec<ChatChunk>> {
        let mut chunks = Vec::new();
        match event {
            AnthropicEvent::MessageStart { message } => {
                self.id = message.id;
                self.model = message.model;
                self.usage = message.usage;
                chunks.push(self.chunk(
                    Delta {
                        role: Some(Role::Assistant),
                        content: Some(String::new()),
                        ..Delta::default()
                    },
                    None,
                ));
            }
            AnthropicEvent::ContentBlockStart {
                index,
                content_block,
            } => {
                let kind = self.block_kind(&content_block);
                self.blocks.insert(index, kind);
                match (kind, content_block) {
                    (BlockKind::Tool(n), ContentBlock::ToolUse(call)) => {
                        // Anthropic starts with `{}` and streams the input; a proxy that sends it
                        // whole up front is passed on as the first fragment.
                        let arguments = match call.input.as_object() {
                            Some(o) if !o.is_empty() => call.input.to_string(),
                            _ => String::new(),
                        };
                        chunks.push(self.tool_delta(n, Some(call.id), Some(call.name), &arguments));
                    }
                    (BlockKind::Text, ContentBlock::Text(t)) if !t.text.is_empty() => {
                        chunks.push(self.content(t.text));
                    }
                    _ => {}
                }
            }
            AnthropicEvent::ContentBlockDelta { index, delta } => {
                let kind = self
                    .blocks
                    .get(&index)
                    .copied()
                    .unwrap_or(BlockKind::Ignored);
                match (kind, delta) {
                    (BlockKind::Text, BlockDelta::TextDelta { text }) => {
                        chunks.push(self.content(text));
                    }
                    (BlockKind::Tool(n), BlockDelta::InputJsonDelta { partial_json })
                        if !partial_json.is_empty() =>
                    {
                        chunks.push(self.tool_delta(n, None, None, &partial_json));
                    }
                    (BlockKind::Json, BlockDelta::InputJsonDelta { partial_json })
                        if !partial_json.is_empty() =>
                    {
                        chunks.push(self.content(partial_json));
                    }
                    (BlockKind::Thinking, BlockDelta::ThinkingDelta { thinking }) => {
                        let delta = Delta {
                            reasoning_content: Some(thinking),
                            ..Delta::default()
                        };
                        chunks.push(self.chunk(delta, None));
                    }
                    (BlockKind::Thinking, BlockDelta::SignatureDelta { signature }) => {
                        let mut delta = Delta::default();
                        delta.extra.insert(
                            "thinking_blocks".into(),
                            serde_json::json!([
                                {"type": "thinking", "thinking": "", "signature": signature}
                            ]),
                        );
                        chunks.push(self.chunk(delta, None));
                    }
                    _ => {}
                }
            }
            AnthropicEvent::MessageDelta { delta, usage } => {
                self.usage.output_tokens = usage.output_tokens;
                if let Some(n) = usage.input_tokens {
                    self.usage.input_tokens = n;
                }
                if let Some(n) = usage.cache_creation_input_tokens {
                    self.usage.cache_creation_input_tokens = Some(n);
                }
                if let Some(n) = usage.cache_read_input_tokens {
                    self.usage.cache_read_input_tokens = Some(n);
                }
                if let Some(stop) = delta.stop_reason {
                    let json_done = self.json_mode
                        && stop == "tool_use"
                        && self.blocks.values().any(|k| *k == BlockKind::Json);
                    let finish = if json_done {
                        "stop"
                    } else {
                        finish_from_stop_reason(&stop)
                    };
                    chunks.push(self.chunk(Delta::default(), Some(finish.to_owned())));
                }
            }
            AnthropicEvent::MessageStop => {
                self.done = true;
                let mut last = self.chunk(Delta::default(), None);
                last.choices.clear();
                last.usage = Some(usage(&self.usage));
                chunks.push(last);
            }
            AnthropicEvent::Error { error } => return Err(upstream_error(&error)),
            AnthropicEvent::ContentBlockStop { .. }
            | AnthropicEvent::Ping
            | AnthropicEvent::Unknown(_) => {}
        }
        Ok(chunks)
    }

    fn block_kind(&mut self, block: &ContentBlock) -> BlockKind {
        match block {
            ContentBlock::Text(_) => BlockKind::Text,
            ContentBlock::Thinking(_) => BlockKind::Thinking,
            ContentBlock::ToolUse(call) if self.json_mode && call.name == JSON_TOOL_NAME => {
                BlockKind::Json
            }
            ContentBlock::ToolUse(_) => {
                let n = self.next_tool;
                self.next_tool += 1;
                BlockKind::Tool(n)
            }
            _ => BlockKind::Ignored,
        }
    }

    fn chunk(&self, delta: Delta, finish_reason: Option<String>) -> ChatChunk {
        ChatChunk {
            id: self.id.clone(),
            object: "chat.completion.chunk".into(),
            created: self.created,
            model: self.model.clone(),
            choices: vec![ChunkChoice {
                index: 0,
                delta,
                finish_reason,
                logprobs: None,
                extra: Default::default(),
            }],
            usage: None,
            system_fingerprint: None,
            extra: Extra::new(),
        }
    }

    fn content(&self, text: String) -> ChatChunk {
        let delta = Delta {
            content: Some(text),
            ..Delta::default()
        };
        self.chunk(delta, None)
    }

    fn tool_delta(
        &self,
        index: u32,
        id: Option<String>,
        name: Option<String>,
        arguments: &str,
    ) -> ChatChunk {
        let kind = id.as_ref().map(|_| "function".to_owned());
        let delta = Delta {
            tool_calls: Some(vec![ToolCallDelta {
                index,
                id,
                kind,
                function: Some(FunctionCallDelta {
                    name,
                    arguments: Some(arguments.to_owned()),
                }),
            }]),
            ..Delta::default()
        };
        self.chunk(delta, None)
    }
}

//! Inbound streaming: an OpenAI chunk stream (from a non-Anthropic deployment) as the exact event
//! sequence of Anthropic's streaming Messages API.
//!
//! `message_start` (on the first chunk), then for each piece of content a block —
//! `content_block_start`, its `content_block_delta`s (`thinking_delta`, `text_delta`,
//! `input_json_delta`), `content_block_stop` — then `message_delta` (stop reason and usage) and
//! `message_stop`. The finish reason is held until the stream ends so a trailing usage chunk (the
//! pipeline asks upstream for `include_usage`) lands in `message_delta`; without one the counts
//! are 0. An `Err` item becomes an `error` event and ends the stream.

use std::collections::HashMap;
use std::pin::Pin;

use futures_util::{Stream, StreamExt};

use super::{error_event, stop_reason_from_finish};
use crate::error::Error;
use crate::providers::ChunkStream;
use crate::types::anthropic::{
    AnthropicEvent, BlockDelta, ContentBlock, DeltaUsage, Extra, MessageDeltaBody,
    MessagesResponse, Role, ThinkingBlock, ToolUseBlock, Usage as AUsage,
};
use crate::types::openai::{ChatChunk, Usage};

/// A stream of Anthropic events; errors are already `error` events.
pub type EventStream = Pin<Box<dyn Stream<Item = AnthropicEvent> + Send>>;

/// Adapts an OpenAI chunk stream to Anthropic events. `model` is the name reported in
/// `message_start` (the model the client asked for).
pub fn to_events(chunks: ChunkStream, model: String) -> EventStream {
    Box::pin(async_stream::stream! {
        let mut chunks = chunks;
        let mut state = InboundStream::new(model);
        while let Some(item) = chunks.next().await {
            match item {
                Ok(chunk) => {
                    for event in state.on_chunk(chunk) {
                        yield event;
                    }
                }
                Err(err) => {
                    yield state.on_error(&err);
                    return;
                }
            }
        }
        for event in state.finish() {
            yield event;
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Text,
    Thinking,
    Tool,
}

/// The translation state of one stream; feed chunks, then call [`InboundStream::finish`].
#[derive(Debug)]
pub struct InboundStream {
    model: String,
    started: bool,
    next_index: u32,
    /// The open block: its index and kind.
    open: Option<(u32, BlockKind)>,
    /// OpenAI tool-call index → Anthropic block index.
    tools: HashMap<u32, u32>,
    stop_reason: Option<&'static str>,
    usage: Option<Usage>,
}

impl InboundStream {
    pub fn new(model: String) -> Self {
        Self {
            model,
            started: false,
            next_index: 0,
            open: None,
            tools: HashMap::new(),
            stop_reason: None,
            usage: None,
        }
    }

    /// The events one chunk produces (possibly none).
    pub fn on_chunk(&mut self, chunk: ChatChunk) -> Vec<AnthropicEvent> {
        let mut events = Vec::new();
        self.start(&chunk.id, &chunk.model, &mut events);
        if let Some(usage) = chunk.usage {
            self.usage = Some(usage);
        }
        // Anthropic messages have one choice; other choices (n > 1) cannot be represented.
        let Some(choice) = chunk.choices.into_iter().find(|c| c.index == 0) else {
            return events;
        };
        let delta = choice.delta;
        if let Some(thinking) = delta.reasoning_content.filter(|t| !t.is_empty()) {
            let index = self.ensure_open(BlockKind::Thinking, &mut events);
            events.push(block_delta(index, BlockDelta::ThinkingDelta { thinking }));
        }
        for text in [delta.content, delta.refusal].into_iter().flatten() {
            if !text.is_empty() {
                let index = self.ensure_open(BlockKind::Text, &mut events);
                events.push(block_delta(index, BlockDelta::TextDelta { text }));
            }
        }
        for call in delta.tool_calls.unwrap_or_default() {
            let (name, arguments) = call
                .function
                .map(|f| (f.name, f.arguments))
                .unwrap_or_default();
            let index = match self.tools.get(&call.index) {
                Some(index) => *index,
                None => {
                    self.close(&mut events);
                    let index = self.next_index;
                    self.next_index += 1;
                    self.tools.insert(call.index, index);
                    self.open = Some((index, BlockKind::Tool));
                    let id = call
                        .id
                        .filter(|id| !id.is_empty())
                        .unwrap_or_else(|| format!("toolu_{}", uuid::Uuid::now_v7().simple()));
                    events.push(AnthropicEvent::ContentBlockStart {
                        index,
                        content_block: ContentBlock::ToolUse(ToolUseBlock {
                            id,
                            name: name.unwrap_or_default(),
                            input: serde_json::json!({}),
                            cache_control: None,
                            extra: Extra::new(),
                        }),
                    });
                    index
                }
            };
            // Fragments of an earlier call (interleaved calls, rare) keep that call's index.
            if let Some(partial_json) = arguments.filter(|a| !a.is_empty()) {
                events.push(block_delta(
                    index,
                    BlockDelta::InputJsonDelta { partial_json },
                ));
            }
        }
        if let Some(finish) = choice.finish_reason {
            self.stop_reason = Some(stop_reason_from_finish(&finish));
            self.close(&mut events);
        }
        events
    }

    /// The `error` event that ends the stream.
    pub fn on_error(&mut self, err: &Error) -> AnthropicEvent {
        error_event(err)
    }

    /// The closing events: the open block's stop, `message_delta`, `message_stop`.
    pub fn finish(mut self) -> Vec<AnthropicEvent> {
        let mut events = Vec::new();
        self.start("", "", &mut events);
        self.close(&mut events);
        let usage = self
            .usage
            .as_ref()
            .map(super::inbound::usage)
            .unwrap_or_default();
        events.push(AnthropicEvent::MessageDelta {
            delta: MessageDeltaBody {
                stop_reason: Some(self.stop_reason.unwrap_or("end_turn").to_owned()),
                stop_sequence: None,
                extra: Extra::new(),
            },
            usage: DeltaUsage {
                output_tokens: usage.output_tokens,
                input_tokens: Some(usage.input_tokens),
                cache_creation_input_tokens: Some(usage.cache_creation_input_tokens.unwrap_or(0)),
                cache_read_input_tokens: Some(usage.cache_read_input_tokens.unwrap_or(0)),
                extra: Extra::new(),
            },
        });
        events.push(AnthropicEvent::MessageStop);
        events
    }

    fn start(&mut self, id: &str, model: &str, events: &mut Vec<AnthropicEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        let id = if id.is_empty() {
            format!("msg_{}", uuid::Uuid::now_v7().simple())
        } else {
            id.to_owned()
        };
        let model = if self.model.is_empty() {
            model.to_owned()
        } else {
            self.model.clone()
        };
        events.push(AnthropicEvent::MessageStart {
            message: MessagesResponse {
                id,
                kind: "message".into(),
                role: Role::Assistant,
                content: Vec::new(),
                model,
                stop_reason: None,
                stop_sequence: None,
                usage: AUsage::default(),
                extra: Extra::new(),
            },
        });
    }

    /// Opens a block of `kind` unless one is open; returns its index.
    fn ensure_open(&mut self, kind: BlockKind, events: &mut Vec<AnthropicEvent>) -> u32 {
        if let Some((index, open)) = self.open
            && open == kind
        {
            return index;
        }
        self.close(events);
        let index = self.next_index;
        self.next_index += 1;
        self.open = Some((index, kind));
        let content_block = match kind {
            BlockKind::Thinking => ContentBlock::Thinking(ThinkingBlock {
                thinking: String::new(),
                signature: Some(String::new()),
                extra: Extra::new(),
            }),
            BlockKind::Text | BlockKind::Tool => ContentBlock::text(""),
        };
        events.push(AnthropicEvent::ContentBlockStart {
            index,
            content_block,
        });
        index
    }

    fn close(&mut self, events: &mut Vec<AnthropicEvent>) {
        if let Some((index, _)) = self.open.take() {
            events.push(AnthropicEvent::ContentBlockStop { index });
        }
    }
}

fn block_delta(index: u32, delta: BlockDelta) -> AnthropicEvent {
    AnthropicEvent::ContentBlockDelta { index, delta }
}

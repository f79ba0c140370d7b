//! The end of a streamed call: hides the usage chunk the gateway asked for on the client's
//! behalf, and ends the call exactly once — with the provider's usage when the stream completes,
//! with an estimate of what was streamed when the client leaves early (the provider still bills
//! those tokens), or as a failure when the provider fails mid-stream.

use futures_util::StreamExt;

use super::call::CallEnd;
use crate::error::Error;
use crate::providers::ChunkStream;
use crate::types::openai::{ChatChunk, Usage};

/// Watches a stream and ends its call once, when the stream finishes or is dropped.
struct Watch {
    end: Option<CallEnd>,
    usage: Option<Usage>,
    prompt_tokens: u64,
    streamed_chars: usize,
}

impl Watch {
    fn see(&mut self, chunk: &ChatChunk) {
        if let Some(usage) = &chunk.usage {
            self.usage = Some(usage.clone());
        }
        for choice in &chunk.choices {
            let d = &choice.delta;
            self.streamed_chars += d.content.as_deref().map_or(0, str::len)
                + d.reasoning_content.as_deref().map_or(0, str::len)
                + d.tool_calls.as_ref().map_or(0, |calls| {
                    calls
                        .iter()
                        .filter_map(|c| c.function.as_ref())
                        .map(|f| f.arguments.as_deref().map_or(0, str::len))
                        .sum()
                });
        }
    }

    fn fail(&mut self, err: &Error) {
        if let Some(end) = self.end.take() {
            end.fail(err);
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let Some(end) = self.end.take() else { return };
        let usage = self.usage.take().unwrap_or_else(|| {
            // No usage from the provider (the client left first): estimate what was produced.
            let completion = (self.streamed_chars as u64).div_ceil(4);
            Usage::new(self.prompt_tokens, completion)
        });
        end.succeed(Some(&usage));
    }
}

pub fn finish(
    upstream: ChunkStream,
    end: CallEnd,
    wants_usage: bool,
    prompt_tokens: u64,
) -> ChunkStream {
    let mut watch = Watch {
        end: Some(end),
        usage: None,
        prompt_tokens,
        streamed_chars: 0,
    };
    let stream = upstream.filter_map(move |item| {
        // Borrow the whole watch so the closure owns it (not just a field).
        let watch = &mut watch;
        let out = match item {
            Ok(mut chunk) => {
                watch.see(&chunk);
                if wants_usage {
                    Some(Ok(chunk))
                } else if chunk.choices.is_empty() && chunk.usage.is_some() {
                    None
                } else {
                    chunk.usage = None;
                    Some(Ok(chunk))
                }
            }
            Err(err) => {
                watch.fail(&err);
                Some(Err(err))
            }
        };
        std::future::ready(out)
    });
    Box::pin(stream)
}

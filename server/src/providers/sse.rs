//! A minimal Server-Sent Events decoder for provider responses.
//!
//! Turns a byte stream into events (`event:` name and joined `data:` lines), as the SSE
//! specification describes: events end at a blank line, `:` lines are comments, a missing `event:`
//! means `message`. It buffers at most one incomplete event. It does not interpret the data.

use bytes::{Buf, BytesMut};
use futures_util::{Stream, StreamExt};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `None` when absent.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Incremental decoder: feed bytes, take complete events.
#[derive(Debug, Default)]
pub struct SseDecoder {
    buffer: BytesMut,
    event: Option<String>,
    data: Vec<String>,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes and returns the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some(pos) = self.buffer.iter().position(|b| *b == b'\n') {
            let mut line = self.buffer.split_to(pos + 1);
            line.truncate(pos);
            if line.last() == Some(&b'\r') {
                line.truncate(line.len() - 1);
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            if let Some(event) = self.line(&line) {
                events.push(event);
            }
        }
        events
    }

    /// Ends the input: a last event not followed by a blank line is still delivered.
    pub fn finish(&mut self) -> Option<SseEvent> {
        if !self.buffer.is_empty() {
            let rest = String::from_utf8_lossy(&self.buffer).into_owned();
            self.buffer.advance(self.buffer.len());
            if let Some(event) = self.line(&rest) {
                return Some(event);
            }
        }
        self.dispatch()
    }

    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => self.data.push(value.to_owned()),
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        if self.data.is_empty() && self.event.is_none() {
            return None;
        }
        let event = SseEvent {
            event: self.event.take(),
            data: std::mem::take(&mut self.data).join("\n"),
        };
        Some(event)
    }
}

/// Decodes a response body stream into SSE events. Transport errors end the stream with `Err`.
pub fn events<S, B, E>(body: S) -> impl Stream<Item = Result<SseEvent, E>> + Send
where
    S: Stream<Item = Result<B, E>> + Send + Unpin + 'static,
    B: AsRef<[u8]> + Send,
    E: Send + 'static,
{
    futures_util::stream::unfold(
        (
            body,
            SseDecoder::new(),
            std::collections::VecDeque::new(),
            false,
        ),
        |(mut body, mut decoder, mut pending, mut done)| async move {
            loop {
                if let Some(event) = pending.pop_front() {
                    return Some((Ok(event), (body, decoder, pending, done)));
                }
                if done {
                    return None;
                }
                match body.next().await {
                    Some(Ok(bytes)) => pending.extend(decoder.feed(bytes.as_ref())),
                    Some(Err(err)) => {
                        done = true;
                        return Some((Err(err), (body, decoder, pending, done)));
                    }
                    None => {
                        done = true;
                        pending.extend(decoder.finish());
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Events split across arbitrary chunk boundaries decode the same as one buffer.
    #[test]
    fn decodes_across_chunk_boundaries() {
        let input = b"event: message_start\ndata: {\"a\":1}\n\n: comment\ndata: x\ndata: y\r\n\r\ndata: [DONE]\n\n";
        let whole = SseDecoder::new().feed(input);
        for split in 1..input.len() {
            let mut d = SseDecoder::new();
            let mut got = d.feed(&input[..split]);
            got.extend(d.feed(&input[split..]));
            assert_eq!(got, whole, "split at {split}");
        }
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[0].event.as_deref(), Some("message_start"));
        assert_eq!(whole[1].data, "x\ny");
        assert_eq!(whole[2].data, "[DONE]");
    }

    // A final event without the trailing blank line is not lost.
    #[test]
    fn finish_flushes_last_event() {
        let mut d = SseDecoder::new();
        assert!(d.feed(b"data: last").is_empty());
        assert_eq!(d.finish().map(|e| e.data), Some("last".to_owned()));
    }
}

//! `mock_response`: answers without calling any provider, as LiteLLM does.
//!
//! Set in a deployment's `litellm_params` (a demo model that works with no API key) or per request
//! in the body. The text is returned as the assistant message; streams deliver it in word-sized
//! chunks. `litellm.RateLimitError` (LiteLLM's magic value) answers a 429 instead. Token counts
//! are estimates (about four characters a token) so accounting has something real to count.
//! Embeddings are deterministic unit vectors derived from the input text.

use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use futures_util::stream;

use super::{ChunkStream, Provider};
use crate::error::{Error, Result};
use crate::types::openai::{
    ChatChunk, ChatMessage, ChatRequest, ChatResponse, Choice, ChunkChoice, Delta, Embedding,
    EmbeddingsRequest, EmbeddingsResponse, Extra, MessageContent, ResponseMessage, Role, Usage,
};

/// Dimensions of mock embeddings when the request names none.
const DEFAULT_DIMENSIONS: usize = 8;

#[derive(Debug, Clone)]
pub struct MockProvider {
    text: String,
}

impl MockProvider {
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }

    fn check_error(&self) -> Result<()> {
        if self.text == "litellm.RateLimitError" {
            return Err(Error::Upstream {
                status: 429,
                message: "mock rate limit error (mock_response=litellm.RateLimitError)".into(),
                provider: "mock",
                retry_after: None,
            });
        }
        Ok(())
    }

    fn response(&self, req: &ChatRequest) -> ChatResponse {
        ChatResponse {
            id: format!("chatcmpl-mock-{}", uuid::Uuid::now_v7().simple()),
            object: "chat.completion".into(),
            created: now(),
            model: req.model.clone(),
            choices: vec![Choice {
                index: 0,
                message: ResponseMessage {
                    role: Role::Assistant,
                    content: Some(self.text.clone()),
                    tool_calls: None,
                    refusal: None,
                    reasoning_content: None,
                    extra: Extra::new(),
                },
                finish_reason: Some("stop".into()),
                logprobs: None,
                extra: Default::default(),
            }],
            usage: Some(Usage::new(
                estimate_prompt_tokens(&req.messages),
                estimate_tokens(&self.text),
            )),
            system_fingerprint: None,
            extra: Extra::new(),
        }
    }
}

/// A rough token estimate: a quarter of the characters, at least one for non-empty text.
pub fn estimate_tokens(text: &str) -> u64 {
    let chars = text.chars().count() as u64;
    if chars == 0 { 0 } else { chars.div_ceil(4) }
}

fn estimate_prompt_tokens(messages: &[ChatMessage]) -> u64 {
    messages
        .iter()
        .map(|m| {
            3 + m
                .content
                .as_ref()
                .map_or(0, |c| estimate_tokens(&content_text(c)))
        })
        .sum()
}

fn content_text(content: &MessageContent) -> String {
    content.joined_text()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// Splits text into word-sized pieces that concatenate back to it.
fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if c == ' ' {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

impl Provider for MockProvider {
    fn name(&self) -> &'static str {
        "mock"
    }

    fn api_base(&self) -> Option<&str> {
        None
    }

    fn chat(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChatResponse>> {
        Box::pin(async move {
            self.check_error()?;
            Ok(self.response(&req))
        })
    }

    fn chat_stream(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChunkStream>> {
        Box::pin(async move {
            self.check_error()?;
            let full = self.response(&req);
            let chunk = |delta: Delta, finish: Option<&str>| ChatChunk {
                id: full.id.clone(),
                object: "chat.completion.chunk".into(),
                created: full.created,
                model: full.model.clone(),
                choices: vec![ChunkChoice {
                    index: 0,
                    delta,
                    finish_reason: finish.map(str::to_owned),
                    logprobs: None,
                    extra: Default::default(),
                }],
                usage: None,
                system_fingerprint: None,
                extra: Extra::new(),
            };
            let mut chunks = vec![chunk(
                Delta {
                    role: Some(Role::Assistant),
                    content: Some(String::new()),
                    ..Delta::default()
                },
                None,
            )];
            for piece in pieces(&self.text) {
                chunks.push(chunk(
                    Delta {
                        content: Some(piece),
                        ..Delta::default()
                    },
                    None,
                ));
            }
            chunks.push(chunk(Delta::default(), Some("stop")));
            let mut last = chunk(Delta::default(), None);
            last.choices.clear();
            last.usage = full.usage.clone();
            chunks.push(last);
            let stream: ChunkStream = Box::pin(stream::iter(chunks.into_iter().map(Ok)));
            Ok(stream)
        })
    }

    fn embeddings(&self, req: EmbeddingsRequest) -> BoxFuture<'_, Result<EmbeddingsResponse>> {
        Box::pin(async move {
            self.check_error()?;
            let dims = req
                .dimensions
                .map_or(DEFAULT_DIMENSIONS, |d| d as usize)
                .max(1);
            let texts = req.input_texts();
            let prompt_tokens = texts.iter().map(|t| estimate_tokens(t)).sum();
            let data = texts
                .iter()
                .enumerate()
                .map(|(i, t)| Embedding {
                    object: "embedding".into(),
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                    embedding: serde_json::json!(pseudo_embedding(t, dims)),
                    extra: Extra::new(),
                })
                .collect();
            Ok(EmbeddingsResponse {
                object: "list".into(),
                data,
                model: req.model,
                usage: Some(Usage::new(prompt_tokens, 0)),
                extra: Extra::new(),
            })
        })
    }
}

/// A deterministic unit vector for `text` (FNV-1a seeded xorshift), so equal inputs embed equally.
fn pseudo_embedding(text: &str, dims: usize) -> Vec<f32> {
    let mut state = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) | 1;
    let mut v: Vec<f32> = (0..dims)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect();
    let norm = v
        .iter()
        .map(|x| x * x)
        .sum::<f32>()
        .sqrt()
        .max(f32::EPSILON);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    // Streamed pieces concatenate to exactly the mock text, and usage comes last.
    #[tokio::test]
    async fn stream_reassembles_text() {
        let mock = MockProvider::new("Hello from Tollgate!");
        let req = ChatRequest {
            model: "demo".into(),
            messages: vec![ChatMessage::text(Role::User, "hi")],
            ..ChatRequest::default()
        };
        let chunks: Vec<_> = mock.chat_stream(req).await.unwrap().collect().await;
        let text: String = chunks
            .iter()
            .filter_map(|c| c.as_ref().unwrap().choices.first()?.delta.content.clone())
            .collect();
        assert_eq!(text, "Hello from Tollgate!");
        assert!(chunks.last().unwrap().as_ref().unwrap().usage.is_some());
    }

    // Embeddings are deterministic and unit length.
    #[test]
    fn embeddings_are_deterministic_unit_vectors() {
        let a = pseudo_embedding("abc", 16);
        assert_eq!(a, pseudo_embedding("abc", 16));
        assert_ne!(a, pseudo_embedding("abd", 16));
        let norm: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4);
    }
}

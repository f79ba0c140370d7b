//! Providers: the LLM APIs behind the gateway, one file each, behind one trait.
//!
//! A [`Provider`] is built once per deployment from its `litellm_params` and holds everything it
//! needs to call upstream (base URL, credentials, upstream model name, timeouts, the shared pooled
//! HTTP client). It speaks the canonical OpenAI types of [`crate::types::openai`] and translates to
//! its wire format itself. Providers know nothing of keys, budgets or routing.

pub mod anthropic;
pub mod azure;
pub mod classify;
pub mod disabled;
pub mod factory;
pub mod http;
pub mod mock;
pub mod openai;
pub mod sse;

use std::pin::Pin;

use futures_util::Stream;
use futures_util::future::BoxFuture;

use crate::error::Result;
use crate::types::openai::{
    ChatChunk, ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, EmbeddingsRequest,
    EmbeddingsResponse,
};

/// A stream of chat chunks from a provider. An `Err` item ends the stream with that error.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<ChatChunk>> + Send>>;

/// One LLM API, configured for one deployment.
pub trait Provider: Send + Sync + std::fmt::Debug {
    /// Short provider name used in logs, errors and metrics (`openai`, `azure`, `anthropic`, ...).
    fn name(&self) -> &'static str;

    /// The base URL requests go to, reported in `x-tollgate-model-api-base`.
    fn api_base(&self) -> Option<&str>;

    /// A chat completion. `req.model` is the public name; the provider substitutes its own.
    fn chat(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChatResponse>>;

    /// A streamed chat completion. Resolves once the upstream accepted the request (so errors
    /// before the first byte are ordinary errors); later failures arrive as an `Err` item.
    fn chat_stream(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChunkStream>>;

    /// Embeddings. Providers without an embeddings API answer `InvalidRequest`.
    fn embeddings(&self, req: EmbeddingsRequest) -> BoxFuture<'_, Result<EmbeddingsResponse>>;

    /// A legacy text completion. The default translates it to a chat call with one user message.
    fn completions(&self, req: CompletionRequest) -> BoxFuture<'_, Result<CompletionResponse>> {
        Box::pin(async move {
            let chat = crate::translate::completions::to_chat(&req)?;
            let response = self.chat(chat).await?;
            Ok(crate::translate::completions::from_chat(response))
        })
    }

    /// The native Anthropic Messages client, if this provider is one (lets `/v1/messages` pass
    /// requests through untranslated).
    fn as_anthropic(&self) -> Option<&anthropic::AnthropicProvider> {
        None
    }
}

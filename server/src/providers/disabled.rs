//! A deployment that is configured but cannot be used: its provider is not supported by Tollgate,
//! or a credential it names through `os.environ/` is not set. The gateway still starts (a
//! LiteLLM config must load unchanged); every call to it fails with a 503 that says why.

use futures_util::future::BoxFuture;

use super::{ChunkStream, Provider};
use crate::error::{Error, Result};
use crate::types::openai::{ChatRequest, ChatResponse, EmbeddingsRequest, EmbeddingsResponse};

#[derive(Debug, Clone)]
pub struct DisabledProvider {
    reason: String,
}

impl DisabledProvider {
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }

    fn fail<T>(&self) -> Result<T> {
        Err(Error::Unavailable(self.reason.clone()))
    }
}

impl Provider for DisabledProvider {
    fn name(&self) -> &'static str {
        "disabled"
    }

    fn api_base(&self) -> Option<&str> {
        None
    }

    fn chat(&self, _req: ChatRequest) -> BoxFuture<'_, Result<ChatResponse>> {
        Box::pin(async move { self.fail() })
    }

    fn chat_stream(&self, _req: ChatRequest) -> BoxFuture<'_, Result<ChunkStream>> {
        Box::pin(async move { self.fail() })
    }

    fn embeddings(&self, _req: EmbeddingsRequest) -> BoxFuture<'_, Result<EmbeddingsResponse>> {
        Box::pin(async move { self.fail() })
    }
}

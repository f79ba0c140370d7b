//! The Anthropic provider: the Messages API (`POST {api_base}/v1/messages`).
//!
//! Two faces. As a [`Provider`] it serves OpenAI-shaped chat requests, translating with
//! [`crate::translate::anthropic::outbound`] both ways (streams included). Natively it passes
//! Anthropic requests through untranslated for `/v1/messages` ([`AnthropicProvider::messages`],
//! [`AnthropicProvider::messages_stream`], [`AnthropicProvider::count_tokens`]); only the model
//! name is replaced with the deployment's. It sends `x-api-key` and
//! `anthropic-version: 2023-06-01`, and `anthropic-beta` when the caller passes one through.
//! It has no embeddings API. It knows nothing of keys, budgets or routing.

use std::fmt;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use futures_util::{Stream, StreamExt};
use reqwest::RequestBuilder;

use super::{ChunkStream, Provider, http, sse};
use crate::error::{Error, Result};
use crate::translate::anthropic::outbound_stream::parse_event;
use crate::translate::anthropic::{outbound, outbound_response, outbound_stream};
use crate::types::anthropic::{
    AnthropicEvent, CountTokensRequest, CountTokensResponse, MessagesRequest, MessagesResponse,
};
use crate::types::openai::{ChatRequest, ChatResponse, EmbeddingsRequest, EmbeddingsResponse};

pub const DEFAULT_API_BASE: &str = "https://api.anthropic.com";
pub const ANTHROPIC_VERSION: &str = "2023-06-01";
const NAME: &str = "anthropic";

/// Anthropic's stream events as they arrive. `error` events are `Ok` items (a pass-through
/// forwards them as they are); transport failures, undecodable events and silences longer than
/// the stream timeout are `Err` items, each ending the stream.
pub type AnthropicEventStream = Pin<Box<dyn Stream<Item = Result<AnthropicEvent>> + Send>>;

/// One Anthropic deployment.
#[derive(Clone)]
pub struct AnthropicProvider {
    client: reqwest::Client,
    upstream_model: String,
    api_base: String,
    api_key: Option<String>,
    timeout: Duration,
    stream_timeout: Duration,
}

impl fmt::Debug for AnthropicProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnthropicProvider")
            .field("upstream_model", &self.upstream_model)
            .field("api_base", &self.api_base)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("stream_timeout", &self.stream_timeout)
            .finish()
    }
}

impl AnthropicProvider {
    /// `api_base` defaults to `https://api.anthropic.com`; a base ending in `/v1` is accepted
    /// too. `timeout` bounds a whole unary call; `stream_timeout` bounds the wait for a stream's
    /// response head and every silence between two events.
    pub fn new(
        client: reqwest::Client,
        upstream_model: String,
        api_base: Option<String>,
        api_key: Option<String>,
        timeout: Duration,
        stream_timeout: Duration,
    ) -> Self {
        let api_base = api_base
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API_BASE.to_owned())
            .trim_end_matches('/')
            .to_owned();
        Self {
            client,
            upstream_model,
            api_base,
            api_key,
            timeout,
            stream_timeout,
        }
    }

    pub fn upstream_model(&self) -> &str {
        &self.upstream_model
    }

    /// `{api_base}/v1{path}`, without doubling a `/v1` the base already has.
    fn endpoint(&self, path: &str) -> String {
        if self.api_base.ends_with("/v1") {
            format!("{}{path}", self.api_base)
        } else {
            format!("{}/v1{path}", self.api_base)
        }
    }

    fn post(&self, path: &str, beta: Option<&str>) -> RequestBuilder {
        let mut request = self
            .client
            .post(self.endpoint(path))
            .header("anthropic-version", ANTHROPIC_VERSION);
        if let Some(key) = &self.api_key {
            request = request.header("x-api-key", key);
        }
        if let Some(beta) = beta.filter(|b| !b.is_empty()) {
            request = request.header("anthropic-beta", beta);
        }
        request
    }

    /// A unary Messages call, passed through (model replaced).
    pub async fn messages(&self, req: MessagesRequest) -> Result<MessagesResponse> {
        self.messages_with_beta(req, None).await
    }

    /// [`Self::messages`] with the client's `anthropic-beta` header.
    pub async fn messages_with_beta(
        &self,
        mut req: MessagesRequest,
        beta: Option<&str>,
    ) -> Result<MessagesResponse> {
        req.model.clone_from(&self.upstream_model);
        req.stream = None;
        let deadline = Instant::now() + self.timeout;
        let response =
            http::send(NAME, self.post("/messages", beta).json(&req), self.timeout).await?;
        http::json(NAME, response, remaining(deadline)).await
    }

    /// A streamed Messages call, passed through (model replaced, `stream: true`). Resolves once
    /// Anthropic accepted the request.
    pub async fn messages_stream(&self, req: MessagesRequest) -> Result<AnthropicEventStream> {
        self.messages_stream_with_beta(req, None).await
    }

    /// [`Self::messages_stream`] with the client's `anthropic-beta` header.
    pub async fn messages_stream_with_beta(
        &self,
        mut req: MessagesRequest,
        beta: Option<&str>,
    ) -> Result<AnthropicEventStream> {
        req.model.clone_from(&self.upstream_model);
        req.stream = Some(true);
        let request = self
            .post("/messages", beta)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .json(&req);
        let response = http::send(NAME, request, self.stream_timeout).await?;
        Ok(event_stream(response, self.stream_timeout))
    }

    /// `POST /v1/messages/count_tokens` (model replaced).
    pub async fn count_tokens(&self, req: CountTokensRequest) -> Result<CountTokensResponse> {
        self.count_tokens_with_beta(req, None).await
    }

    /// [`Self::count_tokens`] with the client's `anthropic-beta` header.
    pub async fn count_tokens_with_beta(
        &self,
        mut req: CountTokensRequest,
        beta: Option<&str>,
    ) -> Result<CountTokensResponse> {
        req.model.clone_from(&self.upstream_model);
        let deadline = Instant::now() + self.timeout;
        let request = self.post("/messages/count_tokens", beta).json(&req);
        let response = http::send(NAME, request, self.timeout).await?;
        http::json(NAME, response, remaining(deadline)).await
    }
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

/// Decodes the SSE body into events, bounding each silence by `idle`.
fn event_stream(response: reqwest::Response, idle: Duration) -> AnthropicEventStream {
    let events = sse::events(Box::pin(response.bytes_stream()));
    Box::pin(async_stream::stream! {
        let mut events = std::pin::pin!(events);
        loop {
            match tokio::time::timeout(idle, events.next()).await {
                Err(_) => {
                    yield Err(http::timeout_error(NAME, idle));
                    return;
                }
                Ok(None) => return,
                Ok(Some(Err(err))) => {
                    yield Err(http::transport_error(NAME, &err));
                    return;
                }
                Ok(Some(Ok(event))) if event.data.trim().is_empty() => {}
                Ok(Some(Ok(event))) => match parse_event(&event.data) {
                    Ok(event) => yield Ok(event),
                    Err(err) => {
                        yield Err(err);
                        return;
                    }
                },
            }
        }
    })
}

impl Provider for AnthropicProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    fn api_base(&self) -> Option<&str> {
        Some(&self.api_base)
    }

    fn chat(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChatResponse>> {
        Box::pin(async move {
            let request = outbound::to_messages(req, &self.upstream_model)?;
            let json_mode = outbound::is_json_mode(&request);
            let response = self.messages(request).await?;
            Ok(outbound_response::from_messages(response, json_mode))
        })
    }

    fn chat_stream(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChunkStream>> {
        Box::pin(async move {
            let request = outbound::to_messages(req, &self.upstream_model)?;
            let json_mode = outbound::is_json_mode(&request);
            let events = self.messages_stream(request).await?;
            Ok(outbound_stream::to_chunks(events, json_mode))
        })
    }

    fn embeddings(&self, _req: EmbeddingsRequest) -> BoxFuture<'_, Result<EmbeddingsResponse>> {
        Box::pin(async { Err(Error::invalid("anthropic does not offer embeddings")) })
    }

    fn as_anthropic(&self) -> Option<&AnthropicProvider> {
        Some(self)
    }
}

#[cfg(test)]
#[path = "anthropic_tests.rs"]
mod tests;

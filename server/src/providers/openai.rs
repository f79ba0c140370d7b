//! OpenAI and every OpenAI-compatible API (vLLM, Ollama, Groq, DeepSeek, Together, OpenRouter,
//! LM Studio, ...), plus the shared core that the Azure provider reuses with its own URLs and
//! auth header.
//!
//! Requests are the canonical types with `model` replaced by the upstream name; streams always ask
//! for `include_usage` so the gateway can account tokens (the pipeline removes the usage chunk
//! if the client did not ask for it).

use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::Value;

use super::http::{self, transport_error};
use super::sse;
use super::{ChunkStream, Provider};
use crate::config::Secret;
use crate::error::{Error, Result};
use crate::types::openai::{
    ChatChunk, ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, EmbeddingsRequest,
    EmbeddingsResponse, StreamOptions,
};

/// Where requests go and how they authenticate.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint {
    /// `{base}/chat/completions` with `Authorization: Bearer`.
    OpenAi { base: String },
    /// `{base}/openai/deployments/{deployment}/chat/completions?api-version=` with `api-key`.
    Azure { base: String, api_version: String },
}

/// A request ready to send: what golden tests pin down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreparedRequest {
    pub url: String,
    /// Header names and values; secrets appear as given (tests use fake ones).
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

/// An OpenAI-shaped upstream.
#[derive(Debug)]
pub struct OpenAiProvider {
    pub(super) name: &'static str,
    pub(super) client: reqwest::Client,
    pub(super) upstream_model: String,
    pub(super) endpoint: Endpoint,
    pub(super) api_key: Option<Secret>,
    pub(super) organization: Option<String>,
    pub(super) extra_headers: Vec<(String, String)>,
    pub(super) timeout: Duration,
    pub(super) stream_timeout: Duration,
}

/// Settings shared by every OpenAI-shaped provider.
#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    pub name: &'static str,
    pub upstream_model: String,
    pub endpoint: Endpoint,
    pub api_key: Option<Secret>,
    pub organization: Option<String>,
    pub extra_headers: Vec<(String, String)>,
    pub timeout: Duration,
    pub stream_timeout: Duration,
}

impl OpenAiProvider {
    pub fn new(client: reqwest::Client, settings: OpenAiSettings) -> Self {
        Self {
            name: settings.name,
            client,
            upstream_model: settings.upstream_model,
            endpoint: settings.endpoint,
            api_key: settings.api_key,
            organization: settings.organization,
            extra_headers: settings.extra_headers,
            timeout: settings.timeout,
            stream_timeout: settings.stream_timeout,
        }
    }

    fn url(&self, operation: &str) -> String {
        match &self.endpoint {
            Endpoint::OpenAi { base } => format!("{}/{operation}", base.trim_end_matches('/')),
            Endpoint::Azure { base, api_version } => format!(
                "{}/openai/deployments/{}/{operation}?api-version={api_version}",
                base.trim_end_matches('/'),
                self.upstream_model
            ),
        }
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut headers = Vec::with_capacity(2 + self.extra_headers.len());
        if let Some(key) = &self.api_key {
            match self.endpoint {
                Endpoint::OpenAi { .. } => {
                    headers.push(("authorization".into(), format!("Bearer {}", key.expose())));
                }
                Endpoint::Azure { .. } => headers.push(("api-key".into(), key.expose().into())),
            }
        }
        if let Some(org) = &self.organization {
            headers.push(("openai-organization".into(), org.clone()));
        }
        headers.extend(self.extra_headers.iter().cloned());
        headers
    }

    /// The upstream chat request for `req` (non-streaming or streaming).
    pub fn prepare_chat(&self, mut req: ChatRequest, stream: bool) -> Result<PreparedRequest> {
        req.model.clone_from(&self.upstream_model);
        if stream {
            req.stream = Some(true);
            let mut options = req.stream_options.take().unwrap_or_default();
            options.include_usage = Some(true);
            req.stream_options = Some(StreamOptions { ..options });
        } else {
            req.stream = None;
            req.stream_options = None;
        }
        self.prepare("chat/completions", &req)
    }

    pub fn prepare_embeddings(&self, mut req: EmbeddingsRequest) -> Result<PreparedRequest> {
        req.model.clone_from(&self.upstream_model);
        self.prepare("embeddings", &req)
    }

    fn prepare<T: Serialize>(&self, operation: &str, body: &T) -> Result<PreparedRequest> {
        Ok(PreparedRequest {
            url: self.url(operation),
            headers: self.headers(),
            body: serde_json::to_value(body).map_err(Error::internal)?,
        })
    }

    fn builder(&self, prepared: &PreparedRequest) -> reqwest::RequestBuilder {
        let mut builder = self.client.post(&prepared.url).json(&prepared.body);
        for (name, value) in &prepared.headers {
            builder = builder.header(name, value);
        }
        builder
    }

    async fn call<T: serde::de::DeserializeOwned>(&self, prepared: PreparedRequest) -> Result<T> {
        let started = tokio::time::Instant::now();
        let response = http::send(self.name, self.builder(&prepared), self.timeout).await?;
        let left = self.timeout.saturating_sub(started.elapsed());
        http::json(self.name, response, left).await
    }

    async fn stream(&self, req: ChatRequest) -> Result<ChunkStream> {
        let prepared = self.prepare_chat(req, true)?;
        let response = http::send(self.name, self.builder(&prepared), self.stream_timeout).await?;
        let name = self.name;
        let body = response
            .bytes_stream()
            .map_err(move |e| transport_error(name, &e));
        Ok(parse_chunk_stream(name, body))
    }
}

/// Parses an OpenAI SSE body into chunks, ending at `data: [DONE]` or the end of the body.
pub fn parse_chunk_stream<S>(provider: &'static str, body: S) -> ChunkStream
where
    S: futures_util::Stream<Item = Result<bytes::Bytes>> + Send + Unpin + 'static,
{
    let events = sse::events(body);
    let chunks = events
        .take_while(|event| {
            let done = matches!(event, Ok(e) if e.data.trim() == "[DONE]");
            std::future::ready(!done)
        })
        .filter_map(move |event| async move {
            match event {
                Err(err) => Some(Err(err)),
                Ok(e) if e.data.trim().is_empty() => None,
                Ok(e) => Some(parse_chunk(provider, &e.data)),
            }
        });
    Box::pin(chunks)
}

fn parse_chunk(provider: &'static str, data: &str) -> Result<ChatChunk> {
    let value: Value = serde_json::from_str(data).map_err(|e| Error::UpstreamUnreachable {
        provider,
        message: format!("invalid stream event: {e}"),
    })?;
    if let Some(error) = value.get("error") {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .map_or_else(|| error.to_string(), str::to_owned);
        let status = error
            .get("code")
            .and_then(|c| {
                c.as_u64()
                    .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
            })
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (400..600).contains(c))
            .unwrap_or(500);
        return Err(Error::Upstream {
            status,
            message,
            provider,
            retry_after: None,
        });
    }
    serde_json::from_value(value).map_err(|e| Error::UpstreamUnreachable {
        provider,
        message: format!("invalid stream chunk: {e}"),
    })
}

impl Provider for OpenAiProvider {
    fn name(&self) -> &'static str {
        self.name
    }

    fn api_base(&self) -> Option<&str> {
        match &self.endpoint {
            Endpoint::OpenAi { base } | Endpoint::Azure { base, .. } => Some(base),
        }
    }

    fn chat(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChatResponse>> {
        Box::pin(async move { self.call(self.prepare_chat(req, false)?).await })
    }

    fn chat_stream(&self, req: ChatRequest) -> BoxFuture<'_, Result<ChunkStream>> {
        Box::pin(self.stream(req))
    }

    fn embeddings(&self, req: EmbeddingsRequest) -> BoxFuture<'_, Result<EmbeddingsResponse>> {
        Box::pin(async move { self.call(self.prepare_embeddings(req)?).await })
    }

    fn completions(&self, mut req: CompletionRequest) -> BoxFuture<'_, Result<CompletionResponse>> {
        Box::pin(async move {
            req.model.clone_from(&self.upstream_model);
            req.stream = None;
            self.call(self.prepare("completions", &req)?).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    // A stream ends at [DONE], skips keep-alive blanks and keeps every chunk in order.
    #[tokio::test]
    async fn parses_sse_chunks_until_done() {
        let body = "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n\
                    data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n\
                    data: [DONE]\n\ndata: {\"ignored\":true}\n\n";
        let parts: Vec<Result<bytes::Bytes>> = body
            .as_bytes()
            .chunks(7)
            .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
            .collect();
        let chunks: Vec<_> = parse_chunk_stream("openai", stream::iter(parts))
            .collect()
            .await;
        let texts: Vec<_> = chunks
            .into_iter()
            .map(|c| c.unwrap().choices[0].delta.content.clone().unwrap())
            .collect();
        assert_eq!(texts, ["Hel", "lo"]);
    }

    // An error object inside the stream becomes an upstream error item.
    #[test]
    fn error_event_is_an_error() {
        let err =
            parse_chunk("openai", r#"{"error":{"message":"overloaded","code":503}}"#).unwrap_err();
        assert!(matches!(err, Error::Upstream { status: 503, .. }));
    }
}

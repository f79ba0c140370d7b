//! One attempt of an Anthropic Messages call, shaped by the deployment it lands on: an
//! `anthropic/` deployment gets the request natively (nothing lost in translation); any other
//! gets it translated to OpenAI chat, and its answer translated back. The retry and fallback
//! loop (`attempts.rs`) runs these attempts, so a retry or fallback may change the shape
//! mid-call (`claude-x` falling back to `gpt-4o`).
//!
//! Streams follow the chat rule: an attempt counts as served once its first event arrived (an
//! upstream `error` event first is a failure, retried like any other); after that a failure
//! ends the stream with an `error` event and is never replayed.

use std::sync::Arc;

use futures_util::StreamExt;

use super::attempts::{self, Served};
use super::call::CallEnd;
use super::prepare::Route;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::providers::ChunkStream;
use crate::providers::anthropic::AnthropicEventStream;
use crate::router::Deployment;
use crate::router::attempt::InFlight;
use crate::state::AppState;
use crate::translate::anthropic::inbound_stream::EventStream;
use crate::translate::anthropic::{
    error_event, inbound, inbound_stream, outbound_response, upstream_error,
};
use crate::types::anthropic::{
    AnthropicEvent, MessagesRequest, MessagesResponse, Usage as AnthropicUsage,
};
use crate::types::openai::{ChatRequest, Usage};

/// One request in both shapes.
#[derive(Debug)]
pub struct Forms {
    /// As an `anthropic/` deployment receives it (gateway parameters stripped).
    pub native: MessagesRequest,
    /// Translated to chat for every other deployment; a request that cannot be translated
    /// fails only the attempts that would need it.
    pub chat: Result<Route>,
}

/// A unary answer and the usage it is charged by (OpenAI-shaped, as costs are computed).
#[derive(Debug)]
pub struct Answer {
    pub body: MessagesResponse,
    pub usage: Option<Usage>,
}

/// An opened stream, before its events are adapted for the client.
pub enum Opened {
    Native(AnthropicEventStream),
    Translated(ChunkStream),
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Opened::Native(_) => "Opened::Native",
            Opened::Translated(_) => "Opened::Translated",
        })
    }
}

impl Forms {
    /// A unary attempt on `deployment`.
    pub async fn answer(&self, deployment: Arc<Deployment>) -> Result<Answer> {
        if let Some(native) = deployment.provider.as_anthropic() {
            let body = native.messages(self.native.clone()).await?;
            let usage = Some(outbound_response::usage(&body.usage));
            return Ok(Answer { body, usage });
        }
        let request = self.chat_for(&deployment)?;
        let response = deployment.provider.chat(request).await?;
        let usage = response.usage.clone();
        Ok(Answer {
            body: inbound::from_chat(response),
            usage,
        })
    }

    /// A streamed attempt on `deployment`, up to its first event (within `stream_timeout`).
    pub async fn open(&self, deployment: Arc<Deployment>, config: &Config) -> Result<Opened> {
        if deployment.provider.as_anthropic().is_none() {
            let request = self.chat_for(&deployment)?;
            let chunks = attempts::open_stream(deployment, request, config).await?;
            return Ok(Opened::Translated(chunks));
        }
        let open = async {
            let Some(native) = deployment.provider.as_anthropic() else {
                return Err(Error::Internal("not an anthropic deployment".into()));
            };
            let mut events = native.messages_stream(self.native.clone()).await?;
            match events.next().await {
                None => Ok(events),
                Some(Err(err)) => Err(err),
                Some(Ok(AnthropicEvent::Error { error })) => Err(upstream_error(&error)),
                Some(Ok(first)) => {
                    let head = futures_util::stream::once(std::future::ready(Ok(first)));
                    Ok(Box::pin(head.chain(events)) as AnthropicEventStream)
                }
            }
        };
        let events = attempts::within_stream_timeout(&deployment, config, open).await?;
        Ok(Opened::Native(events))
    }

    fn chat_for(&self, deployment: &Deployment) -> Result<ChatRequest> {
        match &self.chat {
            Ok(route) => Ok(route.request_for(deployment)),
            Err(err) => Err(err.clone()),
        }
    }
}

/// The client's event stream from the attempt that served: its deployment stays counted in
/// flight until the stream ends, and the call ends exactly once. `prompt_tokens` estimates the
/// usage of a translated stream the client leaves before the upstream reported it.
pub fn events(
    served: Served<Opened>,
    end: CallEnd,
    state: &AppState,
    prompt_tokens: impl FnOnce() -> u64,
) -> EventStream {
    let Served { value, attempt } = served;
    let model = attempt.deployment().model_name.clone();
    match value {
        Opened::Translated(chunks) => {
            let upstream = attempts::track(chunks, attempt, state.clone());
            let chunks = super::stream::finish(upstream, end, true, prompt_tokens());
            inbound_stream::to_events(chunks, model)
        }
        Opened::Native(events) => native_events(events, attempt, end, state.clone()),
    }
}

fn native_events(
    events: AnthropicEventStream,
    attempt: InFlight,
    end: CallEnd,
    state: AppState,
) -> EventStream {
    attempt.first_token();
    let mut watch = NativeWatch {
        end: Some(end),
        attempt: Some(attempt),
        usage: AnthropicUsage::default(),
        state,
    };
    Box::pin(async_stream::stream! {
        let mut events = events;
        while let Some(item) = events.next().await {
            match item {
                Ok(AnthropicEvent::Error { error }) => {
                    watch.fail(&upstream_error(&error));
                    yield AnthropicEvent::Error { error };
                    return;
                }
                Ok(event) => {
                    watch.see(&event);
                    yield event;
                }
                Err(err) => {
                    watch.fail(&err);
                    yield error_event(&err);
                    return;
                }
            }
        }
        watch.succeed();
    })
}

/// Tracks a native stream's usage; ends its attempt and its call once.
struct NativeWatch {
    end: Option<CallEnd>,
    attempt: Option<InFlight>,
    usage: AnthropicUsage,
    state: AppState,
}

impl NativeWatch {
    fn see(&mut self, event: &AnthropicEvent) {
        match event {
            AnthropicEvent::MessageStart { message } => self.usage = message.usage.clone(),
            AnthropicEvent::MessageDelta { usage, .. } => {
                self.usage.output_tokens = usage.output_tokens;
                if let Some(n) = usage.input_tokens {
                    self.usage.input_tokens = n;
                }
            }
            _ => {}
        }
    }

    /// The stream failed mid-way: the deployment and the call record the failure.
    fn fail(&mut self, err: &Error) {
        if let Some(attempt) = self.attempt.take() {
            attempts::record_failure(&self.state, attempt, err);
        }
        if let Some(end) = self.end.take() {
            end.fail(err);
        }
    }

    /// The stream completed.
    fn succeed(&mut self) {
        let usage = outbound_response::usage(&self.usage);
        if let Some(attempt) = self.attempt.take() {
            attempt.succeed(usage.total_tokens);
        }
        if let Some(end) = self.end.take() {
            end.succeed(Some(&usage));
        }
    }
}

impl Drop for NativeWatch {
    /// The client left mid-stream: the call is charged what was reported so far (the provider
    /// bills it); the attempt just leaves the in-flight count.
    fn drop(&mut self) {
        if let Some(end) = self.end.take() {
            end.succeed(Some(&outbound_response::usage(&self.usage)));
        }
    }
}

//! The Anthropic Messages route through the pipeline: an `anthropic/` deployment receives the
//! request natively (nothing lost in translation); any other deployment gets it translated to
//! OpenAI chat and its answer translated back. Both ways go through the same model access, end
//! user, budget and spend steps as every other call.

use futures_util::StreamExt;

use super::admission::{self, Admission};
use super::call::{self, CallEnd};
use super::{CallMeta, Completed, begin_chat, chat_on, chat_stream_on, meta, prepare};
use crate::auth::Principal;
use crate::error::Result;
use crate::spend::request_tags;
use crate::state::AppState;
use crate::translate::anthropic::inbound_stream::EventStream;
use crate::translate::anthropic::{error_event, inbound, inbound_stream, outbound_response};
use crate::types::anthropic::{
    AnthropicEvent, CountTokensRequest, CountTokensResponse, MessagesRequest, MessagesResponse,
    Usage as AnthropicUsage,
};

/// An Anthropic event stream with its call metadata.
pub struct EventStreaming {
    pub events: EventStream,
    pub meta: CallMeta,
}

impl std::fmt::Debug for EventStreaming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStreaming")
            .field("meta", &self.meta)
            .finish()
    }
}

/// `POST /v1/messages`, not streamed.
pub async fn messages(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    mut req: MessagesRequest,
) -> Result<Completed<MessagesResponse>> {
    req.model = prepare::allowed_model(state, principal, &req.model)?;
    let mock = prepare::take_mock(&mut req.extra)?;
    let mut plan = prepare::simple_plan(state, principal, &req.model, &req.extra)?;
    let deployment = prepare::pick(state, principal, &mut plan, mock)?;
    if let Some(native) = deployment.provider.as_anthropic() {
        let end = begin_native(state, principal, &call_id, &req, &deployment).await?;
        let rate = end.rate_status();
        return match native.messages(req).await {
            Ok(body) => {
                let cost = end.succeed(Some(&outbound_response::usage(&body.usage)));
                Ok(Completed {
                    body,
                    meta: meta(call_id, &deployment, cost).with_rate_limits(rate),
                })
            }
            Err(err) => {
                end.fail(&err);
                Err(err)
            }
        };
    }
    let mut route = prepare::bind(deployment, inbound::to_chat(req)?, plan)?;
    let end = begin_chat(state, principal, &call_id, &mut route).await?;
    let done = chat_on(state, principal, route, call_id, end).await?;
    Ok(Completed {
        body: inbound::from_chat(done.body),
        meta: done.meta,
    })
}

/// `POST /v1/messages` with `stream: true`.
pub async fn messages_stream(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    mut req: MessagesRequest,
) -> Result<EventStreaming> {
    req.model = prepare::allowed_model(state, principal, &req.model)?;
    let mock = prepare::take_mock(&mut req.extra)?;
    let mut plan = prepare::simple_plan(state, principal, &req.model, &req.extra)?;
    let deployment = prepare::pick(state, principal, &mut plan, mock)?;
    if let Some(native) = deployment.provider.as_anthropic() {
        let end = begin_native(state, principal, &call_id, &req, &deployment).await?;
        let rate = end.rate_status();
        let events = match native.messages_stream(req).await {
            Ok(events) => events,
            Err(err) => {
                end.fail(&err);
                return Err(err);
            }
        };
        let mut watch = NativeWatch {
            end: Some(end),
            usage: AnthropicUsage::default(),
        };
        let events = events.map(move |item| {
            let watch = &mut watch;
            match item {
                Ok(event) => {
                    watch.see(&event);
                    event
                }
                Err(err) => {
                    if let Some(end) = watch.end.take() {
                        end.fail(&err);
                    }
                    error_event(&err)
                }
            }
        });
        return Ok(EventStreaming {
            events: Box::pin(events),
            meta: meta(call_id, &deployment, 0.0).with_rate_limits(rate),
        });
    }
    let model = req.model.clone();
    let mut chat = inbound::to_chat(req)?;
    // Anthropic streams always report usage, so ask the upstream for it.
    chat.stream_options = Some(crate::types::openai::StreamOptions {
        include_usage: Some(true),
        ..Default::default()
    });
    chat.stream = Some(true);
    let mut route = prepare::bind(deployment, chat, plan)?;
    let end = begin_chat(state, principal, &call_id, &mut route).await?;
    let streaming = chat_stream_on(state, principal, route, call_id, end).await?;
    Ok(EventStreaming {
        events: inbound_stream::to_events(streaming.stream, model),
        meta: streaming.meta,
    })
}

/// Admits the end user (`metadata.user_id`) and reserves the budget for a native call.
async fn begin_native(
    state: &AppState,
    principal: &Principal,
    call_id: &str,
    req: &MessagesRequest,
    deployment: &std::sync::Arc<crate::router::Deployment>,
) -> Result<CallEnd> {
    let tags = request_tags(&req.extra);
    let admission = Admission {
        call_id,
        route: call::MESSAGES,
        deployment,
        tags: &tags,
        end_user: end_user(req),
        output_cap: Some(req.max_tokens),
        model_cap: None,
    };
    let (end, _) = admission::admit(state, principal, admission, || {
        crate::tokens::count_anthropic(&count_request(req)).input_tokens
    })
    .await?;
    Ok(end)
}

/// Tracks a native Anthropic stream's usage and ends its call once.
struct NativeWatch {
    end: Option<CallEnd>,
    usage: AnthropicUsage,
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
}

impl Drop for NativeWatch {
    fn drop(&mut self) {
        if let Some(end) = self.end.take() {
            end.succeed(Some(&outbound_response::usage(&self.usage)));
        }
    }
}

/// `POST /v1/messages/count_tokens`: the Anthropic API's own count for `anthropic/`
/// deployments, a local tokenizer estimate for every other provider.
pub async fn count_tokens(
    state: &AppState,
    principal: &Principal,
    mut req: CountTokensRequest,
) -> Result<CountTokensResponse> {
    req.model = prepare::allowed_model(state, principal, &req.model)?;
    let mut plan = prepare::simple_plan(state, principal, &req.model, &req.extra)?;
    let deployment = prepare::pick(state, principal, &mut plan, None)?;
    if let Some(native) = deployment.provider.as_anthropic() {
        return native.count_tokens(req).await;
    }
    Ok(crate::tokens::count_anthropic(&req))
}

/// The end user of an Anthropic request: `metadata.user_id`.
fn end_user(req: &MessagesRequest) -> Option<&str> {
    req.metadata.as_ref().and_then(|m| m.user_id.as_deref())
}

/// The parts of a Messages request that count as input.
fn count_request(req: &MessagesRequest) -> CountTokensRequest {
    CountTokensRequest {
        model: req.model.clone(),
        messages: req.messages.clone(),
        system: req.system.clone(),
        tools: req.tools.clone(),
        tool_choice: req.tool_choice.clone(),
        thinking: req.thinking.clone(),
        extra: Default::default(),
    }
}

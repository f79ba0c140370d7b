//! The Anthropic Messages route through the pipeline: an `anthropic/` deployment receives the
//! request natively (nothing lost in translation); any other deployment gets it translated to
//! OpenAI chat and its answer translated back.

use futures_util::StreamExt;

use super::{CallMeta, Completed, chat_on, chat_stream_on, meta, prepare};
use crate::auth::Principal;
use crate::error::Result;
use crate::state::AppState;
use crate::translate::anthropic::inbound_stream::EventStream;
use crate::translate::anthropic::{error_event, inbound, inbound_stream, outbound_response};
use crate::types::anthropic::{
    CountTokensRequest, CountTokensResponse, MessagesRequest, MessagesResponse,
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
    super::end_users::admit(state, end_user(&req)).await?;
    let mock = prepare::take_mock(&mut req.extra)?;
    let deployment = prepare::pick(state, &req.model, mock)?;
    if let Some(native) = deployment.provider.as_anthropic() {
        let body = native.messages(req).await?;
        let usage = outbound_response::usage(&body.usage);
        let cost = super::cost::of_usage(&deployment, Some(&usage));
        return Ok(Completed {
            body,
            meta: meta(call_id, &deployment, cost),
        });
    }
    let chat = inbound::to_chat(req)?;
    let done = chat_on(prepare::bind(deployment, chat)?, call_id).await?;
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
    super::end_users::admit(state, end_user(&req)).await?;
    let mock = prepare::take_mock(&mut req.extra)?;
    let deployment = prepare::pick(state, &req.model, mock)?;
    if let Some(native) = deployment.provider.as_anthropic() {
        let events = native.messages_stream(req).await?;
        let events = events.map(|item| match item {
            Ok(event) => event,
            Err(err) => error_event(&err),
        });
        return Ok(EventStreaming {
            events: Box::pin(events),
            meta: meta(call_id, &deployment, 0.0),
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
    let streaming = chat_stream_on(prepare::bind(deployment, chat)?, call_id).await?;
    Ok(EventStreaming {
        events: inbound_stream::to_events(streaming.stream, model),
        meta: streaming.meta,
    })
}

/// `POST /v1/messages/count_tokens`: the Anthropic API's own count for `anthropic/`
/// deployments, a local tokenizer estimate for every other provider.
pub async fn count_tokens(
    state: &AppState,
    principal: &Principal,
    mut req: CountTokensRequest,
) -> Result<CountTokensResponse> {
    req.model = prepare::allowed_model(state, principal, &req.model)?;
    let deployment = prepare::pick(state, &req.model, None)?;
    if let Some(native) = deployment.provider.as_anthropic() {
        return native.count_tokens(req).await;
    }
    Ok(crate::tokens::count_anthropic(&req))
}

/// The end user of an Anthropic request: `metadata.user_id`.
fn end_user(req: &MessagesRequest) -> Option<&str> {
    req.metadata.as_ref().and_then(|m| m.user_id.as_deref())
}

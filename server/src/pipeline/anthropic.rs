//! The Anthropic Messages route through the pipeline: model access, one admission (end user,
//! rate limits, budget) per request, then the retry and fallback loop of every call, whose
//! attempts pass the request natively to `anthropic/` deployments and translate it for any
//! other (`anthropic_attempts.rs`). Spend is settled once, at the deployment that served.

use std::sync::Arc;

use super::admission::{self, Admission};
use super::anthropic_attempts::{self, Forms};
use super::call::{self, CallEnd};
use super::plan::{self, Plan};
use super::{CallMeta, Completed, attempts, meta, prepare, served};
use crate::auth::Principal;
use crate::error::Result;
use crate::router::Deployment;
use crate::router::strategy::CallShape;
use crate::spend::request_tags;
use crate::state::AppState;
use crate::translate::anthropic::inbound;
use crate::translate::anthropic::inbound_stream::EventStream;
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
    req: MessagesRequest,
) -> Result<Completed<MessagesResponse>> {
    let call = route(state, principal, req, false)?;
    let end = begin(state, principal, &call_id, &call).await?;
    let forms = &call.forms;
    let result = attempts::run(state, principal, &call.plan, call.first.clone(), |d| {
        forms.answer(d)
    })
    .await;
    let done = served(call_id, end, result, |answer| answer.usage.as_ref())?;
    Ok(Completed {
        body: done.body.body,
        meta: done.meta,
    })
}

/// `POST /v1/messages` with `stream: true`.
pub async fn messages_stream(
    state: &AppState,
    principal: &Principal,
    call_id: String,
    req: MessagesRequest,
) -> Result<EventStreaming> {
    let call = route(state, principal, req, true)?;
    let end = begin(state, principal, &call_id, &call).await?;
    let (forms, config) = (&call.forms, &state.config);
    let result = attempts::run(state, principal, &call.plan, call.first.clone(), |d| {
        forms.open(d, config)
    })
    .await;
    let (served, end) = end.after_attempts(result)?;
    let deployment = served.deployment();
    let rate = end.rate_status();
    let native = &call.forms.native;
    let prompt_tokens = || crate::tokens::count_anthropic(&count_request(native)).input_tokens;
    Ok(EventStreaming {
        events: anthropic_attempts::events(served, end, state, prompt_tokens),
        meta: meta(call_id, &deployment, 0.0).with_rate_limits(rate),
    })
}

/// A Messages request routed: its plan, the deployment of its first attempt, the request in
/// both shapes, and its tags.
#[derive(Debug)]
struct MessagesCall {
    plan: Plan,
    first: Arc<Deployment>,
    forms: Forms,
    tags: Vec<String>,
}

fn route(
    state: &AppState,
    principal: &Principal,
    mut req: MessagesRequest,
    stream: bool,
) -> Result<MessagesCall> {
    req.model = prepare::allowed_model(state, principal, &req.model)?;
    let mock = prepare::take_mock(&mut req.extra)?;
    let mut plan = messages_plan(state, principal, &req)?;
    let first = prepare::pick(state, principal, &mut plan, mock)?;
    let tags = request_tags(&req.extra);
    let chat = inbound::to_chat(req.clone()).and_then(|mut chat| {
        if stream {
            // Anthropic streams always report usage, so ask the upstream for it.
            chat.stream_options = Some(crate::types::openai::StreamOptions {
                include_usage: Some(true),
                ..Default::default()
            });
            chat.stream = Some(true);
        }
        prepare::bind(first.clone(), chat, plan.clone())
    });
    prepare::strip_gateway_params(&mut req.extra);
    Ok(MessagesCall {
        plan,
        first,
        forms: Forms { native: req, chat },
        tags,
    })
}

/// The router plan of a Messages request (the prompt is counted only when a check needs it).
fn messages_plan(state: &AppState, principal: &Principal, req: &MessagesRequest) -> Result<Plan> {
    let counts = state.router.policy.enable_pre_call_checks.unwrap_or(false)
        || state.router.strategy == crate::config::RoutingStrategy::UsageBased;
    let prompt_tokens = if counts {
        crate::tokens::count_anthropic(&count_request(req)).input_tokens
    } else {
        0
    };
    let mut plan = plan::read(state, principal, &req.model, &req.extra, end_user(req))?;
    plan.selection.shape = CallShape {
        stream: req.is_stream(),
        tokens: prompt_tokens + u64::from(req.max_tokens),
        lowest_latency_buffer: 0.0,
    };
    plan.selection.prompt_tokens = prompt_tokens;
    Ok(plan)
}

/// Admits the end user (`metadata.user_id`), takes the rate limits and reserves the budget,
/// once per request whatever deployments the attempts land on.
async fn begin(
    state: &AppState,
    principal: &Principal,
    call_id: &str,
    call: &MessagesCall,
) -> Result<CallEnd> {
    let req = &call.forms.native;
    let admission = Admission {
        call_id,
        route: call::MESSAGES,
        deployment: &call.first,
        tags: &call.tags,
        end_user: end_user(req),
        output_cap: Some(req.max_tokens),
        model_cap: None,
    };
    let (end, _) = admission::admit(state, principal, admission, || {
        crate::tokens::count_anthropic(&count_request(req)).input_tokens
    })
    .await?;
    let request_json = || serde_json::to_value(req).unwrap_or_default();
    Ok(end.with_bodies(request_json, || serde_json::Value::Null))
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

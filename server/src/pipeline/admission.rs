//! Admission of a call, the same for every route: admit the end user, take the rate limits
//! (all or none), reserve the budget (the most the call can cost, at every level). What it
//! takes is handed to the [`CallEnd`], which gives it back or settles it when the call ends.

use std::sync::Arc;

use super::call::{CallEnd, CallStart};
use super::{budget, end_users, rate_limits};
use crate::auth::Principal;
use crate::error::Result;
use crate::router::Deployment;
use crate::state::AppState;

/// What a route tells admission about its call.
#[derive(Debug, Clone, Copy)]
pub struct Admission<'a> {
    pub call_id: &'a str,
    /// Operation name recorded in spend logs (`call::CHAT`, ...).
    pub route: &'static str,
    pub deployment: &'a Arc<Deployment>,
    pub tags: &'a [String],
    /// The end user the request names (OpenAI's `user`).
    pub end_user: Option<&'a str>,
    /// The client's output cap (`max_tokens`), if any.
    pub output_cap: Option<u32>,
    /// The model's own output cap, the default when the client names none.
    pub model_cap: Option<u64>,
}

/// Admits a call. `count_prompt` is called only when a limit or budget needs the prompt's
/// tokens. Answers the call's end and, when a budget applies and the client named no output
/// cap, the cap the budget can pay for (to send upstream).
pub async fn admit(
    state: &AppState,
    principal: &Principal,
    call: Admission<'_>,
    count_prompt: impl FnOnce() -> u64,
) -> Result<(CallEnd, Option<u32>)> {
    let end_user = end_users::admit(state, call.end_user).await?;
    let model = &call.deployment.model_name;
    let limits = budget::limits_for(state, principal, end_user.as_ref(), model, call.tags);
    let checks = rate_limits::checks_for(state, principal, end_user.as_ref(), model);
    let prompt_tokens = if limits.is_empty() && !rate_limits::needs_tokens(&checks) {
        0
    } else {
        count_prompt()
    };
    let permit = rate_limits::acquire(state, checks, prompt_tokens).await?;
    let (reservation, imposed_cap) = budget::reserve(
        state,
        &limits,
        &call.deployment.price,
        prompt_tokens,
        call.output_cap,
        call.model_cap,
    )
    .await?;
    let start = CallStart {
        principal,
        call_id: call.call_id,
        route: call.route,
        end_user: end_user.as_ref().map(|e| e.user_id.as_str()),
        tags: call.tags,
    };
    let end = CallEnd::new(state, start, call.deployment.clone(), reservation, limits)
        .with_permit(permit);
    Ok((end, imposed_cap))
}

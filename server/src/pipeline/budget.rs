//! Budget reservations on the request path (see `budgets/README.md`): which budgets apply to a
//! request, the most it can cost, and the upstream `max_tokens` cap when the client set none.

use std::sync::Arc;

use crate::auth::Principal;
use crate::budgets::{BudgetHold, Scope, ScopeLimit};
use crate::directory::budget_cache::CachedTag;
use crate::directory::{BudgetRecord, EndUserRecord, TeamMembership};
use crate::error::{Error, Result};
use crate::governance::{Limits, duration};
use crate::pricing::Price;
use crate::state::AppState;

/// Output cap assumed when neither the request nor the model names one.
pub const DEFAULT_OUTPUT_CAP: u32 = 4096;

/// Every budget on the request's path: proxy, organization, team, team member, user, key,
/// key × model, end user, and each tag of the request (the key's `tags` and the request's
/// `metadata.tags`) that has a budget. Named budgets (a customer's or a team member's
/// `budget_id`, a tag's budget) are resolved from the in-memory cache. Empty when none is set.
pub fn limits_for(
    state: &AppState,
    principal: &Principal,
    end_user: Option<&Arc<EndUserRecord>>,
    model: &str,
    request_tags: &[String],
) -> Vec<ScopeLimit> {
    let mut limits = Vec::new();
    let named = named_budgets_of(state, principal, end_user, request_tags);
    let litellm = &state.config.litellm;
    if let Some(max) = litellm.max_budget {
        limits.push(limit(
            Scope::Proxy,
            max,
            litellm.budget_duration.as_deref(),
            0.0,
            None,
        ));
    }
    if let Some(org) = &principal.organization {
        push(
            &mut limits,
            Scope::Organization(org.organization_id.clone()),
            &org.settings.limits,
            org.spend,
            org.budget_reset_at,
        );
    }
    if let Some(team) = &principal.team {
        push(
            &mut limits,
            Scope::Team(team.team_id.clone()),
            &team.settings.limits,
            team.spend,
            team.budget_reset_at,
        );
    }
    if let Some(m) = &principal.team_membership {
        push_team_member(&mut limits, m, named.team_member.as_deref());
    }
    if let Some(user) = &principal.user {
        push(
            &mut limits,
            Scope::User(user.user_id.clone()),
            &user.settings.limits,
            user.spend,
            user.budget_reset_at,
        );
    }
    if let Some(key) = &principal.key {
        push(
            &mut limits,
            Scope::Key(key.token.clone()),
            &key.settings.limits,
            key.spend,
            key.budget_reset_at,
        );
        if let Some((max, period)) = model_budget(key.settings.model_max_budget.get(model)) {
            let scope = Scope::KeyModel {
                token: key.token.clone(),
                model: model.to_owned(),
            };
            limits.push(limit(scope, max, period.as_deref(), 0.0, None));
        }
    }
    if let Some(end_user) = end_user {
        let scope = Scope::EndUser(end_user.user_id.clone());
        match &named.end_user {
            Some(budget) => push(
                &mut limits,
                scope,
                budget.limits(),
                end_user.spend,
                budget.budget_reset_at,
            ),
            None => push(
                &mut limits,
                scope,
                &end_user.settings.limits,
                end_user.spend,
                end_user.budget_reset_at,
            ),
        }
    }
    for (tag, budget) in &named.tags {
        push(
            &mut limits,
            Scope::Tag(tag.record.tag_name.clone()),
            budget.limits(),
            tag.spend,
            budget.budget_reset_at,
        );
    }
    limits
}

/// A team member's budget: their budget row (named budget) when it exists, else the
/// membership's own `max_budget_in_team`.
fn push_team_member(
    limits: &mut Vec<ScopeLimit>,
    m: &TeamMembership,
    budget: Option<&BudgetRecord>,
) {
    let scope = Scope::TeamMember {
        team_id: m.team_id.clone(),
        user_id: m.user_id.clone(),
    };
    match budget {
        Some(budget) => push(
            limits,
            scope,
            budget.limits(),
            m.spend,
            budget.budget_reset_at,
        ),
        None => {
            if let Some(max) = m.max_budget_in_team {
                limits.push(limit(scope, max, None, m.spend, None));
            }
        }
    }
}

/// The tags a request is counted under, as its spend record has them: the key's `tags`, then
/// the request's, without duplicates or blanks.
fn request_tag_names<'a>(principal: &'a Principal, request_tags: &'a [String]) -> Vec<&'a str> {
    let key_tags = principal
        .key
        .as_ref()
        .map(|k| k.settings.tags.as_slice())
        .unwrap_or_default();
    let mut names: Vec<&str> = Vec::new();
    for tag in key_tags.iter().chain(request_tags).map(|t| t.trim()) {
        if !tag.is_empty() && !names.contains(&tag) {
            names.push(tag);
        }
    }
    names
}

/// The named budgets a request follows, resolved from the in-memory cache (never the
/// database): the customer's, the team member's and each budgeted tag's. The rate-limit fields
/// of these budgets (`rpm_limit`, `tpm_limit`, `max_parallel_requests`) are for the rate limiter.
#[derive(Debug, Clone, Default)]
pub struct NamedBudgetsOfRequest {
    pub end_user: Option<Arc<BudgetRecord>>,
    pub team_member: Option<Arc<BudgetRecord>>,
    /// Each budgeted tag of the request with its budget.
    pub tags: Vec<(Arc<CachedTag>, Arc<BudgetRecord>)>,
}

/// Resolves the named budgets of a request (see [`NamedBudgetsOfRequest`]).
pub fn named_budgets_of(
    state: &AppState,
    principal: &Principal,
    end_user: Option<&Arc<EndUserRecord>>,
    request_tags: &[String],
) -> NamedBudgetsOfRequest {
    let cache = &state.named_budgets;
    NamedBudgetsOfRequest {
        end_user: end_user.and_then(|e| cache.for_end_user(e)),
        team_member: principal
            .team_membership
            .as_ref()
            .and_then(|m| cache.for_membership(m)),
        tags: request_tag_names(principal, request_tags)
            .into_iter()
            .filter_map(|t| cache.for_tag(t))
            .collect(),
    }
}

fn push(limits: &mut Vec<ScopeLimit>, scope: Scope, l: &Limits, spend: f64, reset_at: Option<i64>) {
    if l.max_budget.is_none() && l.soft_budget.is_none() {
        return;
    }
    // A scope with only a soft budget is tracked (for its alert) but never refuses.
    let max = l.max_budget.unwrap_or(f64::INFINITY);
    let mut entry = limit(scope, max, l.budget_duration.as_deref(), spend, reset_at);
    entry.soft_budget = l.soft_budget;
    limits.push(entry);
}

fn limit(
    scope: Scope,
    max: f64,
    period: Option<&str>,
    spend: f64,
    reset_at: Option<i64>,
) -> ScopeLimit {
    ScopeLimit {
        scope,
        max_budget: max,
        soft_budget: None,
        period_ms: period
            .and_then(|p| duration::parse(p, "budget_duration").ok())
            .map(|s| s.millis),
        stored_spend: spend,
        stored_reset_at: reset_at,
    }
}

/// `model_max_budget` entry: a number, or LiteLLM's `{"budget_limit": x, "time_period": "1d"}`.
fn model_budget(value: Option<&serde_json::Value>) -> Option<(f64, Option<String>)> {
    let value = value?;
    if let Some(n) = value.as_f64() {
        return Some((n, None));
    }
    let max = value
        .get("budget_limit")
        .and_then(serde_json::Value::as_f64)?;
    let period = value
        .get("time_period")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    Some((max, period))
}

/// The reservation for a call of `prompt_tokens` tokens and up to `output_cap` output tokens at
/// `price`. When the client named no cap, the cap becomes what the tightest budget can pay for
/// (at most `model_cap`) and is returned so the caller can send it upstream.
pub async fn reserve(
    state: &AppState,
    limits: &[ScopeLimit],
    price: &Price,
    prompt_tokens: u64,
    output_cap: Option<u32>,
    model_cap: Option<u64>,
) -> Result<(Option<BudgetHold>, Option<u32>)> {
    if limits.is_empty() {
        return Ok((None, None));
    }
    let prompt_cost = prompt_tokens as f64 * price.input_cost_per_token;
    let out_price = price.output_cost_per_token;
    let (cap, imposed) = match output_cap {
        Some(cap) => (cap, None),
        None => {
            let default_cap = model_cap
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(DEFAULT_OUTPUT_CAP);
            let cap = if out_price > 0.0 {
                let remaining = state.budgets.remaining(limits).await?;
                let affordable = ((remaining - prompt_cost) / out_price).floor();
                if affordable < 1.0 {
                    return Err(Error::BudgetExceeded(format!(
                        "Budget has been exceeded: the remaining budget (${:.6}) cannot pay for this prompt and one output token",
                        remaining.max(0.0)
                    )));
                }
                default_cap.min(affordable.min(f64::from(u32::MAX)) as u32)
            } else {
                default_cap
            };
            (cap, Some(cap))
        }
    };
    let amount = prompt_cost + f64::from(cap) * out_price;
    let reservation = state.budgets.reserve(limits, amount).await?;
    Ok((Some(reservation), imposed))
}

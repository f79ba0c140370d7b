//! Rate limits on the request path: which limits apply to a request, and taking them (all or
//! none) before the provider call. See [`crate::ratelimit`] for the semantics.

use std::sync::Arc;

use crate::auth::Principal;
use crate::budgets::Scope;
use crate::directory::EndUserRecord;
use crate::error::Result;
use crate::governance::Limits;
use crate::ratelimit::{Check, Measure, Permit};
use crate::state::AppState;

/// Every rate limit on the request's path: key, key × model, user, team, team member (from the
/// member's named budget), organization, end user (its own limits, else its named budget's).
pub fn checks_for(
    state: &AppState,
    principal: &Principal,
    end_user: Option<&Arc<EndUserRecord>>,
    model: &str,
) -> Vec<Check> {
    let mut checks = Vec::new();
    if let Some(key) = &principal.key {
        push(
            &mut checks,
            Scope::Key(key.token.clone()),
            &key.settings.limits,
        );
        let per_model = [
            (
                Measure::RequestsPerMinute,
                key.settings.model_rpm_limit.get(model),
                "model_rpm_limit",
            ),
            (
                Measure::TokensPerMinute,
                key.settings.model_tpm_limit.get(model),
                "model_tpm_limit",
            ),
        ];
        for (measure, limit, setting) in per_model {
            if let Some(limit) = limit {
                checks.push(Check {
                    subject: Scope::KeyModel {
                        token: key.token.clone(),
                        model: model.to_owned(),
                    },
                    measure,
                    limit: *limit,
                    setting,
                });
            }
        }
    }
    if let Some(user) = &principal.user {
        push(
            &mut checks,
            Scope::User(user.user_id.clone()),
            &user.settings.limits,
        );
    }
    if let Some(team) = &principal.team {
        push(
            &mut checks,
            Scope::Team(team.team_id.clone()),
            &team.settings.limits,
        );
    }
    if let Some(org) = &principal.organization {
        push(
            &mut checks,
            Scope::Organization(org.organization_id.clone()),
            &org.settings.limits,
        );
    }
    if let Some(member) = &principal.team_membership
        && let Some(budget) = state.named_budgets.for_membership(member)
    {
        let scope = Scope::TeamMember {
            team_id: member.team_id.clone(),
            user_id: member.user_id.clone(),
        };
        push(&mut checks, scope, budget.limits());
    }
    if let Some(end_user) = end_user {
        let named = state.named_budgets.for_end_user(end_user);
        let limits = match &named {
            Some(budget) => own_else(&end_user.settings.limits, budget.limits()),
            None => end_user.settings.limits.clone(),
        };
        push(
            &mut checks,
            Scope::EndUser(end_user.user_id.clone()),
            &limits,
        );
    }
    checks
}

/// `own`'s rate limits, each falling back to `inherited`'s.
fn own_else(own: &Limits, inherited: &Limits) -> Limits {
    Limits {
        rpm_limit: own.rpm_limit.or(inherited.rpm_limit),
        tpm_limit: own.tpm_limit.or(inherited.tpm_limit),
        rpd_limit: own.rpd_limit.or(inherited.rpd_limit),
        tpd_limit: own.tpd_limit.or(inherited.tpd_limit),
        max_parallel_requests: own
            .max_parallel_requests
            .or(inherited.max_parallel_requests),
        ..own.clone()
    }
}

fn push(checks: &mut Vec<Check>, subject: Scope, limits: &Limits) {
    let all = [
        (Measure::RequestsPerMinute, limits.rpm_limit, "rpm_limit"),
        (Measure::TokensPerMinute, limits.tpm_limit, "tpm_limit"),
        (Measure::RequestsPerDay, limits.rpd_limit, "rpd_limit"),
        (Measure::TokensPerDay, limits.tpd_limit, "tpd_limit"),
        (
            Measure::Parallel,
            limits.max_parallel_requests,
            "max_parallel_requests",
        ),
    ];
    for (measure, limit, setting) in all {
        if let Some(limit) = limit {
            checks.push(Check {
                subject: subject.clone(),
                measure,
                limit,
                setting,
            });
        }
    }
}

/// Whether any of `checks` counts tokens (the prompt must then be counted).
pub fn needs_tokens(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.measure.counts_tokens())
}

/// Takes `checks` for a request whose prompt has `prompt_tokens` tokens.
pub async fn acquire(state: &AppState, checks: Vec<Check>, prompt_tokens: u64) -> Result<Permit> {
    state.limits.acquire(checks, prompt_tokens).await
}

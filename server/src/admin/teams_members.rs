//! Team member operations (`/team/member_add`, `/team/member_delete`, `/team/member_update`).

use super::types::*;
use super::{
    audit, check_budget, membership, parse_members, refs, resolve_members, team_or_400,
    team_or_404, team_view, user_ids,
};
use crate::admin::AdminContext;
use crate::admin::budgets::types::{BudgetFields, UpdateBudgetRequest};
use crate::admin::budgets::{self, require_budget};
use crate::admin::permissions::{Action, authorize};
use crate::directory::{TeamMembership, TeamRecord, TeamRole};
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::state::AppState;
use crate::store::directory::TeamMember;

/// `POST /team/member_add`.
pub async fn add_members(
    state: &AppState,
    ctx: &AdminContext,
    req: TeamMemberAddRequest,
) -> Result<TeamMembersAdded> {
    authorize(
        &ctx.principal,
        &Action::TeamWrite {
            team_id: &req.team_id,
        },
    )?;
    let team = team_or_404(state, &req.team_id).await?;
    let wanted = req.member.0;
    if wanted.is_empty() {
        return Err(Error::invalid_param(
            "member: No member/members passed in",
            "member",
        ));
    }
    let roles = parse_members(&wanted, req.max_budget_in_team)?;
    let now = state.clock.now_ms();
    let (resolved, new_users) = resolve_members(state, ctx, &refs(&wanted), now).await?;
    let existing = state
        .store
        .team_members(std::slice::from_ref(&team.team_id))
        .await?;
    for m in &resolved {
        if existing.iter().any(|e| e.membership.user_id == m.user_id) {
            return Err(Error::invalid_param(
                format!(
                    "member: User={} already in team {}",
                    m.user_id, team.team_id
                ),
                "member",
            ));
        }
    }
    let mut added: Vec<TeamMembership> = resolved
        .iter()
        .zip(roles)
        .map(|(m, (role, budget))| membership(&team.team_id, &m.user_id, role, budget, now))
        .collect();
    attach_budgets(state, ctx, &mut added, req.budget_id).await?;
    state.store.add_team_members(&new_users, &added).await?;
    state.invalidate(Invalidation::AllKeys).await;
    let mut updated_users = Vec::with_capacity(resolved.len());
    for m in &resolved {
        if let Some(user) = state.store.user(&m.user_id).await? {
            updated_users.push(crate::admin::users::user_view(state, &user).await?);
        }
    }
    let view = team_view(state, &team).await?;
    let diff = serde_json::json!({
        "added": added.iter().map(|m| serde_json::json!({
            "user_id": m.user_id, "role": m.role.as_str(), "max_budget_in_team": m.max_budget_in_team,
            "budget_id": m.budget_id,
        })).collect::<Vec<_>>(),
        "created_users": user_ids(&new_users),
    });
    audit::record(state, ctx, "team.member_add", "team", &team.team_id, diff).await?;
    Ok(TeamMembersAdded {
        team: view,
        updated_users,
        updated_team_memberships: added.iter().map(TeamMembershipView::new).collect(),
    })
}

/// `POST /team/member_delete`: the team after the change.
pub async fn remove_member(
    state: &AppState,
    ctx: &AdminContext,
    req: TeamMemberDeleteRequest,
) -> Result<TeamView> {
    authorize(
        &ctx.principal,
        &Action::TeamWrite {
            team_id: &req.team_id,
        },
    )?;
    let team = team_or_400(state, &req.team_id).await?;
    let member = find_member(
        state,
        &team,
        req.user_id.as_deref(),
        req.user_email.as_deref(),
    )
    .await?;
    let user_id = member.membership.user_id;
    if !state
        .store
        .remove_team_member(&team.team_id, &user_id)
        .await?
    {
        return Err(not_in_team(&team.team_id));
    }
    state.invalidate(Invalidation::AllKeys).await;
    audit::record(
        state,
        ctx,
        "team.member_delete",
        "team",
        &team.team_id,
        serde_json::json!({ "removed": user_id }),
    )
    .await?;
    team_view(state, &team).await
}

/// `POST /team/member_update`: a member's role or budget in the team.
pub async fn update_member(
    state: &AppState,
    ctx: &AdminContext,
    req: TeamMemberUpdateRequest,
) -> Result<TeamMemberUpdated> {
    authorize(
        &ctx.principal,
        &Action::TeamWrite {
            team_id: &req.team_id,
        },
    )?;
    let team = team_or_400(state, &req.team_id).await?;
    let found = find_member(
        state,
        &team,
        req.user_id.as_deref(),
        req.user_email.as_deref(),
    )
    .await?;
    let mut m = found.membership.clone();
    if let Some(role) = &req.role {
        m.role = TeamRole::parse(role)?;
    }
    let budget_changed = req.max_budget_in_team.clone();
    req.max_budget_in_team.apply(&mut m.max_budget_in_team);
    check_budget(m.max_budget_in_team, "max_budget_in_team")?;
    update_member_budget(state, ctx, &mut m, budget_changed, req.budget_id).await?;
    if !state.store.update_team_member(&m).await? {
        return Err(not_in_team(&team.team_id));
    }
    state.invalidate(Invalidation::AllKeys).await;
    let diff = serde_json::json!({
        "user_id": m.user_id,
        "role": {"from": found.membership.role.as_str(), "to": m.role.as_str()},
        "max_budget_in_team": {"from": found.membership.max_budget_in_team, "to": m.max_budget_in_team},
        "budget_id": {"from": found.membership.budget_id, "to": m.budget_id},
    });
    audit::record(
        state,
        ctx,
        "team.member_update",
        "team",
        &team.team_id,
        diff,
    )
    .await?;
    Ok(TeamMemberUpdated {
        team_id: m.team_id,
        user_id: m.user_id,
        user_email: found.user_email,
        max_budget_in_team: m.max_budget_in_team,
        role: m.role.as_str().to_owned(),
    })
}

/// New members' budgets: a named budget given by id, or (as LiteLLM stores it) a budget row made
/// of each member's `max_budget_in_team`.
async fn attach_budgets(
    state: &AppState,
    ctx: &AdminContext,
    added: &mut [TeamMembership],
    budget_id: Option<String>,
) -> Result<()> {
    if let Some(id) = budget_id.filter(|id| !id.is_empty()) {
        require_budget(state, &id, "budget_id").await?;
        for m in added.iter_mut() {
            m.budget_id = Some(id.clone());
        }
        return Ok(());
    }
    for m in added.iter_mut() {
        if let Some(max) = m.max_budget_in_team {
            let fields = BudgetFields {
                max_budget: Some(max),
                ..BudgetFields::default()
            };
            m.budget_id = Some(member_budget(state, ctx, fields).await?);
        }
    }
    Ok(())
}

/// A member's budget after `/team/member_update`: a new `max_budget_in_team` updates their
/// budget row (or makes one), clearing it drops the row from the membership; a `budget_id`
/// switches to that named budget.
async fn update_member_budget(
    state: &AppState,
    ctx: &AdminContext,
    m: &mut TeamMembership,
    max_budget_in_team: Patch<f64>,
    budget_id: Patch<String>,
) -> Result<()> {
    match budget_id {
        Patch::Set(id) => {
            require_budget(state, &id, "budget_id").await?;
            m.budget_id = Some(id);
        }
        Patch::Clear => m.budget_id = None,
        Patch::Keep => {}
    }
    match (max_budget_in_team, m.budget_id.clone()) {
        (Patch::Set(max), Some(id)) => {
            let followers = state.store.budget_followers(&id).await?;
            let own = followers.end_users.is_empty()
                && followers.tags.is_empty()
                && followers.team_members == [(m.team_id.clone(), m.user_id.clone())];
            if own {
                let change = UpdateBudgetRequest {
                    budget_id: Some(id),
                    max_budget: Patch::Set(max),
                    ..UpdateBudgetRequest::default()
                };
                budgets::apply_update(state, ctx, change).await?;
            } else {
                // A budget others follow too is not changed for one member: they get a copy.
                let shared = budgets::budget_or_404(state, &id).await?;
                let fields = BudgetFields {
                    max_budget: Some(max),
                    ..budgets::fields_of(&shared.settings)
                };
                m.budget_id = Some(member_budget(state, ctx, fields).await?);
            }
        }
        (Patch::Set(max), None) => {
            let fields = BudgetFields {
                max_budget: Some(max),
                ..BudgetFields::default()
            };
            m.budget_id = Some(member_budget(state, ctx, fields).await?);
        }
        (Patch::Clear, _) => m.budget_id = None,
        (Patch::Keep, _) => {}
    }
    Ok(())
}

/// A budget row of one member (made of their `max_budget_in_team`).
async fn member_budget(
    state: &AppState,
    ctx: &AdminContext,
    fields: BudgetFields,
) -> Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    Ok(budgets::create(state, ctx, id, fields, None)
        .await?
        .budget_id)
}

/// 400: the user is not a member of the team.
fn not_in_team(team_id: &str) -> Error {
    Error::invalid_param(format!("User not found in team {team_id}"), "user_id")
}

/// The member of `team` named by user id or email (400 if neither, or not a member).
async fn find_member(
    state: &AppState,
    team: &TeamRecord,
    user_id: Option<&str>,
    user_email: Option<&str>,
) -> Result<TeamMember> {
    if user_id.is_none() && user_email.is_none() {
        return Err(Error::invalid_param(
            "Either user_id or user_email needs to be passed in",
            "user_id",
        ));
    }
    let members = state
        .store
        .team_members(std::slice::from_ref(&team.team_id))
        .await?;
    members
        .into_iter()
        .find(|m| match user_id {
            Some(id) => m.membership.user_id == id,
            None => {
                m.user_email.as_deref().map(str::to_lowercase) == user_email.map(str::to_lowercase)
            }
        })
        .ok_or_else(|| not_in_team(&team.team_id))
}

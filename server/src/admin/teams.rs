//! Admin operations on teams (LiteLLM's `/team/*`), called alike by the REST and gRPC skins.
//! Every operation checks [`permissions`](super::permissions) first, writes in one
//! transaction, records an audit entry and drops cached principals (keys cache the team they
//! belong to). Members named by a user id or email that does not exist yet are created as
//! `internal_user`s, as LiteLLM does. Member operations are in [`members`]; the helpers every
//! directory resource shares are in [`support`] (re-exported here).

#[path = "teams_types.rs"]
pub mod types;

#[path = "teams_members.rs"]
pub mod members;
#[path = "directory_support.rs"]
pub mod support;

pub use members::{add_members, remove_member, update_member};
pub use support::*;

use serde_json::Value;

use self::types::*;
use super::AdminContext;
use super::audit;
use super::permissions::{Action, TeamScope, authorize, team_list_scope};
use crate::directory::{TeamMembership, TeamRecord, TeamRole, TeamSettings, UserRecord};
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::governance::Limits;
use crate::state::AppState;
use crate::store::directory::teams::TeamListFilter;

/// `POST /team/new`: the team with its first members.
pub async fn new_team(
    state: &AppState,
    ctx: &AdminContext,
    req: NewTeamRequest,
) -> Result<TeamView> {
    authorize(&ctx.principal, &Action::TeamCreate)?;
    let now = state.clock.now_ms();
    let team_id = match req.team_id {
        Some(id) => checked_id(id, "team_id")?,
        None => uuid::Uuid::new_v4().to_string(),
    };
    if state.store.team(&team_id).await?.is_some() {
        return Err(Error::invalid_param(
            format!("team_id: Team id = {team_id} already exists. Please use a different team id."),
            "team_id",
        ));
    }
    if let Some(org) = &req.organization_id {
        require_organization(state, org, "organization_id").await?;
    }
    let limits = Limits {
        max_budget: req.max_budget,
        soft_budget: req.soft_budget,
        budget_duration: req.budget_duration,
        tpm_limit: req.tpm_limit,
        rpd_limit: req.rpd_limit,
        tpd_limit: req.tpd_limit,
        rpm_limit: req.rpm_limit,
        max_parallel_requests: req.max_parallel_requests,
    };
    limits.validate()?;
    let mut wanted: Vec<MemberInput> = req.members_with_roles;
    for (ids, role) in [(req.admins, "admin"), (req.members, "user")] {
        wanted.extend(ids.into_iter().map(|user_id| MemberInput {
            user_id: Some(user_id),
            role: role.into(),
            ..MemberInput::default()
        }));
    }
    // A user creating a team becomes its admin, as in LiteLLM.
    if let Some(creator) = ctx.principal.user_id()
        && !wanted.iter().any(|m| m.user_id.as_deref() == Some(creator))
    {
        wanted.push(MemberInput {
            user_id: Some(creator.to_owned()),
            role: "admin".into(),
            ..MemberInput::default()
        });
    }
    let roles = parse_members(&wanted, None)?;
    let (resolved, new_users) = resolve_members(state, ctx, &refs(&wanted), now).await?;
    let members: Vec<TeamMembership> = resolved
        .iter()
        .zip(roles)
        .map(|(m, (role, budget))| membership(&team_id, &m.user_id, role, budget, now))
        .collect();
    let team = TeamRecord {
        team_id: team_id.clone(),
        team_alias: req.team_alias,
        organization_id: req.organization_id,
        blocked: req.blocked,
        spend: 0.0,
        budget_reset_at: reset_at(&limits, now)?,
        settings: TeamSettings {
            models: req.models,
            limits,
            metadata: req.metadata.unwrap_or_default(),
            tags: req.tags.unwrap_or_default(),
            model_aliases: req.model_aliases.unwrap_or_default(),
            object_permission: req.object_permission.map(ObjectPermission::into_value),
        },
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    };
    state.store.create_team(&team, &new_users, &members).await?;
    state.invalidate(Invalidation::AllKeys).await;
    let view = team_view(state, &team).await?;
    let mut diff = to_value(&view);
    if !new_users.is_empty() {
        diff["created_users"] = Value::from(user_ids(&new_users));
    }
    audit::record(state, ctx, "team.new", "team", &team_id, diff).await?;
    Ok(view)
}

/// `POST /team/update`: `{"team_id", "data": team}`.
pub async fn update_team(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateTeamRequest,
) -> Result<TeamUpdated> {
    authorize(
        &ctx.principal,
        &Action::TeamWrite {
            team_id: &req.team_id,
        },
    )?;
    let mut team = team_or_404(state, &req.team_id).await?;
    let members = state
        .store
        .team_members(std::slice::from_ref(&team.team_id))
        .await?;
    let before = TeamView::new(&team, &members);
    let old_duration = team.settings.limits.budget_duration.clone();
    if let Some(blocked) = req.blocked
        && blocked != team.blocked
    {
        authorize(
            &ctx.principal,
            &Action::TeamAdminister {
                team_id: &req.team_id,
            },
        )?;
        team.blocked = blocked;
    }
    if let Patch::Set(org) = &req.organization_id {
        require_organization(state, org, "organization_id").await?;
    }
    req.team_alias.apply(&mut team.team_alias);
    req.organization_id.apply(&mut team.organization_id);
    let s = &mut team.settings;
    req.metadata.apply_or_default(&mut s.metadata);
    req.models.apply_or_default(&mut s.models);
    req.tags.apply_or_default(&mut s.tags);
    req.model_aliases.apply_or_default(&mut s.model_aliases);
    match req.object_permission {
        Patch::Keep => {}
        Patch::Clear => s.object_permission = None,
        Patch::Set(p) => s.object_permission = Some(p.into_value()),
    }
    req.tpm_limit.apply(&mut s.limits.tpm_limit);
    req.rpd_limit.apply(&mut s.limits.rpd_limit);
    req.tpd_limit.apply(&mut s.limits.tpd_limit);
    req.rpm_limit.apply(&mut s.limits.rpm_limit);
    req.max_parallel_requests
        .apply(&mut s.limits.max_parallel_requests);
    req.max_budget.apply(&mut s.limits.max_budget);
    req.soft_budget.apply(&mut s.limits.soft_budget);
    req.budget_duration.apply(&mut s.limits.budget_duration);
    s.limits.validate()?;
    let now = state.clock.now_ms();
    let reset_changed = team.settings.limits.budget_duration != old_duration;
    if reset_changed {
        team.budget_reset_at = reset_at(&team.settings.limits, now)?;
    }
    if unchanged(&before, &TeamView::new(&team, &members)) {
        return Ok(TeamUpdated {
            team_id: team.team_id,
            data: before,
        });
    }
    team.updated_at = now;
    team.updated_by = Some(ctx.principal.actor());
    if !state.store.update_team(&team, reset_changed).await? {
        return Err(team_not_found(&team.team_id));
    }
    state.invalidate(Invalidation::AllKeys).await;
    let after = team_view(state, &team).await?;
    audit::record(
        state,
        ctx,
        "team.update",
        "team",
        &team.team_id,
        changes(&before, &after),
    )
    .await?;
    Ok(TeamUpdated {
        team_id: team.team_id,
        data: after,
    })
}

/// `POST /team/delete`: the teams with their memberships and keys.
pub async fn delete_teams(
    state: &AppState,
    ctx: &AdminContext,
    req: DeleteTeamsRequest,
) -> Result<TeamsDeleted> {
    let ids = distinct(req.team_ids, "team_ids")?;
    for id in &ids {
        authorize(&ctx.principal, &Action::TeamAdminister { team_id: id })?;
    }
    for id in &ids {
        team_or_404(state, id).await?;
    }
    let keys = state.store.delete_teams(&ids, state.clock.now_ms()).await?;
    state.invalidate(Invalidation::AllKeys).await;
    for id in &ids {
        audit::record(
            state,
            ctx,
            "team.delete",
            "team",
            id,
            serde_json::json!({ "deleted_keys": keys }),
        )
        .await?;
    }
    Ok(TeamsDeleted {
        deleted_teams: ids,
        deleted_keys: keys,
    })
}

/// `GET /team/info?team_id=`.
pub async fn team_info(
    state: &AppState,
    ctx: &AdminContext,
    query: TeamInfoQuery,
) -> Result<TeamInfo> {
    let team_id = query
        .team_id
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::invalid_param("team_id: required parameter is missing", "team_id"))?;
    authorize(&ctx.principal, &Action::TeamRead { team_id: &team_id })?;
    let team = team_or_404(state, &team_id).await?;
    let members = state
        .store
        .team_members(std::slice::from_ref(&team_id))
        .await?;
    Ok(TeamInfo {
        team_info: TeamView::new(&team, &members),
        keys: keys_where(state, |f| f.team_id = Some(team_id.clone())).await?,
        team_memberships: members
            .iter()
            .map(|m| TeamMembershipView::new(&m.membership))
            .collect(),
        team_id,
    })
}

/// `GET /team/list`: the teams the caller may see, with their memberships and keys.
pub async fn list_teams(
    state: &AppState,
    ctx: &AdminContext,
    query: ListTeamsQuery,
) -> Result<Vec<TeamListEntry>> {
    let filter = TeamListFilter {
        organization_id: query
            .organization_id
            .map(|o| (o != "default_organization").then_some(o)),
        member: query.user_id,
        only: match team_list_scope(&ctx.principal) {
            TeamScope::All => None,
            TeamScope::Only(ids) => Some(ids),
        },
    };
    let teams = state.store.list_teams(&filter).await?;
    let ids: Vec<String> = teams.iter().map(|t| t.team_id.clone()).collect();
    let members = state.store.team_members(&ids).await?;
    let mut entries = Vec::with_capacity(teams.len());
    for team in &teams {
        entries.push(TeamListEntry {
            team: TeamView::new(team, &members),
            team_memberships: members
                .iter()
                .filter(|m| m.membership.team_id == team.team_id)
                .map(|m| TeamMembershipView::new(&m.membership))
                .collect(),
            keys: keys_where(state, |f| f.team_id = Some(team.team_id.clone())).await?,
        });
    }
    Ok(entries)
}

/// `POST /team/block` (`blocked = true`) and `/team/unblock`: the team after the change.
pub async fn set_blocked(
    state: &AppState,
    ctx: &AdminContext,
    req: BlockTeamRequest,
    blocked: bool,
) -> Result<TeamView> {
    authorize(
        &ctx.principal,
        &Action::TeamAdminister {
            team_id: &req.team_id,
        },
    )?;
    let mut team = team_or_404(state, &req.team_id).await?;
    team.blocked = blocked;
    team.updated_at = state.clock.now_ms();
    team.updated_by = Some(ctx.principal.actor());
    if !state.store.update_team(&team, false).await? {
        return Err(team_not_found(&team.team_id));
    }
    state.invalidate(Invalidation::AllKeys).await;
    let action = if blocked {
        "team.block"
    } else {
        "team.unblock"
    };
    audit::record(
        state,
        ctx,
        action,
        "team",
        &team.team_id,
        serde_json::json!({ "blocked": blocked }),
    )
    .await?;
    team_view(state, &team).await
}

fn user_ids(users: &[UserRecord]) -> Vec<String> {
    users.iter().map(|u| u.user_id.clone()).collect()
}

fn refs(wanted: &[MemberInput]) -> Vec<(Option<String>, Option<String>)> {
    wanted
        .iter()
        .map(|m| (m.user_id.clone(), m.user_email.clone()))
        .collect()
}

/// Each member's role and budget (theirs, else `default_budget`), checked.
fn parse_members(
    wanted: &[MemberInput],
    default_budget: Option<f64>,
) -> Result<Vec<(TeamRole, Option<f64>)>> {
    check_budget(default_budget, "max_budget_in_team")?;
    wanted
        .iter()
        .map(|m| {
            let budget = m.max_budget_in_team.or(default_budget);
            check_budget(budget, "max_budget_in_team")?;
            Ok((TeamRole::parse(&m.role)?, budget))
        })
        .collect()
}

fn membership(
    team_id: &str,
    user_id: &str,
    role: TeamRole,
    budget: Option<f64>,
    now: i64,
) -> TeamMembership {
    TeamMembership {
        team_id: team_id.to_owned(),
        user_id: user_id.to_owned(),
        role,
        max_budget_in_team: budget,
        budget_id: None,
        spend: 0.0,
        created_at: now,
    }
}

/// The team with its current members.
pub async fn team_view(state: &AppState, team: &TeamRecord) -> Result<TeamView> {
    let members = state
        .store
        .team_members(std::slice::from_ref(&team.team_id))
        .await?;
    Ok(TeamView::new(team, &members))
}

async fn team_or_404(state: &AppState, team_id: &str) -> Result<TeamRecord> {
    state
        .store
        .team(team_id)
        .await?
        .ok_or_else(|| team_not_found(team_id))
}

async fn team_or_400(state: &AppState, team_id: &str) -> Result<TeamRecord> {
    state.store.team(team_id).await?.ok_or_else(|| {
        Error::invalid_param(
            format!("team_id: Team id={team_id} does not exist in db"),
            "team_id",
        )
    })
}

fn team_not_found(team_id: &str) -> Error {
    Error::NotFound(format!("Team not found, passed team_id={team_id}"))
}

//! Admin operations on teams and their members (LiteLLM's `/team/*`), called alike by the
//! REST and gRPC skins. Every operation checks [`permissions`](super::permissions) first,
//! writes in one transaction, records an audit entry and drops cached principals (keys cache
//! the team they belong to). Members named by a user id or email that does not exist yet are
//! created as `internal_user`s, as LiteLLM does. Also the helpers the other directory
//! resources share ([`resolve_members`], [`changes`], [`keys_where`]).

#[path = "teams_types.rs"]
pub mod types;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use self::types::*;
use super::AdminContext;
use super::audit;
use super::permissions::{Action, TeamScope, authorize, team_list_scope};
use crate::admin::users::types::key_summary;
use crate::directory::{
    TeamMembership, TeamRecord, TeamRole, TeamSettings, UserRecord, UserSettings,
};
use crate::error::{Error, Result};
use crate::governance::{Limits, UserRole, duration};
use crate::keys::KeyRecord;
use crate::state::AppState;
use crate::store::directory::TeamMember;
use crate::store::directory::teams::TeamListFilter;
use crate::store::keys::KeyListFilter;

/// `POST /team/new`.
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
    state.principals.invalidate_all();
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
    state.principals.invalidate_all();
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
    state.principals.invalidate_all();
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
    let added: Vec<TeamMembership> = resolved
        .iter()
        .zip(roles)
        .map(|(m, (role, budget))| membership(&team.team_id, &m.user_id, role, budget, now))
        .collect();
    state.store.add_team_members(&new_users, &added).await?;
    state.principals.invalidate_all();
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
    state.principals.invalidate_all();
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
    req.max_budget_in_team.apply(&mut m.max_budget_in_team);
    check_budget(m.max_budget_in_team, "max_budget_in_team")?;
    if !state.store.update_team_member(&m).await? {
        return Err(not_in_team(&team.team_id));
    }
    state.principals.invalidate_all();
    let diff = serde_json::json!({
        "user_id": m.user_id,
        "role": {"from": found.membership.role.as_str(), "to": m.role.as_str()},
        "max_budget_in_team": {"from": found.membership.max_budget_in_team, "to": m.max_budget_in_team},
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
    state.principals.invalidate_all();
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

// ---- shared by the directory resources ----

/// A member as resolved to a user: their id and email.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedMember {
    pub user_id: String,
    pub user_email: Option<String>,
}

/// Resolves members named by user id and/or email to users. A user id that does not exist
/// yet, or an email no user has, becomes a new `internal_user` (returned to be created in the
/// same transaction as the memberships), as LiteLLM does. An email several users share, a
/// member named by neither, or a user named twice is a 400.
pub async fn resolve_members(
    state: &AppState,
    ctx: &AdminContext,
    wanted: &[(Option<String>, Option<String>)],
    now: i64,
) -> Result<(Vec<ResolvedMember>, Vec<UserRecord>)> {
    let mut resolved: Vec<ResolvedMember> = Vec::new();
    let mut new_users: Vec<UserRecord> = Vec::new();
    for (user_id, user_email) in wanted {
        let user_id = user_id.clone().filter(|u| !u.is_empty());
        let user_email = user_email.clone().filter(|e| !e.is_empty());
        let found = match (&user_id, &user_email) {
            (None, None) => {
                return Err(Error::invalid_param(
                    "member: Either user id or user email must be provided",
                    "member",
                ));
            }
            (Some(id), _) => state.store.user(id).await?,
            (None, Some(email)) => {
                let mut users = state.store.users_by_email(email).await?;
                if users.len() > 1 {
                    return Err(Error::invalid_param(
                        format!(
                            "member: Multiple users with email {email} found in db. Please use 'user_id' instead."
                        ),
                        "member",
                    ));
                }
                users.pop()
            }
        };
        let member = match found {
            Some(u) => ResolvedMember {
                user_id: u.user_id,
                user_email: u.user_email,
            },
            None => {
                let pending = new_users.iter().find(|u| {
                    user_id.as_deref() == Some(u.user_id.as_str())
                        || (user_id.is_none()
                            && user_email.is_some()
                            && u.user_email.as_deref().map(str::to_lowercase)
                                == user_email.as_deref().map(str::to_lowercase))
                });
                match pending {
                    Some(u) => ResolvedMember {
                        user_id: u.user_id.clone(),
                        user_email: u.user_email.clone(),
                    },
                    None => {
                        let id = match user_id {
                            Some(id) => checked_id(id, "member.user_id")?,
                            None => uuid::Uuid::new_v4().to_string(),
                        };
                        let user = new_internal_user(ctx, id, user_email, now);
                        let member = ResolvedMember {
                            user_id: user.user_id.clone(),
                            user_email: user.user_email.clone(),
                        };
                        new_users.push(user);
                        member
                    }
                }
            }
        };
        if resolved.iter().any(|r| r.user_id == member.user_id) {
            return Err(Error::invalid_param(
                format!("member: user {} is listed twice", member.user_id),
                "member",
            ));
        }
        resolved.push(member);
    }
    Ok((resolved, new_users))
}

/// A user created because a membership named them.
pub fn new_internal_user(
    ctx: &AdminContext,
    user_id: String,
    user_email: Option<String>,
    now: i64,
) -> UserRecord {
    UserRecord {
        user_id,
        user_email,
        user_role: UserRole::InternalUser,
        spend: 0.0,
        budget_reset_at: None,
        settings: UserSettings::default(),
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    }
}

/// The keys the filter `narrow` selects (all of them, every page), as listings show keys.
pub async fn keys_where(
    state: &AppState,
    narrow: impl FnOnce(&mut KeyListFilter),
) -> Result<Vec<Value>> {
    let mut filter = KeyListFilter {
        user_id: None,
        team_id: None,
        organization_id: None,
        key_alias: None,
        scope: super::permissions::KeyScope::All,
    };
    narrow(&mut filter);
    let mut keys: Vec<KeyRecord> = Vec::new();
    for page in 1.. {
        let (batch, total) = state.store.list_keys(&filter, page, 500).await?;
        let done = batch.is_empty()
            || keys.len() + batch.len() >= usize::try_from(total).unwrap_or(usize::MAX);
        keys.extend(batch);
        if done {
            break;
        }
    }
    Ok(keys.iter().map(key_summary).collect())
}

/// The top-level fields that differ between two views: `{field: {"from": .., "to": ..}}`.
pub fn changes<T: serde::Serialize>(before: &T, after: &T) -> Value {
    let (Value::Object(before), Value::Object(after)) = (to_value(before), to_value(after)) else {
        return Value::Object(Map::new());
    };
    let mut diff = Map::new();
    for (field, to) in &after {
        let from = before.get(field).cloned().unwrap_or(Value::Null);
        if &from != to && field != "updated_at" {
            diff.insert(field.clone(), serde_json::json!({ "from": from, "to": to }));
        }
    }
    Value::Object(diff)
}

/// Whether an update changes nothing (then it is not written, nor audited).
pub fn unchanged<T: serde::Serialize>(before: &T, after: &T) -> bool {
    changes(before, after).as_object().is_none_or(Map::is_empty)
}

/// A value as JSON (views always serialize).
pub fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// When a budget with these limits next resets: now + `budget_duration`, if set.
pub fn reset_at(limits: &Limits, now: i64) -> Result<Option<i64>> {
    limits
        .budget_duration
        .as_deref()
        .map(|d| duration::parse(d, "budget_duration").map(|span| now.saturating_add(span.millis)))
        .transpose()
}

/// A client-chosen id: non-empty, at most 256 characters, no control characters.
pub fn checked_id(id: String, param: &str) -> Result<String> {
    let trimmed = id.trim();
    if trimmed.is_empty() || trimmed.len() > 256 || trimmed.chars().any(char::is_control) {
        return Err(Error::invalid_param(
            format!("{param}: must be 1 to 256 characters without control characters"),
            param,
        ));
    }
    Ok(trimmed.to_owned())
}

/// A budget is a non-negative, finite number.
pub fn check_budget(value: Option<f64>, param: &str) -> Result<()> {
    match value {
        Some(v) if !(v.is_finite() && v >= 0.0) => Err(Error::invalid_param(
            format!("{param}: must be a non-negative number, got {v}"),
            param,
        )),
        _ => Ok(()),
    }
}

/// The ids of a delete request: at least one, duplicates dropped, order kept.
pub fn distinct(ids: Vec<String>, param: &str) -> Result<Vec<String>> {
    let mut seen = BTreeSet::new();
    let ids: Vec<String> = ids
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect();
    if ids.is_empty() {
        return Err(Error::invalid_param(
            format!("{param}: name at least one id"),
            param,
        ));
    }
    Ok(ids)
}

/// 400 unless the organization exists.
pub async fn require_organization(
    state: &AppState,
    organization_id: &str,
    param: &str,
) -> Result<()> {
    if state.store.organization(organization_id).await?.is_none() {
        return Err(Error::invalid_param(
            format!(
                "{param}: no organization with id `{organization_id}`; create it with /organization/new"
            ),
            param,
        ));
    }
    Ok(())
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

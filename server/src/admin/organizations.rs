//! Admin operations on organizations (LiteLLM's `/organization/*`), called alike by the REST
//! and gRPC skins. Deleting an organization deletes what belongs to it (its teams with their
//! keys, its own keys, its memberships), as LiteLLM does, in one transaction. Members named by
//! a user id or email that does not exist yet are created as `internal_user`s.

#[path = "organizations_types.rs"]
pub mod types;

use self::types::*;
use super::AdminContext;
use super::audit;
use super::permissions::{Action, authorize};
use super::teams::types::{ObjectPermission, Patch};
use super::teams::{
    changes, check_budget, checked_id, distinct, reset_at, resolve_members, to_value, unchanged,
};
use crate::directory::organization::ORGANIZATION_ROLES;
use crate::directory::{OrganizationRecord, OrganizationSettings};
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::governance::Limits;
use crate::state::AppState;
use crate::store::directory::teams::TeamListFilter;

/// `POST /organization/new`.
pub async fn new_organization(
    state: &AppState,
    ctx: &AdminContext,
    req: NewOrganizationRequest,
) -> Result<OrganizationView> {
    authorize(&ctx.principal, &Action::OrganizationCreate)?;
    let now = state.clock.now_ms();
    let organization_id = match req.organization_id {
        Some(id) => checked_id(id, "organization_id")?,
        None => uuid::Uuid::new_v4().to_string(),
    };
    if state.store.organization(&organization_id).await?.is_some() {
        return Err(Error::invalid_param(
            format!("organization_id: an organization with id `{organization_id}` already exists"),
            "organization_id",
        ));
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
    let org = OrganizationRecord {
        organization_id: organization_id.clone(),
        organization_alias: Some(req.organization_alias),
        blocked: req.blocked,
        spend: 0.0,
        budget_reset_at: reset_at(&limits, now)?,
        settings: OrganizationSettings {
            models: req.models,
            limits,
            metadata: req.metadata.unwrap_or_default(),
            object_permission: req.object_permission.map(ObjectPermission::into_value),
        },
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    };
    state.store.create_organization(&org).await?;
    state.invalidate(Invalidation::AllKeys).await;
    let view = organization_view(state, &org).await?;
    audit::record(
        state,
        ctx,
        "organization.new",
        "organization",
        &organization_id,
        to_value(&view),
    )
    .await?;
    Ok(view)
}

/// `PATCH /organization/update`: the organization after the change.
pub async fn update_organization(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateOrganizationRequest,
) -> Result<OrganizationView> {
    authorize(
        &ctx.principal,
        &Action::OrganizationWrite {
            organization_id: &req.organization_id,
        },
    )?;
    let mut org = organization_or_404(state, &req.organization_id).await?;
    let members = state
        .store
        .organization_members(&org.organization_id)
        .await?;
    let before = organization_view(state, &org).await?;
    let old_duration = org.settings.limits.budget_duration.clone();
    req.organization_alias.apply(&mut org.organization_alias);
    if let Some(blocked) = req.blocked {
        org.blocked = blocked;
    }
    let s = &mut org.settings;
    req.models.apply_or_default(&mut s.models);
    req.metadata.apply_or_default(&mut s.metadata);
    match req.object_permission {
        Patch::Keep => {}
        Patch::Clear => s.object_permission = None,
        Patch::Set(p) => s.object_permission = Some(p.into_value()),
    }
    req.max_budget.apply(&mut s.limits.max_budget);
    req.soft_budget.apply(&mut s.limits.soft_budget);
    req.tpm_limit.apply(&mut s.limits.tpm_limit);
    req.rpd_limit.apply(&mut s.limits.rpd_limit);
    req.tpd_limit.apply(&mut s.limits.tpd_limit);
    req.rpm_limit.apply(&mut s.limits.rpm_limit);
    req.max_parallel_requests
        .apply(&mut s.limits.max_parallel_requests);
    req.budget_duration.apply(&mut s.limits.budget_duration);
    s.limits.validate()?;
    let now = state.clock.now_ms();
    let reset_changed = org.settings.limits.budget_duration != old_duration;
    if reset_changed {
        org.budget_reset_at = reset_at(&org.settings.limits, now)?;
    }
    if unchanged(
        &before,
        &OrganizationView::new(&org, &members, before.teams.clone()),
    ) {
        return Ok(before);
    }
    org.updated_at = now;
    org.updated_by = Some(ctx.principal.actor());
    if !state.store.update_organization(&org, reset_changed).await? {
        return Err(not_found(&org.organization_id));
    }
    state.invalidate(Invalidation::AllKeys).await;
    let after = organization_view(state, &org).await?;
    audit::record(
        state,
        ctx,
        "organization.update",
        "organization",
        &org.organization_id,
        changes(&before, &after),
    )
    .await?;
    Ok(after)
}

/// `DELETE /organization/delete`: the organizations as they were, deleted with their teams,
/// keys and memberships.
pub async fn delete_organizations(
    state: &AppState,
    ctx: &AdminContext,
    req: DeleteOrganizationsRequest,
) -> Result<Vec<OrganizationView>> {
    let ids = distinct(req.organization_ids, "organization_ids")?;
    for id in &ids {
        authorize(
            &ctx.principal,
            &Action::OrganizationWrite {
                organization_id: id,
            },
        )?;
    }
    let mut views = Vec::with_capacity(ids.len());
    for id in &ids {
        let org = organization_or_404(state, id).await?;
        views.push(organization_view(state, &org).await?);
    }
    let keys = state
        .store
        .delete_organizations(&ids, state.clock.now_ms())
        .await?;
    state.invalidate(Invalidation::AllKeys).await;
    for view in &views {
        let diff = serde_json::json!({
            "deleted_teams": view.teams.iter().map(|t| t.team_id.clone()).collect::<Vec<_>>(),
            "deleted_keys": keys,
        });
        audit::record(
            state,
            ctx,
            "organization.delete",
            "organization",
            &view.organization_id,
            diff,
        )
        .await?;
    }
    Ok(views)
}

/// `GET /organization/info?organization_id=`.
pub async fn organization_info(
    state: &AppState,
    ctx: &AdminContext,
    query: OrganizationInfoQuery,
) -> Result<OrganizationView> {
    let id = query
        .organization_id
        .filter(|o| !o.is_empty())
        .ok_or_else(|| {
            Error::invalid_param(
                "organization_id: required parameter is missing",
                "organization_id",
            )
        })?;
    authorize(
        &ctx.principal,
        &Action::OrganizationRead {
            organization_id: &id,
        },
    )?;
    let org = organization_or_404(state, &id).await?;
    organization_view(state, &org).await
}

/// `POST /organization/info` (LiteLLM's deprecated form): the named organizations that exist.
pub async fn organizations_info(
    state: &AppState,
    ctx: &AdminContext,
    req: OrganizationsInfoRequest,
) -> Result<Vec<OrganizationView>> {
    if req.organizations.is_empty() {
        return Err(Error::invalid_param(
            "organizations: Specify list of organization id's to query.",
            "organizations",
        ));
    }
    for id in &req.organizations {
        authorize(
            &ctx.principal,
            &Action::OrganizationRead {
                organization_id: id,
            },
        )?;
    }
    let orgs = state
        .store
        .list_organizations(Some(&req.organizations))
        .await?;
    let mut views = Vec::with_capacity(orgs.len());
    for org in &orgs {
        views.push(organization_view(state, org).await?);
    }
    Ok(views)
}

/// `GET /organization/list`: every organization for admins; for anyone else, the ones they
/// are a member of.
pub async fn list_organizations(
    state: &AppState,
    ctx: &AdminContext,
) -> Result<Vec<OrganizationView>> {
    let orgs = match authorize(&ctx.principal, &Action::ListAll) {
        Ok(()) => state.store.list_organizations(None).await?,
        Err(denied) => {
            let Some(user_id) = ctx.principal.user_id() else {
                return Err(denied);
            };
            let ids: Vec<String> = state
                .store
                .organization_memberships_of_user(user_id)
                .await?
                .into_iter()
                .map(|m| m.membership.organization_id)
                .collect();
            state.store.list_organizations(Some(&ids)).await?
        }
    };
    let mut views = Vec::with_capacity(orgs.len());
    for org in &orgs {
        views.push(organization_view(state, org).await?);
    }
    Ok(views)
}

/// `POST /organization/member_add`.
pub async fn add_members(
    state: &AppState,
    ctx: &AdminContext,
    req: OrganizationMemberAddRequest,
) -> Result<OrganizationMembersAdded> {
    authorize(
        &ctx.principal,
        &Action::OrganizationWrite {
            organization_id: &req.organization_id,
        },
    )?;
    let org = state
        .store
        .organization(&req.organization_id)
        .await?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "Organization not found for organization_id={}",
                req.organization_id
            ))
        })?;
    let wanted = req.member.0;
    if wanted.is_empty() {
        return Err(Error::invalid_param(
            "member: No member/members passed in",
            "member",
        ));
    }
    check_budget(req.max_budget_in_organization, "max_budget_in_organization")?;
    for m in &wanted {
        if !ORGANIZATION_ROLES.contains(&m.role.as_str()) {
            return Err(Error::invalid_param(
                format!(
                    "role: Invalid role `{}`. Must be one of: {}",
                    m.role,
                    ORGANIZATION_ROLES.join(", ")
                ),
                "role",
            ));
        }
    }
    let now = state.clock.now_ms();
    let names: Vec<(Option<String>, Option<String>)> = wanted
        .iter()
        .map(|m| (m.user_id.clone(), m.user_email.clone()))
        .collect();
    let (resolved, new_users) = resolve_members(state, ctx, &names, now).await?;
    let existing = state
        .store
        .organization_members(&org.organization_id)
        .await?;
    for m in &resolved {
        if existing.iter().any(|e| e.membership.user_id == m.user_id) {
            return Err(Error::invalid_param(
                format!(
                    "member: User={} already in organization {}",
                    m.user_id, org.organization_id
                ),
                "member",
            ));
        }
    }
    let members: Vec<(String, String, Option<f64>)> = resolved
        .iter()
        .zip(&wanted)
        .map(|(r, w)| {
            (
                r.user_id.clone(),
                w.role.clone(),
                req.max_budget_in_organization,
            )
        })
        .collect();
    state
        .store
        .add_organization_members(&org.organization_id, &new_users, &members, now)
        .await?;
    state.invalidate(Invalidation::AllKeys).await;
    let all = state
        .store
        .organization_members(&org.organization_id)
        .await?;
    let mut updated_users = Vec::with_capacity(resolved.len());
    for m in &resolved {
        if let Some(user) = state.store.user(&m.user_id).await? {
            updated_users.push(super::users::user_view(state, &user).await?);
        }
    }
    let diff = serde_json::json!({
        "added": members.iter().map(|(u, r, b)| serde_json::json!({
            "user_id": u, "role": r, "max_budget_in_organization": b,
        })).collect::<Vec<_>>(),
        "created_users": new_users.iter().map(|u| u.user_id.clone()).collect::<Vec<_>>(),
    });
    audit::record(
        state,
        ctx,
        "organization.member_add",
        "organization",
        &org.organization_id,
        diff,
    )
    .await?;
    Ok(OrganizationMembersAdded {
        organization_id: org.organization_id,
        updated_users,
        updated_organization_memberships: resolved
            .iter()
            .filter_map(|r| all.iter().find(|m| m.membership.user_id == r.user_id))
            .map(OrganizationMembershipView::new)
            .collect(),
    })
}

/// The organization with its members and teams.
pub async fn organization_view(
    state: &AppState,
    org: &OrganizationRecord,
) -> Result<OrganizationView> {
    let members = state
        .store
        .organization_members(&org.organization_id)
        .await?;
    let teams = state
        .store
        .list_teams(&TeamListFilter {
            organization_id: Some(Some(org.organization_id.clone())),
            ..TeamListFilter::default()
        })
        .await?;
    let ids: Vec<String> = teams.iter().map(|t| t.team_id.clone()).collect();
    let team_members = state.store.team_members(&ids).await?;
    let teams = teams
        .iter()
        .map(|t| super::teams::types::TeamView::new(t, &team_members))
        .collect();
    Ok(OrganizationView::new(org, &members, teams))
}

async fn organization_or_404(state: &AppState, id: &str) -> Result<OrganizationRecord> {
    state
        .store
        .organization(id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("Organization not found for organization_id={id}"))
}

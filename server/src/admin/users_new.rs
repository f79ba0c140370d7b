//! `/user/new`: the user, their team and organization memberships and, by default, a real
//! key for them (its SHA-256 in `keys`, the secret returned once), in one transaction.

use std::collections::BTreeMap;

use super::types::*;
use super::{check_email_free, user_view};
use crate::admin::AdminContext;
use crate::admin::audit;
use crate::admin::permissions::{Action, authorize};
use crate::admin::teams::{check_budget, checked_id, reset_at, to_value};
use crate::directory::{TeamMembership, TeamRole, UserRecord, UserSettings};
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::governance::{Limits, UserRole, duration};
use crate::keys::{KeyRecord, KeySettings, secret};
use crate::state::AppState;
use crate::store::directory::users::NewOrganizationMembership;

/// `POST /user/new`.
pub async fn new_user(
    state: &AppState,
    ctx: &AdminContext,
    req: NewUserRequest,
) -> Result<NewUserResponse> {
    authorize(&ctx.principal, &Action::UserCreate)?;
    let now = state.clock.now_ms();
    let role = match req.user_role.as_deref() {
        Some(r) => UserRole::parse(r)?,
        None => UserRole::InternalUser,
    };
    if matches!(role, UserRole::ProxyAdmin | UserRole::ProxyAdminViewer)
        && !ctx.principal.is_proxy_admin()
    {
        return Err(Error::PermissionDenied(format!(
            "Only proxy admins can create administrative users (proxy_admin, proxy_admin_viewer). Attempted to create user with role: {}",
            role.as_str()
        )));
    }
    let user_id = match req.user_id {
        Some(id) => checked_id(id, "user_id")?,
        None => uuid::Uuid::new_v4().to_string(),
    };
    if state.store.user(&user_id).await?.is_some() {
        return Err(Error::invalid_param(
            format!("user_id: User with id {user_id} already exists"),
            "user_id",
        ));
    }
    let user_email = req
        .user_email
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    if let Some(email) = &user_email {
        check_email_free(state, email).await?;
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
    // Teams: `teams` (ids or objects) and LiteLLM's deprecated `team_id`.
    let mut wanted: Vec<NewUserTeam> = req
        .teams
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.0)
        .collect();
    if let Some(team_id) = &req.team_id
        && !wanted.iter().any(|t| &t.team_id == team_id)
    {
        wanted.push(NewUserTeam {
            team_id: team_id.clone(),
            max_budget_in_team: None,
            user_role: "user".into(),
        });
    }
    let mut teams: Vec<TeamMembership> = Vec::new();
    for t in wanted {
        if teams.iter().any(|m| m.team_id == t.team_id) {
            continue;
        }
        if state.store.team(&t.team_id).await?.is_none() {
            return Err(Error::invalid_param(
                format!(
                    "teams: no team with id `{}`; create it with /team/new",
                    t.team_id
                ),
                "teams",
            ));
        }
        check_budget(t.max_budget_in_team, "max_budget_in_team")?;
        teams.push(TeamMembership {
            team_id: t.team_id,
            user_id: user_id.clone(),
            role: TeamRole::parse(&t.user_role)?,
            max_budget_in_team: t.max_budget_in_team,
            budget_id: None,
            spend: 0.0,
            created_at: now,
        });
    }
    let mut organizations: Vec<NewOrganizationMembership> = Vec::new();
    for org in req.organizations.unwrap_or_default() {
        if organizations.iter().any(|o| o.organization_id == org) {
            continue;
        }
        crate::admin::teams::require_organization(state, &org, "organizations").await?;
        organizations.push(NewOrganizationMembership {
            organization_id: org,
            role: "internal_user".into(),
            max_budget_in_organization: None,
        });
    }
    let user = UserRecord {
        user_id: user_id.clone(),
        user_email,
        user_role: role,
        spend: 0.0,
        budget_reset_at: reset_at(&limits, now)?,
        settings: UserSettings {
            user_alias: req.user_alias,
            models: req.models.unwrap_or_default(),
            limits,
            metadata: req.metadata.unwrap_or_default(),
        },
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    };
    let (secret, key) = if req.auto_create_key {
        let (secret, key) = new_key(
            state,
            ctx,
            &user,
            req.team_id,
            req.key_alias,
            req.duration,
            req.aliases,
            now,
        )
        .await?;
        (secret, Some(key))
    } else {
        (String::new(), None)
    };
    state
        .store
        .create_user(&user, &teams, &organizations, key.as_ref())
        .await?;
    state.invalidate(Invalidation::AllKeys).await;
    let view = user_view(state, &user).await?;
    let mut diff = to_value(&view);
    diff["key_created"] = serde_json::Value::Bool(key.is_some());
    audit::record(state, ctx, "user.new", "user", &user_id, diff).await?;
    Ok(NewUserResponse {
        user: view,
        key: secret,
        key_name: key.as_ref().map(|k| k.key_name.clone()),
        key_alias: key.as_ref().and_then(|k| k.key_alias.clone()),
        expires: key
            .as_ref()
            .and_then(|k| k.expires)
            .map(crate::governance::clock::to_rfc3339),
        duration: key.as_ref().and_then(|k| k.settings.duration.clone()),
        token_id: key.map(|k| k.token),
    })
}

/// The key `/user/new` makes for the new user: a fresh secret, stored only as its hash. It
/// inherits the user's models and limits (its own are empty).
#[expect(
    clippy::too_many_arguments,
    reason = "the key fields of /user/new, taken apart once"
)]
async fn new_key(
    state: &AppState,
    ctx: &AdminContext,
    user: &UserRecord,
    team_id: Option<String>,
    key_alias: Option<String>,
    lifetime: Option<String>,
    aliases: Option<BTreeMap<String, String>>,
    now: i64,
) -> Result<(String, KeyRecord)> {
    if let Some(alias) = &key_alias
        && state.store.key_by_alias(alias).await?.is_some()
    {
        return Err(Error::invalid_param(
            format!("key_alias: a key with alias `{alias}` already exists"),
            "key_alias",
        ));
    }
    let expires = lifetime
        .as_deref()
        .map(|d| duration::parse(d, "duration").map(|span| now.saturating_add(span.millis)))
        .transpose()?;
    let secret = secret::generate()?;
    let key = KeyRecord {
        token: secret::hash(&secret),
        key_name: secret::display_name(&secret),
        key_alias,
        user_id: Some(user.user_id.clone()),
        team_id,
        organization_id: None,
        blocked: false,
        expires,
        spend: 0.0,
        budget_reset_at: None,
        settings: KeySettings {
            aliases: aliases.unwrap_or_default(),
            duration: lifetime,
            ..KeySettings::default()
        },
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    };
    Ok((secret, key))
}

//! Admin operations on internal users (LiteLLM's `/user/*`), called alike by the REST and
//! gRPC skins. `/user/new` creates the user, their team and organization memberships and, by
//! default, a real key for them (hashed into `keys`, the secret returned once), all in one
//! transaction. Deleting a user deletes their keys and memberships with them.

#[path = "users_types.rs"]
pub mod types;

#[path = "users_new.rs"]
pub mod create;

pub use create::new_user;

use self::types::*;
use super::AdminContext;
use super::audit;
use super::organizations::types::OrganizationMembershipView;
use super::permissions::{Action, authorize};
use super::teams::types::TeamView;
use super::teams::{changes, distinct, keys_where, reset_at, unchanged};
use crate::directory::UserRecord;
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::governance::UserRole;
use crate::state::AppState;
use crate::store::directory::UserListFilter;

/// `GET /user/info?user_id=` (absent: the caller's own user).
pub async fn user_info(
    state: &AppState,
    ctx: &AdminContext,
    query: UserInfoQuery,
) -> Result<UserInfo> {
    let user_id = query
        .user_id
        .filter(|u| !u.is_empty())
        .or_else(|| ctx.principal.user_id().map(str::to_owned))
        .ok_or_else(|| Error::invalid_param("user_id: required parameter is missing", "user_id"))?;
    authorize(&ctx.principal, &Action::UserRead { user_id: &user_id })?;
    let user = state
        .store
        .user(&user_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("User {user_id} not found")))?;
    let view = user_view(state, &user).await?;
    let mut teams = Vec::with_capacity(view.teams.len());
    for team_id in &view.teams {
        if let Some(team) = state.store.team(team_id).await? {
            teams.push(super::teams::team_view(state, &team).await?);
        }
    }
    teams.sort_by(|a: &TeamView, b: &TeamView| a.team_alias.cmp(&b.team_alias));
    Ok(UserInfo {
        keys: keys_where(state, |f| f.user_id = Some(user_id.clone())).await?,
        user_id,
        user_info: view,
        teams,
    })
}

/// `POST /user/update`: `{"user_id", "data": user}`.
pub async fn update_user(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateUserRequest,
) -> Result<UserUpdated> {
    let mut user = match (&req.user_id, &req.user_email) {
        (Some(id), _) => state
            .store
            .user(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("User not found, passed user_id={id}")))?,
        (None, Some(email)) => {
            let mut users = state.store.users_by_email(email).await?;
            if users.len() > 1 {
                return Err(Error::invalid_param(
                    format!("user_email: several users have email {email}; use user_id"),
                    "user_email",
                ));
            }
            users.pop().ok_or_else(|| {
                Error::NotFound(format!("User not found, passed user_email={email}"))
            })?
        }
        (None, None) => {
            return Err(Error::invalid_param(
                "Either user id or user email must be provided",
                "user_id",
            ));
        }
    };
    authorize(
        &ctx.principal,
        &Action::UserWrite {
            user_id: &user.user_id,
        },
    )?;
    let before = user_view(state, &user).await?;
    let old_duration = user.settings.limits.budget_duration.clone();
    if let Some(role) = &req.user_role {
        let role = UserRole::parse(role)?;
        if role != user.user_role && !ctx.principal.is_proxy_admin() {
            return Err(Error::PermissionDenied(
                "Only proxy admins can modify user roles.".into(),
            ));
        }
        user.user_role = role;
    }
    if req.user_id.is_some()
        && let Some(email) = req
            .user_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        && user.user_email.as_deref().map(str::to_lowercase) != Some(email.to_lowercase())
    {
        check_email_free(state, email).await?;
        user.user_email = Some(email.to_owned());
    }
    let s = &mut user.settings;
    req.user_alias.apply(&mut s.user_alias);
    req.models.apply_or_default(&mut s.models);
    req.metadata.apply_or_default(&mut s.metadata);
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
    let reset_changed = user.settings.limits.budget_duration != old_duration;
    if reset_changed {
        user.budget_reset_at = reset_at(&user.settings.limits, now)?;
    }
    let candidate = UserView::new(
        &user,
        before.teams.clone(),
        before.organization_memberships.clone(),
    );
    if unchanged(&before, &candidate) {
        return Ok(UserUpdated {
            user_id: user.user_id,
            data: before,
        });
    }
    user.updated_at = now;
    user.updated_by = Some(ctx.principal.actor());
    if !state.store.update_user(&user, reset_changed).await? {
        return Err(Error::NotFound(format!(
            "User not found, passed user_id={}",
            user.user_id
        )));
    }
    state.invalidate(Invalidation::AllKeys).await;
    let after = user_view(state, &user).await?;
    audit::record(
        state,
        ctx,
        "user.update",
        "user",
        &user.user_id,
        changes(&before, &after),
    )
    .await?;
    Ok(UserUpdated {
        user_id: user.user_id,
        data: after,
    })
}

/// `POST /user/delete`: the users with their keys and memberships.
pub async fn delete_users(
    state: &AppState,
    ctx: &AdminContext,
    req: DeleteUsersRequest,
) -> Result<UsersDeleted> {
    let ids = distinct(req.user_ids, "user_ids")?;
    for id in &ids {
        authorize(&ctx.principal, &Action::UserWrite { user_id: id })?;
    }
    for id in &ids {
        if state.store.user(id).await?.is_none() {
            return Err(Error::NotFound(format!(
                "User not found, passed user_id={id}"
            )));
        }
    }
    let keys = state.store.delete_users(&ids, state.clock.now_ms()).await?;
    state.invalidate(Invalidation::AllKeys).await;
    for id in &ids {
        audit::record(
            state,
            ctx,
            "user.delete",
            "user",
            id,
            serde_json::json!({ "deleted_keys": keys }),
        )
        .await?;
    }
    Ok(UsersDeleted {
        deleted_users: ids,
        deleted_keys: keys,
    })
}

/// Columns `/user/list` may sort by.
const SORTABLE: &[&str] = &["user_id", "user_email", "created_at", "spend", "user_role"];

/// `GET /user/list`: a page of users, newest first unless sorted otherwise.
pub async fn list_users(
    state: &AppState,
    ctx: &AdminContext,
    query: ListUsersQuery,
) -> Result<UserList> {
    authorize(&ctx.principal, &Action::ListAll)?;
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(Error::invalid_param("page: must be 1 or more", "page"));
    }
    let page_size = query.page_size.unwrap_or(25);
    if !(1..=100).contains(&page_size) {
        return Err(Error::invalid_param(
            "page_size: must be between 1 and 100",
            "page_size",
        ));
    }
    let sort_by = match query.sort_by.as_deref() {
        None => None,
        Some(column) => Some(*SORTABLE.iter().find(|c| **c == column).ok_or_else(|| {
            Error::invalid_param(
                format!(
                    "sort_by: Invalid sort column. Must be one of: {}",
                    SORTABLE.join(", ")
                ),
                "sort_by",
            )
        })?),
    };
    let descending = match query
        .sort_order
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            return Err(Error::invalid_param(
                "sort_order: Invalid sort order. Must be 'asc' or 'desc'",
                "sort_order",
            ));
        }
    };
    if let Some(role) = &query.role {
        UserRole::parse(role).map_err(|_| {
            Error::invalid_param(
                format!("role: unknown role `{role}` (proxy_admin, proxy_admin_viewer, internal_user, internal_user_viewer)"),
                "role",
            )
        })?;
    }
    let filter = UserListFilter {
        role: query.role,
        user_ids: query.user_ids.map(|ids| {
            ids.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        email_contains: query.user_email.filter(|e| !e.is_empty()),
        team: query.team,
        sort_by,
        descending,
    };
    let (users, total) = state.store.list_users(&filter, page, page_size).await?;
    let ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
    let counts = state.store.key_counts(&ids).await?;
    let mut views = Vec::with_capacity(users.len());
    for user in &users {
        let mut view = user_view(state, user).await?;
        view.key_count = Some(counts.get(&user.user_id).copied().unwrap_or(0));
        views.push(view);
    }
    Ok(UserList {
        users: views,
        total,
        page,
        page_size,
        total_pages: total.div_ceil(u64::from(page_size)),
    })
}

/// The user with their team ids and organization memberships.
pub async fn user_view(state: &AppState, user: &UserRecord) -> Result<UserView> {
    let teams = state
        .store
        .team_memberships_of_user(&user.user_id)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    let orgs = state
        .store
        .organization_memberships_of_user(&user.user_id)
        .await?
        .iter()
        .map(OrganizationMembershipView::new)
        .collect();
    Ok(UserView::new(user, teams, orgs))
}

/// 400 if another user already has this email (compared without case).
async fn check_email_free(state: &AppState, email: &str) -> Result<()> {
    if !state.store.users_by_email(email).await?.is_empty() {
        return Err(Error::invalid_param(
            format!("user_email: User with email {email} already exists"),
            "user_email",
        ));
    }
    Ok(())
}

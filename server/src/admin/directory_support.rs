//! What the directory resources (teams, users, organizations, customers) share: resolving
//! members to users (creating the new ones), listing keys, audit diffs, and input checks.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::admin::AdminContext;
use crate::admin::users::types::key_summary;
use crate::directory::{UserRecord, UserSettings};
use crate::error::{Error, Result};
use crate::governance::{Limits, UserRole, duration};
use crate::keys::KeyRecord;
use crate::state::AppState;
use crate::store::keys::KeyListFilter;

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
        scope: crate::admin::permissions::KeyScope::All,
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

//! LiteLLM's request and response shapes for `/user/*` (field for field; extras are Tollgate's
//! own), and how keys appear in user and team listings.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::super::organizations::types::OrganizationMembershipView;
use super::super::teams::types::{Patch, TeamView};
use crate::directory::UserRecord;
use crate::governance::clock::to_rfc3339;
use crate::keys::KeyRecord;

/// A team named in `/user/new`'s `teams`: an id, or `{team_id, max_budget_in_team, user_role}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUserTeam {
    pub team_id: String,
    #[serde(default)]
    pub max_budget_in_team: Option<f64>,
    /// `user` (default) or `admin`.
    #[serde(default = "default_team_role")]
    pub user_role: String,
}

fn default_team_role() -> String {
    "user".into()
}

/// Either form of [`NewUserTeam`].
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRef(pub NewUserTeam);

impl<'de> Deserialize<'de> for TeamRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(team_id) => Ok(TeamRef(NewUserTeam {
                team_id,
                max_budget_in_team: None,
                user_role: default_team_role(),
            })),
            other => serde_json::from_value(other)
                .map(TeamRef)
                .map_err(|e| D::Error::custom(format!("teams: {e}"))),
        }
    }
}

fn yes() -> bool {
    true
}

/// `POST /user/new` (LiteLLM's `NewUserRequest`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewUserRequest {
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    pub user_alias: Option<String>,
    /// `proxy_admin`, `proxy_admin_viewer`, `internal_user` (default), `internal_user_viewer`.
    pub user_role: Option<String>,
    pub teams: Option<Vec<TeamRef>>,
    /// Deprecated by LiteLLM: one team to join as `user` (also the key's team).
    pub team_id: Option<String>,
    pub organizations: Option<Vec<String>>,
    /// Create a key for the new user and return it (LiteLLM's default: yes).
    #[serde(default = "yes")]
    pub auto_create_key: bool,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub models: Option<Vec<String>>,
    pub metadata: Option<Map<String, Value>>,
    /// The auto-created key's alias, lifetime (`30d`, ...) and model aliases.
    pub key_alias: Option<String>,
    pub duration: Option<String>,
    pub aliases: Option<BTreeMap<String, String>>,
}

impl Default for NewUserRequest {
    fn default() -> Self {
        Self {
            user_id: None,
            user_email: None,
            user_alias: None,
            user_role: None,
            teams: None,
            team_id: None,
            organizations: None,
            auto_create_key: true,
            max_budget: None,
            soft_budget: None,
            budget_duration: None,
            tpm_limit: None,
            rpd_limit: None,
            tpd_limit: None,
            rpm_limit: None,
            max_parallel_requests: None,
            models: None,
            metadata: None,
            key_alias: None,
            duration: None,
            aliases: None,
        }
    }
}

/// `POST /user/update` (LiteLLM's `UpdateUserRequest`): by `user_id`, else by `user_email`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UpdateUserRequest {
    pub user_id: Option<String>,
    /// Names the user when `user_id` is absent; a new email when it is present.
    pub user_email: Option<String>,
    #[serde(default)]
    pub user_alias: Patch<String>,
    pub user_role: Option<String>,
    #[serde(default)]
    pub models: Patch<Vec<String>>,
    #[serde(default)]
    pub max_budget: Patch<f64>,
    #[serde(default)]
    pub soft_budget: Patch<f64>,
    #[serde(default)]
    pub budget_duration: Patch<String>,
    #[serde(default)]
    pub tpm_limit: Patch<u64>,
    #[serde(default)]
    pub rpd_limit: Patch<u64>,
    #[serde(default)]
    pub tpd_limit: Patch<u64>,
    #[serde(default)]
    pub rpm_limit: Patch<u64>,
    #[serde(default)]
    pub max_parallel_requests: Patch<u64>,
    #[serde(default)]
    pub metadata: Patch<Map<String, Value>>,
}

/// `POST /user/delete`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeleteUsersRequest {
    pub user_ids: Vec<String>,
}

/// `GET /user/info?user_id=` (absent: the caller).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UserInfoQuery {
    pub user_id: Option<String>,
}

/// `GET /user/list` filters and paging.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ListUsersQuery {
    pub role: Option<String>,
    /// Comma-separated user ids.
    pub user_ids: Option<String>,
    /// Part of the email, any case.
    pub user_email: Option<String>,
    /// Members of this team.
    pub team: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
}

/// A user as LiteLLM's `LiteLLM_UserTable` shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub user_id: String,
    pub user_email: Option<String>,
    pub user_alias: Option<String>,
    pub user_role: String,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub spend: f64,
    pub model_max_budget: Map<String, Value>,
    pub model_spend: Map<String, Value>,
    pub models: Vec<String>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub budget_duration: Option<String>,
    pub budget_reset_at: Option<String>,
    pub metadata: Map<String, Value>,
    /// The ids of the teams the user belongs to.
    pub teams: Vec<String>,
    pub organization_memberships: Vec<OrganizationMembershipView>,
    pub sso_user_id: Option<String>,
    pub object_permission: Option<Value>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    /// How many keys the user owns (`/user/list` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_count: Option<u64>,
}

impl UserView {
    pub fn new(
        user: &UserRecord,
        teams: Vec<String>,
        organization_memberships: Vec<OrganizationMembershipView>,
    ) -> Self {
        let s = &user.settings;
        Self {
            user_id: user.user_id.clone(),
            user_email: user.user_email.clone(),
            user_alias: s.user_alias.clone(),
            user_role: user.user_role.as_str().to_owned(),
            max_budget: s.limits.max_budget,
            soft_budget: s.limits.soft_budget,
            spend: user.spend,
            model_max_budget: Map::new(),
            model_spend: Map::new(),
            models: s.models.clone(),
            tpm_limit: s.limits.tpm_limit,
            rpd_limit: s.limits.rpd_limit,
            tpd_limit: s.limits.tpd_limit,
            rpm_limit: s.limits.rpm_limit,
            max_parallel_requests: s.limits.max_parallel_requests,
            budget_duration: s.limits.budget_duration.clone(),
            budget_reset_at: user.budget_reset_at.map(to_rfc3339),
            metadata: s.metadata.clone(),
            teams,
            organization_memberships,
            sso_user_id: None,
            object_permission: None,
            created_at: to_rfc3339(user.created_at),
            updated_at: to_rfc3339(user.updated_at),
            created_by: user.created_by.clone(),
            updated_by: user.updated_by.clone(),
            key_count: None,
        }
    }
}

/// `POST /user/new`: LiteLLM's `NewUserResponse` (the user and the key made for them; `key`
/// is `""` when `auto_create_key` was false).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUserResponse {
    #[serde(flatten)]
    pub user: UserView,
    /// The new key's secret, shown this once.
    pub key: String,
    pub key_name: Option<String>,
    pub key_alias: Option<String>,
    pub expires: Option<String>,
    pub duration: Option<String>,
    /// The new key's hash (its id for `/key/info`, `/key/delete`, ...).
    pub token_id: Option<String>,
}

/// `GET /user/info`: LiteLLM's `UserInfoResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub user_id: String,
    pub user_info: UserView,
    pub keys: Vec<Value>,
    pub teams: Vec<TeamView>,
}

/// `POST /user/update`: `{"user_id", "data": user}` as LiteLLM answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserUpdated {
    pub user_id: String,
    pub data: UserView,
}

/// `POST /user/delete`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsersDeleted {
    pub deleted_users: Vec<String>,
    /// How many keys of those users were deleted with them.
    pub deleted_keys: u64,
}

/// `GET /user/list`: LiteLLM's `UserListResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserList {
    pub users: Vec<UserView>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u64,
}

/// A key as user and team listings show it: its hash (`token`), never its secret.
pub fn key_summary(key: &KeyRecord) -> Value {
    let s = &key.settings;
    serde_json::json!({
        "token": key.token,
        "key_name": key.key_name,
        "key_alias": key.key_alias,
        "spend": key.spend,
        "max_budget": s.limits.max_budget,
        "soft_budget": s.limits.soft_budget,
        "budget_duration": s.limits.budget_duration,
        "budget_reset_at": key.budget_reset_at.map(to_rfc3339),
        "tpm_limit": s.limits.tpm_limit,
        "rpd_limit": s.limits.rpd_limit,
        "tpd_limit": s.limits.tpd_limit,
        "rpm_limit": s.limits.rpm_limit,
        "max_parallel_requests": s.limits.max_parallel_requests,
        "expires": key.expires.map(to_rfc3339),
        "models": s.models,
        "aliases": s.aliases,
        "metadata": s.metadata,
        "tags": s.tags,
        "user_id": key.user_id,
        "team_id": key.team_id,
        "organization_id": key.organization_id,
        "blocked": key.blocked,
        "object_permission": s.object_permission,
        "created_at": to_rfc3339(key.created_at),
        "updated_at": to_rfc3339(key.updated_at),
        "created_by": key.created_by,
        "updated_by": key.updated_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // `teams` takes ids or objects; a key is created unless asked not to.
    #[test]
    fn new_user_request_forms() {
        let r: NewUserRequest = serde_json::from_str(
            r#"{"teams": ["a", {"team_id": "b", "user_role": "admin", "max_budget_in_team": 2}]}"#,
        )
        .unwrap();
        assert!(r.auto_create_key);
        let teams = r.teams.unwrap();
        assert_eq!(teams[0].0.user_role, "user");
        assert_eq!(teams[1].0.team_id, "b");
        assert_eq!(teams[1].0.max_budget_in_team, Some(2.0));
        let bad = serde_json::from_str::<NewUserRequest>(r#"{"teams": [7]}"#).unwrap_err();
        assert!(bad.to_string().contains("teams"));
        let no_key: NewUserRequest = serde_json::from_str(r#"{"auto_create_key": false}"#).unwrap();
        assert!(!no_key.auto_create_key);
    }

    // The per-day limits are read like `tpm_limit`: whole numbers; on update absent keeps and
    // null clears.
    #[test]
    fn per_day_limits() {
        let r: NewUserRequest =
            serde_json::from_str(r#"{"rpd_limit": 100, "tpd_limit": 5000}"#).unwrap();
        assert_eq!((r.rpd_limit, r.tpd_limit), (Some(100), Some(5000)));
        assert!(serde_json::from_str::<NewUserRequest>(r#"{"rpd_limit": -1}"#).is_err());
        let u: UpdateUserRequest =
            serde_json::from_str(r#"{"user_id": "u", "tpd_limit": null}"#).unwrap();
        assert_eq!(u.tpd_limit, Patch::Clear);
        assert!(u.rpd_limit.is_keep());
    }
}

//! LiteLLM's request and response shapes for `/team/*` (field for field; extras are Tollgate's
//! own). The shapes every directory resource shares ([`Patch`], [`OneOrMany`],
//! [`ObjectPermission`], [`BudgetTable`]) are in `directory_types.rs`, re-exported here.

#[path = "directory_types.rs"]
mod shared;

pub use shared::{BudgetTable, ObjectPermission, OneOrMany, Patch};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::directory::{TeamMembership, TeamRecord};
use crate::governance::clock::to_rfc3339;
use crate::store::directory::TeamMember;

/// A member as requests name one (`members_with_roles`, `/team/member_add`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MemberInput {
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    /// `admin` or `user`.
    pub role: String,
    /// Tollgate's own: this member's budget in the team (else the request's).
    #[serde(default)]
    pub max_budget_in_team: Option<f64>,
}

/// `POST /team/new` (LiteLLM's `NewTeamRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NewTeamRequest {
    pub team_id: Option<String>,
    pub team_alias: Option<String>,
    pub organization_id: Option<String>,
    #[serde(default)]
    pub members_with_roles: Vec<MemberInput>,
    /// Deprecated by LiteLLM: user ids made team admins.
    #[serde(default)]
    pub admins: Vec<String>,
    /// Deprecated by LiteLLM: user ids made team members.
    #[serde(default)]
    pub members: Vec<String>,
    pub metadata: Option<Map<String, Value>>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(default)]
    pub blocked: bool,
    pub model_aliases: Option<BTreeMap<String, String>>,
    pub tags: Option<Vec<String>>,
    pub object_permission: Option<ObjectPermission>,
}

/// `POST /team/update` (LiteLLM's `UpdateTeamRequest`); absent fields stay, `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UpdateTeamRequest {
    pub team_id: String,
    #[serde(default)]
    pub team_alias: Patch<String>,
    #[serde(default)]
    pub organization_id: Patch<String>,
    #[serde(default)]
    pub metadata: Patch<Map<String, Value>>,
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
    pub max_budget: Patch<f64>,
    #[serde(default)]
    pub soft_budget: Patch<f64>,
    #[serde(default)]
    pub budget_duration: Patch<String>,
    #[serde(default)]
    pub models: Patch<Vec<String>>,
    pub blocked: Option<bool>,
    #[serde(default)]
    pub tags: Patch<Vec<String>>,
    #[serde(default)]
    pub model_aliases: Patch<BTreeMap<String, String>>,
    #[serde(default)]
    pub object_permission: Patch<ObjectPermission>,
}

/// `POST /team/member_add` (LiteLLM's `TeamMemberAddRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TeamMemberAddRequest {
    pub team_id: String,
    pub member: OneOrMany<MemberInput>,
    pub max_budget_in_team: Option<f64>,
    /// Tollgate's own: a named budget (`/budget/new`) the new members follow in this team.
    #[serde(default)]
    pub budget_id: Option<String>,
}

/// `POST /team/member_delete` (LiteLLM's `TeamMemberDeleteRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TeamMemberDeleteRequest {
    pub team_id: String,
    pub user_id: Option<String>,
    pub user_email: Option<String>,
}

/// `POST /team/member_update` (LiteLLM's `TeamMemberUpdateRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TeamMemberUpdateRequest {
    pub team_id: String,
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    #[serde(default)]
    pub max_budget_in_team: Patch<f64>,
    pub role: Option<String>,
    /// Tollgate's own: a named budget (`/budget/new`) the member follows in this team.
    #[serde(default)]
    pub budget_id: Patch<String>,
}

/// `POST /team/delete`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeleteTeamsRequest {
    pub team_ids: Vec<String>,
}

/// `POST /team/block` and `/team/unblock`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BlockTeamRequest {
    pub team_id: String,
}

/// `GET /team/list` filters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ListTeamsQuery {
    pub user_id: Option<String>,
    /// An organization id, or `default_organization` for teams of none.
    pub organization_id: Option<String>,
}

/// `GET /team/info?team_id=`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TeamInfoQuery {
    pub team_id: Option<String>,
}

/// A member as LiteLLM's `members_with_roles` shows one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: String,
    pub user_email: Option<String>,
    pub role: String,
}

/// A team as LiteLLM's `LiteLLM_TeamTable` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamView {
    pub team_id: String,
    pub team_alias: Option<String>,
    pub organization_id: Option<String>,
    /// User ids of the team's admins (LiteLLM's deprecated list).
    pub admins: Vec<String>,
    /// User ids of the team's other members (LiteLLM's deprecated list).
    pub members: Vec<String>,
    pub members_with_roles: Vec<MemberView>,
    pub metadata: Map<String, Value>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    pub budget_reset_at: Option<String>,
    pub models: Vec<String>,
    pub blocked: bool,
    pub spend: f64,
    pub tags: Vec<String>,
    pub model_aliases: BTreeMap<String, String>,
    pub model_id: Option<String>,
    pub litellm_model_table: Option<Value>,
    pub object_permission: Option<Value>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

impl TeamView {
    /// The view of `team` with its `members` (memberships of other teams are ignored).
    pub fn new(team: &TeamRecord, members: &[TeamMember]) -> Self {
        let s = &team.settings;
        let ours: Vec<&TeamMember> = members
            .iter()
            .filter(|m| m.membership.team_id == team.team_id)
            .collect();
        let ids_with = |admin: bool| {
            ours.iter()
                .filter(|m| (m.membership.role == crate::directory::TeamRole::Admin) == admin)
                .map(|m| m.membership.user_id.clone())
                .collect()
        };
        let mut metadata = s.metadata.clone();
        if !s.tags.is_empty() && !metadata.contains_key("tags") {
            metadata.insert("tags".into(), Value::from(s.tags.clone()));
        }
        Self {
            team_id: team.team_id.clone(),
            team_alias: team.team_alias.clone(),
            organization_id: team.organization_id.clone(),
            admins: ids_with(true),
            members: ids_with(false),
            members_with_roles: ours
                .iter()
                .map(|m| MemberView {
                    user_id: m.membership.user_id.clone(),
                    user_email: m.user_email.clone(),
                    role: m.membership.role.as_str().to_owned(),
                })
                .collect(),
            metadata,
            tpm_limit: s.limits.tpm_limit,
            rpd_limit: s.limits.rpd_limit,
            tpd_limit: s.limits.tpd_limit,
            rpm_limit: s.limits.rpm_limit,
            max_parallel_requests: s.limits.max_parallel_requests,
            max_budget: s.limits.max_budget,
            soft_budget: s.limits.soft_budget,
            budget_duration: s.limits.budget_duration.clone(),
            budget_reset_at: team.budget_reset_at.map(to_rfc3339),
            models: s.models.clone(),
            blocked: team.blocked,
            spend: team.spend,
            tags: s.tags.clone(),
            model_aliases: s.model_aliases.clone(),
            model_id: None,
            litellm_model_table: (!s.model_aliases.is_empty())
                .then(|| serde_json::json!({ "model_aliases": s.model_aliases })),
            object_permission: s.object_permission.clone(),
            created_at: to_rfc3339(team.created_at),
            updated_at: to_rfc3339(team.updated_at),
            created_by: team.created_by.clone(),
            updated_by: team.updated_by.clone(),
        }
    }
}

/// A membership as LiteLLM's `LiteLLM_TeamMembership` shows it (plus the role and budget).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMembershipView {
    pub user_id: String,
    pub team_id: String,
    pub budget_id: Option<String>,
    pub spend: f64,
    pub litellm_budget_table: Option<BudgetTable>,
    pub role: String,
    pub max_budget_in_team: Option<f64>,
    pub created_at: String,
}

impl TeamMembershipView {
    pub fn new(m: &TeamMembership) -> Self {
        Self {
            user_id: m.user_id.clone(),
            team_id: m.team_id.clone(),
            budget_id: m.budget_id.clone(),
            spend: m.spend,
            litellm_budget_table: m.max_budget_in_team.map(|b| BudgetTable {
                max_budget: Some(b),
                ..BudgetTable::default()
            }),
            role: m.role.as_str().to_owned(),
            max_budget_in_team: m.max_budget_in_team,
            created_at: to_rfc3339(m.created_at),
        }
    }
}

/// `GET /team/info`: LiteLLM's `TeamInfoResponseObject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamInfo {
    pub team_id: String,
    pub team_info: TeamView,
    pub keys: Vec<Value>,
    pub team_memberships: Vec<TeamMembershipView>,
}

/// One entry of `GET /team/list`: LiteLLM's `TeamListResponseObject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamListEntry {
    #[serde(flatten)]
    pub team: TeamView,
    pub team_memberships: Vec<TeamMembershipView>,
    pub keys: Vec<Value>,
}

/// `POST /team/update`: `{"team_id", "data": team}` as LiteLLM answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamUpdated {
    pub team_id: String,
    pub data: TeamView,
}

/// `POST /team/member_add`: LiteLLM's `TeamAddMemberResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMembersAdded {
    #[serde(flatten)]
    pub team: TeamView,
    pub updated_users: Vec<crate::admin::users::types::UserView>,
    pub updated_team_memberships: Vec<TeamMembershipView>,
}

/// `POST /team/member_update`: LiteLLM's `TeamMemberUpdateResponse` (plus the role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMemberUpdated {
    pub team_id: String,
    pub user_id: String,
    pub user_email: Option<String>,
    pub max_budget_in_team: Option<f64>,
    pub role: String,
}

/// `POST /team/delete`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamsDeleted {
    pub deleted_teams: Vec<String>,
    /// How many keys of those teams were deleted with them.
    pub deleted_keys: u64,
}

//! LiteLLM's request and response shapes for `/organization/*` (field for field; extras are
//! Tollgate's own).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::teams::types::{BudgetTable, ObjectPermission, OneOrMany, Patch, TeamView};
use super::super::users::types::UserView;
use crate::directory::OrganizationRecord;
use crate::governance::clock::to_rfc3339;
use crate::store::directory::OrganizationMember;

/// `POST /organization/new` (LiteLLM's `NewOrganizationRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NewOrganizationRequest {
    pub organization_id: Option<String>,
    pub organization_alias: String,
    #[serde(default)]
    pub models: Vec<String>,
    pub metadata: Option<Map<String, Value>>,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub object_permission: Option<ObjectPermission>,
    /// Tollgate's own: create the organization blocked.
    #[serde(default)]
    pub blocked: bool,
}

/// `PATCH /organization/update` (LiteLLM's `LiteLLM_OrganizationTableUpdate`); absent fields
/// stay, `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UpdateOrganizationRequest {
    pub organization_id: String,
    #[serde(default)]
    pub organization_alias: Patch<String>,
    #[serde(default)]
    pub models: Patch<Vec<String>>,
    #[serde(default)]
    pub metadata: Patch<Map<String, Value>>,
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
    pub object_permission: Patch<ObjectPermission>,
    pub blocked: Option<bool>,
}

/// `DELETE /organization/delete`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeleteOrganizationsRequest {
    pub organization_ids: Vec<String>,
}

/// `GET /organization/info?organization_id=`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrganizationInfoQuery {
    pub organization_id: Option<String>,
}

/// `POST /organization/info` (LiteLLM's deprecated form): several organizations at once.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrganizationsInfoRequest {
    pub organizations: Vec<String>,
}

/// A member as `/organization/member_add` names one (LiteLLM's `OrgMember`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrgMemberInput {
    pub user_id: Option<String>,
    pub user_email: Option<String>,
    /// `org_admin`, `internal_user` or `internal_user_viewer`.
    pub role: String,
}

/// `POST /organization/member_add` (LiteLLM's `OrganizationMemberAddRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OrganizationMemberAddRequest {
    pub organization_id: String,
    pub member: OneOrMany<OrgMemberInput>,
    pub max_budget_in_organization: Option<f64>,
}

/// A membership as LiteLLM's `LiteLLM_OrganizationMembershipTable` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMembershipView {
    pub user_id: String,
    pub organization_id: String,
    pub user_role: String,
    pub spend: f64,
    pub budget_id: Option<String>,
    pub max_budget_in_organization: Option<f64>,
    pub litellm_budget_table: Option<BudgetTable>,
    pub user_email: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl OrganizationMembershipView {
    pub fn new(m: &OrganizationMember) -> Self {
        Self {
            user_id: m.membership.user_id.clone(),
            organization_id: m.membership.organization_id.clone(),
            user_role: m.membership.role.clone(),
            spend: m.spend,
            budget_id: None,
            max_budget_in_organization: m.max_budget_in_organization,
            litellm_budget_table: m.max_budget_in_organization.map(|b| BudgetTable {
                max_budget: Some(b),
                ..BudgetTable::default()
            }),
            user_email: m.user_email.clone(),
            created_at: to_rfc3339(m.membership.created_at),
            updated_at: to_rfc3339(m.membership.created_at),
        }
    }
}

/// An organization as LiteLLM's `LiteLLM_OrganizationTableWithMembers` shows it (the limits
/// also flat, Tollgate's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationView {
    pub organization_id: String,
    pub organization_alias: Option<String>,
    pub budget_id: Option<String>,
    pub spend: f64,
    pub metadata: Map<String, Value>,
    pub models: Vec<String>,
    pub blocked: bool,
    pub litellm_budget_table: Option<BudgetTable>,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    pub budget_reset_at: Option<String>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub object_permission: Option<Value>,
    pub members: Vec<OrganizationMembershipView>,
    pub teams: Vec<TeamView>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

impl OrganizationView {
    pub fn new(
        org: &OrganizationRecord,
        members: &[OrganizationMember],
        teams: Vec<TeamView>,
    ) -> Self {
        let s = &org.settings;
        Self {
            organization_id: org.organization_id.clone(),
            organization_alias: org.organization_alias.clone(),
            budget_id: None,
            spend: org.spend,
            metadata: s.metadata.clone(),
            models: s.models.clone(),
            blocked: org.blocked,
            litellm_budget_table: BudgetTable::of(&s.limits),
            max_budget: s.limits.max_budget,
            soft_budget: s.limits.soft_budget,
            budget_duration: s.limits.budget_duration.clone(),
            budget_reset_at: org.budget_reset_at.map(to_rfc3339),
            tpm_limit: s.limits.tpm_limit,
            rpd_limit: s.limits.rpd_limit,
            tpd_limit: s.limits.tpd_limit,
            rpm_limit: s.limits.rpm_limit,
            max_parallel_requests: s.limits.max_parallel_requests,
            object_permission: s.object_permission.clone(),
            members: members
                .iter()
                .map(OrganizationMembershipView::new)
                .collect(),
            teams,
            created_at: to_rfc3339(org.created_at),
            updated_at: to_rfc3339(org.updated_at),
            created_by: org.created_by.clone(),
            updated_by: org.updated_by.clone(),
        }
    }
}

/// `POST /organization/member_add`: LiteLLM's `OrganizationAddMemberResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMembersAdded {
    pub organization_id: String,
    pub updated_users: Vec<UserView>,
    pub updated_organization_memberships: Vec<OrganizationMembershipView>,
}

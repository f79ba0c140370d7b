//! Organizations: the top of the hierarchy (organization → teams → users → keys).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::governance::{Limits, UserRole};

#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationRecord {
    pub organization_id: String,
    pub organization_alias: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: OrganizationSettings,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationSettings {
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(flatten)]
    pub limits: Limits,
    #[serde(default)]
    pub metadata: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_permission: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationMembership {
    pub organization_id: String,
    pub user_id: String,
    /// `org_admin` is stored as `proxy_admin`-free text: LiteLLM uses `org_admin`,
    /// `internal_user`, `internal_user_viewer` here.
    pub role: String,
    pub created_at: i64,
}

/// Roles allowed inside an organization.
pub const ORGANIZATION_ROLES: &[&str] = &["org_admin", "internal_user", "internal_user_viewer"];

/// Whether a user role may be an organization role too (for validation messages).
pub fn is_organization_role(role: &str) -> bool {
    ORGANIZATION_ROLES.contains(&role) || UserRole::parse(role).is_ok()
}

//! Teams and their memberships.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::governance::Limits;

#[derive(Debug, Clone, PartialEq)]
pub struct TeamRecord {
    pub team_id: String,
    pub team_alias: Option<String>,
    pub organization_id: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: TeamSettings,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamSettings {
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(flatten)]
    pub limits: Limits,
    #[serde(default)]
    pub metadata: Map<String, Value>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub model_aliases: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_permission: Option<Value>,
}

/// A member's role within one team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    Admin,
    User,
}

impl TeamRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Admin => "admin",
            TeamRole::User => "user",
        }
    }

    pub fn parse(text: &str) -> crate::error::Result<Self> {
        match text {
            "admin" => Ok(TeamRole::Admin),
            "user" => Ok(TeamRole::User),
            other => Err(crate::error::Error::invalid_param(
                format!("role: unknown team role `{other}` (admin, user)"),
                "role",
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamMembership {
    pub team_id: String,
    pub user_id: String,
    pub role: TeamRole,
    pub max_budget_in_team: Option<f64>,
    /// The member's budget row (LiteLLM stores `max_budget_in_team` as one); when it exists,
    /// its limits apply to the member in this team.
    pub budget_id: Option<String>,
    pub spend: f64,
    pub created_at: i64,
}

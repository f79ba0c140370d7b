//! Internal users (people and services that own keys).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::governance::{Limits, UserRole};

#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub user_id: String,
    pub user_email: Option<String>,
    pub user_role: UserRole,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: UserSettings,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_alias: Option<String>,
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(flatten)]
    pub limits: Limits,
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

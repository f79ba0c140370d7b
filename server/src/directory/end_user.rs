//! End users (LiteLLM's customers): whoever the OpenAI `user` field of a request names.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::governance::Limits;

#[derive(Debug, Clone, PartialEq)]
pub struct EndUserRecord {
    pub user_id: String,
    pub alias: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: EndUserSettings,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndUserSettings {
    #[serde(flatten)]
    pub limits: Limits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_model_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

//! The stored virtual key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::governance::Limits;

/// A virtual key as stored (row of `keys`).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRecord {
    /// SHA-256 (hex) of the secret: the key's id.
    pub token: String,
    /// `sk-...abcd`.
    pub key_name: String,
    pub key_alias: Option<String>,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub organization_id: Option<String>,
    pub blocked: bool,
    /// Unix ms; `None` never expires.
    pub expires: Option<i64>,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: KeySettings,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

/// Everything else about a key (the `settings` JSON column), LiteLLM's field names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeySettings {
    /// Allowed models, access groups or wildcards; empty inherits (team, user).
    #[serde(default)]
    pub models: Vec<String>,
    /// Requested name → real model name.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    #[serde(flatten)]
    pub limits: Limits,
    #[serde(default)]
    pub model_max_budget: BTreeMap<String, Value>,
    #[serde(default)]
    pub model_rpm_limit: BTreeMap<String, u64>,
    #[serde(default)]
    pub model_tpm_limit: BTreeMap<String, u64>,
    /// MCP tool calls per minute over all the key's tools; falls back to
    /// `metadata.tool_rpm_limit` (LiteLLM) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_rpm_limit: Option<u64>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Routes this key may call; empty means the default for its role.
    #[serde(default)]
    pub allowed_routes: Vec<String>,
    #[serde(default)]
    pub permissions: Map<String, Value>,
    /// MCP permissions (`mcp_servers`, `mcp_access_groups`, `mcp_tool_permissions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_permission: Option<Value>,
    /// `llm_api`, `management`, `read_only`, `default` (LiteLLM's `key_type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    /// The `duration` the key was created with, if any (for display).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

//! LiteLLM's request and response shapes for `/budget/*` (named budgets; field for field,
//! extras are Tollgate's own).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::teams::types::Patch;
use crate::directory::BudgetRecord;
use crate::governance::clock::to_rfc3339;

/// `POST /budget/new` (LiteLLM's `BudgetNewRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NewBudgetRequest {
    /// Generated when absent.
    pub budget_id: Option<String>,
    #[serde(flatten)]
    pub fields: BudgetFields,
    /// When the first period ends (default: now + `budget_duration`).
    pub budget_reset_at: Option<String>,
}

/// The limits a budget can set; on `/tag/*` the same fields create or update the tag's budget.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BudgetFields {
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub max_parallel_requests: Option<u64>,
    pub tpm_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    /// `{"model": {"max_budget": 1.0, "budget_duration": "1d", "tpm_limit": .., "rpm_limit": ..}}`.
    pub model_max_budget: Option<Map<String, Value>>,
    pub budget_duration: Option<String>,
}

impl BudgetFields {
    /// Whether any field is set.
    pub fn any(&self) -> bool {
        self != &Self::default()
    }
}

/// `POST /budget/update`: absent fields stay, `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UpdateBudgetRequest {
    pub budget_id: Option<String>,
    #[serde(default)]
    pub max_budget: Patch<f64>,
    #[serde(default)]
    pub soft_budget: Patch<f64>,
    #[serde(default)]
    pub max_parallel_requests: Patch<u64>,
    #[serde(default)]
    pub tpm_limit: Patch<u64>,
    #[serde(default)]
    pub rpm_limit: Patch<u64>,
    #[serde(default)]
    pub model_max_budget: Patch<Map<String, Value>>,
    #[serde(default)]
    pub budget_duration: Patch<String>,
    #[serde(default)]
    pub budget_reset_at: Patch<String>,
}

/// `POST /budget/info` (LiteLLM's `BudgetRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BudgetInfoRequest {
    #[serde(default)]
    pub budgets: Vec<String>,
}

/// `POST /budget/delete` (LiteLLM's `BudgetDeleteRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeleteBudgetRequest {
    pub id: String,
}

/// `GET /budget/settings?budget_id=`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BudgetSettingsQuery {
    pub budget_id: Option<String>,
}

/// A budget as LiteLLM's `LiteLLM_BudgetTable` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetView {
    pub budget_id: String,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub max_parallel_requests: Option<u64>,
    pub tpm_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub model_max_budget: Option<Map<String, Value>>,
    pub budget_duration: Option<String>,
    pub budget_reset_at: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
    pub updated_at: String,
    pub updated_by: Option<String>,
}

impl BudgetView {
    pub fn new(b: &BudgetRecord) -> Self {
        let l = &b.settings.limits;
        Self {
            budget_id: b.budget_id.clone(),
            max_budget: l.max_budget,
            soft_budget: l.soft_budget,
            max_parallel_requests: l.max_parallel_requests,
            tpm_limit: l.tpm_limit,
            rpm_limit: l.rpm_limit,
            model_max_budget: (!b.settings.model_max_budget.is_empty())
                .then(|| b.settings.model_max_budget.clone()),
            budget_duration: l.budget_duration.clone(),
            budget_reset_at: b.budget_reset_at.map(to_rfc3339),
            created_at: to_rfc3339(b.created_at),
            created_by: b.created_by.clone(),
            updated_at: to_rfc3339(b.updated_at),
            updated_by: b.updated_by.clone(),
        }
    }
}

/// One field of `GET /budget/settings` (LiteLLM's `ConfigList`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetSetting {
    pub field_name: String,
    pub field_type: String,
    pub field_description: String,
    pub field_value: Value,
    pub stored_in_db: bool,
    pub field_default_value: Value,
}

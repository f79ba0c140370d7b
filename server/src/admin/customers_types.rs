//! LiteLLM's request and response shapes for `/customer/*` (end users; field for field,
//! extras are Tollgate's own).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::teams::types::{BudgetTable, Patch};
use crate::directory::{BudgetRecord, EndUserRecord};
use crate::governance::clock::to_rfc3339;

/// `POST /customer/new` (LiteLLM's `NewCustomerRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NewCustomerRequest {
    pub user_id: String,
    pub alias: Option<String>,
    #[serde(default)]
    pub blocked: bool,
    /// A budget to follow (give this or `max_budget`, not both).
    pub budget_id: Option<String>,
    /// Spend to start from.
    pub spend: Option<f64>,
    /// `eu` or `us`.
    pub allowed_model_region: Option<String>,
    /// A model of this gateway.
    pub default_model: Option<String>,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub metadata: Option<Map<String, Value>>,
}

/// `POST /customer/update` (LiteLLM's `UpdateCustomerRequest`); absent fields stay, `null`
/// clears.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UpdateCustomerRequest {
    pub user_id: String,
    #[serde(default)]
    pub alias: Patch<String>,
    pub blocked: Option<bool>,
    #[serde(default)]
    pub budget_id: Patch<String>,
    #[serde(default)]
    pub allowed_model_region: Patch<String>,
    #[serde(default)]
    pub default_model: Patch<String>,
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

/// `POST /customer/delete`, `/customer/block`, `/customer/unblock` (LiteLLM's
/// `DeleteCustomerRequest` and `BlockUsers`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CustomerIdsRequest {
    pub user_ids: Vec<String>,
}

/// `GET /customer/info?end_user_id=`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CustomerInfoQuery {
    pub end_user_id: Option<String>,
}

/// An end user as LiteLLM's `LiteLLM_EndUserTable` shows them (limits also flat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub user_id: String,
    pub alias: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub allowed_model_region: Option<String>,
    pub default_model: Option<String>,
    pub budget_id: Option<String>,
    pub litellm_budget_table: Option<BudgetTable>,
    pub object_permission: Option<Value>,
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub budget_duration: Option<String>,
    pub budget_reset_at: Option<String>,
    pub tpm_limit: Option<u64>,
    pub rpd_limit: Option<u64>,
    pub tpd_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub max_parallel_requests: Option<u64>,
    pub metadata: Map<String, Value>,
    pub created_at: String,
    pub updated_at: String,
}

impl CustomerView {
    pub fn new(e: &EndUserRecord) -> Self {
        let s = &e.settings;
        Self {
            user_id: e.user_id.clone(),
            alias: e.alias.clone(),
            blocked: e.blocked,
            spend: e.spend,
            allowed_model_region: s.allowed_model_region.clone(),
            default_model: s.default_model.clone(),
            budget_id: s.budget_id.clone(),
            litellm_budget_table: BudgetTable::of(&s.limits),
            object_permission: None,
            max_budget: s.limits.max_budget,
            soft_budget: s.limits.soft_budget,
            budget_duration: s.limits.budget_duration.clone(),
            budget_reset_at: e.budget_reset_at.map(to_rfc3339),
            tpm_limit: s.limits.tpm_limit,
            rpd_limit: s.limits.rpd_limit,
            tpd_limit: s.limits.tpd_limit,
            rpm_limit: s.limits.rpm_limit,
            max_parallel_requests: s.limits.max_parallel_requests,
            metadata: s.metadata.clone(),
            created_at: to_rfc3339(e.created_at),
            updated_at: to_rfc3339(e.updated_at),
        }
    }

    /// `litellm_budget_table` shows the named budget they follow, when they follow one (as
    /// LiteLLM joins the budget row).
    pub fn with_named_budget(mut self, budget: Option<&BudgetRecord>) -> Self {
        if let Some(b) = budget {
            self.litellm_budget_table = BudgetTable::of(b.limits());
        }
        self
    }
}

/// `POST /customer/delete`, as LiteLLM answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomersDeleted {
    pub deleted_customers: u64,
    pub message: String,
}

/// `POST /customer/block`, as LiteLLM answers: the blocked end users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomersBlocked {
    pub blocked_users: Vec<CustomerView>,
}

/// `POST /customer/unblock`: LiteLLM answers with the ids still blocked; the unblocked end
/// users are Tollgate's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomersUnblocked {
    pub blocked_users: Vec<String>,
    pub unblocked_users: Vec<CustomerView>,
}

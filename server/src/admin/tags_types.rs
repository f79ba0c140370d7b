//! LiteLLM's request and response shapes for `/tag/*` (field for field; `budget_id`, `spend`
//! and `budget_reset_at` inside `litellm_budget_table` are also there).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::budgets::types::{BudgetFields, BudgetView};
use super::super::teams::types::Patch;
use crate::directory::{BudgetRecord, TagRecord};
use crate::governance::clock::to_rfc3339;

/// `POST /tag/new` (LiteLLM's `TagNewRequest`): with no `budget_id`, the budget fields create
/// the tag's budget.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NewTagRequest {
    pub name: String,
    pub description: Option<String>,
    pub models: Option<Vec<String>>,
    pub budget_id: Option<String>,
    #[serde(flatten)]
    pub fields: BudgetFields,
}

/// `POST /tag/update` (LiteLLM's `TagUpdateRequest`): absent fields stay; budget fields update
/// the tag's budget (creating one if it has none); a different `budget_id` switches to it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct UpdateTagRequest {
    pub name: String,
    #[serde(default)]
    pub description: Patch<String>,
    #[serde(default)]
    pub models: Patch<Vec<String>>,
    pub budget_id: Option<String>,
    #[serde(flatten)]
    pub fields: BudgetFields,
}

/// `POST /tag/info` (LiteLLM's `TagInfoRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TagInfoRequest {
    #[serde(default)]
    pub names: Vec<String>,
}

/// `POST /tag/delete` (LiteLLM's `TagDeleteRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeleteTagRequest {
    pub name: String,
}

/// A managed tag as LiteLLM's `TagConfig` shows it, with its budget and its spend in the
/// budget's current period (since its creation when the budget has no period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagView {
    pub name: String,
    pub description: Option<String>,
    pub models: Vec<String>,
    pub model_info: Map<String, Value>,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: Option<String>,
    pub budget_id: Option<String>,
    pub spend: f64,
    pub litellm_budget_table: Option<BudgetView>,
}

impl TagView {
    pub fn new(t: &TagRecord, budget: Option<&BudgetRecord>, spend: f64) -> Self {
        Self {
            name: t.tag_name.clone(),
            description: t.settings.description.clone(),
            models: t.settings.models.clone(),
            model_info: Map::new(),
            created_at: to_rfc3339(t.created_at),
            updated_at: to_rfc3339(t.updated_at),
            created_by: t.created_by.clone(),
            budget_id: t.budget_id.clone(),
            spend,
            litellm_budget_table: budget.map(BudgetView::new),
        }
    }
}

/// A tag requests used without it being managed (`/tag/list`, as LiteLLM lists them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamicTagView {
    pub name: String,
    pub description: String,
    pub models: Option<Vec<String>>,
    /// The first day it was used.
    pub created_at: String,
    /// The last day it was used.
    pub updated_at: String,
}

/// One entry of `/tag/list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TagListEntry {
    Managed(Box<TagView>),
    Dynamic(DynamicTagView),
}

/// `/tag/new` and `/tag/update`, as LiteLLM answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagChanged {
    pub message: String,
    pub tag: TagView,
}

/// `/tag/delete`, as LiteLLM answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagDeleted {
    pub message: String,
}

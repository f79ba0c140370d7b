//! Named budgets and tags (LiteLLM's `LiteLLM_BudgetTable` and `LiteLLM_TagTable`).
//!
//! A named budget is a set of limits that other entities follow: customers (`budget_id` in
//! their settings), team members (`budget_id` of the membership) and tags. It has no spend of
//! its own: each follower keeps its own spend against the budget's limits, as in LiteLLM. Records
//! only; storage is in [`crate::store`], the request-path cache in
//! [`budget_cache`](super::budget_cache), admin operations in [`crate::admin::budgets`] and
//! [`crate::admin::tags`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::governance::{Limits, duration};

/// A named budget.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRecord {
    pub budget_id: String,
    /// When the current period ends (Unix ms); moved forward by the reset job.
    pub budget_reset_at: Option<i64>,
    pub settings: BudgetSettings,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

/// The limits of a named budget (the `settings` column).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetSettings {
    #[serde(flatten)]
    pub limits: Limits,
    /// LiteLLM's per-model budgets (`{"model": {"max_budget": .., "budget_duration": ..}}`):
    /// stored and returned.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub model_max_budget: Map<String, Value>,
}

impl BudgetRecord {
    pub fn limits(&self) -> &Limits {
        &self.settings.limits
    }

    /// The budget's period in ms (`budget_duration`), if it has a valid one.
    pub fn period_ms(&self) -> Option<i64> {
        self.settings
            .limits
            .budget_duration
            .as_deref()
            .and_then(|d| duration::parse(d, "budget_duration").ok())
            .map(|span| span.millis)
            .filter(|ms| *ms > 0)
    }

    /// When the current period started (its end minus one period), if it has a period.
    pub fn period_start_ms(&self) -> Option<i64> {
        Some(self.budget_reset_at? - self.period_ms()?)
    }

    /// Whether it limits spend at all (a hard or a soft budget).
    pub fn limits_spend(&self) -> bool {
        self.settings.limits.max_budget.is_some() || self.settings.limits.soft_budget.is_some()
    }
}

/// A managed tag (`/tag/*`). Requests carry tags in `metadata.tags` (and keys carry `tags`);
/// a tag with a budget limits the spend of every request carrying it.
#[derive(Debug, Clone, PartialEq)]
pub struct TagRecord {
    pub tag_name: String,
    pub budget_id: Option<String>,
    pub settings: TagSettings,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

/// A tag's description and models (the `settings` column).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TagSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Models (names or deployment ids) the tag is meant for; stored and returned.
    #[serde(default)]
    pub models: Vec<String>,
}

impl TagRecord {
    /// Where the tag's spend against `budget` is counted from: its creation, or the start of
    /// the budget's current period if later.
    pub fn spend_window_start(&self, budget: Option<&BudgetRecord>) -> i64 {
        budget
            .and_then(BudgetRecord::period_start_ms)
            .map_or(self.created_at, |start| start.max(self.created_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(duration: Option<&str>, reset_at: Option<i64>) -> BudgetRecord {
        BudgetRecord {
            budget_id: "b".into(),
            budget_reset_at: reset_at,
            settings: BudgetSettings {
                limits: Limits {
                    max_budget: Some(1.0),
                    budget_duration: duration.map(str::to_owned),
                    ..Limits::default()
                },
                model_max_budget: Map::new(),
            },
            created_at: 0,
            updated_at: 0,
            created_by: None,
            updated_by: None,
        }
    }

    // A tag's spend counts from its creation, or from the start of its budget's period when
    // that is later; settings round-trip with LiteLLM's flat field names.
    #[test]
    fn spend_window_and_settings() {
        let tag = TagRecord {
            tag_name: "t".into(),
            budget_id: Some("b".into()),
            settings: TagSettings::default(),
            created_at: 1_000,
            updated_at: 1_000,
            created_by: None,
            updated_by: None,
        };
        assert_eq!(tag.spend_window_start(None), 1_000);
        assert_eq!(tag.spend_window_start(Some(&budget(None, None))), 1_000);
        let hourly = budget(Some("1h"), Some(10_000_000));
        assert_eq!(hourly.period_start_ms(), Some(10_000_000 - 3_600_000));
        assert_eq!(tag.spend_window_start(Some(&hourly)), 6_400_000);
        let json = serde_json::to_value(&hourly.settings).unwrap();
        assert_eq!(json["max_budget"], 1.0);
        assert_eq!(json["budget_duration"], "1h");
        assert!(json.get("model_max_budget").is_none());
    }
}

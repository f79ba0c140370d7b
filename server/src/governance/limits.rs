//! The limits every governed entity can carry (LiteLLM's field names). Budgets are enforced by
//! [`crate::budgets`], rates by [`crate::ratelimit`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_budget: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_budget: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpm_limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpm_limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_parallel_requests: Option<u64>,
    /// Requests per day (Tollgate; LiteLLM has no such field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpd_limit: Option<u64>,
    /// Tokens per day (Tollgate; LiteLLM has no such field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpd_limit: Option<u64>,
}

impl Limits {
    /// Checks the values are usable (budgets non-negative and finite, durations parse).
    pub fn validate(&self) -> crate::error::Result<()> {
        for (name, value) in [
            ("max_budget", self.max_budget),
            ("soft_budget", self.soft_budget),
        ] {
            if let Some(v) = value
                && !(v.is_finite() && v >= 0.0)
            {
                return Err(crate::error::Error::invalid_param(
                    format!("{name}: must be a non-negative number, got {v}"),
                    name,
                ));
            }
        }
        if let Some(d) = &self.budget_duration {
            super::duration::parse(d, "budget_duration")?;
        }
        Ok(())
    }
}

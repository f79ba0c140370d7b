//! Shapes every directory resource shares: [`Patch`] for updates, [`OneOrMany`] for LiteLLM's
//! "a member or a list of members", [`ObjectPermission`] (MCP permissions) and
//! [`BudgetTable`] (LiteLLM's `litellm_budget_table`).

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::governance::Limits;

/// One field of an update: absent (keep the stored value), `null` (clear it) or a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Patch::Set(v),
            None => Patch::Clear,
        })
    }
}

impl<T> Patch<T> {
    /// From a gRPC request: a present value sets, a name in `clear_fields` clears.
    pub fn from_grpc(value: Option<T>, name: &str, clear_fields: &[String]) -> Self {
        match value {
            Some(v) => Patch::Set(v),
            None if clear_fields.iter().any(|f| f == name) => Patch::Clear,
            None => Patch::Keep,
        }
    }

    /// Applies the change to an optional field; returns whether it was touched.
    pub fn apply(self, target: &mut Option<T>) -> bool {
        match self {
            Patch::Keep => false,
            Patch::Clear => {
                *target = None;
                true
            }
            Patch::Set(v) => {
                *target = Some(v);
                true
            }
        }
    }

    /// Applies the change to a field whose "cleared" state is its default (lists, maps).
    pub fn apply_or_default(self, target: &mut T) -> bool
    where
        T: Default,
    {
        match self {
            Patch::Keep => false,
            Patch::Clear => {
                *target = T::default();
                true
            }
            Patch::Set(v) => {
                *target = v;
                true
            }
        }
    }

    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }
}

/// LiteLLM's `Union[List[T], T]`: one item or a list of them.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .map(|v| serde_json::from_value(v).map_err(D::Error::custom))
                .collect::<Result<Vec<T>, _>>()
                .map(OneOrMany),
            other => serde_json::from_value(other)
                .map(|one| OneOrMany(vec![one]))
                .map_err(D::Error::custom),
        }
    }
}

/// MCP (and other object) permissions, LiteLLM's `object_permission`: checked for types and
/// stored as given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectPermission {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_access_groups: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_tool_permissions: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_toolsets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_tools: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector_stores: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_access_groups: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<String>>,
    /// Fields of newer LiteLLM versions, kept as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ObjectPermission {
    /// The stored form (a JSON object).
    pub fn into_value(self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| Value::Object(Map::new()))
    }
}

/// LiteLLM's `litellm_budget_table`: an entity's limits as a budget row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetTable {
    pub max_budget: Option<f64>,
    pub soft_budget: Option<f64>,
    pub max_parallel_requests: Option<u64>,
    pub tpm_limit: Option<u64>,
    pub rpm_limit: Option<u64>,
    pub budget_duration: Option<String>,
    /// Tollgate's own: requests and tokens per day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpd_limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpd_limit: Option<u64>,
}

impl BudgetTable {
    /// The table for `limits`; `None` when no limit is set (LiteLLM then has no budget row).
    pub fn of(limits: &Limits) -> Option<Self> {
        (limits != &Limits::default()).then(|| Self {
            max_budget: limits.max_budget,
            soft_budget: limits.soft_budget,
            max_parallel_requests: limits.max_parallel_requests,
            tpm_limit: limits.tpm_limit,
            rpm_limit: limits.rpm_limit,
            budget_duration: limits.budget_duration.clone(),
            rpd_limit: limits.rpd_limit,
            tpd_limit: limits.tpd_limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::teams::types::MemberInput;

    #[derive(Debug, Deserialize)]
    struct Probe {
        #[serde(default)]
        budget: Patch<f64>,
        member: OneOrMany<MemberInput>,
    }

    // Absent keeps, null clears, a value sets; one member or a list both parse.
    #[test]
    fn patch_and_one_or_many() {
        let p: Probe =
            serde_json::from_str(r#"{"member": {"user_id": "u", "role": "user"}}"#).unwrap();
        assert!(p.budget.is_keep());
        assert_eq!(p.member.0.len(), 1);
        let p: Probe = serde_json::from_str(
            r#"{"budget": null, "member": [{"user_id": "a", "role": "admin"}, {"user_email": "b@x", "role": "user"}]}"#,
        )
        .unwrap();
        assert_eq!(p.budget, Patch::Clear);
        assert_eq!(p.member.0[1].user_email.as_deref(), Some("b@x"));
        let mut v = Some(1.0);
        assert!(Patch::Set(2.0).apply(&mut v));
        assert_eq!(v, Some(2.0));
        assert!(!Patch::Keep.apply(&mut v));
        assert!(Patch::<f64>::Clear.apply(&mut v));
        assert_eq!(v, None);
        let bad = serde_json::from_str::<Probe>(r#"{"member": {"user_id": 5, "role": "user"}}"#);
        assert!(bad.unwrap_err().to_string().contains("invalid type"));
        assert_eq!(
            Patch::from_grpc(None::<u64>, "tpm_limit", &["tpm_limit".into()]),
            Patch::Clear
        );
    }

    // Object permissions keep unknown fields and refuse wrong types.
    #[test]
    fn object_permission_shape() {
        let op: ObjectPermission = serde_json::from_str(
            r#"{"mcp_servers": ["s"], "mcp_tool_permissions": {"s": ["t"]}, "future": 1}"#,
        )
        .unwrap();
        let v = op.into_value();
        assert_eq!(v["mcp_tool_permissions"]["s"][0], "t");
        assert_eq!(v["future"], 1);
        assert!(v.get("agents").is_none());
        assert!(serde_json::from_str::<ObjectPermission>(r#"{"mcp_servers": "s"}"#).is_err());
    }
}

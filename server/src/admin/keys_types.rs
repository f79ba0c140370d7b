//! The requests of the key operations in LiteLLM's field names, parsed from a JSON object (a
//! REST body as sent, or a gRPC message translated to one), so both skins share one set of rules
//! and one set of messages. Unknown fields are ignored, as LiteLLM ignores them; a known field
//! with the wrong type or an unusable value is a 400 naming it. References to other records
//! (team, organization, alias uniqueness) are checked by [`super`], which has the store.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::fields::{Fields, Patch};
use crate::error::{Error, Result};

/// LiteLLM's `key_type` values.
pub const KEY_TYPES: &[&str] = &["llm_api", "management", "read_only", "default"];

/// The settable fields of a key, shared by generate, update and regenerate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyFields {
    pub key_alias: Patch<String>,
    /// Lifetime from now; `Null` (or `"-1"`) never expires.
    pub duration: Patch<String>,
    pub models: Patch<Vec<String>>,
    pub aliases: Patch<BTreeMap<String, String>>,
    pub max_budget: Patch<f64>,
    pub soft_budget: Patch<f64>,
    pub budget_duration: Patch<String>,
    pub tpm_limit: Patch<u64>,
    pub rpd_limit: Patch<u64>,
    pub tpd_limit: Patch<u64>,
    pub rpm_limit: Patch<u64>,
    pub max_parallel_requests: Patch<u64>,
    pub model_max_budget: Patch<BTreeMap<String, Value>>,
    pub model_rpm_limit: Patch<BTreeMap<String, u64>>,
    pub model_tpm_limit: Patch<BTreeMap<String, u64>>,
    pub tool_rpm_limit: Patch<u64>,
    pub metadata: Patch<Map<String, Value>>,
    pub tags: Patch<Vec<String>>,
    pub team_id: Patch<String>,
    pub user_id: Patch<String>,
    pub organization_id: Patch<String>,
    pub allowed_routes: Patch<Vec<String>>,
    pub blocked: Patch<bool>,
    pub permissions: Patch<Map<String, Value>>,
    pub object_permission: Patch<Value>,
    pub key_type: Patch<String>,
    pub spend: Patch<f64>,
}

impl KeyFields {
    fn read(f: &Fields<'_>) -> Result<Self> {
        let key_alias = f.string("key_alias")?.filter(|a| !a.trim().is_empty());
        let duration = f.string("duration")?.filter(|d| d != "-1");
        if let Patch::Set(d) = &duration {
            crate::governance::duration::parse(d, "duration")?;
        }
        let budget_duration = f.string("budget_duration")?;
        if let Patch::Set(d) = &budget_duration {
            crate::governance::duration::parse(d, "budget_duration")?;
        }
        let key_type = f.string("key_type")?;
        if let Patch::Set(t) = &key_type
            && !KEY_TYPES.contains(&t.as_str())
        {
            return Err(Error::invalid_param(
                format!("key_type: unknown key type `{t}`; use one of {KEY_TYPES:?}"),
                "key_type",
            ));
        }
        Ok(Self {
            key_alias,
            duration,
            models: f.strings("models")?,
            aliases: f.string_map("aliases")?,
            // LiteLLM reads an empty `max_budget` as none.
            max_budget: f.amount_or_empty("max_budget")?,
            soft_budget: f.amount("soft_budget")?,
            budget_duration,
            tpm_limit: f.count("tpm_limit")?,
            rpd_limit: f.count("rpd_limit")?,
            tpd_limit: f.count("tpd_limit")?,
            rpm_limit: f.count("rpm_limit")?,
            max_parallel_requests: f.count("max_parallel_requests")?,
            model_max_budget: f.model_budgets("model_max_budget")?,
            model_rpm_limit: f.count_map("model_rpm_limit")?,
            model_tpm_limit: f.count_map("model_tpm_limit")?,
            tool_rpm_limit: f.count("tool_rpm_limit")?,
            metadata: f.object("metadata")?,
            tags: f.strings("tags")?,
            team_id: f.string("team_id")?,
            user_id: f.string("user_id")?,
            organization_id: f.string("organization_id")?,
            allowed_routes: f.strings("allowed_routes")?,
            blocked: f.boolean("blocked")?,
            permissions: f.object("permissions")?,
            object_permission: f.object_permission("object_permission")?,
            key_type,
            spend: f.amount("spend")?,
        })
    }
}

/// `/key/generate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GenerateRequest {
    /// A secret chosen by the caller.
    pub key: Option<String>,
    pub fields: KeyFields,
}

impl GenerateRequest {
    pub fn from_json(body: &Value) -> Result<Self> {
        let f = Fields::of(body)?;
        Ok(Self {
            key: f.string("key")?.value().cloned(),
            fields: KeyFields::read(&f)?,
        })
    }
}

/// `/key/update`: fields sent change, `null` clears, absent ones stay.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateRequest {
    /// The key to change: its secret or hash.
    pub key: String,
    pub fields: KeyFields,
}

impl UpdateRequest {
    pub fn from_json(body: &Value) -> Result<Self> {
        let f = Fields::of(body)?;
        Ok(Self {
            key: f.required_string("key")?,
            fields: KeyFields::read(&f)?,
        })
    }
}

/// `/key/regenerate` and `/key/{key}/regenerate`: a new secret, and optionally changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegenerateRequest {
    /// The key to regenerate (from the body, else the path).
    pub key: Option<String>,
    /// A secret chosen by the caller.
    pub new_key: Option<String>,
    /// How long the old secret keeps working; absent: it stops at once.
    pub grace_period: Option<String>,
    pub fields: KeyFields,
}

impl RegenerateRequest {
    pub fn from_json(body: &Value) -> Result<Self> {
        let f = Fields::of(body)?;
        if !f.string("new_master_key")?.is_absent() {
            return Err(Error::invalid_param(
                "new_master_key: the master key is not rotated through the API; change \
                 `general_settings.master_key` (or TOLLGATE_MASTER_KEY) and restart",
                "new_master_key",
            ));
        }
        let grace_period = f.string("grace_period")?.value().cloned();
        if let Some(g) = &grace_period {
            crate::governance::duration::parse(g, "grace_period")?;
        }
        Ok(Self {
            key: f.string("key")?.value().cloned(),
            new_key: f.string("new_key")?.value().cloned(),
            grace_period,
            fields: KeyFields::read(&f)?,
        })
    }
}

/// `/key/delete`: by secrets or hashes, by aliases, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteRequest {
    pub keys: Vec<String>,
    pub key_aliases: Vec<String>,
}

impl DeleteRequest {
    pub fn from_json(body: &Value) -> Result<Self> {
        let f = Fields::of(body)?;
        Self::new(
            f.strings("keys")?.value().cloned().unwrap_or_default(),
            f.strings("key_aliases")?
                .value()
                .cloned()
                .unwrap_or_default(),
        )
    }

    pub fn new(keys: Vec<String>, key_aliases: Vec<String>) -> Result<Self> {
        if keys.is_empty() && key_aliases.is_empty() {
            return Err(Error::invalid_param(
                "keys: at least one of 'keys' or 'key_aliases' must be provided",
                "keys",
            ));
        }
        Ok(Self { keys, key_aliases })
    }
}

/// `/key/block` and `/key/unblock`.
pub fn block_request_key(body: &Value) -> Result<String> {
    Fields::of(body)?.required_string("key")
}

/// `/key/list`: filters and a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// From 1.
    pub page: u32,
    /// 1 to [`ListQuery::MAX_SIZE`].
    pub size: u32,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub organization_id: Option<String>,
    pub key_alias: Option<String>,
    /// Whole key objects rather than their hashes.
    pub return_full_object: bool,
}

impl ListQuery {
    pub const DEFAULT_SIZE: u32 = 10;
    pub const MAX_SIZE: u32 = 100;

    /// Checks the page and size (LiteLLM's defaults: page 1, 10 keys).
    pub fn new(
        page: Option<i64>,
        size: Option<i64>,
        user_id: Option<String>,
        team_id: Option<String>,
        organization_id: Option<String>,
        key_alias: Option<String>,
        return_full_object: bool,
    ) -> Result<Self> {
        let page = match page {
            None => 1,
            Some(p) => u32::try_from(p).ok().filter(|p| *p >= 1).ok_or_else(|| {
                Error::invalid_param(format!("page: must be 1 or more, got {p}"), "page")
            })?,
        };
        let size = match size {
            None => Self::DEFAULT_SIZE,
            Some(s) => u32::try_from(s)
                .ok()
                .filter(|s| (1..=Self::MAX_SIZE).contains(s))
                .ok_or_else(|| {
                    Error::invalid_param(
                        format!("size: must be from 1 to {}, got {s}", Self::MAX_SIZE),
                        "size",
                    )
                })?,
        };
        let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
        Ok(Self {
            page,
            size,
            user_id: nonempty(user_id),
            team_id: nonempty(team_id),
            organization_id: nonempty(organization_id),
            key_alias: nonempty(key_alias),
            return_full_object,
        })
    }

    /// From query-string parameters (`?page=2&size=5&team_id=...&return_full_object=true`).
    pub fn from_params(params: &BTreeMap<String, String>) -> Result<Self> {
        let whole = |name: &str| -> Result<Option<i64>> {
            params
                .get(name)
                .map(|v| {
                    v.trim().parse::<i64>().map_err(|_| {
                        Error::invalid_param(
                            format!("{name}: expected a whole number, got `{v}`"),
                            name,
                        )
                    })
                })
                .transpose()
        };
        let full = match params.get("return_full_object").map(String::as_str) {
            None | Some("false" | "False" | "0" | "") => false,
            Some("true" | "True" | "1") => true,
            Some(other) => {
                return Err(Error::invalid_param(
                    format!("return_full_object: expected true or false, got `{other}`"),
                    "return_full_object",
                ));
            }
        };
        Self::new(
            whole("page")?,
            whole("size")?,
            params.get("user_id").cloned(),
            params.get("team_id").cloned(),
            params.get("organization_id").cloned(),
            params.get("key_alias").cloned(),
            full,
        )
    }
}

#[cfg(test)]
#[path = "keys_types_tests.rs"]
mod tests;

//! `tollgate.v1` key messages ↔ the key operations. Requests become the JSON object the REST
//! route would have received (same field names), so both skins parse, validate and answer alike;
//! records become `Key` messages.

use std::collections::HashMap;

use prost_types::{Struct, Timestamp};
use serde_json::{Map, Value};
use tollgate_proto::tollgate::v1 as pb;

use crate::admin::keys::view;
use crate::api::grpc::convert::{map_to_struct, struct_to_map};
use crate::error::{Error, Result};
use crate::keys::KeyRecord;

/// Fields `clear_fields` may name (LiteLLM's `null` in a `/key/update` body).
const CLEARABLE: &[&str] = &[
    "key_alias",
    "duration",
    "models",
    "aliases",
    "max_budget",
    "soft_budget",
    "budget_duration",
    "tpm_limit",
    "rpd_limit",
    "tpd_limit",
    "rpm_limit",
    "max_parallel_requests",
    "model_max_budget",
    "model_rpm_limit",
    "model_tpm_limit",
    "tool_rpm_limit",
    "metadata",
    "tags",
    "team_id",
    "user_id",
    "organization_id",
    "allowed_routes",
    "blocked",
    "permissions",
    "object_permission",
    "key_type",
    "spend",
];

/// A JSON object built from the fields a message sets.
#[derive(Default)]
struct Body(Map<String, Value>);

impl Body {
    fn opt<T: Into<Value>>(mut self, name: &str, value: Option<T>) -> Self {
        if let Some(v) = value {
            self.0.insert(name.to_owned(), v.into());
        }
        self
    }

    /// Repeated fields: empty means not sent.
    fn list(self, name: &str, values: Vec<String>) -> Self {
        let sent = (!values.is_empty()).then_some(values);
        self.opt(name, sent)
    }

    /// Map fields: empty means not sent.
    fn map<V: Into<Value>>(self, name: &str, values: HashMap<String, V>) -> Self {
        let sent = (!values.is_empty()).then(|| {
            values
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect::<Map<String, Value>>()
        });
        self.opt(name, sent)
    }

    fn object(self, name: &str, value: Option<Struct>) -> Self {
        self.opt(name, value.map(|s| Value::Object(struct_to_map(s))))
    }

    /// `clear_fields`: each named field is sent as `null`.
    fn clear(mut self, names: Vec<String>) -> Result<Self> {
        for name in names {
            if !CLEARABLE.contains(&name.as_str()) {
                return Err(Error::invalid_param(
                    format!("clear_fields: `{name}` cannot be cleared; use one of {CLEARABLE:?}"),
                    "clear_fields",
                ));
            }
            self.0.insert(name, Value::Null);
        }
        Ok(self)
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

pub fn generate(r: pb::GenerateKeyRequest) -> Value {
    Body::default()
        .opt("key", r.key)
        .opt("key_alias", r.key_alias)
        .opt("duration", r.duration)
        .list("models", r.models)
        .map("aliases", r.aliases)
        .opt("max_budget", r.max_budget)
        .opt("budget_duration", r.budget_duration)
        .opt("soft_budget", r.soft_budget)
        .opt("tpm_limit", r.tpm_limit)
        .opt("rpd_limit", r.rpd_limit)
        .opt("tpd_limit", r.tpd_limit)
        .opt("rpm_limit", r.rpm_limit)
        .opt("max_parallel_requests", r.max_parallel_requests)
        .object("metadata", r.metadata)
        .list("tags", r.tags)
        .opt("team_id", r.team_id)
        .opt("user_id", r.user_id)
        .opt("organization_id", r.organization_id)
        .list("allowed_routes", r.allowed_routes)
        .opt("blocked", r.blocked)
        .opt("spend", r.spend)
        .object("object_permission", r.object_permission)
        .object("model_max_budget", r.model_max_budget)
        .map("model_rpm_limit", r.model_rpm_limit)
        .map("model_tpm_limit", r.model_tpm_limit)
        .opt("tool_rpm_limit", r.tool_rpm_limit)
        .object("permissions", r.permissions)
        .opt("key_type", r.key_type)
        .done()
}

pub fn update(r: pb::UpdateKeyRequest) -> Result<Value> {
    Ok(Body::default()
        .opt("key", Some(r.key))
        .opt("key_alias", r.key_alias)
        .opt("duration", r.duration)
        .list("models", r.models)
        .map("aliases", r.aliases)
        .opt("max_budget", r.max_budget)
        .opt("budget_duration", r.budget_duration)
        .opt("soft_budget", r.soft_budget)
        .opt("tpm_limit", r.tpm_limit)
        .opt("rpd_limit", r.rpd_limit)
        .opt("tpd_limit", r.tpd_limit)
        .opt("rpm_limit", r.rpm_limit)
        .opt("max_parallel_requests", r.max_parallel_requests)
        .object("metadata", r.metadata)
        .list("tags", r.tags)
        .opt("team_id", r.team_id)
        .opt("user_id", r.user_id)
        .opt("organization_id", r.organization_id)
        .list("allowed_routes", r.allowed_routes)
        .opt("blocked", r.blocked)
        .opt("spend", r.spend)
        .object("object_permission", r.object_permission)
        .object("model_max_budget", r.model_max_budget)
        .map("model_rpm_limit", r.model_rpm_limit)
        .map("model_tpm_limit", r.model_tpm_limit)
        .opt("tool_rpm_limit", r.tool_rpm_limit)
        .object("permissions", r.permissions)
        .opt("key_type", r.key_type)
        .clear(r.clear_fields)?
        .done())
}

pub fn regenerate(r: pb::RegenerateKeyRequest) -> Result<Value> {
    Ok(Body::default()
        .opt("key", Some(r.key).filter(|k| !k.is_empty()))
        .opt("new_key", r.new_key)
        .opt("grace_period", r.grace_period)
        .opt("key_alias", r.key_alias)
        .opt("duration", r.duration)
        .list("models", r.models)
        .map("aliases", r.aliases)
        .opt("max_budget", r.max_budget)
        .opt("budget_duration", r.budget_duration)
        .opt("soft_budget", r.soft_budget)
        .opt("tpm_limit", r.tpm_limit)
        .opt("rpd_limit", r.rpd_limit)
        .opt("tpd_limit", r.tpd_limit)
        .opt("rpm_limit", r.rpm_limit)
        .opt("max_parallel_requests", r.max_parallel_requests)
        .object("metadata", r.metadata)
        .list("tags", r.tags)
        .opt("team_id", r.team_id)
        .opt("user_id", r.user_id)
        .opt("organization_id", r.organization_id)
        .list("allowed_routes", r.allowed_routes)
        .opt("blocked", r.blocked)
        .opt("spend", r.spend)
        .object("object_permission", r.object_permission)
        .object("model_max_budget", r.model_max_budget)
        .map("model_rpm_limit", r.model_rpm_limit)
        .map("model_tpm_limit", r.model_tpm_limit)
        .opt("tool_rpm_limit", r.tool_rpm_limit)
        .object("permissions", r.permissions)
        .opt("key_type", r.key_type)
        .clear(r.clear_fields)?
        .done())
}

fn timestamp(ms: i64) -> Timestamp {
    Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: i32::try_from(ms.rem_euclid(1000) * 1_000_000).unwrap_or_default(),
    }
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn object(value: &Value) -> Option<Struct> {
    match value {
        Value::Object(map) => Some(map_to_struct(map.clone())),
        _ => None,
    }
}

/// A key as the API reports it; `secret` only from generate and regenerate.
pub fn key(k: &KeyRecord, secret: Option<&str>) -> pb::Key {
    let s = &k.settings;
    let counts = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter().map(|(k, v)| (k.clone(), int(*v))).collect()
    };
    pb::Key {
        key: secret.map(str::to_owned),
        token: k.token.clone(),
        key_alias: k.key_alias.clone(),
        key_name: k.key_name.clone(),
        models: s.models.clone(),
        aliases: s.aliases.clone().into_iter().collect(),
        max_budget: s.limits.max_budget,
        budget_duration: s.limits.budget_duration.clone(),
        budget_reset_at: k.budget_reset_at.map(timestamp),
        soft_budget: s.limits.soft_budget,
        tpm_limit: s.limits.tpm_limit.map(int),
        rpd_limit: s.limits.rpd_limit.map(int),
        tpd_limit: s.limits.tpd_limit.map(int),
        rpm_limit: s.limits.rpm_limit.map(int),
        max_parallel_requests: s.limits.max_parallel_requests.map(int),
        metadata: Some(map_to_struct(view::metadata(k))),
        tags: s.tags.clone(),
        team_id: k.team_id.clone(),
        user_id: k.user_id.clone(),
        organization_id: k.organization_id.clone(),
        allowed_routes: s.allowed_routes.clone(),
        blocked: k.blocked,
        spend: k.spend,
        expires: k.expires.map(timestamp),
        created_at: Some(timestamp(k.created_at)),
        object_permission: s.object_permission.as_ref().and_then(object),
        model_max_budget: Some(map_to_struct(
            s.model_max_budget.clone().into_iter().collect(),
        )),
        model_rpm_limit: counts(&s.model_rpm_limit),
        model_tpm_limit: counts(&s.model_tpm_limit),
        tool_rpm_limit: crate::mcp_bridge::tool_rpm_limit(k).map(int),
        permissions: Some(map_to_struct(s.permissions.clone())),
        key_type: s.key_type.clone(),
        updated_at: Some(timestamp(k.updated_at)),
        created_by: k.created_by.clone(),
        updated_by: k.updated_by.clone(),
        duration: s.duration.clone(),
    }
}

/// A listed key: only its hash unless whole objects were asked for.
pub fn listed(k: &KeyRecord, full: bool) -> pb::Key {
    if full {
        key(k, None)
    } else {
        pb::Key {
            token: k.token.clone(),
            ..pb::Key::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the fields a message sets reach the JSON body; clear_fields become nulls and unknown
    // ones are refused.
    #[test]
    fn sent_fields_only() {
        let body = update(pb::UpdateKeyRequest {
            key: "sk-a".into(),
            max_budget: Some(2.0),
            rpd_limit: Some(7),
            clear_fields: vec!["models".into(), "tpd_limit".into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"key": "sk-a", "max_budget": 2.0, "rpd_limit": 7, "models": null, "tpd_limit": null})
        );
        let bad = update(pb::UpdateKeyRequest {
            key: "sk-a".into(),
            clear_fields: vec!["key".into()],
            ..Default::default()
        });
        assert!(bad.is_err());
        assert_eq!(
            timestamp(1_500),
            Timestamp {
                seconds: 1,
                nanos: 500_000_000
            }
        );
    }
}

//! Keys as LiteLLM's admin routes return them (the `LiteLLM_VerificationToken` shape): `token` is
//! the hash, `key_name` the masked secret, times are RFC 3339. The secret itself appears only in
//! the answers of generate and regenerate, under `key`.

use serde_json::{Map, Value, json};

use super::{Generated, KeyPage};
use crate::governance::clock::to_rfc3339;
use crate::keys::KeyRecord;

/// A key as stored, in LiteLLM's field names (plus Tollgate's `tags` and `key_type`).
pub fn key_json(k: &KeyRecord) -> Value {
    let s = &k.settings;
    let time = |ms: Option<i64>| ms.map(to_rfc3339);
    json!({
        "token": k.token,
        "key_name": k.key_name,
        "key_alias": k.key_alias,
        "spend": k.spend,
        "max_budget": s.limits.max_budget,
        "soft_budget": s.limits.soft_budget,
        "budget_duration": s.limits.budget_duration,
        "budget_reset_at": time(k.budget_reset_at),
        "expires": time(k.expires),
        "duration": s.duration,
        "models": s.models,
        "aliases": s.aliases,
        "config": {},
        "user_id": k.user_id,
        "team_id": k.team_id,
        "organization_id": k.organization_id,
        "max_parallel_requests": s.limits.max_parallel_requests,
        "tpm_limit": s.limits.tpm_limit,
        "rpd_limit": s.limits.rpd_limit,
        "tpd_limit": s.limits.tpd_limit,
        "rpm_limit": s.limits.rpm_limit,
        "model_max_budget": s.model_max_budget,
        "model_rpm_limit": s.model_rpm_limit,
        "model_tpm_limit": s.model_tpm_limit,
        "tool_rpm_limit": crate::mcp_bridge::tool_rpm_limit(k),
        "model_spend": {},
        "metadata": metadata(k),
        "tags": s.tags,
        "allowed_routes": s.allowed_routes,
        "allowed_cache_controls": [],
        "permissions": s.permissions,
        "blocked": k.blocked,
        "object_permission": s.object_permission,
        "key_type": s.key_type,
        "created_at": to_rfc3339(k.created_at),
        "updated_at": to_rfc3339(k.updated_at),
        "created_by": k.created_by,
        "updated_by": k.updated_by,
    })
}

/// LiteLLM keeps `tags` and the per-model rate limits inside `metadata`; clients read them
/// there, so they are mirrored into it (without overriding what the metadata itself says).
pub fn metadata(k: &KeyRecord) -> Map<String, Value> {
    let s = &k.settings;
    let mut metadata = s.metadata.clone();
    let mut mirror = |name: &str, value: Value, present: bool| {
        if present && !metadata.contains_key(name) {
            metadata.insert(name.to_owned(), value);
        }
    };
    mirror("tags", json!(s.tags), !s.tags.is_empty());
    mirror(
        "model_rpm_limit",
        json!(s.model_rpm_limit),
        !s.model_rpm_limit.is_empty(),
    );
    mirror(
        "model_tpm_limit",
        json!(s.model_tpm_limit),
        !s.model_tpm_limit.is_empty(),
    );
    metadata
}

/// The answer of `/key/generate` and `/key/regenerate` (LiteLLM's `GenerateKeyResponse`): the
/// key with its secret under `key`, and its hash under `token` and `token_id`.
pub fn generated_json(g: &Generated) -> Value {
    let mut view = key_json(&g.record);
    if let Value::Object(map) = &mut view {
        map.insert("key".into(), Value::String(g.secret.clone()));
        map.insert("token_id".into(), Value::String(g.record.token.clone()));
        map.insert("litellm_budget_table".into(), Value::Null);
    }
    view
}

/// The answer of `/key/update` (LiteLLM's `{"key": <as given>, ...the key}`).
pub fn updated_json(given: &str, record: &KeyRecord) -> Value {
    let mut view = key_json(record);
    if let Value::Object(map) = &mut view {
        map.insert("key".into(), Value::String(given.to_owned()));
    }
    view
}

/// The answer of `/key/info`.
pub fn info_json(given: &str, record: &KeyRecord) -> Value {
    json!({ "key": given, "info": key_json(record) })
}

/// The answer of `/key/list`: hashes, or whole keys with `return_full_object`.
pub fn page_json(page: &KeyPage, full: bool) -> Value {
    let keys: Vec<Value> = page
        .keys
        .iter()
        .map(|k| {
            if full {
                key_json(k)
            } else {
                Value::String(k.token.clone())
            }
        })
        .collect();
    json!({
        "keys": keys,
        "total_count": page.total_count,
        "current_page": page.current_page,
        "total_pages": page.total_pages,
    })
}

/// The answer of `/key/delete` (LiteLLM's: the keys and aliases as given).
pub fn deleted_json(deleted: &[String]) -> Value {
    json!({ "deleted_keys": deleted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeySettings;

    fn record() -> KeyRecord {
        let mut settings = KeySettings {
            tags: vec!["prod".into()],
            ..KeySettings::default()
        };
        settings.metadata.insert("app".into(), json!("web"));
        KeyRecord {
            token: "ab".repeat(32),
            key_name: "sk-...wxyz".into(),
            key_alias: Some("ci".into()),
            user_id: None,
            team_id: Some("t1".into()),
            organization_id: None,
            blocked: false,
            expires: Some(86_400_000),
            spend: 0.5,
            budget_reset_at: None,
            settings,
            created_at: 0,
            updated_at: 1_000,
            created_by: Some("master_key".into()),
            updated_by: None,
        }
    }

    // Views carry the hash and masked name, RFC 3339 times, and tags mirrored into metadata;
    // only generate/regenerate answers carry a secret.
    #[test]
    fn litellm_shapes() {
        let k = record();
        let v = key_json(&k);
        assert_eq!(v["token"], k.token);
        assert_eq!(v["key_name"], "sk-...wxyz");
        assert_eq!(v["expires"], "1970-01-02T00:00:00.000Z");
        assert_eq!(v["budget_reset_at"], Value::Null);
        assert_eq!(v["metadata"]["tags"], json!(["prod"]));
        assert_eq!(v["metadata"]["app"], "web");
        assert!(v.get("key").is_none());
        let g = generated_json(&Generated {
            secret: "sk-secret".into(),
            record: k.clone(),
        });
        assert_eq!(g["key"], "sk-secret");
        assert_eq!(g["token_id"], k.token);
        assert_eq!(info_json("sk-x", &k)["info"]["key_alias"], "ci");
        assert_eq!(updated_json("sk-x", &k)["key"], "sk-x");
        let page = KeyPage {
            keys: vec![k.clone()],
            total_count: 11,
            current_page: 2,
            total_pages: 2,
        };
        assert_eq!(page_json(&page, false)["keys"][0], k.token);
        assert_eq!(page_json(&page, true)["keys"][0]["token"], k.token);
        assert_eq!(page_json(&page, true)["total_count"], 11);
    }
}

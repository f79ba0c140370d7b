//! Applying requested fields to a key, and checking what they refer to: the one place where a
//! generate, an update and a regenerate change a [`KeyRecord`].

use serde_json::{Map, Value};

use super::fields::Patch;
use super::types::KeyFields;
use crate::error::{Error, Result};
use crate::governance::duration;
use crate::keys::KeyRecord;
use crate::state::AppState;

/// Sets `slot` from `patch`: a value replaces it, `null` resets it to `empty`.
fn put<T: Clone>(slot: &mut T, patch: &Patch<T>, empty: T) {
    match patch {
        Patch::Absent => {}
        Patch::Null => *slot = empty,
        Patch::Set(v) => *slot = v.clone(),
    }
}

/// Sets an optional `slot` from `patch`.
fn put_opt<T: Clone>(slot: &mut Option<T>, patch: &Patch<T>) {
    if let Some(change) = patch.change() {
        *slot = change.cloned();
    }
}

/// `now + text` (a LiteLLM duration), as Unix ms.
pub fn after(now_ms: i64, text: &str, field: &str) -> Result<i64> {
    let span = duration::parse(text, field)?;
    now_ms.checked_add(span.millis).ok_or_else(|| {
        Error::invalid_param(format!("{field}: `{text}` is too far in the future"), field)
    })
}

/// Applies every field sent to `k` at `now_ms`: `duration` sets `expires` from now and
/// `budget_duration` the next budget reset. Values were checked when parsed.
pub fn apply(k: &mut KeyRecord, f: &KeyFields, now_ms: i64) -> Result<()> {
    put_opt(&mut k.key_alias, &f.key_alias);
    if let Some(d) = f.duration.change() {
        k.expires = d.map(|d| after(now_ms, d, "duration")).transpose()?;
        k.settings.duration = d.cloned();
    }
    if let Some(d) = f.budget_duration.change() {
        k.budget_reset_at = d.map(|d| after(now_ms, d, "budget_duration")).transpose()?;
        k.settings.limits.budget_duration = d.cloned();
    }
    put_opt(&mut k.team_id, &f.team_id);
    put_opt(&mut k.user_id, &f.user_id);
    put_opt(&mut k.organization_id, &f.organization_id);
    put(&mut k.blocked, &f.blocked, false);
    put(&mut k.spend, &f.spend, 0.0);
    let s = &mut k.settings;
    put(&mut s.models, &f.models, Vec::new());
    put(&mut s.aliases, &f.aliases, Default::default());
    put_opt(&mut s.limits.max_budget, &f.max_budget);
    put_opt(&mut s.limits.soft_budget, &f.soft_budget);
    put_opt(&mut s.limits.tpm_limit, &f.tpm_limit);
    put_opt(&mut s.limits.rpd_limit, &f.rpd_limit);
    put_opt(&mut s.limits.tpd_limit, &f.tpd_limit);
    put_opt(&mut s.limits.rpm_limit, &f.rpm_limit);
    put_opt(
        &mut s.limits.max_parallel_requests,
        &f.max_parallel_requests,
    );
    put(
        &mut s.model_max_budget,
        &f.model_max_budget,
        Default::default(),
    );
    put(
        &mut s.model_rpm_limit,
        &f.model_rpm_limit,
        Default::default(),
    );
    put(
        &mut s.model_tpm_limit,
        &f.model_tpm_limit,
        Default::default(),
    );
    put_opt(&mut s.tool_rpm_limit, &f.tool_rpm_limit);
    put(&mut s.metadata, &f.metadata, Map::new());
    put(&mut s.tags, &f.tags, Vec::new());
    put(&mut s.allowed_routes, &f.allowed_routes, Vec::new());
    put(&mut s.permissions, &f.permissions, Map::new());
    put_opt(&mut s.object_permission, &f.object_permission);
    if s.object_permission.as_ref().is_some_and(Value::is_null) {
        s.object_permission = None;
    }
    put_opt(&mut s.key_type, &f.key_type);
    s.limits.validate()
}

/// Checks the team and organization a key names and completes its organization: a key of a
/// team belongs to that team's organization (LiteLLM's default), and naming another one is an
/// error. `f` says which of them the request sent (those are checked; the others were checked
/// when they were set).
pub async fn resolve_owner(state: &AppState, k: &mut KeyRecord, f: &KeyFields) -> Result<()> {
    let team_sent = f.team_id.value().is_some();
    let org_sent = f.organization_id.value().is_some();
    if let (Some(org), true) = (&k.organization_id, org_sent)
        && state.store.organization(org).await?.is_none()
    {
        return Err(Error::invalid_param(
            format!("organization_id: organization `{org}` does not exist"),
            "organization_id",
        ));
    }
    let Some(team_id) = k.team_id.clone() else {
        return Ok(());
    };
    if !team_sent && !org_sent {
        return Ok(());
    }
    let team = state.store.team(&team_id).await?.ok_or_else(|| {
        Error::invalid_param(
            format!("team_id: team `{team_id}` does not exist"),
            "team_id",
        )
    })?;
    let Some(team_org) = team.organization_id else {
        return Ok(());
    };
    match &k.organization_id {
        Some(org) if *org != team_org && org_sent => Err(Error::invalid_param(
            format!(
                "organization_id: `{org}` is not the organization of team `{team_id}` ({team_org})"
            ),
            "organization_id",
        )),
        // A key moved to another team follows it into its organization.
        _ => {
            k.organization_id = Some(team_org);
            Ok(())
        }
    }
}

/// Refuses an alias another key already has.
pub async fn check_alias(state: &AppState, k: &KeyRecord) -> Result<()> {
    if let Some(alias) = &k.key_alias
        && let Some(other) = state.store.key_by_alias(alias).await?
        && other.token != k.token
    {
        return Err(Error::invalid_param(
            format!("key_alias: a key with alias `{alias}` already exists"),
            "key_alias",
        ));
    }
    Ok(())
}

/// The fields that differ between two views of a key, as `{"field": {"from": .., "to": ..}}`
/// (for the audit log; bookkeeping fields left out).
pub fn changes(before: &Value, after: &Value) -> Value {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return Value::Null;
    };
    let mut out = Map::new();
    for (name, new) in a {
        if matches!(name.as_str(), "updated_at" | "updated_by") {
            continue;
        }
        let old = b.get(name).unwrap_or(&Value::Null);
        if old != new {
            out.insert(name.clone(), serde_json::json!({ "from": old, "to": new }));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::keys::types::UpdateRequest;
    use crate::keys::KeySettings;
    use serde_json::json;

    fn key() -> KeyRecord {
        KeyRecord {
            token: "t".into(),
            key_name: "sk-...abcd".into(),
            key_alias: Some("a".into()),
            user_id: Some("u".into()),
            team_id: None,
            organization_id: None,
            blocked: true,
            expires: Some(5),
            spend: 1.0,
            budget_reset_at: None,
            settings: KeySettings {
                models: vec!["gpt".into()],
                ..KeySettings::default()
            },
            created_at: 0,
            updated_at: 0,
            created_by: None,
            updated_by: None,
        }
    }

    // Sent fields change, `null` clears, absent fields stay; durations count from now.
    #[test]
    fn applies_patches() {
        let body = json!({"key": "k", "duration": "1h", "budget_duration": "30s", "models": null,
            "blocked": null, "key_alias": null, "max_budget": 5, "tags": ["x"]});
        let req = UpdateRequest::from_json(&body).unwrap();
        let mut k = key();
        apply(&mut k, &req.fields, 1_000).unwrap();
        assert_eq!(k.expires, Some(1_000 + 3_600_000));
        assert_eq!(k.settings.duration.as_deref(), Some("1h"));
        assert_eq!(k.budget_reset_at, Some(31_000));
        assert!(k.settings.models.is_empty());
        assert!(!k.blocked);
        assert_eq!(k.key_alias, None);
        assert_eq!(k.user_id.as_deref(), Some("u"));
        assert_eq!(k.settings.limits.max_budget, Some(5.0));
        assert_eq!(k.spend, 1.0);
        let never = UpdateRequest::from_json(&json!({"key": "k", "duration": null})).unwrap();
        apply(&mut k, &never.fields, 1_000).unwrap();
        assert_eq!(k.expires, None);
    }

    // Only changed fields reach the audit diff.
    #[test]
    fn diffs_views() {
        let d = changes(
            &json!({"a": 1, "b": 2, "updated_at": "x"}),
            &json!({"a": 1, "b": 3, "updated_at": "y"}),
        );
        assert_eq!(d, json!({"b": {"from": 2, "to": 3}}));
    }
}

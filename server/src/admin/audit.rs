//! The audit log: every admin change records who (actor and role), what (action, target), the
//! change itself (a diff without secrets), from where (client IP, user agent) and when.
//! Admin routes are not the hot path, so entries are written synchronously: a change is never
//! reported done without its audit entry.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AdminContext;
use super::permissions::{Action, authorize};
use crate::error::Result;
use crate::state::AppState;

/// Field names whose values never reach the audit log.
const SECRET_FIELDS: &[&str] = &[
    "key",
    "token",
    "api_key",
    "master_key",
    "secret",
    "password",
    "new_key",
];

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub created_at: String,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub diff: Value,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Filters of a listing; all optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditFilter {
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub audit_logs: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u64,
}

/// Records one change made by `ctx`.
pub async fn record(
    state: &AppState,
    ctx: &AdminContext,
    action: &str,
    target_type: &str,
    target_id: &str,
    mut diff: Value,
) -> Result<()> {
    redact(&mut diff);
    let entry = crate::store::audit::NewAuditEntry {
        id: uuid::Uuid::now_v7().to_string(),
        created_at: state.clock.now_ms(),
        actor: ctx.principal.actor(),
        actor_role: ctx.principal.role_name().to_owned(),
        action: action.to_owned(),
        target_type: target_type.to_owned(),
        target_id: target_id.to_owned(),
        diff: serde_json::to_string(&diff).unwrap_or_else(|_| "{}".into()),
        client_ip: ctx.client_ip.clone(),
        user_agent: ctx.user_agent.clone(),
    };
    state.store.insert_audit_entry(&entry).await
}

/// A page of entries, for admins and admin viewers.
pub async fn list(state: &AppState, ctx: &AdminContext, filter: AuditFilter) -> Result<AuditPage> {
    authorize(&ctx.principal, &Action::AuditRead)?;
    let page = filter.page.unwrap_or(1).max(1);
    let page_size = filter.page_size.unwrap_or(50).clamp(1, 500);
    let (rows, total) = state.store.audit_entries(&filter, page, page_size).await?;
    Ok(AuditPage {
        audit_logs: rows,
        total,
        page,
        page_size,
        total_pages: total.div_ceil(u64::from(page_size)),
    })
}

/// Replaces the values of secret-named fields, at any depth.
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if SECRET_FIELDS.contains(&k.as_str()) && !v.is_null() {
                    *v = Value::String("<redacted>".into());
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Secrets are redacted at any depth; other values stay.
    #[test]
    fn redacts_secrets() {
        let mut v = serde_json::json!({"key": "sk-secret", "models": ["a"], "nested": {"api_key": "x", "ok": 1}});
        redact(&mut v);
        assert_eq!(v["key"], "<redacted>");
        assert_eq!(v["nested"]["api_key"], "<redacted>");
        assert_eq!(v["nested"]["ok"], 1);
        assert_eq!(v["models"][0], "a");
    }
}

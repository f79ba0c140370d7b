//! Storage of the audit log.

use sqlx::FromRow;

use super::Store;
use crate::admin::audit::{AuditEntry, AuditFilter};
use crate::error::Result;
use crate::governance::clock::to_rfc3339;

/// An entry to insert (times in Unix ms, diff as JSON text).
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub id: String,
    pub created_at: i64,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub diff: String,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, FromRow)]
struct AuditRow {
    id: String,
    created_at: i64,
    actor: String,
    actor_role: String,
    action: String,
    target_type: String,
    target_id: String,
    diff: String,
    client_ip: Option<String>,
    user_agent: Option<String>,
}

const FILTER: &str = "($1 IS NULL OR target_type = $1) AND ($2 IS NULL OR target_id = $2) \
                      AND ($3 IS NULL OR actor = $3) AND ($4 IS NULL OR action = $4)";

impl Store {
    pub async fn insert_audit_entry(&self, e: &NewAuditEntry) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO audit_log (id, created_at, actor, actor_role, action, target_type, target_id, diff, client_ip, user_agent) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&e.id)
            .bind(e.created_at)
            .bind(&e.actor)
            .bind(&e.actor_role)
            .bind(&e.action)
            .bind(&e.target_type)
            .bind(&e.target_id)
            .bind(&e.diff)
            .bind(&e.client_ip)
            .bind(&e.user_agent)
            .execute(pool)
            .await
            .map(drop)
        })?;
        Ok(())
    }

    /// One page of entries matching `filter`, newest first, and the total matching.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        page: u32,
        page_size: u32,
    ) -> Result<(Vec<AuditEntry>, u64)> {
        let offset = i64::from(page.saturating_sub(1)) * i64::from(page_size);
        let list_sql = format!(
            "SELECT id, created_at, actor, actor_role, action, target_type, target_id, diff, client_ip, user_agent \
             FROM audit_log WHERE {FILTER} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
        );
        let count_sql = format!("SELECT COUNT(*) FROM audit_log WHERE {FILTER}");
        let (rows, total): (Vec<AuditRow>, i64) = with_pool!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(&filter.target_type)
                .bind(&filter.target_id)
                .bind(&filter.actor)
                .bind(&filter.action)
                .bind(i64::from(page_size))
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(&filter.target_type)
                .bind(&filter.target_id)
                .bind(&filter.actor)
                .bind(&filter.action)
                .fetch_one(pool)
                .await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        let entries = rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                created_at: to_rfc3339(r.created_at),
                actor: r.actor,
                actor_role: r.actor_role,
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                diff: serde_json::from_str(&r.diff).unwrap_or(serde_json::Value::Null),
                client_ip: r.client_ip,
                user_agent: r.user_agent,
            })
            .collect();
        Ok((entries, u64::try_from(total).unwrap_or(0)))
    }
}

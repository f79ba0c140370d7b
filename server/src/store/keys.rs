//! Storage of virtual keys (`keys`, `key_grace_tokens`).

use sqlx::FromRow;

use super::{Store, json};
use crate::error::Result;
use crate::keys::KeyRecord;

/// Every column of `keys`, in table order, for `SELECT`s.
pub const KEY_COLUMNS: &str = "token, key_name, key_alias, user_id, team_id, organization_id, blocked, expires, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";

#[derive(Debug, FromRow)]
pub struct KeyRow {
    pub token: String,
    pub key_name: String,
    pub key_alias: Option<String>,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub organization_id: Option<String>,
    pub blocked: bool,
    pub expires: Option<i64>,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

impl KeyRow {
    pub fn into_record(self) -> Result<KeyRecord> {
        let settings = json::decode(&self.settings, "keys", &self.token)?;
        Ok(KeyRecord {
            token: self.token,
            key_name: self.key_name,
            key_alias: self.key_alias,
            user_id: self.user_id,
            team_id: self.team_id,
            organization_id: self.organization_id,
            blocked: self.blocked,
            expires: self.expires,
            spend: self.spend,
            budget_reset_at: self.budget_reset_at,
            settings,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            updated_by: self.updated_by,
        })
    }
}

impl Store {
    /// The key whose hash is `token`, also through a regenerated key's grace token still valid
    /// at `now_ms`.
    pub async fn key_by_token(&self, token: &str, now_ms: i64) -> Result<Option<KeyRecord>> {
        self.count_read();
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM keys WHERE token = $1 \
             UNION ALL \
             SELECT {cols} FROM keys k JOIN key_grace_tokens g ON g.key_token = k.token \
             WHERE g.token = $1 AND g.valid_until > $2",
            cols = prefixed(KEY_COLUMNS, "k")
        );
        let row: Option<KeyRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token)
                .bind(now_ms)
                .fetch_optional(pool)
                .await
        })?;
        row.map(KeyRow::into_record).transpose()
    }
}

/// `a, b` → `k.a, k.b`.
pub fn prefixed(columns: &str, table: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

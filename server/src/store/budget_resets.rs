//! Budget periods in the database: entities whose `budget_reset_at` has passed get their spend
//! set to 0 and their next reset time, guarded so two instances never reset twice.

use super::Store;
use crate::error::Result;

/// A governed table with a budget period: its name and id column.
const TABLES: &[(&str, &str)] = &[
    ("keys", "token"),
    ("teams", "team_id"),
    ("users", "user_id"),
    ("organizations", "organization_id"),
    ("end_users", "user_id"),
];

/// One entity whose period is over.
#[derive(Debug, Clone, PartialEq)]
pub struct DueReset {
    pub table: &'static str,
    pub id: String,
    pub reset_at: i64,
    pub settings: String,
}

impl Store {
    /// Entities whose budget period ended at or before `now_ms`.
    pub async fn due_budget_resets(&self, now_ms: i64) -> Result<Vec<DueReset>> {
        let mut due = Vec::new();
        for (table, id_column) in TABLES {
            let sql = format!(
                "SELECT {id_column}, budget_reset_at, settings FROM {table} \
                 WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= $1"
            );
            let rows: Vec<(String, i64, String)> = with_pool!(self, pool => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now_ms).fetch_all(pool).await
            })?;
            due.extend(rows.into_iter().map(|(id, reset_at, settings)| DueReset {
                table,
                id,
                reset_at,
                settings,
            }));
        }
        Ok(due)
    }

    /// Resets one entity's spend and moves its reset time to `next_ms`, unless another instance
    /// already did (the old `reset_at` must still be there). Returns whether it reset.
    pub async fn apply_budget_reset(&self, due: &DueReset, next_ms: Option<i64>) -> Result<bool> {
        let Some((_, id_column)) = TABLES.iter().find(|(t, _)| *t == due.table) else {
            return Ok(false);
        };
        let sql = format!(
            "UPDATE {table} SET spend = 0, budget_reset_at = $1 \
             WHERE {id_column} = $2 AND budget_reset_at = $3",
            table = due.table
        );
        let rows = with_pool!(self, pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(next_ms)
                .bind(&due.id)
                .bind(due.reset_at)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(rows == 1)
    }
}

//! Reading the daily spend aggregates (`daily_spend`, `daily_tag_spend`) for reports. They
//! survive spend log pruning, so report totals never shrink with retention.

use sqlx::FromRow;

use super::Store;
use super::spend::{Bind, SpendFilter, Table, Where};
use crate::error::Result;

/// One aggregate row: a day and a (key, team, user, end user, model) grain, and, from the tag
/// table, the tag.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct DailyRow {
    pub day: String,
    pub tag: Option<String>,
    pub api_key: String,
    pub team_id: String,
    pub team_alias: Option<String>,
    pub user_id: String,
    pub end_user: String,
    pub model: String,
    pub organization_id: String,
    pub requests: i64,
    pub successful_requests: i64,
    pub failed_requests: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cached_tokens: i64,
    pub spend: f64,
}

const SUMS: &str = "d.requests, d.successful_requests, d.failed_requests, d.prompt_tokens, \
                    d.completion_tokens, d.cached_tokens, d.spend";

impl Store {
    /// The aggregate rows matching `filter`, oldest day first; `by_tag` reads the tag table
    /// (one row per tag of a grain).
    pub async fn daily_spend_rows(
        &self,
        filter: &SpendFilter,
        by_tag: bool,
    ) -> Result<Vec<DailyRow>> {
        let (table, tag, kind) = if by_tag {
            ("daily_tag_spend", "d.tag", Table::Tags)
        } else {
            ("daily_spend", "CAST(NULL AS TEXT)", Table::Daily)
        };
        let mut w = Where::default();
        filter.apply(&mut w, kind);
        let sql = format!(
            "SELECT d.day, {tag} AS tag, d.api_key, d.team_id, t.team_alias, d.user_id, d.end_user, \
             d.model, d.organization_id, {SUMS} FROM {table} d \
             LEFT JOIN teams t ON t.team_id = d.team_id {} \
             ORDER BY d.day, d.spend DESC",
            w.sql()
        );
        let rows = with_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, DailyRow>(sqlx::AssertSqlSafe(sql));
            for b in &w.binds {
                q = match b {
                    Bind::Text(s) => q.bind(s),
                    Bind::Int(i) => q.bind(*i),
                };
            }
            q.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Total spend (USD) of the aggregate rows matching `filter`.
    pub async fn total_spend(&self, filter: &SpendFilter) -> Result<f64> {
        let mut w = Where::default();
        filter.apply(&mut w, Table::Daily);
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(d.spend), 0) AS DOUBLE PRECISION) FROM daily_spend d {}",
            w.sql()
        );
        let total = with_pool!(self, pool => {
            let mut q = sqlx::query_scalar::<_, f64>(sqlx::AssertSqlSafe(sql));
            for b in &w.binds {
                q = match b {
                    Bind::Text(s) => q.bind(s),
                    Bind::Int(i) => q.bind(*i),
                };
            }
            q.fetch_one(pool).await
        })?;
        Ok(total)
    }
}

//! Storage of named budgets (`budgets`), who follows them, and their period resets.

use sqlx::FromRow;

use super::directory::write_error;
use super::{Pool, Store, json};
use crate::directory::BudgetRecord;
use crate::directory::budget::BudgetSettings;
use crate::error::{Error, Result};

const BUDGET_COLUMNS: &str =
    "budget_id, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";

#[derive(Debug, FromRow)]
struct BudgetRow {
    budget_id: String,
    budget_reset_at: Option<i64>,
    settings: String,
    created_at: i64,
    updated_at: i64,
    created_by: Option<String>,
    updated_by: Option<String>,
}

impl BudgetRow {
    fn into_record(self) -> Result<BudgetRecord> {
        Ok(BudgetRecord {
            settings: json::decode::<BudgetSettings>(&self.settings, "budgets", &self.budget_id)?,
            budget_id: self.budget_id,
            budget_reset_at: self.budget_reset_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            updated_by: self.updated_by,
        })
    }
}

/// Who follows a named budget.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BudgetFollowers {
    /// Customers (end user ids).
    pub end_users: Vec<String>,
    /// Team members as (team id, user id).
    pub team_members: Vec<(String, String)>,
    pub tags: Vec<String>,
}

impl BudgetFollowers {
    pub fn is_empty(&self) -> bool {
        self.end_users.is_empty() && self.team_members.is_empty() && self.tags.is_empty()
    }
}

impl Store {
    pub async fn budget(&self, budget_id: &str) -> Result<Option<BudgetRecord>> {
        self.count_read();
        let sql = format!("SELECT {BUDGET_COLUMNS} FROM budgets WHERE budget_id = $1");
        let row: Option<BudgetRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(budget_id).fetch_optional(pool).await
        })?;
        row.map(BudgetRow::into_record).transpose()
    }

    /// Every named budget, by id.
    pub async fn list_budgets(&self) -> Result<Vec<BudgetRecord>> {
        self.count_read();
        let sql = format!("SELECT {BUDGET_COLUMNS} FROM budgets ORDER BY budget_id");
        let rows: Vec<BudgetRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await
        })?;
        rows.into_iter().map(BudgetRow::into_record).collect()
    }

    /// Inserts a new budget; a taken id is a 400 (LiteLLM's message).
    pub async fn create_budget(&self, budget: &BudgetRecord) -> Result<()> {
        let settings = json::encode(&budget.settings)?;
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO budgets (budget_id, budget_reset_at, settings, created_at, updated_at, created_by, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&budget.budget_id)
            .bind(budget.budget_reset_at)
            .bind(&settings)
            .bind(budget.created_at)
            .bind(budget.updated_at)
            .bind(&budget.created_by)
            .bind(&budget.updated_by)
            .execute(pool)
            .await
            .map(drop)
        })
        .map_err(|e| {
            write_error(
                e,
                || {
                    Error::invalid_param(
                        format!("Budget with id '{}' already exists.", budget.budget_id),
                        "budget_id",
                    )
                },
                || Error::invalid("budget refers to something that does not exist"),
            )
        })
    }

    /// Writes a budget's limits, reset time and updater. Returns whether it was there.
    pub async fn update_budget(&self, budget: &BudgetRecord) -> Result<bool> {
        let settings = json::encode(&budget.settings)?;
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE budgets SET budget_reset_at = $2, settings = $3, updated_at = $4, updated_by = $5 \
                 WHERE budget_id = $1",
            )
            .bind(&budget.budget_id)
            .bind(budget.budget_reset_at)
            .bind(&settings)
            .bind(budget.updated_at)
            .bind(&budget.updated_by)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Deletes a budget. Returns whether it was there.
    pub async fn delete_budget(&self, budget_id: &str) -> Result<bool> {
        let done = with_pool!(self, pool => {
            sqlx::query("DELETE FROM budgets WHERE budget_id = $1")
                .bind(budget_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(|e| {
            write_error(
                e,
                || Error::invalid("budget is still in use"),
                || Error::invalid_param(format!("id: budget `{budget_id}` is still in use"), "id"),
            )
        })?;
        Ok(done == 1)
    }

    /// The customers, team members and tags that follow `budget_id`.
    pub async fn budget_followers(&self, budget_id: &str) -> Result<BudgetFollowers> {
        let end_users_sql = format!(
            "SELECT user_id FROM end_users WHERE {} = $1 ORDER BY user_id",
            end_user_budget_id(&self.pool)
        );
        let (end_users, team_members, tags) = with_pool!(self, pool => async {
            let end_users: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(end_users_sql))
                .bind(budget_id)
                .fetch_all(pool)
                .await?;
            let members: Vec<(String, String)> = sqlx::query_as(
                "SELECT team_id, user_id FROM team_memberships WHERE budget_id = $1 ORDER BY team_id, user_id",
            )
            .bind(budget_id)
            .fetch_all(pool)
            .await?;
            let tags: Vec<String> =
                sqlx::query_scalar("SELECT tag_name FROM tags WHERE budget_id = $1 ORDER BY tag_name")
                    .bind(budget_id)
                    .fetch_all(pool)
                    .await?;
            Ok::<_, sqlx::Error>((end_users, members, tags))
        }
        .await)?;
        Ok(BudgetFollowers {
            end_users,
            team_members,
            tags,
        })
    }

    /// Named budgets whose period ended at or before `now_ms`: each gets its next reset time
    /// (whole periods after the old one) and the spend of its customers and team members goes
    /// to 0, in one transaction guarded so two instances never reset twice. (Tags count their
    /// spend from the period start, so they need no write.) Returns how many budgets reset.
    pub async fn reset_due_budgets(&self, now_ms: i64) -> Result<usize> {
        let sql = format!(
            "SELECT {BUDGET_COLUMNS} FROM budgets WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= $1"
        );
        let rows: Vec<BudgetRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now_ms).fetch_all(pool).await
        })?;
        let end_users_sql = format!(
            "UPDATE end_users SET spend = 0 WHERE {} = $1",
            end_user_budget_id(&self.pool)
        );
        let mut reset = 0;
        for row in rows {
            let budget = row.into_record()?;
            let Some(old) = budget.budget_reset_at else {
                continue;
            };
            let next = budget
                .period_ms()
                .map(|p| old + ((now_ms - old) / p + 1) * p);
            let done = with_pool!(self, pool => async {
                let mut tx = pool.begin().await?;
                let moved = sqlx::query(
                    "UPDATE budgets SET budget_reset_at = $1 WHERE budget_id = $2 AND budget_reset_at = $3",
                )
                .bind(next)
                .bind(&budget.budget_id)
                .bind(old)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved != 1 {
                    return Ok::<_, sqlx::Error>(false);
                }
                sqlx::query(sqlx::AssertSqlSafe(end_users_sql.clone()))
                    .bind(&budget.budget_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE team_memberships SET spend = 0 WHERE budget_id = $1")
                    .bind(&budget.budget_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }
            .await)?;
            if done {
                reset += 1;
            }
        }
        Ok(reset)
    }
}

/// The SQL expression of an end user's `budget_id` (kept in their `settings` JSON).
fn end_user_budget_id(pool: &Pool) -> &'static str {
    match pool {
        Pool::Sqlite(_) => "json_extract(settings, '$.budget_id')",
        Pool::Postgres(_) => "(settings::jsonb ->> 'budget_id')",
    }
}

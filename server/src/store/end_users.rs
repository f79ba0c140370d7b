//! Storage of end users (LiteLLM's customers: `end_users`). Creation on first use by the
//! request path is in `first_use.rs`; these are the admin operations.

use sqlx::FromRow;

use super::super::{Store, json};
use super::{placeholders, write_error};
use crate::directory::{EndUserRecord, EndUserSettings};
use crate::error::{Error, Result};

pub const END_USER_COLUMNS: &str =
    "user_id, alias, blocked, spend, budget_reset_at, settings, created_at, updated_at";

#[derive(Debug, FromRow)]
pub struct EndUserRow {
    pub user_id: String,
    pub alias: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EndUserRow {
    pub fn into_record(self) -> Result<EndUserRecord> {
        Ok(EndUserRecord {
            settings: json::decode(&self.settings, "end_users", &self.user_id)?,
            user_id: self.user_id,
            alias: self.alias,
            blocked: self.blocked,
            spend: self.spend,
            budget_reset_at: self.budget_reset_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

impl Store {
    pub async fn end_user(&self, user_id: &str) -> Result<Option<EndUserRecord>> {
        self.count_read();
        let sql = format!("SELECT {END_USER_COLUMNS} FROM end_users WHERE user_id = $1");
        let row: Option<EndUserRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await
        })?;
        row.map(EndUserRow::into_record).transpose()
    }

    /// The end users with these ids (those that exist), in id order.
    pub async fn end_users(&self, user_ids: &[String]) -> Result<Vec<EndUserRecord>> {
        self.count_read();
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {END_USER_COLUMNS} FROM end_users WHERE user_id IN ({}) ORDER BY user_id",
            placeholders(1, user_ids.len())
        );
        let rows: Vec<EndUserRow> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in user_ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(EndUserRow::into_record).collect()
    }

    /// Every end user, in id order.
    pub async fn list_end_users(&self) -> Result<Vec<EndUserRecord>> {
        self.count_read();
        let sql = format!("SELECT {END_USER_COLUMNS} FROM end_users ORDER BY user_id");
        let rows: Vec<EndUserRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await
        })?;
        rows.into_iter().map(EndUserRow::into_record).collect()
    }

    /// The ids of every blocked end user.
    pub async fn blocked_end_user_ids(&self) -> Result<Vec<String>> {
        self.count_read();
        let ids = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT user_id FROM end_users WHERE blocked = $1 ORDER BY user_id")
                .bind(true)
                .fetch_all(pool)
                .await
        })?;
        Ok(ids)
    }

    /// Inserts a new end user. A taken id is a 400.
    pub async fn create_end_user(&self, end_user: &EndUserRecord) -> Result<()> {
        let settings = json::encode(&end_user.settings)?;
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO end_users (user_id, alias, blocked, spend, budget_reset_at, settings, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&end_user.user_id)
            .bind(&end_user.alias)
            .bind(end_user.blocked)
            .bind(end_user.spend)
            .bind(end_user.budget_reset_at)
            .bind(&settings)
            .bind(end_user.created_at)
            .bind(end_user.updated_at)
            .execute(pool)
            .await
            .map(drop)
        })
        .map_err(|e| {
            write_error(
                e,
                || {
                    Error::invalid_param(
                        format!(
                            "user_id: Customer already exists, passed user_id={}. Please pass a new user_id.",
                            end_user.user_id
                        ),
                        "user_id",
                    )
                },
                || Error::invalid("customer refers to something that does not exist"),
            )
        })
    }

    /// Writes an end user's alias, blocked flag and settings (never their spend);
    /// `budget_reset_at` only when `reset_changed`. Returns whether they were there.
    pub async fn update_end_user(
        &self,
        end_user: &EndUserRecord,
        reset_changed: bool,
    ) -> Result<bool> {
        let settings = json::encode(&end_user.settings)?;
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE end_users SET alias = $2, blocked = $3, \
                 budget_reset_at = CASE WHEN $7 THEN $4 ELSE budget_reset_at END, settings = $5, \
                 updated_at = $6 WHERE user_id = $1",
            )
            .bind(&end_user.user_id)
            .bind(&end_user.alias)
            .bind(end_user.blocked)
            .bind(end_user.budget_reset_at)
            .bind(&settings)
            .bind(end_user.updated_at)
            .bind(reset_changed)
            .execute(pool)
            .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Deletes these end users in one transaction. Returns how many went.
    pub async fn delete_end_users(&self, user_ids: &[String]) -> Result<u64> {
        let result: std::result::Result<u64, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut deleted = 0;
            for id in user_ids {
                deleted += sqlx::query("DELETE FROM end_users WHERE user_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(deleted)
        }
        .await);
        Ok(result?)
    }

    /// Sets `blocked` on these end users in one transaction, creating the missing ones (with
    /// `settings`) as LiteLLM's `/customer/block` does. Returns them after the change.
    pub async fn set_end_users_blocked(
        &self,
        user_ids: &[String],
        blocked: bool,
        settings: &EndUserSettings,
        now_ms: i64,
    ) -> Result<Vec<EndUserRecord>> {
        let settings = json::encode(settings)?;
        let result: std::result::Result<(), sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for id in user_ids {
                sqlx::query(
                    "INSERT INTO end_users (user_id, blocked, settings, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4) \
                     ON CONFLICT (user_id) DO UPDATE SET blocked = excluded.blocked, updated_at = excluded.updated_at",
                )
                .bind(id)
                .bind(blocked)
                .bind(&settings)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        }
        .await);
        result?;
        self.end_users(user_ids).await
    }
}

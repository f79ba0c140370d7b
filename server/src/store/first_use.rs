//! Records created by the request path on first sight (end users).

use super::directory::{END_USER_COLUMNS, EndUserRow};
use super::{Store, json};
use crate::directory::{EndUserRecord, EndUserSettings};
use crate::error::{Error, Result};

impl Store {
    /// The end user `user_id`, created with `settings` if it does not exist (safe when several
    /// requests or instances race to create it).
    pub async fn ensure_end_user(
        &self,
        user_id: &str,
        settings: &EndUserSettings,
        now_ms: i64,
    ) -> Result<EndUserRecord> {
        let settings = json::encode(settings)?;
        let insert = "INSERT INTO end_users (user_id, settings, created_at, updated_at) \
                      VALUES ($1, $2, $3, $3) ON CONFLICT (user_id) DO NOTHING";
        let select = format!("SELECT {END_USER_COLUMNS} FROM end_users WHERE user_id = $1");
        let row: Option<EndUserRow> = with_pool!(self, pool => {
            sqlx::query(insert)
                .bind(user_id)
                .bind(&settings)
                .bind(now_ms)
                .execute(pool)
                .await?;
            sqlx::query_as(sqlx::AssertSqlSafe(select))
                .bind(user_id)
                .fetch_optional(pool)
                .await
        })?;
        row.ok_or_else(|| Error::Internal(format!("end user {user_id} vanished after insert")))?
            .into_record()
    }
}

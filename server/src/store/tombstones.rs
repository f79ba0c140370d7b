//! Hashes of deleted keys (`deleted_keys`), so the gateway can say a key was deleted.

use super::Store;
use crate::error::Result;

impl Store {
    /// When the key with hash `token` was deleted, if it was.
    pub async fn key_deleted_at(&self, token: &str) -> Result<Option<i64>> {
        self.count_read();
        let at = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT deleted_at FROM deleted_keys WHERE token = $1")
                .bind(token)
                .fetch_optional(pool)
                .await
        })?;
        Ok(at)
    }

    /// Remembers that these keys were deleted at `at_ms`.
    pub async fn record_deleted_keys(&self, tokens: &[String], at_ms: i64) -> Result<()> {
        for token in tokens {
            with_pool!(self, pool => {
                sqlx::query(
                    "INSERT INTO deleted_keys (token, deleted_at) VALUES ($1, $2) \
                     ON CONFLICT (token) DO UPDATE SET deleted_at = excluded.deleted_at",
                )
                .bind(token)
                .bind(at_ms)
                .execute(pool)
                .await
                .map(drop)
            })?;
        }
        Ok(())
    }
}

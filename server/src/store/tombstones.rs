//! Hashes of deleted keys (`deleted_keys`), so the gateway can say a key was deleted. They are
//! written by the delete operations, in their own transactions (`directory::TOMBSTONE_KEY`).

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
}

//! Storage of virtual keys (`keys`, `key_grace_tokens`, and the `deleted_keys` tombstones a
//! deletion leaves). Changes that touch several rows (delete, regenerate) run in one
//! transaction, so a failure leaves nothing half-written. Listing is in [`list`].

#[path = "keys_list.rs"]
mod list;

use sqlx::FromRow;

use super::{Store, json};
use crate::error::{Error, Result};
use crate::keys::KeyRecord;

pub use list::KeyListFilter;

/// Binds the 15 columns of `keys`, in [`KEY_COLUMNS`] order, as `$1`..`$15`.
macro_rules! bind_key {
    ($query:expr, $key:expr, $settings:expr) => {
        $query
            .bind(&$key.token)
            .bind(&$key.key_name)
            .bind(&$key.key_alias)
            .bind(&$key.user_id)
            .bind(&$key.team_id)
            .bind(&$key.organization_id)
            .bind($key.blocked)
            .bind($key.expires)
            .bind($key.spend)
            .bind($key.budget_reset_at)
            .bind(&$settings)
            .bind($key.created_at)
            .bind($key.updated_at)
            .bind(&$key.created_by)
            .bind(&$key.updated_by)
    };
}

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
    /// at `now_ms`. Through a grace token, `expires` is capped at the end of the grace period,
    /// so a principal cached from the old secret stops working when the grace period ends.
    pub async fn key_by_token(&self, token: &str, now_ms: i64) -> Result<Option<KeyRecord>> {
        self.count_read();
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM keys WHERE token = $1 \
             UNION ALL \
             SELECT {cols} FROM keys k JOIN key_grace_tokens g ON g.key_token = k.token \
             WHERE g.token = $1 AND g.valid_until > $2",
            cols = prefixed(KEY_COLUMNS, "k").replace(
                "k.expires,",
                "CASE WHEN k.expires IS NULL OR k.expires > g.valid_until \
                 THEN g.valid_until ELSE k.expires END,"
            )
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

    /// The key whose current hash is `token` (not through grace tokens: admin routes name a key
    /// by its current secret or hash).
    pub async fn key(&self, token: &str) -> Result<Option<KeyRecord>> {
        self.count_read();
        let sql = format!("SELECT {KEY_COLUMNS} FROM keys WHERE token = $1");
        let row: Option<KeyRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(pool).await
        })?;
        row.map(KeyRow::into_record).transpose()
    }

    /// The key with alias `alias`.
    pub async fn key_by_alias(&self, alias: &str) -> Result<Option<KeyRecord>> {
        self.count_read();
        let sql = format!("SELECT {KEY_COLUMNS} FROM keys WHERE key_alias = $1");
        let row: Option<KeyRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(alias).fetch_optional(pool).await
        })?;
        row.map(KeyRow::into_record).transpose()
    }

    /// The hashes of a key's previous secrets (grace tokens), expired or not.
    pub async fn grace_tokens(&self, key_token: &str) -> Result<Vec<String>> {
        self.count_read();
        let tokens = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT token FROM key_grace_tokens WHERE key_token = $1 ORDER BY token")
                .bind(key_token)
                .fetch_all(pool)
                .await
        })?;
        Ok(tokens)
    }

    /// Inserts a new key. A taken alias or secret is a 400 naming it.
    pub async fn insert_key(&self, key: &KeyRecord) -> Result<()> {
        let settings = json::encode(&key.settings)?;
        let sql = format!(
            "INSERT INTO keys ({KEY_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        with_pool!(self, pool => {
            bind_key!(sqlx::query(sqlx::AssertSqlSafe(sql)), key, settings)
                .execute(pool)
                .await
                .map(drop)
        })
        .map_err(|e| write_error(e, key, "key"))
    }

    /// Writes every column of the key stored under `token` (the same token, or the new one of a
    /// regeneration). Returns whether the key was there.
    pub async fn update_key(&self, token: &str, key: &KeyRecord) -> Result<bool> {
        let settings = json::encode(&key.settings)?;
        let updated = with_pool!(self, pool => {
            bind_key!(sqlx::query(UPDATE_KEY), key, settings)
                .bind(token)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })
        .map_err(|e| write_error(e, key, "key"))?;
        Ok(updated == 1)
    }

    /// Deletes the keys `tokens` and remembers every hash of `tombstones` (the keys and their
    /// grace tokens) as deleted at `at_ms`, in one transaction. Returns how many keys went.
    pub async fn delete_keys(
        &self,
        tokens: &[String],
        tombstones: &[String],
        at_ms: i64,
    ) -> Result<u64> {
        with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut deleted = 0;
            for token in tokens {
                deleted += sqlx::query("DELETE FROM keys WHERE token = $1")
                    .bind(token)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            for token in tombstones {
                sqlx::query(
                    "INSERT INTO deleted_keys (token, deleted_at) VALUES ($1, $2) \
                     ON CONFLICT (token) DO UPDATE SET deleted_at = excluded.deleted_at",
                )
                .bind(token)
                .bind(at_ms)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<u64, Error>(deleted)
        }
        .await)
    }

    /// Replaces the key stored under `old_token` by `key` (its new hash, name and settings), in
    /// one transaction. The key's grace tokens still valid at `now_ms` follow it; with
    /// `grace_until`, the old secret itself keeps working until then. Returns whether the key
    /// was there.
    pub async fn regenerate_key(
        &self,
        old_token: &str,
        key: &KeyRecord,
        grace_until: Option<i64>,
        now_ms: i64,
    ) -> Result<bool> {
        let settings = json::encode(&key.settings)?;
        let result: std::result::Result<bool, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut grace: Vec<(String, i64)> = sqlx::query_as(
                "SELECT token, valid_until FROM key_grace_tokens WHERE key_token = $1 AND valid_until > $2",
            )
            .bind(old_token)
            .bind(now_ms)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM key_grace_tokens WHERE key_token = $1")
                .bind(old_token)
                .execute(&mut *tx)
                .await?;
            let updated = bind_key!(sqlx::query(UPDATE_KEY), key, settings)
                .bind(old_token)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            if let Some(until) = grace_until {
                grace.push((old_token.to_owned(), until));
            }
            for (token, until) in &grace {
                sqlx::query(
                    "INSERT INTO key_grace_tokens (token, key_token, valid_until) VALUES ($1, $2, $3) \
                     ON CONFLICT (token) DO UPDATE SET key_token = excluded.key_token, valid_until = excluded.valid_until",
                )
                .bind(token)
                .bind(&key.token)
                .bind(until)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        }
        .await);
        result.map_err(|e| write_error(e, key, "new_key"))
    }
}

const UPDATE_KEY: &str = "UPDATE keys SET token = $1, key_name = $2, key_alias = $3, user_id = $4, \
     team_id = $5, organization_id = $6, blocked = $7, expires = $8, spend = $9, \
     budget_reset_at = $10, settings = $11, created_at = $12, updated_at = $13, created_by = $14, \
     updated_by = $15 WHERE token = $16";

/// A write refused by a constraint, as the client's mistake it is: a taken alias or secret, or
/// a team or organization that does not exist (checked before writing; this covers races).
fn write_error(err: sqlx::Error, key: &KeyRecord, secret_param: &str) -> Error {
    if let sqlx::Error::Database(db) = &err {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation
                if db.message().contains("key_alias")
                    || db.constraint().is_some_and(|c| c.contains("key_alias")) =>
            {
                return Error::invalid_param(
                    format!(
                        "key_alias: a key with alias `{}` already exists",
                        key.key_alias.as_deref().unwrap_or_default()
                    ),
                    "key_alias",
                );
            }
            sqlx::error::ErrorKind::UniqueViolation => {
                return Error::invalid_param(
                    format!("{secret_param}: a key with this secret already exists"),
                    secret_param,
                );
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                return Error::invalid(format!(
                    "team_id or organization_id names something that does not exist (team {:?}, organization {:?})",
                    key.team_id, key.organization_id
                ));
            }
            _ => {}
        }
    }
    Error::from(err)
}

/// `a, b` → `k.a, k.b`.
pub fn prefixed(columns: &str, table: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

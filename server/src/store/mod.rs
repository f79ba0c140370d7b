//! Storage: SQLite (the embedded default, a file) or PostgreSQL, chosen by the database URL.
//!
//! Each backend has its own migration set (`server/migrations/{sqlite,postgres}`), run at
//! startup. Queries are written at runtime with `query`/`query_as` so one crate serves both
//! backends; the backend matrix tests run every storage test against both. The request path never
//! waits on the store: reads are cached and writes are batched (later issues).

/// Runs `$body` with `$pool` bound to the pool of whichever backend `$store` is. Queries inside
/// use `$1`-style placeholders, which SQLite and PostgreSQL both accept, so each query is written
/// once and compiled for both backends.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}

pub mod audit;
mod budget_resets;
pub mod budgets;
pub mod directory;
mod first_use;
mod json;
pub mod keys;
pub mod mcp_servers;
mod postgres;
pub mod router_models;
pub mod spend;
pub mod spend_reports;
mod sqlite;
pub mod tags;
mod tombstones;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// The database behind the gateway (cheap to clone).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// Reads of governance records (keys, teams, users, ...): the hot path must not add to it
    /// once its caches are warm, and a test proves it.
    reads: Arc<AtomicU64>,
}

/// The connection pool of the backend in use.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The default database: `tollgate.db` in the working directory.
pub const DEFAULT_URL: &str = "sqlite://tollgate.db";

impl Store {
    /// Connects to `url` (`sqlite://path`, `sqlite::memory:`, `postgres://...`), creating a
    /// SQLite file if needed, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(postgres::connect(url).await?)
        } else if url.starts_with("sqlite:") {
            Pool::Sqlite(sqlite::connect(url).await?)
        } else {
            return Err(Error::Internal(format!(
                "unsupported database URL scheme in {}: use sqlite://PATH or postgres://...",
                redact(url)
            )));
        };
        Ok(Store {
            pool,
            reads: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Counts one governance read (see [`Store::reads`]).
    pub(crate) fn count_read(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    /// Governance reads through this store since it connected.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// One round trip to prove the database answers (readiness).
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Reads a value of the `gateway_meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let value = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT value FROM gateway_meta WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
        })?;
        Ok(value)
    }

    /// Writes a value of the `gateway_meta` table.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO gateway_meta (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(pool)
            .await
            .map(drop)
        })?;
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await);
    }
}

/// The URL with any password replaced, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Passwords never appear in messages about a database URL.
    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("sqlite://tollgate.db"), "sqlite://tollgate.db");
    }
}

//! Storage: SQLite (the embedded default, a file) or PostgreSQL, chosen by the database URL.
//!
//! Each backend has its own migration set (`server/migrations/{sqlite,postgres}`), run at
//! startup. Queries are written at runtime with `query`/`query_as` so one crate serves both
//! backends; the backend matrix tests run every storage test against both. The request path never
//! waits on the store: reads are cached and writes are batched (later issues).

mod postgres;
mod sqlite;

use crate::error::{Error, Result};

/// The database behind the gateway.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The default database: `tollgate.db` in the working directory.
pub const DEFAULT_URL: &str = "sqlite://tollgate.db";

impl Store {
    /// Connects to `url` (`sqlite://path`, `sqlite::memory:`, `postgres://...`), creating a
    /// SQLite file if needed, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::Postgres(postgres::connect(url).await?)
        } else if url.starts_with("sqlite:") {
            Store::Sqlite(sqlite::connect(url).await?)
        } else {
            return Err(Error::Internal(format!(
                "unsupported database URL scheme in {}: use sqlite://PATH or postgres://...",
                redact(url)
            )));
        };
        Ok(store)
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// One round trip to prove the database answers (readiness).
    pub async fn ping(&self) -> Result<()> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Reads a value of the `gateway_meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let value = match self {
            Store::Sqlite(pool) => {
                sqlx::query_scalar("SELECT value FROM gateway_meta WHERE key = ?1")
                    .bind(key)
                    .fetch_optional(pool)
                    .await?
            }
            Store::Postgres(pool) => {
                sqlx::query_scalar("SELECT value FROM gateway_meta WHERE key = $1")
                    .bind(key)
                    .fetch_optional(pool)
                    .await?
            }
        };
        Ok(value)
    }

    /// Writes a value of the `gateway_meta` table.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query(
                    "INSERT INTO gateway_meta (key, value) VALUES (?1, ?2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(pool)
                .await?;
            }
            Store::Postgres(pool) => {
                sqlx::query(
                    "INSERT INTO gateway_meta (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(pool)
                .await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
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

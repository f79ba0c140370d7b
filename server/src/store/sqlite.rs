//! SQLite: the embedded default. WAL mode, a file created on first start.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub async fn connect(url: &str) -> Result<sqlx::SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| Error::Internal(format!("invalid SQLite URL {url}: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|e| Error::Internal(format!("cannot open SQLite database {url}: {e}")))?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| Error::Internal(format!("SQLite migrations failed: {e}")))?;
    Ok(pool)
}

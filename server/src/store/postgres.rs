//! PostgreSQL: the production backend, shared by every instance.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;

use super::redact;
use crate::error::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub async fn connect(url: &str) -> Result<sqlx::PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .map_err(|e| {
            Error::Internal(format!(
                "cannot connect to PostgreSQL at {}: {e}",
                redact(url)
            ))
        })?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| Error::Internal(format!("PostgreSQL migrations failed: {e}")))?;
    Ok(pool)
}

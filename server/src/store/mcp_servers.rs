//! MCP servers added at runtime (`/mcp/servers`), in `mcp_servers`. Credentials arrive here
//! already encrypted (`admin::mcp_servers`); this module only stores. A removed server keeps
//! its row, marked deleted, so the table's fingerprint changes for the other instances.

use super::Store;
use crate::error::Result;

/// One stored server.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct McpServerRow {
    pub server_id: String,
    pub server_name: String,
    /// JSON of the server's settings, credentials left out.
    pub definition: String,
    /// The credentials' JSON, sealed; `None` when there are none.
    pub secrets: Option<String>,
    pub created_by: String,
    pub updated_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted: i32,
}

impl Store {
    /// Every live server, oldest first.
    pub async fn mcp_servers(&self) -> Result<Vec<McpServerRow>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT server_id, server_name, definition, secrets, created_by, updated_by, \
                 created_at, updated_at, deleted FROM mcp_servers WHERE deleted = 0 \
                 ORDER BY created_at, server_id",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// A fingerprint of the table (rows and latest change), cheap to poll.
    pub async fn mcp_servers_version(&self) -> Result<(i64, i64)> {
        let version: (i64, Option<i64>) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM mcp_servers")
                .fetch_one(pool)
                .await
        })?;
        Ok((version.0, version.1.unwrap_or(0)))
    }

    /// The live server with this id or name.
    pub async fn mcp_server(&self, id_or_name: &str) -> Result<Option<McpServerRow>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT server_id, server_name, definition, secrets, created_by, updated_by, \
                 created_at, updated_at, deleted FROM mcp_servers WHERE deleted = 0 \
                 AND (server_id = $1 OR server_name = $1) \
                 ORDER BY CASE WHEN server_id = $1 THEN 0 ELSE 1 END LIMIT 1",
            )
            .bind(id_or_name)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Inserts a server, or replaces the row of the same id (a replaced row is live again).
    pub async fn put_mcp_server(&self, row: &McpServerRow) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO mcp_servers (server_id, server_name, definition, secrets, \
                 created_by, updated_by, created_at, updated_at, deleted) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0) \
                 ON CONFLICT (server_id) DO UPDATE SET server_name = $2, definition = $3, \
                 secrets = $4, updated_by = $6, updated_at = $8, deleted = 0",
            )
            .bind(&row.server_id)
            .bind(&row.server_name)
            .bind(&row.definition)
            .bind(&row.secrets)
            .bind(&row.created_by)
            .bind(&row.updated_by)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks a server deleted at `now_ms`; returns whether a live one was there.
    pub async fn delete_mcp_server(&self, server_id: &str, now_ms: i64) -> Result<bool> {
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE mcp_servers SET deleted = 1, updated_at = $2 \
                 WHERE server_id = $1 AND deleted = 0",
            )
            .bind(server_id)
            .bind(now_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }
}

//! Deployments added at runtime (`/model/new`), in `router_models`. Credentials inside
//! `litellm_params` arrive here already encrypted (`router::secrets`); this module only stores.

use super::Store;
use crate::error::Result;

/// One stored deployment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ModelRow {
    pub model_id: String,
    pub model_name: String,
    /// JSON, credentials encrypted.
    pub litellm_params: String,
    /// JSON.
    pub model_info: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted: i32,
}

impl Store {
    /// Every stored deployment that is not deleted.
    pub async fn router_models(&self) -> Result<Vec<ModelRow>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT model_id, model_name, litellm_params, model_info, created_at, updated_at, \
                 deleted FROM router_models WHERE deleted = 0 ORDER BY created_at, model_id",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// A fingerprint of the table (rows and latest change), cheap to poll.
    pub async fn router_models_version(&self) -> Result<(i64, i64)> {
        let version: (i64, Option<i64>) = with_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM router_models")
                .fetch_one(pool)
                .await
        })?;
        Ok((version.0, version.1.unwrap_or(0)))
    }

    /// The stored deployment `model_id`, deleted or not.
    pub async fn router_model(&self, model_id: &str) -> Result<Option<ModelRow>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT model_id, model_name, litellm_params, model_info, created_at, updated_at, \
                 deleted FROM router_models WHERE model_id = $1",
            )
            .bind(model_id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Inserts or replaces a deployment (a replaced one is no longer deleted).
    pub async fn put_router_model(&self, row: &ModelRow) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO router_models (model_id, model_name, litellm_params, model_info, \
                 created_at, updated_at, deleted) VALUES ($1, $2, $3, $4, $5, $6, 0) \
                 ON CONFLICT (model_id) DO UPDATE SET model_name = $2, litellm_params = $3, \
                 model_info = $4, updated_at = $6, deleted = 0",
            )
            .bind(&row.model_id)
            .bind(&row.model_name)
            .bind(&row.litellm_params)
            .bind(&row.model_info)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks a deployment deleted at `now_ms`; returns whether one was there.
    pub async fn delete_router_model(&self, model_id: &str, now_ms: i64) -> Result<bool> {
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE router_models SET deleted = 1, updated_at = $2 \
                 WHERE model_id = $1 AND deleted = 0",
            )
            .bind(model_id)
            .bind(now_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }
}

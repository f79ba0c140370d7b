//! Storage of managed tags (`tags`) and the spend of a tag, read from the spend logs (every call
//! records its tags in `spend_logs.request_tags` and `daily_tag_spend`).

use sqlx::FromRow;

use super::directory::write_error;
use super::{Store, json};
use crate::directory::TagRecord;
use crate::directory::budget::TagSettings;
use crate::error::{Error, Result};

const TAG_COLUMNS: &str =
    "tag_name, budget_id, settings, created_at, updated_at, created_by, updated_by";

#[derive(Debug, FromRow)]
struct TagRow {
    tag_name: String,
    budget_id: Option<String>,
    settings: String,
    created_at: i64,
    updated_at: i64,
    created_by: Option<String>,
    updated_by: Option<String>,
}

impl TagRow {
    fn into_record(self) -> Result<TagRecord> {
        Ok(TagRecord {
            settings: json::decode::<TagSettings>(&self.settings, "tags", &self.tag_name)?,
            tag_name: self.tag_name,
            budget_id: self.budget_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            updated_by: self.updated_by,
        })
    }
}

/// A tag seen in the spend logs: its name and first and last day of use.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct UsedTag {
    pub tag: String,
    pub first_day: String,
    pub last_day: String,
}

impl Store {
    pub async fn tag(&self, tag_name: &str) -> Result<Option<TagRecord>> {
        self.count_read();
        let sql = format!("SELECT {TAG_COLUMNS} FROM tags WHERE tag_name = $1");
        let row: Option<TagRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tag_name).fetch_optional(pool).await
        })?;
        row.map(TagRow::into_record).transpose()
    }

    /// Every managed tag, by name.
    pub async fn list_tags(&self) -> Result<Vec<TagRecord>> {
        self.count_read();
        let sql = format!("SELECT {TAG_COLUMNS} FROM tags ORDER BY tag_name");
        let rows: Vec<TagRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await
        })?;
        rows.into_iter().map(TagRow::into_record).collect()
    }

    /// Inserts a new tag; a taken name is a 400 (LiteLLM's message).
    pub async fn create_tag(&self, tag: &TagRecord) -> Result<()> {
        let settings = json::encode(&tag.settings)?;
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO tags (tag_name, budget_id, settings, created_at, updated_at, created_by, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&tag.tag_name)
            .bind(&tag.budget_id)
            .bind(&settings)
            .bind(tag.created_at)
            .bind(tag.updated_at)
            .bind(&tag.created_by)
            .bind(&tag.updated_by)
            .execute(pool)
            .await
            .map(drop)
        })
        .map_err(|e| {
            write_error(
                e,
                || Error::invalid_param(format!("Tag {} already exists", tag.tag_name), "name"),
                || no_budget(tag.budget_id.as_deref()),
            )
        })
    }

    /// Writes a tag's budget, settings and updater. Returns whether it was there.
    pub async fn update_tag(&self, tag: &TagRecord) -> Result<bool> {
        let settings = json::encode(&tag.settings)?;
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE tags SET budget_id = $2, settings = $3, updated_at = $4, updated_by = $5 \
                 WHERE tag_name = $1",
            )
            .bind(&tag.tag_name)
            .bind(&tag.budget_id)
            .bind(&settings)
            .bind(tag.updated_at)
            .bind(&tag.updated_by)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| {
            write_error(
                e,
                || Error::invalid("tag exists"),
                || no_budget(tag.budget_id.as_deref()),
            )
        })?;
        Ok(done == 1)
    }

    /// Deletes a tag (its budget stays). Returns whether it was there.
    pub async fn delete_tag(&self, tag_name: &str) -> Result<bool> {
        let done = with_pool!(self, pool => {
            sqlx::query("DELETE FROM tags WHERE tag_name = $1")
                .bind(tag_name)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// The spend of the calls carrying `tag` that started at or after `since_ms` (exact, from
    /// `spend_logs`).
    pub async fn tag_spend_since(&self, tag: &str, since_ms: i64) -> Result<f64> {
        self.count_read();
        let spend: Option<f64> = with_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT SUM(spend) FROM spend_logs WHERE start_time >= $1 AND request_tags LIKE $2 ESCAPE '\\'",
            )
            .bind(since_ms)
            .bind(tag_pattern(tag))
            .fetch_one(pool)
            .await
        })?;
        Ok(spend.unwrap_or(0.0))
    }

    /// The spend of the calls carrying `tag` on `day` (`YYYY-MM-DD`) and later, from the daily
    /// aggregates (they outlive pruned spend logs; the first day counts whole).
    pub async fn tag_spend_since_day(&self, tag: &str, day: &str) -> Result<f64> {
        self.count_read();
        let spend: Option<f64> = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT SUM(spend) FROM daily_tag_spend WHERE tag = $1 AND day >= $2")
                .bind(tag)
                .bind(day)
                .fetch_one(pool)
                .await
        })?;
        Ok(spend.unwrap_or(0.0))
    }

    /// Every tag the spend logs have seen, by name.
    pub async fn used_tags(&self) -> Result<Vec<UsedTag>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT tag, MIN(day) AS first_day, MAX(day) AS last_day FROM daily_tag_spend \
                 GROUP BY tag ORDER BY tag",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

fn no_budget(budget_id: Option<&str>) -> Error {
    Error::invalid_param(
        format!(
            "budget_id: no budget with id `{}`; create it with /budget/new",
            budget_id.unwrap_or_default()
        ),
        "budget_id",
    )
}

/// A `LIKE` pattern matching a JSON array (`request_tags`) that holds `tag` as an element.
fn tag_pattern(tag: &str) -> String {
    let quoted = serde_json::to_string(tag).unwrap_or_default();
    let escaped = quoted
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The pattern matches the tag as a whole JSON string, with LIKE's wildcards escaped.
    #[test]
    fn tag_patterns() {
        assert_eq!(tag_pattern("prod"), "%\"prod\"%");
        assert_eq!(tag_pattern("50%_off"), "%\"50\\%\\_off\"%");
        assert_eq!(tag_pattern("a\"b"), "%\"a\\\\\"b\"%");
    }
}

//! Storage of spend: the batch write of the spend writer (logs, daily aggregates and entity
//! spend in one transaction), pruning, and reading log rows. Reports are in
//! [`super::spend_reports`]. Every query is written once with `$n` placeholders.

use std::collections::HashSet;

use sqlx::FromRow;

use super::Store;
use crate::error::Result;
use crate::spend::{BatchTotals, SpendRecord};

/// Rows per multi-row statement on PostgreSQL, where each statement is a network round trip.
/// SQLite runs in-process, so it takes one cached single-row statement per row instead: its
/// cost of binding `$n` parameters grows with the square of their number (a 10,000-parameter
/// statement spent most of a load test's CPU in `sqlite3_bind_parameter_name`).
const POSTGRES_ROWS_PER_STATEMENT: usize = 128;

const LOG_COLUMNS: &[&str] = &[
    "request_id",
    "call_type",
    "route",
    "api_key",
    "key_alias",
    "user_id",
    "team_id",
    "organization_id",
    "end_user",
    "model_group",
    "model_id",
    "custom_llm_provider",
    "model",
    "api_base",
    "prompt_tokens",
    "completion_tokens",
    "cached_tokens",
    "spend",
    "start_time",
    "end_time",
    "latency_ms",
    "status",
    "error_type",
    "cache_hit",
    "request_tags",
    "messages",
    "response",
    "metadata",
];

const AGG_COLUMNS: &[&str] = &[
    "day",
    "api_key",
    "team_id",
    "user_id",
    "end_user",
    "model",
    "organization_id",
    "requests",
    "successful_requests",
    "failed_requests",
    "prompt_tokens",
    "completion_tokens",
    "cached_tokens",
    "spend",
];

/// A stored `spend_logs` row.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct SpendLogRow {
    pub request_id: String,
    pub call_type: String,
    pub route: String,
    pub api_key: String,
    pub key_alias: Option<String>,
    pub user_id: String,
    pub team_id: String,
    pub organization_id: String,
    pub end_user: String,
    pub model_group: String,
    pub model_id: String,
    pub custom_llm_provider: String,
    pub model: String,
    pub api_base: Option<String>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cached_tokens: i64,
    pub spend: f64,
    pub start_time: i64,
    pub end_time: i64,
    pub latency_ms: i64,
    pub status: String,
    pub error_type: Option<String>,
    pub cache_hit: bool,
    pub request_tags: String,
    pub messages: Option<String>,
    pub response: Option<String>,
    pub metadata: String,
}

impl SpendLogRow {
    fn of(r: &SpendRecord) -> Self {
        let json = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .map(|v| serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
        };
        Self {
            request_id: r.call_id.clone(),
            call_type: call_type(&r.route).to_owned(),
            route: r.route.clone(),
            api_key: id(&r.key_hash),
            key_alias: r.key_alias.clone(),
            user_id: id(&r.user_id),
            team_id: id(&r.team_id),
            organization_id: id(&r.organization_id),
            end_user: id(&r.end_user),
            model_group: r.model_group.clone(),
            model_id: id(&r.deployment_id),
            custom_llm_provider: id(&r.provider),
            model: r
                .upstream_model
                .clone()
                .unwrap_or_else(|| r.model_group.clone()),
            api_base: r.api_base.clone(),
            prompt_tokens: tokens(r.prompt_tokens),
            completion_tokens: tokens(r.completion_tokens),
            cached_tokens: tokens(r.cached_tokens),
            spend: r.cost,
            start_time: r.started_at,
            end_time: r.ended_at,
            latency_ms: tokens(r.latency_ms),
            status: r.status.as_str().to_owned(),
            error_type: r.error_type.clone(),
            cache_hit: r.cache_hit,
            request_tags: serde_json::to_string(&r.tags).unwrap_or_else(|_| "[]".into()),
            messages: json(&r.request),
            response: json(&r.response),
            metadata: serde_json::to_string(&r.metadata).unwrap_or_else(|_| "{}".into()),
        }
    }
}

/// An optional id as stored: `""` when absent.
fn id(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn tokens(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// LiteLLM's `call_type` for a route.
pub fn call_type(route: &str) -> &'static str {
    let r = route
        .trim_start_matches("/anthropic")
        .trim_start_matches("/v1");
    match r {
        "/chat/completions" => "acompletion",
        "/completions" => "atext_completion",
        "/embeddings" => "aembedding",
        "/messages" => "anthropic_messages",
        r if r.starts_with("/mcp") => "call_mcp_tool",
        _ => "acompletion",
    }
}

/// `($1, $2, ...), ($k, ...)` for `rows` rows of `columns` values.
fn values_list(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..columns {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + col + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

fn insert_logs_sql(rows: usize) -> String {
    format!(
        "INSERT INTO spend_logs ({}) VALUES {} ON CONFLICT (request_id) DO NOTHING RETURNING request_id",
        LOG_COLUMNS.join(", "),
        values_list(rows, LOG_COLUMNS.len())
    )
}

fn upsert_aggregates_sql(table: &str, key: &str, rows: usize) -> String {
    let sums = [
        "requests",
        "successful_requests",
        "failed_requests",
        "prompt_tokens",
        "completion_tokens",
        "cached_tokens",
        "spend",
    ]
    .iter()
    .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
    .collect::<Vec<_>>()
    .join(", ");
    let columns = if table == "daily_tag_spend" {
        format!("tag, {}", AGG_COLUMNS.join(", "))
    } else {
        AGG_COLUMNS.join(", ")
    };
    let width = AGG_COLUMNS.len() + usize::from(table == "daily_tag_spend");
    format!(
        "INSERT INTO {table} ({columns}) VALUES {} ON CONFLICT ({key}) DO UPDATE SET {sums}, \
         organization_id = excluded.organization_id",
        values_list(rows, width)
    )
}

/// Binds one `spend_logs` row's values, in [`LOG_COLUMNS`] order.
macro_rules! bind_log_row {
    ($q:expr, $r:expr) => {
        $q.bind(&$r.request_id)
            .bind(&$r.call_type)
            .bind(&$r.route)
            .bind(&$r.api_key)
            .bind(&$r.key_alias)
            .bind(&$r.user_id)
            .bind(&$r.team_id)
            .bind(&$r.organization_id)
            .bind(&$r.end_user)
            .bind(&$r.model_group)
            .bind(&$r.model_id)
            .bind(&$r.custom_llm_provider)
            .bind(&$r.model)
            .bind(&$r.api_base)
            .bind($r.prompt_tokens)
            .bind($r.completion_tokens)
            .bind($r.cached_tokens)
            .bind($r.spend)
            .bind($r.start_time)
            .bind($r.end_time)
            .bind($r.latency_ms)
            .bind(&$r.status)
            .bind(&$r.error_type)
            .bind($r.cache_hit)
            .bind(&$r.request_tags)
            .bind(&$r.messages)
            .bind(&$r.response)
            .bind(&$r.metadata)
    };
}

/// Binds one aggregate row's values, in [`AGG_COLUMNS`] order.
macro_rules! bind_agg_row {
    ($q:expr, $k:expr, $t:expr) => {
        $q.bind(&$k.day)
            .bind(&$k.api_key)
            .bind(&$k.team_id)
            .bind(&$k.user_id)
            .bind(&$k.end_user)
            .bind(&$k.model)
            .bind(&$t.organization_id)
            .bind($t.requests)
            .bind($t.successful_requests)
            .bind($t.failed_requests)
            .bind($t.prompt_tokens)
            .bind($t.completion_tokens)
            .bind($t.cached_tokens)
            .bind($t.spend)
    };
}

/// `UPDATE <table> SET spend = spend + $1 WHERE <id columns> = $2 [AND ... = $3]`.
const ENTITY_UPDATES: &[(&str, &str)] = &[
    (
        "keys",
        "UPDATE keys SET spend = spend + $1 WHERE token = $2",
    ),
    (
        "teams",
        "UPDATE teams SET spend = spend + $1 WHERE team_id = $2",
    ),
    (
        "users",
        "UPDATE users SET spend = spend + $1 WHERE user_id = $2",
    ),
    (
        "organizations",
        "UPDATE organizations SET spend = spend + $1 WHERE organization_id = $2",
    ),
    (
        "end_users",
        "UPDATE end_users SET spend = spend + $1 WHERE user_id = $2",
    ),
];
const TEAM_MEMBER_UPDATE: &str =
    "UPDATE team_memberships SET spend = spend + $1 WHERE team_id = $2 AND user_id = $3";
const ORG_MEMBER_UPDATE: &str = "UPDATE organization_memberships SET spend = spend + $1 \
                                 WHERE organization_id = $2 AND user_id = $3";

impl Store {
    /// Writes one batch of spend records in one transaction: the new `spend_logs` rows (records
    /// already there are skipped), and for the new ones only, the daily aggregates and the spend
    /// of every entity concerned. Answers how many rows were new.
    pub async fn write_spend_batch(&self, records: &[SpendRecord]) -> Result<usize> {
        let mut seen = HashSet::new();
        let unique: Vec<&SpendRecord> = records
            .iter()
            .filter(|r| seen.insert(r.call_id.as_str()))
            .collect();
        if unique.is_empty() {
            return Ok(0);
        }
        let rows: Vec<SpendLogRow> = unique.iter().map(|r| SpendLogRow::of(r)).collect();
        let per_statement = match self.pool {
            super::Pool::Sqlite(_) => 1,
            super::Pool::Postgres(_) => POSTGRES_ROWS_PER_STATEMENT,
        };
        let agg_per_statement = per_statement;
        let inserted = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut new_ids: HashSet<String> = HashSet::new();
            for chunk in rows.chunks(per_statement) {
                let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(insert_logs_sql(chunk.len())));
                for r in chunk {
                    q = bind_log_row!(q, r);
                }
                new_ids.extend(q.fetch_all(&mut *tx).await?);
            }
            let totals = BatchTotals::of(unique.iter().copied().filter(|r| new_ids.contains(&r.call_id)));
            let daily: Vec<_> = totals.daily.iter().collect();
            for chunk in daily.chunks(agg_per_statement) {
                let sql = upsert_aggregates_sql(
                    "daily_spend",
                    "day, api_key, team_id, user_id, end_user, model",
                    chunk.len(),
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (k, t) in chunk {
                    q = bind_agg_row!(q, k, t);
                }
                q.execute(&mut *tx).await?;
            }
            let tags: Vec<_> = totals.tags.iter().collect();
            for chunk in tags.chunks(agg_per_statement) {
                let sql = upsert_aggregates_sql(
                    "daily_tag_spend",
                    "day, tag, api_key, team_id, user_id, end_user, model",
                    chunk.len(),
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for ((tag, k), t) in chunk {
                    q = bind_agg_row!(q.bind(tag), k, t);
                }
                q.execute(&mut *tx).await?;
            }
            let entities = [
                &totals.keys,
                &totals.teams,
                &totals.users,
                &totals.organizations,
                &totals.end_users,
            ];
            for ((_, sql), amounts) in ENTITY_UPDATES.iter().zip(entities) {
                for (entity, amount) in amounts {
                    sqlx::query(*sql).bind(*amount).bind(entity).execute(&mut *tx).await?;
                }
            }
            for (sql, amounts) in [
                (TEAM_MEMBER_UPDATE, &totals.team_members),
                (ORG_MEMBER_UPDATE, &totals.organization_members),
            ] {
                for ((group, user), amount) in amounts {
                    sqlx::query(sql).bind(*amount).bind(group).bind(user).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(new_ids.len())
        })?;
        Ok(inserted)
    }

    /// Deletes the `spend_logs` rows of calls that started before `before_ms`.
    pub async fn prune_spend_logs(&self, before_ms: i64) -> Result<u64> {
        let deleted = with_pool!(self, pool => {
            sqlx::query("DELETE FROM spend_logs WHERE start_time < $1")
                .bind(before_ms)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(deleted)
    }

    /// Log rows matching `filter`, newest first; with `page` (1-based) and `page_size`, one
    /// page of them. Answers the rows and the number matching in all.
    pub async fn spend_logs(
        &self,
        filter: &SpendFilter,
        page: Option<(u32, u32)>,
    ) -> Result<(Vec<SpendLogRow>, u64)> {
        let mut w = Where::default();
        filter.apply(&mut w, Table::Logs);
        let mut list_sql = format!(
            "SELECT {} FROM spend_logs {} ORDER BY start_time DESC, request_id DESC",
            LOG_COLUMNS.join(", "),
            w.sql()
        );
        let count_sql = format!("SELECT COUNT(*) FROM spend_logs {}", w.sql());
        if let Some((page, size)) = page {
            let offset = i64::from(page.saturating_sub(1)) * i64::from(size);
            list_sql.push_str(&format!(" LIMIT {size} OFFSET {offset}"));
        }
        let (rows, total): (Vec<SpendLogRow>, i64) = with_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, SpendLogRow>(sqlx::AssertSqlSafe(list_sql));
            for b in &w.binds {
                q = match b {
                    Bind::Text(s) => q.bind(s),
                    Bind::Int(i) => q.bind(*i),
                };
            }
            let rows = q.fetch_all(pool).await?;
            let total = if page.is_some() {
                let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
                for b in &w.binds {
                    c = match b {
                        Bind::Text(s) => c.bind(s),
                        Bind::Int(i) => c.bind(*i),
                    };
                }
                c.fetch_one(pool).await?
            } else {
                i64::try_from(rows.len()).unwrap_or(i64::MAX)
            };
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }
}

/// What a spend query is restricted to; every set field must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendFilter {
    /// The key hash.
    pub api_key: Option<String>,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub end_user: Option<String>,
    /// One call (logs only).
    pub request_id: Option<String>,
    /// Model group.
    pub model: Option<String>,
    /// Any of these tags (tag aggregates only).
    pub tags: Vec<String>,
    /// Unix ms, inclusive (aggregates: its UTC day).
    pub from_ms: Option<i64>,
    /// Unix ms, exclusive (aggregates: the UTC day of the ms before it).
    pub until_ms: Option<i64>,
    /// For callers who do not read everything: rows of this user, key or these teams only.
    pub scope: Option<SpendScope>,
}

/// The rows a restricted principal may see: their user's, their key's, or their teams'.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendScope {
    pub user_id: Option<String>,
    pub api_key: Option<String>,
    pub team_ids: Vec<String>,
}

/// Which table a filter applies to (time columns differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Logs,
    Daily,
    Tags,
}

impl SpendFilter {
    pub(crate) fn apply(&self, w: &mut Where, table: Table) {
        let col = |c: &str| match table {
            Table::Logs => c.to_owned(),
            Table::Daily | Table::Tags => format!("d.{c}"),
        };
        for (column, value) in [
            ("api_key", &self.api_key),
            ("user_id", &self.user_id),
            ("team_id", &self.team_id),
            ("end_user", &self.end_user),
        ] {
            if let Some(v) = value {
                w.eq(&col(column), v);
            }
        }
        match table {
            Table::Logs => {
                if let Some(v) = &self.request_id {
                    w.eq("request_id", v);
                }
                if let Some(v) = &self.model {
                    w.eq("model_group", v);
                }
                if let Some(ms) = self.from_ms {
                    w.int("start_time >=", ms);
                }
                if let Some(ms) = self.until_ms {
                    w.int("start_time <", ms);
                }
            }
            Table::Daily | Table::Tags => {
                if let Some(v) = &self.model {
                    w.eq("d.model", v);
                }
                if let Some(ms) = self.from_ms {
                    w.text_cmp("d.day >=", crate::spend::day::of_ms(ms));
                }
                if let Some(ms) = self.until_ms {
                    w.text_cmp("d.day <=", crate::spend::day::of_ms(ms - 1));
                }
                if table == Table::Tags && !self.tags.is_empty() {
                    w.any("d.tag", &self.tags);
                }
            }
        }
        if let Some(scope) = &self.scope {
            let mut parts = Vec::new();
            if let Some(user) = &scope.user_id {
                parts.push(format!(
                    "{} = {}",
                    col("user_id"),
                    w.push(Bind::Text(user.clone()))
                ));
            }
            if let Some(key) = &scope.api_key {
                parts.push(format!(
                    "{} = {}",
                    col("api_key"),
                    w.push(Bind::Text(key.clone()))
                ));
            }
            if !scope.team_ids.is_empty() {
                let list: Vec<String> = scope
                    .team_ids
                    .iter()
                    .map(|t| w.push(Bind::Text(t.clone())))
                    .collect();
                parts.push(format!("{} IN ({})", col("team_id"), list.join(", ")));
            }
            if parts.is_empty() {
                w.clauses.push("1 = 0".into());
            } else {
                w.clauses.push(format!("({})", parts.join(" OR ")));
            }
        }
    }
}

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause built from filters, with its binds in placeholder order.
#[derive(Debug, Default)]
pub(crate) struct Where {
    pub clauses: Vec<String>,
    pub binds: Vec<Bind>,
}

impl Where {
    /// Adds a bind and answers its placeholder.
    fn push(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    fn eq(&mut self, column: &str, value: &str) {
        let p = self.push(Bind::Text(value.to_owned()));
        self.clauses.push(format!("{column} = {p}"));
    }

    fn int(&mut self, column_op: &str, value: i64) {
        let p = self.push(Bind::Int(value));
        self.clauses.push(format!("{column_op} {p}"));
    }

    fn text_cmp(&mut self, column_op: &str, value: String) {
        let p = self.push(Bind::Text(value));
        self.clauses.push(format!("{column_op} {p}"));
    }

    fn any(&mut self, column: &str, values: &[String]) {
        let list: Vec<String> = values
            .iter()
            .map(|v| self.push(Bind::Text(v.clone())))
            .collect();
        self.clauses
            .push(format!("{column} IN ({})", list.join(", ")));
    }

    /// `WHERE a AND b`, or nothing.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Placeholders number across rows; filters and scope become one AND of clauses with their
    // binds in order; a scope with nothing in it matches nothing.
    #[test]
    fn builds_sql() {
        assert_eq!(values_list(2, 2), "($1, $2), ($3, $4)");
        let f = SpendFilter {
            api_key: Some("k".into()),
            from_ms: Some(86_400_000),
            until_ms: Some(2 * 86_400_000),
            scope: Some(SpendScope {
                user_id: Some("u".into()),
                api_key: None,
                team_ids: vec!["a".into(), "b".into()],
            }),
            ..SpendFilter::default()
        };
        let mut w = Where::default();
        f.apply(&mut w, Table::Daily);
        assert_eq!(
            w.sql(),
            "WHERE d.api_key = $1 AND d.day >= $2 AND d.day <= $3 AND (d.user_id = $4 OR d.team_id IN ($5, $6))"
        );
        assert_eq!(w.binds[1], Bind::Text("1970-01-02".into()));
        assert_eq!(w.binds[2], Bind::Text("1970-01-02".into()));
        let mut w = Where::default();
        SpendFilter {
            scope: Some(SpendScope::default()),
            ..SpendFilter::default()
        }
        .apply(&mut w, Table::Logs);
        assert_eq!(w.sql(), "WHERE 1 = 0");
        assert_eq!(call_type("/v1/embeddings"), "aembedding");
        assert_eq!(call_type("/anthropic/v1/messages"), "anthropic_messages");
        assert!(insert_logs_sql(1).ends_with("RETURNING request_id"));
    }
}

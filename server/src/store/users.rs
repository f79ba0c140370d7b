//! Storage of internal users (`users`), created with their memberships and first key in one
//! transaction, deleted with their keys and memberships in another.

use std::collections::HashMap;

use sqlx::FromRow;

use super::super::keys::KEY_COLUMNS;
use super::super::{Store, json};
use super::{
    INSERT_ORGANIZATION_MEMBERSHIP, INSERT_TEAM_MEMBERSHIP, INSERT_USER, TOMBSTONE_KEY,
    key_hashes_sql, placeholders, write_error,
};
use crate::directory::{TeamMembership, UserRecord};
use crate::error::{Error, Result};
use crate::governance::UserRole;
use crate::keys::KeyRecord;

pub const USER_COLUMNS: &str = "user_id, user_email, user_role, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";

/// Everything of a user but their id, spend and creation (`$1` = id .. `$8`).
const UPDATE_USER: &str = "UPDATE users SET user_email = $2, user_role = $3, \
     budget_reset_at = CASE WHEN $7 THEN $4 ELSE budget_reset_at END, settings = $5, \
     updated_at = $6, updated_by = $8 WHERE user_id = $1";

#[derive(Debug, FromRow)]
pub struct UserRow {
    pub user_id: String,
    pub user_email: Option<String>,
    pub user_role: String,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

impl UserRow {
    pub fn into_record(self) -> Result<UserRecord> {
        Ok(UserRecord {
            settings: json::decode(&self.settings, "users", &self.user_id)?,
            user_role: UserRole::parse(&self.user_role).unwrap_or(UserRole::InternalUserViewer),
            user_id: self.user_id,
            user_email: self.user_email,
            spend: self.spend,
            budget_reset_at: self.budget_reset_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            updated_by: self.updated_by,
        })
    }
}

/// An organization membership to create with a user: organization, role, budget.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrganizationMembership {
    pub organization_id: String,
    pub role: String,
    pub max_budget_in_organization: Option<f64>,
}

/// Which users to list (`/user/list`); the filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserListFilter {
    pub role: Option<String>,
    /// Exactly these user ids.
    pub user_ids: Option<Vec<String>>,
    /// Part of the email, any case.
    pub email_contains: Option<String>,
    /// Members of this team.
    pub team: Option<String>,
    /// `user_id`, `user_email`, `created_at`, `spend`, `user_role` (checked by the caller).
    pub sort_by: Option<&'static str>,
    pub descending: bool,
}

impl UserListFilter {
    /// The `WHERE` clause and its bound values (only placeholders are generated here).
    fn where_clause(&self) -> (String, Vec<String>) {
        let mut sql = String::from("1 = 1");
        let mut binds = Vec::new();
        if let Some(role) = &self.role {
            binds.push(role.clone());
            sql.push_str(&format!(" AND user_role = ${}", binds.len()));
        }
        if let Some(ids) = &self.user_ids {
            if ids.is_empty() {
                sql.push_str(" AND 1 = 0");
            } else {
                sql.push_str(&format!(
                    " AND user_id IN ({})",
                    placeholders(binds.len() + 1, ids.len())
                ));
                binds.extend(ids.iter().cloned());
            }
        }
        if let Some(part) = &self.email_contains {
            let escaped = part
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(format!("%{escaped}%"));
            sql.push_str(&format!(
                " AND LOWER(user_email) LIKE ${} ESCAPE '\\'",
                binds.len()
            ));
        }
        if let Some(team) = &self.team {
            binds.push(team.clone());
            sql.push_str(&format!(
                " AND user_id IN (SELECT user_id FROM team_memberships WHERE team_id = ${})",
                binds.len()
            ));
        }
        (sql, binds)
    }
}

impl Store {
    pub async fn user(&self, user_id: &str) -> Result<Option<UserRecord>> {
        self.count_read();
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = $1");
        let row: Option<UserRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await
        })?;
        row.map(UserRow::into_record).transpose()
    }

    /// The users with this email, compared without case.
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<UserRecord>> {
        self.count_read();
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE LOWER(user_email) = LOWER($1) ORDER BY user_id"
        );
        let rows: Vec<UserRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_all(pool).await
        })?;
        rows.into_iter().map(UserRow::into_record).collect()
    }

    /// One page (`page` from 1) of the users `filter` selects, and how many it selects in all.
    /// Newest first unless `filter.sort_by` says otherwise.
    pub async fn list_users(
        &self,
        filter: &UserListFilter,
        page: u32,
        size: u32,
    ) -> Result<(Vec<UserRecord>, u64)> {
        self.count_read();
        let (clause, binds) = filter.where_clause();
        let order = match (filter.sort_by, filter.descending) {
            (Some(column), true) => format!("{column} DESC, user_id DESC"),
            (Some(column), false) => format!("{column} ASC, user_id ASC"),
            (None, _) => "created_at DESC, user_id DESC".to_owned(),
        };
        let limit = binds.len() + 1;
        let count_sql = format!("SELECT COUNT(*) FROM users WHERE {clause}");
        let page_sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE {clause} ORDER BY {order} LIMIT ${limit} OFFSET ${}",
            limit + 1
        );
        let offset = i64::from(page.saturating_sub(1)) * i64::from(size);
        let (total, rows): (i64, Vec<UserRow>) = with_pool!(self, pool => {
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql));
            let mut rows = sqlx::query_as(sqlx::AssertSqlSafe(page_sql));
            for value in &binds {
                count = count.bind(value);
                rows = rows.bind(value);
            }
            let total = count.fetch_one(pool).await?;
            let rows = rows.bind(i64::from(size)).bind(offset).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((total, rows))
        })?;
        let users = rows
            .into_iter()
            .map(UserRow::into_record)
            .collect::<Result<Vec<_>>>()?;
        Ok((users, u64::try_from(total).unwrap_or_default()))
    }

    /// How many keys each of `user_ids` owns (users with none are absent).
    pub async fn key_counts(&self, user_ids: &[String]) -> Result<HashMap<String, u64>> {
        self.count_read();
        if user_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT user_id, COUNT(*) FROM keys WHERE user_id IN ({}) GROUP BY user_id",
            placeholders(1, user_ids.len())
        );
        let rows: Vec<(String, i64)> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in user_ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(user, n)| (user, u64::try_from(n).unwrap_or_default()))
            .collect())
    }

    /// Creates `user` with their team and organization memberships and, if given, their first
    /// key, in one transaction. A taken user id is a 400.
    pub async fn create_user(
        &self,
        user: &UserRecord,
        teams: &[TeamMembership],
        organizations: &[NewOrganizationMembership],
        key: Option<&KeyRecord>,
    ) -> Result<()> {
        let settings = json::encode(&user.settings)?;
        let key_settings = key.map(|k| json::encode(&k.settings)).transpose()?;
        let insert_key = format!(
            "INSERT INTO keys ({KEY_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        let result: std::result::Result<(), sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            bind_user!(sqlx::query(INSERT_USER), user, settings)
                .execute(&mut *tx)
                .await?;
            for member in teams {
                bind_team_membership!(sqlx::query(INSERT_TEAM_MEMBERSHIP), member)
                    .execute(&mut *tx)
                    .await?;
            }
            for org in organizations {
                sqlx::query(INSERT_ORGANIZATION_MEMBERSHIP)
                    .bind(&org.organization_id)
                    .bind(&user.user_id)
                    .bind(&org.role)
                    .bind(org.max_budget_in_organization)
                    .bind(user.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
            if let (Some(key), Some(key_settings)) = (key, &key_settings) {
                sqlx::query(sqlx::AssertSqlSafe(insert_key))
                    .bind(&key.token)
                    .bind(&key.key_name)
                    .bind(&key.key_alias)
                    .bind(&key.user_id)
                    .bind(&key.team_id)
                    .bind(&key.organization_id)
                    .bind(key.blocked)
                    .bind(key.expires)
                    .bind(key.spend)
                    .bind(key.budget_reset_at)
                    .bind(key_settings)
                    .bind(key.created_at)
                    .bind(key.updated_at)
                    .bind(&key.created_by)
                    .bind(&key.updated_by)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await);
        result.map_err(|e| {
            let message = e.to_string();
            write_error(
                e,
                || {
                    if message.contains("key_alias") {
                        Error::invalid_param(
                            "key_alias: a key with this alias already exists",
                            "key_alias",
                        )
                    } else {
                        Error::invalid_param(
                            format!("user_id: a user with id `{}` already exists", user.user_id),
                            "user_id",
                        )
                    }
                },
                || Error::invalid("teams or organizations name something that does not exist"),
            )
        })
    }

    /// Writes a user's email, role, settings and budget reset (never their spend).
    /// Returns whether the user was there.
    pub async fn update_user(&self, user: &UserRecord, reset_changed: bool) -> Result<bool> {
        let settings = json::encode(&user.settings)?;
        let done = with_pool!(self, pool => {
            sqlx::query(UPDATE_USER)
                .bind(&user.user_id)
                .bind(&user.user_email)
                .bind(user.user_role.as_str())
                .bind(user.budget_reset_at)
                .bind(&settings)
                .bind(user.updated_at)
                .bind(reset_changed)
                .bind(&user.updated_by)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Deletes users with their keys and memberships (the keys' hashes are remembered as
    /// deleted at `at_ms`), in one transaction. Returns how many keys went.
    pub async fn delete_users(&self, user_ids: &[String], at_ms: i64) -> Result<u64> {
        let hashes = key_hashes_sql("user_id");
        let result: std::result::Result<u64, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut keys = 0;
            for user_id in user_ids {
                let tokens: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(hashes.clone()))
                    .bind(user_id)
                    .fetch_all(&mut *tx)
                    .await?;
                for token in &tokens {
                    sqlx::query(TOMBSTONE_KEY).bind(token).bind(at_ms).execute(&mut *tx).await?;
                }
                keys += sqlx::query("DELETE FROM keys WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                for table in ["team_memberships", "organization_memberships", "users"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE user_id = $1")))
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(keys)
        }
        .await);
        Ok(result?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Filters bind every value in order; email patterns escape LIKE's wildcards.
    #[test]
    fn user_filter_binds_values() {
        let filter = UserListFilter {
            role: Some("internal_user".into()),
            user_ids: Some(vec!["a".into(), "b".into()]),
            email_contains: Some("X_Y%".into()),
            team: Some("t".into()),
            ..UserListFilter::default()
        };
        let (sql, binds) = filter.where_clause();
        assert!(sql.contains("user_role = $1"));
        assert!(sql.contains("user_id IN ($2, $3)"));
        assert!(sql.contains("LIKE $4"));
        assert!(sql.contains("team_id = $5"));
        assert_eq!(binds[3], "%x\\_y\\%%");
        let none = UserListFilter {
            user_ids: Some(vec![]),
            ..UserListFilter::default()
        };
        assert!(none.where_clause().0.contains("1 = 0"));
    }
}

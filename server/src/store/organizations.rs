//! Storage of organizations and their memberships (`organizations`,
//! `organization_memberships`).

use sqlx::FromRow;

use super::super::{Store, json};
use super::{
    INSERT_ORGANIZATION_MEMBERSHIP, INSERT_USER, TOMBSTONE_KEY, key_hashes_sql, placeholders,
    write_error,
};
use crate::directory::{OrganizationMembership, OrganizationRecord, UserRecord};
use crate::error::{Error, Result};

pub const ORGANIZATION_COLUMNS: &str = "organization_id, organization_alias, blocked, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";

const INSERT_ORGANIZATION: &str = "INSERT INTO organizations (organization_id, organization_alias, blocked, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Everything of an organization but its id, spend and creation (`$1` = id .. `$8`).
const UPDATE_ORGANIZATION: &str = "UPDATE organizations SET organization_alias = $2, blocked = $3, \
     budget_reset_at = CASE WHEN $7 THEN $4 ELSE budget_reset_at END, settings = $5, \
     updated_at = $6, updated_by = $8 WHERE organization_id = $1";

#[derive(Debug, FromRow)]
pub struct OrganizationRow {
    pub organization_id: String,
    pub organization_alias: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

impl OrganizationRow {
    pub fn into_record(self) -> Result<OrganizationRecord> {
        Ok(OrganizationRecord {
            settings: json::decode(&self.settings, "organizations", &self.organization_id)?,
            organization_id: self.organization_id,
            organization_alias: self.organization_alias,
            blocked: self.blocked,
            spend: self.spend,
            budget_reset_at: self.budget_reset_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            updated_by: self.updated_by,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct OrganizationMembershipRow {
    pub organization_id: String,
    pub user_id: String,
    pub role: String,
    pub created_at: i64,
}

impl OrganizationMembershipRow {
    pub fn into_record(self) -> OrganizationMembership {
        OrganizationMembership {
            organization_id: self.organization_id,
            user_id: self.user_id,
            role: self.role,
            created_at: self.created_at,
        }
    }
}

/// A membership with the member's budget and spend there and their email (from `users`).
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationMember {
    pub membership: OrganizationMembership,
    pub max_budget_in_organization: Option<f64>,
    pub spend: f64,
    pub user_email: Option<String>,
}

#[derive(Debug, FromRow)]
struct OrganizationMemberRow {
    organization_id: String,
    user_id: String,
    role: String,
    created_at: i64,
    max_budget_in_organization: Option<f64>,
    spend: f64,
    user_email: Option<String>,
}

impl OrganizationMemberRow {
    fn into_member(self) -> OrganizationMember {
        OrganizationMember {
            max_budget_in_organization: self.max_budget_in_organization,
            spend: self.spend,
            user_email: self.user_email,
            membership: OrganizationMembership {
                organization_id: self.organization_id,
                user_id: self.user_id,
                role: self.role,
                created_at: self.created_at,
            },
        }
    }
}

const MEMBER_SELECT: &str = "SELECT m.organization_id, m.user_id, m.role, m.created_at, \
     m.max_budget_in_organization, m.spend, u.user_email \
     FROM organization_memberships m LEFT JOIN users u ON u.user_id = m.user_id";

impl Store {
    pub async fn organization(&self, organization_id: &str) -> Result<Option<OrganizationRecord>> {
        self.count_read();
        let sql =
            format!("SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE organization_id = $1");
        let row: Option<OrganizationRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(organization_id).fetch_optional(pool).await
        })?;
        row.map(OrganizationRow::into_record).transpose()
    }

    /// Every organization, or `only` these, by alias then id.
    pub async fn list_organizations(
        &self,
        only: Option<&[String]>,
    ) -> Result<Vec<OrganizationRecord>> {
        self.count_read();
        let mut sql = format!("SELECT {ORGANIZATION_COLUMNS} FROM organizations");
        if let Some(ids) = only {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            sql.push_str(&format!(
                " WHERE organization_id IN ({})",
                placeholders(1, ids.len())
            ));
        }
        sql.push_str(" ORDER BY COALESCE(organization_alias, ''), organization_id");
        let rows: Vec<OrganizationRow> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in only.unwrap_or_default() {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(OrganizationRow::into_record).collect()
    }

    /// The members of `organization_id`, oldest first.
    pub async fn organization_members(
        &self,
        organization_id: &str,
    ) -> Result<Vec<OrganizationMember>> {
        self.count_read();
        let sql = format!(
            "{MEMBER_SELECT} WHERE m.organization_id = $1 ORDER BY m.created_at, m.user_id"
        );
        let rows: Vec<OrganizationMemberRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(organization_id).fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(OrganizationMemberRow::into_member)
            .collect())
    }

    /// The organization memberships of `user_id`.
    pub async fn organization_memberships_of_user(
        &self,
        user_id: &str,
    ) -> Result<Vec<OrganizationMember>> {
        self.count_read();
        let sql = format!("{MEMBER_SELECT} WHERE m.user_id = $1 ORDER BY m.organization_id");
        let rows: Vec<OrganizationMemberRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(OrganizationMemberRow::into_member)
            .collect())
    }

    /// Inserts a new organization. A taken id is a 400.
    pub async fn create_organization(&self, org: &OrganizationRecord) -> Result<()> {
        let settings = json::encode(&org.settings)?;
        with_pool!(self, pool => {
            sqlx::query(INSERT_ORGANIZATION)
                .bind(&org.organization_id)
                .bind(&org.organization_alias)
                .bind(org.blocked)
                .bind(org.spend)
                .bind(org.budget_reset_at)
                .bind(&settings)
                .bind(org.created_at)
                .bind(org.updated_at)
                .bind(&org.created_by)
                .bind(&org.updated_by)
                .execute(pool)
                .await
                .map(drop)
        })
        .map_err(|e| {
            write_error(
                e,
                || {
                    Error::invalid_param(
                        format!(
                            "organization_id: an organization with id `{}` already exists",
                            org.organization_id
                        ),
                        "organization_id",
                    )
                },
                || Error::invalid("organization refers to something that does not exist"),
            )
        })
    }

    /// Writes an organization's alias, blocked flag and settings (never its spend);
    /// `budget_reset_at` only when `reset_changed`. Returns whether it was there.
    pub async fn update_organization(
        &self,
        org: &OrganizationRecord,
        reset_changed: bool,
    ) -> Result<bool> {
        let settings = json::encode(&org.settings)?;
        let done = with_pool!(self, pool => {
            sqlx::query(UPDATE_ORGANIZATION)
                .bind(&org.organization_id)
                .bind(&org.organization_alias)
                .bind(org.blocked)
                .bind(org.budget_reset_at)
                .bind(&settings)
                .bind(org.updated_at)
                .bind(reset_changed)
                .bind(&org.updated_by)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Adds members to an organization, creating the `new_users` they name first, in one
    /// transaction. Each member is (user id, role, budget in the organization).
    pub async fn add_organization_members(
        &self,
        organization_id: &str,
        new_users: &[UserRecord],
        members: &[(String, String, Option<f64>)],
        now_ms: i64,
    ) -> Result<()> {
        let user_settings = new_users
            .iter()
            .map(|u| json::encode(&u.settings))
            .collect::<Result<Vec<_>>>()?;
        let result: std::result::Result<(), sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            for (user, settings) in new_users.iter().zip(&user_settings) {
                bind_user!(sqlx::query(INSERT_USER), user, settings)
                    .execute(&mut *tx)
                    .await?;
            }
            for (user_id, role, budget) in members {
                sqlx::query(INSERT_ORGANIZATION_MEMBERSHIP)
                    .bind(organization_id)
                    .bind(user_id)
                    .bind(role)
                    .bind(*budget)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await);
        result.map_err(|e| {
            write_error(
                e,
                || {
                    Error::invalid_param(
                        "member: a user is already a member of this organization",
                        "member",
                    )
                },
                || Error::invalid_param("organization_id: no such organization", "organization_id"),
            )
        })
    }

    /// Deletes organizations with everything that belongs to them: their teams (with those
    /// teams' memberships and keys), their keys and their memberships, in one transaction. The
    /// keys' hashes are remembered as deleted at `at_ms`. Returns how many keys went.
    pub async fn delete_organizations(&self, ids: &[String], at_ms: i64) -> Result<u64> {
        let team_hashes = key_hashes_sql("team_id");
        let org_hashes = key_hashes_sql("organization_id");
        let result: std::result::Result<u64, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut keys = 0;
            for org_id in ids {
                let teams: Vec<String> =
                    sqlx::query_scalar("SELECT team_id FROM teams WHERE organization_id = $1")
                        .bind(org_id)
                        .fetch_all(&mut *tx)
                        .await?;
                let mut tokens: Vec<String> = Vec::new();
                for team_id in &teams {
                    tokens.extend(
                        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(team_hashes.clone()))
                            .bind(team_id)
                            .fetch_all(&mut *tx)
                            .await?,
                    );
                }
                tokens.extend(
                    sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(org_hashes.clone()))
                        .bind(org_id)
                        .fetch_all(&mut *tx)
                        .await?,
                );
                for token in &tokens {
                    sqlx::query(TOMBSTONE_KEY).bind(token).bind(at_ms).execute(&mut *tx).await?;
                }
                for team_id in &teams {
                    keys += sqlx::query("DELETE FROM keys WHERE team_id = $1")
                        .bind(team_id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    sqlx::query("DELETE FROM team_memberships WHERE team_id = $1")
                        .bind(team_id)
                        .execute(&mut *tx)
                        .await?;
                }
                keys += sqlx::query("DELETE FROM keys WHERE organization_id = $1")
                    .bind(org_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                for table in ["teams", "organization_memberships", "organizations"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DELETE FROM {table} WHERE organization_id = $1"
                    )))
                    .bind(org_id)
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

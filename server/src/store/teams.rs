//! Storage of teams and their memberships (`teams`, `team_memberships`).

use sqlx::FromRow;

use super::super::{Store, json};
use super::{
    INSERT_TEAM, INSERT_TEAM_MEMBERSHIP, INSERT_USER, TOMBSTONE_KEY, key_hashes_sql, placeholders,
    write_error,
};
use crate::directory::{TeamMembership, TeamRecord, TeamRole, UserRecord};
use crate::error::{Error, Result};

pub const TEAM_COLUMNS: &str = "team_id, team_alias, organization_id, blocked, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";
pub const TEAM_MEMBERSHIP_COLUMNS: &str =
    "team_id, user_id, role, max_budget_in_team, spend, created_at, budget_id";

/// Everything of a team but its id, spend and creation (bound `$1` = id .. `$8`).
const UPDATE_TEAM: &str = "UPDATE teams SET team_alias = $2, organization_id = $3, blocked = $4, \
     budget_reset_at = CASE WHEN $8 THEN $5 ELSE budget_reset_at END, settings = $6, \
     updated_at = $7, updated_by = $9 WHERE team_id = $1";

#[derive(Debug, FromRow)]
pub struct TeamRow {
    pub team_id: String,
    pub team_alias: Option<String>,
    pub organization_id: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
}

impl TeamRow {
    pub fn into_record(self) -> Result<TeamRecord> {
        Ok(TeamRecord {
            settings: json::decode(&self.settings, "teams", &self.team_id)?,
            team_id: self.team_id,
            team_alias: self.team_alias,
            organization_id: self.organization_id,
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
pub struct TeamMembershipRow {
    pub team_id: String,
    pub user_id: String,
    pub role: String,
    pub max_budget_in_team: Option<f64>,
    pub spend: f64,
    pub created_at: i64,
    pub budget_id: Option<String>,
}

impl TeamMembershipRow {
    pub fn into_record(self) -> TeamMembership {
        TeamMembership {
            role: TeamRole::parse(&self.role).unwrap_or(TeamRole::User),
            team_id: self.team_id,
            user_id: self.user_id,
            max_budget_in_team: self.max_budget_in_team,
            budget_id: self.budget_id,
            spend: self.spend,
            created_at: self.created_at,
        }
    }
}

/// A membership with the member's email (from `users`), as listings show it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMember {
    pub membership: TeamMembership,
    pub user_email: Option<String>,
}

#[derive(Debug, FromRow)]
struct TeamMemberRow {
    team_id: String,
    user_id: String,
    role: String,
    max_budget_in_team: Option<f64>,
    spend: f64,
    created_at: i64,
    budget_id: Option<String>,
    user_email: Option<String>,
}

/// Which teams to list; the filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamListFilter {
    /// `Some(Some(id))`: teams of that organization; `Some(None)`: teams of none.
    pub organization_id: Option<Option<String>>,
    /// Teams this user is a member of.
    pub member: Option<String>,
    /// Only these teams (the caller's visibility).
    pub only: Option<Vec<String>>,
}

fn team_exists(team_id: &str) -> Error {
    Error::invalid_param(
        format!("team_id: a team with id `{team_id}` already exists"),
        "team_id",
    )
}

impl Store {
    pub async fn team(&self, team_id: &str) -> Result<Option<TeamRecord>> {
        self.count_read();
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE team_id = $1");
        let row: Option<TeamRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(team_id).fetch_optional(pool).await
        })?;
        row.map(TeamRow::into_record).transpose()
    }

    /// Every team membership of `user_id`.
    pub async fn team_memberships_of_user(&self, user_id: &str) -> Result<Vec<TeamMembership>> {
        self.count_read();
        let sql = format!(
            "SELECT {TEAM_MEMBERSHIP_COLUMNS} FROM team_memberships WHERE user_id = $1 ORDER BY team_id"
        );
        let rows: Vec<TeamMembershipRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(TeamMembershipRow::into_record)
            .collect())
    }

    /// The teams `filter` selects, by alias then id (as LiteLLM sorts them).
    pub async fn list_teams(&self, filter: &TeamListFilter) -> Result<Vec<TeamRecord>> {
        self.count_read();
        let mut sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        match &filter.organization_id {
            Some(Some(id)) => {
                binds.push(id.clone());
                sql.push_str(&format!(" AND organization_id = ${}", binds.len()));
            }
            Some(None) => sql.push_str(" AND organization_id IS NULL"),
            None => {}
        }
        if let Some(user) = &filter.member {
            binds.push(user.clone());
            sql.push_str(&format!(
                " AND team_id IN (SELECT team_id FROM team_memberships WHERE user_id = ${})",
                binds.len()
            ));
        }
        if let Some(only) = &filter.only {
            if only.is_empty() {
                return Ok(Vec::new());
            }
            sql.push_str(&format!(
                " AND team_id IN ({})",
                placeholders(binds.len() + 1, only.len())
            ));
            binds.extend(only.iter().cloned());
        }
        sql.push_str(" ORDER BY COALESCE(team_alias, ''), team_id");
        let rows: Vec<TeamRow> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for value in &binds {
                query = query.bind(value);
            }
            query.fetch_all(pool).await
        })?;
        rows.into_iter().map(TeamRow::into_record).collect()
    }

    /// The members of `team_ids` with their emails, oldest membership first.
    pub async fn team_members(&self, team_ids: &[String]) -> Result<Vec<TeamMember>> {
        self.count_read();
        if team_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT m.team_id, m.user_id, m.role, m.max_budget_in_team, m.spend, m.created_at, m.budget_id, u.user_email \
             FROM team_memberships m LEFT JOIN users u ON u.user_id = m.user_id \
             WHERE m.team_id IN ({}) ORDER BY m.team_id, m.created_at, m.user_id",
            placeholders(1, team_ids.len())
        );
        let rows: Vec<TeamMemberRow> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in team_ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| TeamMember {
                user_email: r.user_email,
                membership: TeamMembershipRow {
                    team_id: r.team_id,
                    user_id: r.user_id,
                    role: r.role,
                    max_budget_in_team: r.max_budget_in_team,
                    spend: r.spend,
                    created_at: r.created_at,
                    budget_id: r.budget_id,
                }
                .into_record(),
            })
            .collect())
    }

    /// Creates `team` with its first `members`, creating the `new_users` they name first, in
    /// one transaction. A taken team id, or a member twice, is a 400.
    pub async fn create_team(
        &self,
        team: &TeamRecord,
        new_users: &[UserRecord],
        members: &[TeamMembership],
    ) -> Result<()> {
        let settings = json::encode(&team.settings)?;
        let user_settings = new_users
            .iter()
            .map(|u| json::encode(&u.settings))
            .collect::<Result<Vec<_>>>()?;
        let result: std::result::Result<(), sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            bind_team!(sqlx::query(INSERT_TEAM), team, settings)
                .execute(&mut *tx)
                .await?;
            for (user, settings) in new_users.iter().zip(&user_settings) {
                bind_user!(sqlx::query(INSERT_USER), user, settings)
                    .execute(&mut *tx)
                    .await?;
            }
            for member in members {
                bind_team_membership!(sqlx::query(INSERT_TEAM_MEMBERSHIP), member)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await);
        result.map_err(|e| {
            write_error(
                e,
                || team_exists(&team.team_id),
                || {
                    Error::invalid_param(
                        format!(
                            "organization_id: no organization with id `{}`",
                            team.organization_id.as_deref().unwrap_or_default()
                        ),
                        "organization_id",
                    )
                },
            )
        })
    }

    /// Writes a team's settings, alias, organization and blocked flag (never its spend);
    /// `budget_reset_at` only when `reset_changed`. Returns whether the team was there.
    pub async fn update_team(&self, team: &TeamRecord, reset_changed: bool) -> Result<bool> {
        let settings = json::encode(&team.settings)?;
        let done = with_pool!(self, pool => {
            sqlx::query(UPDATE_TEAM)
                .bind(&team.team_id)
                .bind(&team.team_alias)
                .bind(&team.organization_id)
                .bind(team.blocked)
                .bind(team.budget_reset_at)
                .bind(&settings)
                .bind(team.updated_at)
                .bind(reset_changed)
                .bind(&team.updated_by)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(|e| {
            write_error(
                e,
                || team_exists(&team.team_id),
                || Error::invalid_param("organization_id: no such organization", "organization_id"),
            )
        })?;
        Ok(done == 1)
    }

    /// Adds `members` to a team, creating the `new_users` they name first, in one transaction.
    /// A user already in the team is a 400.
    pub async fn add_team_members(
        &self,
        new_users: &[UserRecord],
        members: &[TeamMembership],
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
            for member in members {
                bind_team_membership!(sqlx::query(INSERT_TEAM_MEMBERSHIP), member)
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
                        "member: a user is already a member of this team",
                        "member",
                    )
                },
                || Error::invalid_param("team_id: no such team", "team_id"),
            )
        })
    }

    /// Removes `user_id` from `team_id`. Returns whether they were a member.
    pub async fn remove_team_member(&self, team_id: &str, user_id: &str) -> Result<bool> {
        let done = with_pool!(self, pool => {
            sqlx::query("DELETE FROM team_memberships WHERE team_id = $1 AND user_id = $2")
                .bind(team_id)
                .bind(user_id)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Writes a member's role and budget in a team. Returns whether they were a member.
    pub async fn update_team_member(&self, member: &TeamMembership) -> Result<bool> {
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE team_memberships SET role = $3, max_budget_in_team = $4, budget_id = $5 \
                 WHERE team_id = $1 AND user_id = $2",
            )
            .bind(&member.team_id)
            .bind(&member.user_id)
            .bind(member.role.as_str())
            .bind(member.max_budget_in_team)
            .bind(&member.budget_id)
            .execute(pool)
            .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Deletes teams with their memberships and keys (the keys' hashes are remembered as
    /// deleted at `at_ms`), in one transaction. Returns how many keys went.
    pub async fn delete_teams(&self, team_ids: &[String], at_ms: i64) -> Result<u64> {
        let hashes = key_hashes_sql("team_id");
        let result: std::result::Result<u64, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let mut keys = 0;
            for team_id in team_ids {
                let tokens: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(hashes.clone()))
                    .bind(team_id)
                    .fetch_all(&mut *tx)
                    .await?;
                for token in &tokens {
                    sqlx::query(TOMBSTONE_KEY).bind(token).bind(at_ms).execute(&mut *tx).await?;
                }
                keys += sqlx::query("DELETE FROM keys WHERE team_id = $1")
                    .bind(team_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query("DELETE FROM team_memberships WHERE team_id = $1")
                    .bind(team_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM teams WHERE team_id = $1")
                    .bind(team_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(keys)
        }
        .await);
        Ok(result?)
    }
}

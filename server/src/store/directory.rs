//! Storage lookups of teams, users, organizations, memberships and end users by id.

use sqlx::FromRow;

use super::{Store, json};
use crate::directory::{
    EndUserRecord, OrganizationMembership, OrganizationRecord, TeamMembership, TeamRecord,
    TeamRole, UserRecord,
};
use crate::error::Result;
use crate::governance::UserRole;

pub const TEAM_COLUMNS: &str = "team_id, team_alias, organization_id, blocked, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";
pub const USER_COLUMNS: &str = "user_id, user_email, user_role, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";
pub const ORGANIZATION_COLUMNS: &str = "organization_id, organization_alias, blocked, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by";
pub const END_USER_COLUMNS: &str =
    "user_id, alias, blocked, spend, budget_reset_at, settings, created_at, updated_at";
pub const TEAM_MEMBERSHIP_COLUMNS: &str =
    "team_id, user_id, role, max_budget_in_team, spend, created_at";

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
pub struct EndUserRow {
    pub user_id: String,
    pub alias: Option<String>,
    pub blocked: bool,
    pub spend: f64,
    pub budget_reset_at: Option<i64>,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EndUserRow {
    pub fn into_record(self) -> Result<EndUserRecord> {
        Ok(EndUserRecord {
            settings: json::decode(&self.settings, "end_users", &self.user_id)?,
            user_id: self.user_id,
            alias: self.alias,
            blocked: self.blocked,
            spend: self.spend,
            budget_reset_at: self.budget_reset_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
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
}

impl TeamMembershipRow {
    pub fn into_record(self) -> TeamMembership {
        TeamMembership {
            role: TeamRole::parse(&self.role).unwrap_or(TeamRole::User),
            team_id: self.team_id,
            user_id: self.user_id,
            max_budget_in_team: self.max_budget_in_team,
            spend: self.spend,
            created_at: self.created_at,
        }
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

impl Store {
    pub async fn team(&self, team_id: &str) -> Result<Option<TeamRecord>> {
        self.count_read();
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE team_id = $1");
        let row: Option<TeamRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(team_id).fetch_optional(pool).await
        })?;
        row.map(TeamRow::into_record).transpose()
    }

    pub async fn user(&self, user_id: &str) -> Result<Option<UserRecord>> {
        self.count_read();
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = $1");
        let row: Option<UserRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await
        })?;
        row.map(UserRow::into_record).transpose()
    }

    pub async fn organization(&self, organization_id: &str) -> Result<Option<OrganizationRecord>> {
        self.count_read();
        let sql =
            format!("SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE organization_id = $1");
        let row: Option<OrganizationRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(organization_id).fetch_optional(pool).await
        })?;
        row.map(OrganizationRow::into_record).transpose()
    }

    pub async fn end_user(&self, user_id: &str) -> Result<Option<EndUserRecord>> {
        self.count_read();
        let sql = format!("SELECT {END_USER_COLUMNS} FROM end_users WHERE user_id = $1");
        let row: Option<EndUserRow> = with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await
        })?;
        row.map(EndUserRow::into_record).transpose()
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
}

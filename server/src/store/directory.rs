//! Storage of the directory: organizations, teams (and their memberships), users, end users.
//!
//! One file per entity ([`teams`], [`users`], [`organizations`], [`end_users`]); this module
//! keeps what they share: the write-error mapping and the row-binding macros used inside
//! transactions. Changes that touch several rows (a team with its first members, a user with
//! their memberships and first key, any delete) run in one transaction, so a failure leaves
//! nothing half-written. Updates never write `spend`: spend is the spend writer's, and an admin
//! change racing with it must not undo it.

use crate::error::Error;

/// Binds the 11 columns of `teams`, in [`TEAM_COLUMNS`] order, as `$1`..`$11`.
macro_rules! bind_team {
    ($query:expr, $t:expr, $settings:expr) => {
        $query
            .bind(&$t.team_id)
            .bind(&$t.team_alias)
            .bind(&$t.organization_id)
            .bind($t.blocked)
            .bind($t.spend)
            .bind($t.budget_reset_at)
            .bind(&$settings)
            .bind($t.created_at)
            .bind($t.updated_at)
            .bind(&$t.created_by)
            .bind(&$t.updated_by)
    };
}

/// Binds the 10 columns of `users`, in [`USER_COLUMNS`] order, as `$1`..`$10`.
macro_rules! bind_user {
    ($query:expr, $u:expr, $settings:expr) => {
        $query
            .bind(&$u.user_id)
            .bind(&$u.user_email)
            .bind($u.user_role.as_str())
            .bind($u.spend)
            .bind($u.budget_reset_at)
            .bind(&$settings)
            .bind($u.created_at)
            .bind($u.updated_at)
            .bind(&$u.created_by)
            .bind(&$u.updated_by)
    };
}

/// Binds a team membership as `$1`..`$6` of [`INSERT_TEAM_MEMBERSHIP`].
macro_rules! bind_team_membership {
    ($query:expr, $m:expr) => {
        $query
            .bind(&$m.team_id)
            .bind(&$m.user_id)
            .bind($m.role.as_str())
            .bind($m.max_budget_in_team)
            .bind($m.created_at)
            .bind(&$m.budget_id)
    };
}

#[path = "end_users.rs"]
pub mod end_users;
#[path = "organizations.rs"]
pub mod organizations;
#[path = "teams.rs"]
pub mod teams;
#[path = "users.rs"]
pub mod users;

pub use end_users::{END_USER_COLUMNS, EndUserRow};
pub use organizations::{
    ORGANIZATION_COLUMNS, OrganizationMember, OrganizationMembershipRow, OrganizationRow,
};
pub use teams::{TEAM_COLUMNS, TEAM_MEMBERSHIP_COLUMNS, TeamMember, TeamMembershipRow, TeamRow};
pub use users::{USER_COLUMNS, UserListFilter, UserRow};

/// `INSERT` of a whole `teams` row (bound by `bind_team!`).
pub(crate) const INSERT_TEAM: &str = "INSERT INTO teams (team_id, team_alias, organization_id, blocked, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/// `INSERT` of a whole `users` row (bound by `bind_user!`).
pub(crate) const INSERT_USER: &str = "INSERT INTO users (user_id, user_email, user_role, spend, budget_reset_at, settings, created_at, updated_at, created_by, updated_by) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// `INSERT` of a team membership (bound by `bind_team_membership!`); spend starts at 0.
pub(crate) const INSERT_TEAM_MEMBERSHIP: &str = "INSERT INTO team_memberships (team_id, user_id, role, max_budget_in_team, spend, created_at, budget_id) \
     VALUES ($1, $2, $3, $4, 0, $5, $6)";

/// `INSERT` of an organization membership: organization, user, role, budget, created_at.
pub(crate) const INSERT_ORGANIZATION_MEMBERSHIP: &str = "INSERT INTO organization_memberships (organization_id, user_id, role, max_budget_in_organization, spend, created_at) \
     VALUES ($1, $2, $3, $4, 0, $5)";

/// Tombstones a deleted key hash (`deleted_keys`), so it is refused as deleted, not unknown.
pub(crate) const TOMBSTONE_KEY: &str = "INSERT INTO deleted_keys (token, deleted_at) VALUES ($1, $2) \
     ON CONFLICT (token) DO UPDATE SET deleted_at = excluded.deleted_at";

/// The hashes of the keys whose `column` equals `$1`, and of their grace tokens (all become
/// tombstones when the keys go).
pub(crate) fn key_hashes_sql(column: &str) -> String {
    format!(
        "SELECT token FROM keys WHERE {column} = $1 \
         UNION ALL \
         SELECT g.token FROM key_grace_tokens g JOIN keys k ON k.token = g.key_token WHERE k.{column} = $1"
    )
}

/// A write refused by a constraint, as the client's mistake it is: `unique` explains a taken
/// id, `foreign` a reference to something that does not exist (both are checked before
/// writing; this covers races). Anything else is an internal error.
pub(crate) fn write_error(
    err: sqlx::Error,
    unique: impl FnOnce() -> Error,
    foreign: impl FnOnce() -> Error,
) -> Error {
    if let sqlx::Error::Database(db) = &err {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => return unique(),
            sqlx::error::ErrorKind::ForeignKeyViolation => return foreign(),
            _ => {}
        }
    }
    Error::from(err)
}

/// `$first, $first+1, ...` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Placeholders number from the first free one; key-hash queries qualify every column.
    #[test]
    fn builds_sql_fragments() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        assert_eq!(placeholders(1, 0), "");
        let sql = key_hashes_sql("team_id");
        assert!(sql.starts_with("SELECT token FROM keys WHERE team_id = $1"));
        assert!(sql.ends_with("WHERE k.team_id = $1"));
    }
}

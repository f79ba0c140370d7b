//! The one permission table of the admin API: which role may do what (issue 4, item 4).
//!
//! - `proxy_admin` (the master key, an open gateway, the gateway itself): everything.
//! - `proxy_admin_viewer`: reads everything, changes nothing.
//! - `internal_user`: creates and manages their own keys (also in teams they belong to), reads
//!   their own user and teams; as a team `admin` they also manage that team's keys and members.
//! - `internal_user_viewer`: reads their own keys, user and teams.
//! - a key with no user: reads its own key info only.
//!
//! Every admin operation calls [`authorize`] with an [`Action`] before it acts; list operations
//! narrow their results with [`key_list_scope`] / [`team_list_scope`].

use super::super::auth::Principal;
use crate::error::{Error, Result};
use crate::governance::UserRole;
use crate::keys::KeyRecord;

/// Something an admin operation is about to do.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    KeyGenerate {
        user_id: Option<&'a str>,
        team_id: Option<&'a str>,
    },
    KeyRead {
        key: &'a KeyRecord,
    },
    /// Update, delete, regenerate.
    KeyWrite {
        key: &'a KeyRecord,
    },
    KeyBlock {
        key: &'a KeyRecord,
    },
    TeamCreate,
    TeamRead {
        team_id: &'a str,
    },
    /// Update, member add/delete/update.
    TeamWrite {
        team_id: &'a str,
    },
    /// Delete, block, unblock.
    TeamAdminister {
        team_id: &'a str,
    },
    UserCreate,
    UserRead {
        user_id: &'a str,
    },
    /// Update, delete.
    UserWrite {
        user_id: &'a str,
    },
    OrganizationCreate,
    OrganizationRead {
        organization_id: &'a str,
    },
    OrganizationWrite {
        organization_id: &'a str,
    },
    CustomerRead,
    CustomerWrite,
    /// Reading named budgets (`/budget/info`, `/budget/list`, `/budget/settings`).
    BudgetRead,
    /// Creating, changing and deleting named budgets.
    BudgetWrite,
    /// Reading managed tags (`/tag/info`, `/tag/list`).
    TagRead,
    /// Creating, changing and deleting managed tags.
    TagWrite,
    /// Listing all users, organizations or customers.
    ListAll,
    AuditRead,
    /// Reading a team's spend logs and reports (admins, viewers, the team's admins).
    TeamSpendRead {
        team_id: &'a str,
    },
}

impl Action<'_> {
    fn is_read(&self) -> bool {
        matches!(
            self,
            Action::KeyRead { .. }
                | Action::TeamRead { .. }
                | Action::UserRead { .. }
                | Action::OrganizationRead { .. }
                | Action::CustomerRead
                | Action::BudgetRead
                | Action::TagRead
                | Action::ListAll
                | Action::AuditRead
                | Action::TeamSpendRead { .. }
        )
    }

    fn describe(&self) -> String {
        match self {
            Action::KeyGenerate { .. } => "generate this key".into(),
            Action::KeyRead { key } => format!("read key {}", key.key_name),
            Action::KeyWrite { key } => format!("change key {}", key.key_name),
            Action::KeyBlock { key } => format!("block or unblock key {}", key.key_name),
            Action::TeamCreate => "create teams".into(),
            Action::TeamRead { team_id } => format!("read team {team_id}"),
            Action::TeamWrite { team_id } => format!("change team {team_id}"),
            Action::TeamAdminister { team_id } => format!("delete or block team {team_id}"),
            Action::UserCreate => "create users".into(),
            Action::UserRead { user_id } => format!("read user {user_id}"),
            Action::UserWrite { user_id } => format!("change user {user_id}"),
            Action::OrganizationCreate => "create organizations".into(),
            Action::OrganizationRead { organization_id } => {
                format!("read organization {organization_id}")
            }
            Action::OrganizationWrite { organization_id } => {
                format!("change organization {organization_id}")
            }
            Action::CustomerRead => "read customers".into(),
            Action::CustomerWrite => "change customers".into(),
            Action::BudgetRead => "read budgets".into(),
            Action::BudgetWrite => "change budgets".into(),
            Action::TagRead => "read tags".into(),
            Action::TagWrite => "change tags".into(),
            Action::ListAll => "list everything".into(),
            Action::AuditRead => "read the audit log".into(),
            Action::TeamSpendRead { team_id } => format!("read the spend of team {team_id}"),
        }
    }
}

/// Allows or refuses `action` for `principal` (403 naming the role and the action).
pub fn authorize(principal: &Principal, action: &Action<'_>) -> Result<()> {
    if allowed(principal, action) {
        return Ok(());
    }
    Err(Error::PermissionDenied(format!(
        "{} may not {}",
        principal
            .role
            .map_or("a key without a user", UserRole::as_str),
        action.describe()
    )))
}

fn allowed(p: &Principal, action: &Action<'_>) -> bool {
    match p.role {
        Some(UserRole::ProxyAdmin) => return true,
        Some(UserRole::ProxyAdminViewer) => return action.is_read(),
        _ => {}
    }
    let own_key = |key: &KeyRecord| {
        p.token() == Some(key.token.as_str())
            || (key.user_id.is_some() && key.user_id.as_deref() == p.user_id())
    };
    let admin_of = |team: Option<&str>| team.is_some_and(|t| p.is_team_admin(t));
    match p.role {
        Some(UserRole::InternalUser) => match *action {
            Action::KeyGenerate { user_id, team_id } => {
                let for_self = user_id.is_none_or(|u| Some(u) == p.user_id());
                let team_ok = team_id.is_none_or(|t| p.team_role(t).is_some());
                (for_self && team_ok) || admin_of(team_id)
            }
            Action::KeyRead { key } | Action::KeyWrite { key } => {
                own_key(key) || admin_of(key.team_id.as_deref())
            }
            Action::KeyBlock { key } => admin_of(key.team_id.as_deref()),
            Action::TeamRead { team_id } => p.team_role(team_id).is_some(),
            Action::TeamWrite { team_id } | Action::TeamSpendRead { team_id } => {
                p.is_team_admin(team_id)
            }
            Action::UserRead { user_id } => Some(user_id) == p.user_id(),
            Action::OrganizationRead { organization_id } => {
                p.organization.as_ref().map(|o| o.organization_id.as_str()) == Some(organization_id)
            }
            _ => false,
        },
        Some(UserRole::InternalUserViewer) => match *action {
            Action::KeyRead { key } => own_key(key),
            Action::TeamRead { team_id } => p.team_role(team_id).is_some(),
            Action::UserRead { user_id } => Some(user_id) == p.user_id(),
            _ => false,
        },
        // A key that belongs to no user reads its own info, nothing else.
        None => matches!(action, Action::KeyRead { key } if p.token() == Some(key.token.as_str())),
        Some(UserRole::ProxyAdmin | UserRole::ProxyAdminViewer) => false,
    }
}

/// Which keys a principal may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyScope {
    All,
    /// Keys of this user, keys of these teams (where the principal is team admin), or the
    /// principal's own key.
    Restricted {
        user_id: Option<String>,
        team_ids: Vec<String>,
        own_token: Option<String>,
    },
}

pub fn key_list_scope(p: &Principal) -> KeyScope {
    if p.reads_everything() {
        return KeyScope::All;
    }
    KeyScope::Restricted {
        user_id: p.user_id().map(str::to_owned),
        team_ids: p
            .team_roles
            .iter()
            .filter(|(_, role)| *role == crate::directory::TeamRole::Admin)
            .map(|(t, _)| t.clone())
            .collect(),
        own_token: p.token().map(str::to_owned),
    }
}

/// Which teams a principal may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamScope {
    All,
    Only(Vec<String>),
}

pub fn team_list_scope(p: &Principal) -> TeamScope {
    if p.reads_everything() {
        return TeamScope::All;
    }
    TeamScope::Only(p.team_roles.iter().map(|(t, _)| t.clone()).collect())
}

#[cfg(test)]
#[path = "permissions_tests.rs"]
mod tests;

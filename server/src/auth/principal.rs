//! The authenticated caller of one request and what they belong to.

use std::sync::Arc;

use crate::directory::{OrganizationRecord, TeamMembership, TeamRecord, TeamRole, UserRecord};
use crate::governance::UserRole;
use crate::keys::KeyRecord;

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    MasterKey,
    /// No master key is configured: the gateway is open and every caller is an admin.
    Open,
    VirtualKey,
    /// The gateway itself (config bootstrap).
    System,
}

/// Who is calling: the key and, when it has them, its user, team, organization and the user's
/// membership in that team. Cheap to clone (records are shared).
#[derive(Debug, Clone)]
pub struct Principal {
    pub via: AuthMethod,
    /// The caller's role; `None` for a key that belongs to no user (it may call models only).
    pub role: Option<UserRole>,
    pub key: Option<Arc<KeyRecord>>,
    pub user: Option<Arc<UserRecord>>,
    pub team: Option<Arc<TeamRecord>>,
    pub organization: Option<Arc<OrganizationRecord>>,
    /// The key's user's membership in the key's team.
    pub team_membership: Option<Arc<TeamMembership>>,
    /// Every team the key's user belongs to, with their role there.
    pub team_roles: Arc<[(String, TeamRole)]>,
}

impl Principal {
    fn admin(via: AuthMethod) -> Self {
        Self {
            via,
            role: Some(UserRole::ProxyAdmin),
            key: None,
            user: None,
            team: None,
            organization: None,
            team_membership: None,
            team_roles: Arc::from([]),
        }
    }

    /// The master key's principal.
    pub fn master() -> Self {
        Self::admin(AuthMethod::MasterKey)
    }

    /// Every caller of an open gateway (no master key configured).
    pub fn open() -> Self {
        Self::admin(AuthMethod::Open)
    }

    /// The gateway itself, for changes it makes on its own (config bootstrap).
    pub fn system() -> Self {
        Self::admin(AuthMethod::System)
    }

    pub fn is_proxy_admin(&self) -> bool {
        self.role == Some(UserRole::ProxyAdmin)
    }

    /// Admins and admin viewers read everything.
    pub fn reads_everything(&self) -> bool {
        matches!(
            self.role,
            Some(UserRole::ProxyAdmin | UserRole::ProxyAdminViewer)
        )
    }

    pub fn user_id(&self) -> Option<&str> {
        self.user
            .as_ref()
            .map(|u| u.user_id.as_str())
            .or_else(|| self.key.as_ref().and_then(|k| k.user_id.as_deref()))
    }

    /// The hash of the key used, if a virtual key.
    pub fn token(&self) -> Option<&str> {
        self.key.as_ref().map(|k| k.token.as_str())
    }

    pub fn team_role(&self, team_id: &str) -> Option<TeamRole> {
        self.team_roles
            .iter()
            .find(|(t, _)| t == team_id)
            .map(|(_, r)| *r)
    }

    pub fn is_team_admin(&self, team_id: &str) -> bool {
        self.team_role(team_id) == Some(TeamRole::Admin)
    }

    /// Who to name in the audit log: `master_key`, `system`, the user id, or `key:<hash prefix>`.
    pub fn actor(&self) -> String {
        match self.via {
            AuthMethod::MasterKey => "master_key".to_owned(),
            AuthMethod::Open => "open_gateway".to_owned(),
            AuthMethod::System => "system".to_owned(),
            AuthMethod::VirtualKey => match (self.user_id(), self.token()) {
                (Some(user), _) => user.to_owned(),
                (None, Some(token)) => format!("key:{}", &token[..token.len().min(12)]),
                (None, None) => "unknown".to_owned(),
            },
        }
    }

    /// The role name for the audit log.
    pub fn role_name(&self) -> &'static str {
        self.role.map_or("key", UserRole::as_str)
    }

    /// The key's `key_type` (`llm_api`, `management`, `read_only`, `default`).
    pub fn key_type(&self) -> Option<&str> {
        self.key
            .as_ref()
            .and_then(|k| k.settings.key_type.as_deref())
    }
}

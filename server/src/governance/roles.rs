//! LiteLLM's user roles.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The role of a user (and of the keys that belong to them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Everything (the master key is one).
    ProxyAdmin,
    /// Reads everything, changes nothing.
    ProxyAdminViewer,
    /// Manages own keys, sees own spend.
    InternalUser,
    /// Sees own keys and spend.
    InternalUserViewer,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::ProxyAdmin => "proxy_admin",
            UserRole::ProxyAdminViewer => "proxy_admin_viewer",
            UserRole::InternalUser => "internal_user",
            UserRole::InternalUserViewer => "internal_user_viewer",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "proxy_admin" => UserRole::ProxyAdmin,
            "proxy_admin_viewer" => UserRole::ProxyAdminViewer,
            "internal_user" => UserRole::InternalUser,
            "internal_user_viewer" => UserRole::InternalUserViewer,
            other => {
                return Err(Error::invalid_param(
                    format!(
                        "user_role: unknown role `{other}` (proxy_admin, proxy_admin_viewer, internal_user, internal_user_viewer)"
                    ),
                    "user_role",
                ));
            }
        })
    }
}

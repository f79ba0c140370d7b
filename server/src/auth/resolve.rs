//! Key → [`Principal`]: the master key, else the virtual key's record (cached) with its user,
//! team, organization and memberships, then the checks that apply on every request (blocked,
//! expired), so a cached principal never outlives a block or an expiry.

use std::sync::Arc;

use super::{Principal, constant_time_eq};
use crate::directory::TeamMembership;
use crate::error::{Error, Result};
use crate::governance::clock::to_rfc3339;
use crate::keys::secret;
use crate::state::AppState;

/// Resolves the caller of a request from the key it sent.
pub async fn authenticate(state: &AppState, credential: Option<&str>) -> Result<Principal> {
    let Some(master) = state.config.general.master_key.as_ref() else {
        // No master key: the gateway is open (logged loudly at startup).
        return Ok(Principal::open());
    };
    let Some(key) = credential.map(str::trim).filter(|k| !k.is_empty()) else {
        return Err(Error::Authentication(
            "Authentication Error, no API key passed in. Send it as `Authorization: Bearer <key>` (or `x-api-key`).".into(),
        ));
    };
    if constant_time_eq(key.as_bytes(), master.expose().as_bytes()) {
        return Ok(Principal::master());
    }
    if !key.starts_with("sk-") {
        return Err(Error::Authentication(
            "Authentication Error, invalid API key: keys start with 'sk-'.".into(),
        ));
    }
    let token = secret::hash(key);
    let principal = match state.principals.get(&token) {
        Some(Some(principal)) => principal,
        Some(None) => return Err(unknown_key()),
        None => match load(state, &token).await? {
            Some(principal) => {
                let principal = Arc::new(principal);
                state.principals.insert(token, principal.clone());
                principal
            }
            None => {
                let deleted = state.store.key_deleted_at(&token).await?;
                state.principals.insert_unknown(token);
                return Err(match deleted {
                    Some(at) => Error::Authentication(format!(
                        "Authentication Error, this key was deleted at {}.",
                        to_rfc3339(at)
                    )),
                    None => unknown_key(),
                });
            }
        },
    };
    check_usable(&principal, state.clock.now_ms())?;
    Ok((*principal).clone())
}

fn unknown_key() -> Error {
    Error::Authentication("Authentication Error, invalid API key.".into())
}

/// Loads a key and everything it belongs to (a cache miss: a few queries, once per TTL).
async fn load(state: &AppState, token: &str) -> Result<Option<Principal>> {
    let store = &state.store;
    let Some(key) = store.key_by_token(token, state.clock.now_ms()).await? else {
        return Ok(None);
    };
    let user = match &key.user_id {
        Some(id) => store.user(id).await?,
        None => None,
    };
    let team = match &key.team_id {
        Some(id) => store.team(id).await?,
        None => None,
    };
    let organization_id = key
        .organization_id
        .clone()
        .or_else(|| team.as_ref().and_then(|t| t.organization_id.clone()));
    let organization = match &organization_id {
        Some(id) => store.organization(id).await?,
        None => None,
    };
    let memberships: Vec<TeamMembership> = match &key.user_id {
        Some(id) => store.team_memberships_of_user(id).await?,
        None => Vec::new(),
    };
    let team_membership = key
        .team_id
        .as_ref()
        .and_then(|t| memberships.iter().find(|m| &m.team_id == t).cloned())
        .map(Arc::new);
    Ok(Some(Principal {
        via: super::AuthMethod::VirtualKey,
        role: user.as_ref().map(|u| u.user_role),
        team_roles: memberships
            .iter()
            .map(|m| (m.team_id.clone(), m.role))
            .collect(),
        key: Some(Arc::new(key)),
        user: user.map(Arc::new),
        team: team.map(Arc::new),
        organization: organization.map(Arc::new),
        team_membership,
    }))
}

/// The checks a cached principal must pass on every request.
fn check_usable(principal: &Principal, now_ms: i64) -> Result<()> {
    if let Some(key) = &principal.key {
        let name = key.key_alias.as_deref().unwrap_or(&key.key_name);
        if key.blocked {
            return Err(Error::Authentication(format!(
                "Authentication Error, key {name} is blocked."
            )));
        }
        if let Some(expires) = key.expires
            && expires <= now_ms
        {
            return Err(Error::Authentication(format!(
                "Authentication Error, key {name} expired at {}.",
                to_rfc3339(expires)
            )));
        }
    }
    if let Some(team) = &principal.team
        && team.blocked
    {
        return Err(Error::Authentication(format!(
            "Authentication Error, team {} is blocked.",
            team.team_alias.as_deref().unwrap_or(&team.team_id)
        )));
    }
    if let Some(org) = &principal.organization
        && org.blocked
    {
        return Err(Error::Authentication(format!(
            "Authentication Error, organization {} is blocked.",
            org.organization_alias
                .as_deref()
                .unwrap_or(&org.organization_id)
        )));
    }
    Ok(())
}

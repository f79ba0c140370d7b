//! Declarative bootstrap (GitOps): the config's `teams:` and `keys:` sections are created, or
//! updated to match, at every startup, through the same operations as `/team/new`,
//! `/team/update`, `/key/generate` and `/key/update` (as the `system` actor, audited).
//! Running it twice with the same config changes nothing the second time. Team members listed
//! in `members_with_roles` are added when the team is created; later membership changes belong
//! to the admin API.

use serde_json::Value;

use super::AdminContext;
use super::keys::{self as key_ops};
use super::keys::{GenerateRequest, UpdateRequest};
use super::teams::types::{NewTeamRequest, UpdateTeamRequest};
use super::teams::{new_team, update_team};
use crate::config::Bootstrap;
use crate::error::{Error, Result};
use crate::keys::secret;
use crate::state::AppState;

/// What the bootstrap did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    pub teams_created: usize,
    pub teams_updated: usize,
    pub keys_created: usize,
    pub keys_updated: usize,
}

/// Creates or updates every declared team, then every declared key.
pub async fn apply(state: &AppState, bootstrap: &Bootstrap) -> Result<Applied> {
    let ctx = AdminContext::system();
    let mut applied = Applied::default();
    for (i, team) in bootstrap.teams.iter().enumerate() {
        let context = |e: Error| Error::invalid(format!("teams[{i}]: {e}"));
        let body = Value::Object(team.clone());
        let team_id = team
            .get("team_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if state.store.team(team_id).await?.is_some() {
            let mut update = team.clone();
            for create_only in ["members_with_roles", "admins", "members"] {
                update.remove(create_only);
            }
            let req: UpdateTeamRequest = serde_json::from_value(Value::Object(update))
                .map_err(|e| context(Error::invalid(e.to_string())))?;
            update_team(state, &ctx, req).await.map_err(context)?;
            applied.teams_updated += 1;
        } else {
            let req: NewTeamRequest =
                serde_json::from_value(body).map_err(|e| context(Error::invalid(e.to_string())))?;
            new_team(state, &ctx, req).await.map_err(context)?;
            applied.teams_created += 1;
        }
    }
    for (i, key) in bootstrap.keys.iter().enumerate() {
        let context = |e: Error| Error::invalid(format!("keys[{i}]: {e}"));
        let body = Value::Object(key.clone());
        let secret_value = key.get("key").and_then(Value::as_str).unwrap_or_default();
        let token = secret::hash(secret_value);
        if state
            .store
            .key_by_token(&token, state.clock.now_ms())
            .await?
            .is_some()
        {
            let req = UpdateRequest::from_json(&body).map_err(context)?;
            key_ops::update(state, &ctx, req).await.map_err(context)?;
            applied.keys_updated += 1;
        } else {
            let req = GenerateRequest::from_json(&body).map_err(context)?;
            key_ops::generate(state, &ctx, req).await.map_err(context)?;
            applied.keys_created += 1;
        }
    }
    Ok(applied)
}

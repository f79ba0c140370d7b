//! End users: the OpenAI `user` field names one. An unknown end user is created on first use
//! (with `litellm_settings.max_end_user_budget`, if set); a blocked one is refused. Records are
//! cached, so only an end user's first request (or one after a change) touches the database.

use std::sync::Arc;

use crate::directory::{EndUserRecord, EndUserSettings};
use crate::error::{Error, Result};
use crate::state::AppState;

/// Admits the request's end user, if it names one, and returns their record.
pub async fn admit(state: &AppState, user: Option<&str>) -> Result<Option<Arc<EndUserRecord>>> {
    let Some(user_id) = user.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let record = match state.end_users.get(user_id) {
        Some(record) => record,
        None => {
            let record = Arc::new(load_or_create(state, user_id).await?);
            state.end_users.insert(record.clone());
            record
        }
    };
    if record.blocked {
        return Err(Error::PermissionDenied(format!(
            "end user `{user_id}` is blocked"
        )));
    }
    Ok(Some(record))
}

async fn load_or_create(state: &AppState, user_id: &str) -> Result<EndUserRecord> {
    if let Some(existing) = state.store.end_user(user_id).await? {
        return Ok(existing);
    }
    let mut settings = EndUserSettings::default();
    settings.limits.max_budget = state.config.litellm.max_end_user_budget;
    state
        .store
        .ensure_end_user(user_id, &settings, state.clock.now_ms())
        .await
}

//! Models added at runtime (`/model/new`, `/model/update`, `/model/delete`): stored in the
//! database, merged after the config's models into the router's table, and picked up by every
//! instance. An instance reloads its table at once after its own change, at startup, and when
//! its poll (every `model_refresh_interval`, 10 s by default) sees the table's fingerprint
//! change. Credentials are stored sealed ([`super::secrets`]) and opened only to build the
//! provider; no API returns them.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Map, Value};

use super::ModelRouter;
use super::secrets::{self, SecretBox};
use crate::config::ModelEntry;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::router_models::ModelRow;

/// How often instances look for models changed elsewhere, unless configured.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(10);

/// The fingerprint of the stored models this instance's table was built from.
#[derive(Debug, Default)]
pub struct Loaded(Mutex<Option<(i64, i64)>>);

/// Rebuilds the table from the config's models and the stored ones.
pub async fn reload(state: &AppState) -> Result<()> {
    let version = state.store.router_models_version().await?;
    let rows = state.store.router_models().await?;
    let mut entries = state.config.model_list.clone();
    for row in &rows {
        match entry_of(row, state.router.secrets.as_ref(), &|n| {
            state.config.env_var(n)
        }) {
            Ok(entry) => entries.push(entry),
            Err(err) => {
                tracing::error!(model_id = %row.model_id, error = %err, "runtime model skipped")
            }
        }
    }
    let (table, warnings) =
        ModelRouter::build_with(&state.config, &entries, &state.http, &state.router.states);
    for w in warnings {
        tracing::warn!("{w}");
    }
    state.router.replace(table);
    *state
        .router
        .loaded
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(version);
    Ok(())
}

/// Reloads when the stored models changed since the last load.
pub async fn refresh(state: &AppState) -> Result<()> {
    let version = state.store.router_models_version().await?;
    let current = *state
        .router
        .loaded
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if current != Some(version) {
        reload(state).await?;
    }
    Ok(())
}

/// Polls for changes every `interval` until shutdown (a tracked task).
pub fn start(state: &AppState, interval: Duration) {
    let polled = state.clone();
    crate::periodic::refresh_every(
        &state.tasks,
        &state.shutdown,
        interval,
        "runtime models",
        move || {
            let state = polled.clone();
            async move { refresh(&state).await }
        },
    );
}

/// The deployment a stored row describes, credentials opened.
pub fn entry_of(
    row: &ModelRow,
    secrets: Option<&SecretBox>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<ModelEntry> {
    let mut params: Map<String, Value> = serde_json::from_str(&row.litellm_params)
        .map_err(|e| Error::Internal(format!("stored litellm_params: {e}")))?;
    for key in secrets::SECRET_PARAMS {
        if let Some(Value::String(sealed)) = params.get(*key)
            && secrets::is_sealed(sealed)
        {
            let secrets = secrets.ok_or_else(|| {
                Error::Internal("a stored credential needs TOLLGATE_SALT_KEY to be opened".into())
            })?;
            let plain = secrets.open(sealed)?;
            params.insert((*key).to_owned(), Value::String(plain));
        }
    }
    let mut info: Map<String, Value> = serde_json::from_str(&row.model_info)
        .map_err(|e| Error::Internal(format!("stored model_info: {e}")))?;
    info.insert("id".into(), Value::String(row.model_id.clone()));
    let value = serde_json::json!({
        "model_name": row.model_name,
        "litellm_params": params,
        "model_info": info,
    });
    let origin = format!("router_models[{}]", row.model_id);
    crate::config::model_entry(&origin, value, lookup)
        .map(|(entry, _)| entry)
        .map_err(|problems| Error::Internal(problems.join("; ")))
}

/// `litellm_params` as stored: every credential sealed (an `os.environ/` reference stays as
/// it is, it holds no secret). Refused without a salt key when there is something to seal.
pub fn seal_params(
    mut params: Map<String, Value>,
    secrets: Option<&SecretBox>,
) -> Result<Map<String, Value>> {
    for key in secrets::SECRET_PARAMS {
        let Some(Value::String(value)) = params.get(*key) else {
            continue;
        };
        if value.starts_with("os.environ/") || secrets::is_sealed(value) {
            continue;
        }
        let secrets = secrets.ok_or_else(|| {
            Error::invalid_param(
                format!(
                    "litellm_params.{key}: set TOLLGATE_SALT_KEY so credentials can be stored encrypted"
                ),
                format!("litellm_params.{key}"),
            )
        })?;
        let sealed = secrets.seal(value)?;
        params.insert((*key).to_owned(), Value::String(sealed));
    }
    Ok(params)
}

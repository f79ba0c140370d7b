//! `/model/new`, `/model/update`, `/model/delete` (LiteLLM's shapes): deployments stored in the
//! database, used by every instance without a restart. Config-file models stay read-only.
//! Credentials are stored sealed and never returned (see `router/runtime.rs`). Admin only;
//! every change is audited.

use serde_json::{Map, Value, json};

use super::{AdminContext, audit};
use crate::error::{Error, Result};
use crate::router::runtime;
use crate::router::secrets::SECRET_PARAMS;
use crate::state::AppState;
use crate::store::router_models::ModelRow;

fn require_admin(ctx: &AdminContext) -> Result<()> {
    if ctx.principal.is_proxy_admin() {
        Ok(())
    } else {
        Err(Error::PermissionDenied(
            "only proxy admins may change models".into(),
        ))
    }
}

fn object(body: &Value, field: &str) -> Result<Map<String, Value>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(Error::invalid_param(
            format!("{field}: expected an object"),
            field,
        )),
    }
}

/// The deployment without its credentials, as the API shows it.
fn view(row: &ModelRow) -> Value {
    let mut params: Map<String, Value> =
        serde_json::from_str(&row.litellm_params).unwrap_or_default();
    for key in SECRET_PARAMS {
        params.remove(*key);
    }
    let mut info: Map<String, Value> = serde_json::from_str(&row.model_info).unwrap_or_default();
    info.insert("id".into(), json!(row.model_id));
    info.insert("db_model".into(), json!(true));
    json!({
        "model_id": row.model_id,
        "model_name": row.model_name,
        "litellm_params": params,
        "model_info": info,
    })
}

/// Validates and stores `model_name` + `params` + `info` under `id`, then reloads the table.
async fn store(
    state: &AppState,
    id: String,
    model_name: String,
    params: Map<String, Value>,
    mut info: Map<String, Value>,
    created_at: i64,
) -> Result<ModelRow> {
    if state
        .config
        .model_list
        .iter()
        .any(|e| crate::router::deployment_id(e) == id)
    {
        return Err(Error::invalid_param(
            format!("model `{id}` comes from the config file and is read-only"),
            "model_info.id",
        ));
    }
    info.remove("id");
    let check = json!({"model_name": model_name, "litellm_params": params, "model_info": info});
    crate::config::model_entry("model", check, &|n| state.config.env_var(n))
        .map_err(|problems| Error::invalid(problems.join("; ")))?;
    let sealed = runtime::seal_params(params, state.router.secrets.as_ref())?;
    let row = ModelRow {
        model_id: id,
        model_name,
        litellm_params: Value::Object(sealed).to_string(),
        model_info: Value::Object(info).to_string(),
        created_at,
        updated_at: state.clock.now_ms(),
        deleted: 0,
    };
    state.store.put_router_model(&row).await?;
    runtime::reload(state).await?;
    state.publish(&crate::fleet::Invalidation::Models).await;
    Ok(row)
}

/// `POST /model/new`: `{model_name, litellm_params, model_info}`.
pub async fn new(state: &AppState, ctx: &AdminContext, body: Value) -> Result<Value> {
    require_admin(ctx)?;
    let model_name = body
        .get("model_name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| Error::invalid_param("model_name: required", "model_name"))?
        .to_owned();
    let params = object(&body, "litellm_params")?;
    let info = object(&body, "model_info")?;
    let id = info
        .get("id")
        .and_then(Value::as_str)
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    if state
        .store
        .router_model(&id)
        .await?
        .is_some_and(|r| r.deleted == 0)
    {
        return Err(Error::invalid_param(
            format!("model `{id}` exists; use /model/update"),
            "model_info.id",
        ));
    }
    let now = state.clock.now_ms();
    let row = store(state, id, model_name, params, info, now).await?;
    let shown = view(&row);
    audit::record(
        state,
        ctx,
        "model.new",
        "model",
        &row.model_id,
        shown.clone(),
    )
    .await?;
    Ok(shown)
}

/// `POST /model/update`: `model_info.id` names the model; given fields replace stored ones
/// (`litellm_params` and `model_info` are merged key by key).
pub async fn update(state: &AppState, ctx: &AdminContext, body: Value) -> Result<Value> {
    require_admin(ctx)?;
    let mut info = object(&body, "model_info")?;
    let id = info
        .get("id")
        .or_else(|| body.get("model_id"))
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_param("model_info.id: required", "model_info.id"))?
        .to_owned();
    let stored = state
        .store
        .router_model(&id)
        .await?
        .filter(|r| r.deleted == 0)
        .ok_or_else(|| Error::NotFound(format!("no model `{id}` was added at runtime")))?;
    let mut params: Map<String, Value> =
        serde_json::from_str(&stored.litellm_params).unwrap_or_default();
    params.extend(object(&body, "litellm_params")?);
    let mut merged: Map<String, Value> =
        serde_json::from_str(&stored.model_info).unwrap_or_default();
    merged.append(&mut info);
    let model_name = body
        .get("model_name")
        .and_then(Value::as_str)
        .map_or(stored.model_name.clone(), str::to_owned);
    let params = open_for_check(state, params)?;
    let row = store(state, id, model_name, params, merged, stored.created_at).await?;
    let shown = view(&row);
    audit::record(
        state,
        ctx,
        "model.update",
        "model",
        &row.model_id,
        shown.clone(),
    )
    .await?;
    Ok(shown)
}

/// Stored credentials are opened again so the merged parameters validate and are resealed.
fn open_for_check(state: &AppState, mut params: Map<String, Value>) -> Result<Map<String, Value>> {
    for key in SECRET_PARAMS {
        if let Some(Value::String(v)) = params.get(*key)
            && crate::router::secrets::is_sealed(v)
        {
            let secrets = state.router.secrets.as_ref().ok_or_else(|| {
                Error::Internal("TOLLGATE_SALT_KEY is needed to update this model".into())
            })?;
            let plain = secrets.open(v)?;
            params.insert((*key).to_owned(), Value::String(plain));
        }
    }
    Ok(params)
}

/// `POST /model/delete`: `{"id": ...}`.
pub async fn delete(state: &AppState, ctx: &AdminContext, body: Value) -> Result<Value> {
    require_admin(ctx)?;
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_param("id: required", "id"))?;
    if !state
        .store
        .delete_router_model(id, state.clock.now_ms())
        .await?
    {
        return Err(Error::NotFound(format!(
            "no model `{id}` was added at runtime (config-file models are read-only)"
        )));
    }
    runtime::reload(state).await?;
    state.publish(&crate::fleet::Invalidation::Models).await;
    audit::record(state, ctx, "model.delete", "model", id, json!({})).await?;
    Ok(json!({"message": format!("Model: {id} deleted successfully")}))
}

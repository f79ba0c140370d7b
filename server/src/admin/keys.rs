//! Virtual keys: the one implementation behind LiteLLM's `/key/*` routes and gRPC
//! `KeysService` (generate, update, delete, info, list, regenerate, block, unblock).
//!
//! Each operation authorizes the caller ([`super::permissions`]), validates everything before
//! writing (a bad request writes nothing), writes, drops the affected keys from the principal
//! cache, and records an audit entry without secrets. Secrets are only ever returned by
//! generate and regenerate; only their SHA-256 is stored. Keys are named by their secret or
//! its hash, as LiteLLM accepts both. Budgets and limits are stored here and enforced elsewhere.

#[path = "keys_apply.rs"]
mod apply;
#[path = "keys_fields.rs"]
mod fields;
#[path = "keys_types.rs"]
pub mod types;
#[path = "keys_view.rs"]
pub mod view;

use serde_json::json;

use super::AdminContext;
use super::audit;
use super::permissions::{Action, authorize, key_list_scope};
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::keys::{KeyRecord, KeySettings, secret};
use crate::state::AppState;
use crate::store::keys::KeyListFilter;

pub use fields::Patch;
pub use types::{
    DeleteRequest, GenerateRequest, KeyFields, ListQuery, RegenerateRequest, UpdateRequest,
};

/// A key with its secret: the answer of generate and regenerate, the only time it is shown.
#[derive(Debug, Clone)]
pub struct Generated {
    pub secret: String,
    pub record: KeyRecord,
}

/// One page of `/key/list`.
#[derive(Debug, Clone)]
pub struct KeyPage {
    pub keys: Vec<KeyRecord>,
    pub total_count: u64,
    pub current_page: u32,
    pub total_pages: u64,
}

/// Creates a key (`/key/generate`).
pub async fn generate(
    state: &AppState,
    ctx: &AdminContext,
    mut req: GenerateRequest,
) -> Result<Generated> {
    let p = &ctx.principal;
    // A user who does not say whose key it is creates their own (so they can manage it).
    if req.fields.user_id.value().is_none()
        && !p.is_proxy_admin()
        && let Some(own) = p.user_id()
    {
        req.fields.user_id = Patch::Set(own.to_owned());
    }
    authorize(
        p,
        &Action::KeyGenerate {
            user_id: req.fields.user_id.value().map(String::as_str),
            team_id: req.fields.team_id.value().map(String::as_str),
        },
    )?;
    let secret = match req.key {
        Some(custom) => {
            secret::validate_custom(&custom)?;
            custom
        }
        None => secret::generate()?,
    };
    let now = state.clock.now_ms();
    let mut record = KeyRecord {
        token: secret::hash(&secret),
        key_name: secret::display_name(&secret),
        key_alias: None,
        user_id: None,
        team_id: None,
        organization_id: None,
        blocked: false,
        expires: None,
        spend: 0.0,
        budget_reset_at: None,
        settings: KeySettings::default(),
        created_at: now,
        updated_at: now,
        created_by: Some(p.actor()),
        updated_by: Some(p.actor()),
    };
    apply::apply(&mut record, &req.fields, now)?;
    apply::resolve_owner(state, &mut record, &req.fields).await?;
    apply::check_alias(state, &record).await?;
    if secret_taken(state, &record.token).await? {
        return Err(Error::invalid_param(
            "key: a key with this secret already exists",
            "key",
        ));
    }
    state.store.insert_key(&record).await?;
    // A custom secret may have been tried before it existed (negative cache entry).
    state
        .invalidate(Invalidation::Key {
            token: record.token.to_string(),
        })
        .await;
    let view = view::key_json(&record);
    audit::record(state, ctx, "key.generate", "key", &record.token, view).await?;
    Ok(Generated { secret, record })
}

/// Whether a secret already opens a key: a current one, or a previous one in its grace period.
async fn secret_taken(state: &AppState, token: &str) -> Result<bool> {
    Ok(state
        .store
        .key_by_token(token, state.clock.now_ms())
        .await?
        .is_some())
}

/// The key named by `given` (a secret or a hash), or 404.
async fn existing(state: &AppState, given: &str) -> Result<KeyRecord> {
    state
        .store
        .key(&secret::token_of(given))
        .await?
        .ok_or_else(|| Error::NotFound(format!("key not found: {}", masked(given))))
}

/// How a key named in a request is echoed in messages: hashes as they are, secrets masked.
fn masked(given: &str) -> String {
    if secret::is_hash(given) {
        given.to_owned()
    } else {
        secret::display_name(given)
    }
}

/// Applies `fields` to a copy of `old` with every check a change needs: ownership moves are
/// authorized as a new key would be, blocking as a block, spend only by a proxy admin.
async fn changed(
    state: &AppState,
    ctx: &AdminContext,
    old: &KeyRecord,
    fields: &KeyFields,
) -> Result<KeyRecord> {
    let p = &ctx.principal;
    let now = state.clock.now_ms();
    let mut k = old.clone();
    apply::apply(&mut k, fields, now)?;
    if k.user_id != old.user_id || k.team_id != old.team_id {
        authorize(
            p,
            &Action::KeyGenerate {
                user_id: k.user_id.as_deref(),
                team_id: k.team_id.as_deref(),
            },
        )?;
    }
    if k.blocked != old.blocked {
        authorize(p, &Action::KeyBlock { key: old })?;
    }
    if !fields.spend.is_absent() && !p.is_proxy_admin() {
        return Err(Error::PermissionDenied(
            "only a proxy admin may set a key's spend".into(),
        ));
    }
    apply::resolve_owner(state, &mut k, fields).await?;
    if k.key_alias != old.key_alias {
        apply::check_alias(state, &k).await?;
    }
    k.updated_at = now;
    k.updated_by = Some(p.actor());
    Ok(k)
}

/// Drops a key's cached principals: its hash and the hashes of its previous secrets.
async fn invalidate(state: &AppState, tokens: &[&str]) -> Result<()> {
    for token in tokens {
        state
            .invalidate(Invalidation::Key {
                token: token.to_string(),
            })
            .await;
        for grace in state.store.grace_tokens(token).await? {
            state
                .invalidate(Invalidation::Key {
                    token: grace.to_string(),
                })
                .await;
        }
    }
    Ok(())
}

/// Changes a key's settings (`/key/update`).
pub async fn update(state: &AppState, ctx: &AdminContext, req: UpdateRequest) -> Result<KeyRecord> {
    let old = existing(state, &req.key).await?;
    authorize(&ctx.principal, &Action::KeyWrite { key: &old })?;
    let new = changed(state, ctx, &old, &req.fields).await?;
    if !state.store.update_key(&old.token, &new).await? {
        return Err(Error::NotFound(format!(
            "key not found: {}",
            masked(&req.key)
        )));
    }
    invalidate(state, &[&new.token]).await?;
    let diff = apply::changes(&view::key_json(&old), &view::key_json(&new));
    audit::record(state, ctx, "key.update", "key", &new.token, diff).await?;
    Ok(new)
}

/// Blocks or unblocks a key (`/key/block`, `/key/unblock`).
pub async fn set_blocked(
    state: &AppState,
    ctx: &AdminContext,
    given: &str,
    blocked: bool,
) -> Result<KeyRecord> {
    let old = existing(state, given).await?;
    authorize(&ctx.principal, &Action::KeyBlock { key: &old })?;
    let mut new = old.clone();
    new.blocked = blocked;
    new.updated_at = state.clock.now_ms();
    new.updated_by = Some(ctx.principal.actor());
    if !state.store.update_key(&old.token, &new).await? {
        return Err(Error::NotFound(format!("key not found: {}", masked(given))));
    }
    invalidate(state, &[&new.token]).await?;
    let action = if blocked { "key.block" } else { "key.unblock" };
    let diff = json!({ "blocked": { "from": old.blocked, "to": blocked } });
    audit::record(state, ctx, action, "key", &new.token, diff).await?;
    Ok(new)
}

/// Deletes keys by secret, hash or alias (`/key/delete`): all of them or, if one is unknown or
/// not the caller's to delete, none. Returns the keys and aliases as given (LiteLLM's answer).
pub async fn delete(
    state: &AppState,
    ctx: &AdminContext,
    req: DeleteRequest,
) -> Result<Vec<String>> {
    let mut found: Vec<KeyRecord> = Vec::new();
    let mut missing = Vec::new();
    for given in &req.keys {
        match state.store.key(&secret::token_of(given)).await? {
            Some(k) => found.push(k),
            None => missing.push(masked(given)),
        }
    }
    for alias in &req.key_aliases {
        match state.store.key_by_alias(alias).await? {
            Some(k) => found.push(k),
            None => missing.push(format!("alias {alias}")),
        }
    }
    if !missing.is_empty() {
        return Err(Error::NotFound(format!(
            "no key found for {}; nothing was deleted",
            missing.join(", ")
        )));
    }
    found.sort_by(|a, b| a.token.cmp(&b.token));
    found.dedup_by(|a, b| a.token == b.token);
    for key in &found {
        authorize(&ctx.principal, &Action::KeyWrite { key })?;
    }
    let tokens: Vec<String> = found.iter().map(|k| k.token.clone()).collect();
    let mut tombstones = tokens.clone();
    for token in &tokens {
        tombstones.extend(state.store.grace_tokens(token).await?);
    }
    state
        .store
        .delete_keys(&tokens, &tombstones, state.clock.now_ms())
        .await?;
    for token in &tombstones {
        state
            .invalidate(Invalidation::Key {
                token: token.to_string(),
            })
            .await;
    }
    for k in &found {
        let diff = json!({ "key_name": k.key_name, "key_alias": k.key_alias });
        audit::record(state, ctx, "key.delete", "key", &k.token, diff).await?;
    }
    Ok(req.keys.into_iter().chain(req.key_aliases).collect())
}

/// One key's settings and spend (`/key/info`); without `key`, the caller's own key. Returns
/// the key as given (or the caller's hash) and the record.
pub async fn info(
    state: &AppState,
    ctx: &AdminContext,
    key: Option<&str>,
) -> Result<(String, KeyRecord)> {
    let given = match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => k.to_owned(),
        None => ctx.principal.token().map(str::to_owned).ok_or_else(|| {
            Error::invalid_param(
                "key: required parameter is missing (the caller is not a virtual key)",
                "key",
            )
        })?,
    };
    let record = existing(state, &given).await?;
    authorize(&ctx.principal, &Action::KeyRead { key: &record })?;
    Ok((given, record))
}

/// A page of the keys the caller may see (`/key/list`).
pub async fn list(state: &AppState, ctx: &AdminContext, q: &ListQuery) -> Result<KeyPage> {
    let filter = KeyListFilter {
        user_id: q.user_id.clone(),
        team_id: q.team_id.clone(),
        organization_id: q.organization_id.clone(),
        key_alias: q.key_alias.clone(),
        scope: key_list_scope(&ctx.principal),
    };
    let (keys, total) = state.store.list_keys(&filter, q.page, q.size).await?;
    Ok(KeyPage {
        keys,
        total_count: total,
        current_page: q.page,
        total_pages: total.div_ceil(u64::from(q.size)),
    })
}

/// A new secret for a key, same settings plus any changes sent (`/key/regenerate`). The old
/// secret stops working at once, or at the end of `grace_period`.
pub async fn regenerate(
    state: &AppState,
    ctx: &AdminContext,
    req: RegenerateRequest,
) -> Result<Generated> {
    let given = req
        .key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| Error::invalid_param("key: required parameter is missing", "key"))?;
    let old = existing(state, given).await?;
    authorize(&ctx.principal, &Action::KeyWrite { key: &old })?;
    let secret = match req.new_key {
        Some(custom) => {
            secret::validate_custom(&custom).map_err(|_| {
                Error::invalid_param(
                    "new_key: must start with `sk-` followed by at least 22 URL-safe characters (A-Z a-z 0-9 - _)",
                    "new_key",
                )
            })?;
            custom
        }
        None => secret::generate()?,
    };
    let mut new = changed(state, ctx, &old, &req.fields).await?;
    new.token = secret::hash(&secret);
    new.key_name = secret::display_name(&secret);
    if new.token == old.token {
        return Err(Error::invalid_param(
            "new_key: must differ from the current secret",
            "new_key",
        ));
    }
    if secret_taken(state, &new.token).await? {
        return Err(Error::invalid_param(
            "new_key: a key with this secret already exists",
            "new_key",
        ));
    }
    let now = state.clock.now_ms();
    let grace_until = req
        .grace_period
        .as_deref()
        .map(|g| apply::after(now, g, "grace_period"))
        .transpose()?;
    let previous = state.store.grace_tokens(&old.token).await?;
    if !state
        .store
        .regenerate_key(&old.token, &new, grace_until, now)
        .await?
    {
        return Err(Error::NotFound(format!("key not found: {}", masked(given))));
    }
    for token in previous
        .iter()
        .map(String::as_str)
        .chain([old.token.as_str(), new.token.as_str()])
    {
        state
            .invalidate(Invalidation::Key {
                token: token.to_string(),
            })
            .await;
    }
    let mut diff = apply::changes(&view::key_json(&old), &view::key_json(&new));
    if let Some(map) = diff.as_object_mut() {
        map.insert("previous_token".into(), json!(old.token));
        map.insert("grace_period".into(), json!(req.grace_period));
    }
    audit::record(state, ctx, "key.regenerate", "key", &new.token, diff).await?;
    Ok(Generated {
        secret,
        record: new,
    })
}

//! Admin operations on end users (LiteLLM's `/customer/*`: whoever the OpenAI `user` field of
//! a request names), called alike by the REST and gRPC skins. Every change drops the end
//! user's cached record, so the request path sees it (a block) on its next request.

#[path = "customers_types.rs"]
pub mod types;

use self::types::*;
use super::AdminContext;
use super::audit;
use super::permissions::{Action, authorize};
use super::teams::types::Patch;
use super::teams::{changes, check_budget, checked_id, distinct, reset_at, to_value, unchanged};
use crate::directory::{EndUserRecord, EndUserSettings};
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::governance::Limits;
use crate::state::AppState;

/// Regions an end user may be pinned to (LiteLLM's `AllowedModelRegion`).
const REGIONS: &[&str] = &["eu", "us"];

/// `POST /customer/new`.
pub async fn new_customer(
    state: &AppState,
    ctx: &AdminContext,
    req: NewCustomerRequest,
) -> Result<CustomerView> {
    authorize(&ctx.principal, &Action::CustomerWrite)?;
    let user_id = checked_id(req.user_id, "user_id")?;
    if req.max_budget.is_some() && req.budget_id.is_some() {
        return Err(Error::invalid_param(
            "Set either 'max_budget' or 'budget_id', not both.",
            "max_budget",
        ));
    }
    check_budget(req.spend, "spend")?;
    if let Some(id) = &req.budget_id {
        super::budgets::require_budget(state, id, "budget_id").await?;
    }
    check_region(req.allowed_model_region.as_deref())?;
    check_model(state, req.default_model.as_deref())?;
    if state.store.end_user(&user_id).await?.is_some() {
        return Err(already_exists(&user_id));
    }
    let limits = Limits {
        max_budget: req.max_budget,
        soft_budget: req.soft_budget,
        budget_duration: req.budget_duration,
        tpm_limit: req.tpm_limit,
        rpd_limit: req.rpd_limit,
        tpd_limit: req.tpd_limit,
        rpm_limit: req.rpm_limit,
        max_parallel_requests: req.max_parallel_requests,
    };
    limits.validate()?;
    let now = state.clock.now_ms();
    let record = EndUserRecord {
        user_id: user_id.clone(),
        alias: req.alias,
        blocked: req.blocked,
        spend: req.spend.unwrap_or(0.0),
        budget_reset_at: reset_at(&limits, now)?,
        settings: EndUserSettings {
            limits,
            budget_id: req.budget_id,
            allowed_model_region: req.allowed_model_region,
            default_model: req.default_model,
            metadata: req.metadata.unwrap_or_default(),
        },
        created_at: now,
        updated_at: now,
    };
    state.store.create_end_user(&record).await?;
    state
        .invalidate(Invalidation::EndUser {
            user_id: user_id.to_string(),
        })
        .await;
    let view = view(state, &record);
    audit::record(
        state,
        ctx,
        "customer.new",
        "customer",
        &user_id,
        to_value(&view),
    )
    .await?;
    Ok(view)
}

/// `GET /customer/info?end_user_id=`.
pub async fn customer_info(
    state: &AppState,
    ctx: &AdminContext,
    query: CustomerInfoQuery,
) -> Result<CustomerView> {
    authorize(&ctx.principal, &Action::CustomerRead)?;
    let id = query.end_user_id.filter(|e| !e.is_empty()).ok_or_else(|| {
        Error::invalid_param("end_user_id: required parameter is missing", "end_user_id")
    })?;
    Ok(view(state, &customer_or_404(state, &id).await?))
}

/// `POST /customer/update`: the end user after the change.
pub async fn update_customer(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateCustomerRequest,
) -> Result<CustomerView> {
    authorize(&ctx.principal, &Action::CustomerWrite)?;
    let mut record = customer_or_404(state, &req.user_id).await?;
    let before = view(state, &record);
    let old_duration = record.settings.limits.budget_duration.clone();
    if let Patch::Set(region) = &req.allowed_model_region {
        check_region(Some(region))?;
    }
    if let Patch::Set(id) = &req.budget_id {
        super::budgets::require_budget(state, id, "budget_id").await?;
    }
    if let Patch::Set(model) = &req.default_model {
        check_model(state, Some(model))?;
    }
    req.alias.apply(&mut record.alias);
    if let Some(blocked) = req.blocked {
        record.blocked = blocked;
    }
    let s = &mut record.settings;
    req.budget_id.apply(&mut s.budget_id);
    req.allowed_model_region.apply(&mut s.allowed_model_region);
    req.default_model.apply(&mut s.default_model);
    req.metadata.apply_or_default(&mut s.metadata);
    req.max_budget.apply(&mut s.limits.max_budget);
    req.soft_budget.apply(&mut s.limits.soft_budget);
    req.tpm_limit.apply(&mut s.limits.tpm_limit);
    req.rpd_limit.apply(&mut s.limits.rpd_limit);
    req.tpd_limit.apply(&mut s.limits.tpd_limit);
    req.rpm_limit.apply(&mut s.limits.rpm_limit);
    req.max_parallel_requests
        .apply(&mut s.limits.max_parallel_requests);
    req.budget_duration.apply(&mut s.limits.budget_duration);
    s.limits.validate()?;
    let now = state.clock.now_ms();
    let reset_changed = record.settings.limits.budget_duration != old_duration;
    if reset_changed {
        record.budget_reset_at = reset_at(&record.settings.limits, now)?;
    }
    if unchanged(&before, &view(state, &record)) {
        return Ok(before);
    }
    record.updated_at = now;
    if !state.store.update_end_user(&record, reset_changed).await? {
        return Err(not_found(&record.user_id));
    }
    state
        .invalidate(Invalidation::EndUser {
            user_id: record.user_id.to_string(),
        })
        .await;
    let after = view(state, &record);
    audit::record(
        state,
        ctx,
        "customer.update",
        "customer",
        &record.user_id,
        changes(&before, &after),
    )
    .await?;
    Ok(after)
}

/// `POST /customer/delete`.
pub async fn delete_customers(
    state: &AppState,
    ctx: &AdminContext,
    req: CustomerIdsRequest,
) -> Result<CustomersDeleted> {
    authorize(&ctx.principal, &Action::CustomerWrite)?;
    let ids = distinct(req.user_ids, "user_ids")?;
    require_all(state, &ids).await?;
    let deleted = state.store.delete_end_users(&ids).await?;
    for id in &ids {
        state
            .invalidate(Invalidation::EndUser {
                user_id: id.to_string(),
            })
            .await;
        audit::record(
            state,
            ctx,
            "customer.delete",
            "customer",
            id,
            serde_json::json!({}),
        )
        .await?;
    }
    Ok(CustomersDeleted {
        deleted_customers: deleted,
        message: format!("Successfully deleted customers with ids: {ids:?}"),
    })
}

/// `GET /customer/list`: every end user.
pub async fn list_customers(state: &AppState, ctx: &AdminContext) -> Result<Vec<CustomerView>> {
    authorize(&ctx.principal, &Action::ListAll)?;
    Ok(state
        .store
        .list_end_users()
        .await?
        .iter()
        .map(|e| view(state, e))
        .collect())
}

/// An end user as the API shows them, with the named budget they follow.
fn view(state: &AppState, e: &EndUserRecord) -> CustomerView {
    CustomerView::new(e).with_named_budget(state.named_budgets.for_end_user(e).as_deref())
}

/// `POST /customer/block`: requests naming these end users are refused from now on. Unknown
/// ids are created blocked, as LiteLLM does.
pub async fn block_customers(
    state: &AppState,
    ctx: &AdminContext,
    req: CustomerIdsRequest,
) -> Result<CustomersBlocked> {
    authorize(&ctx.principal, &Action::CustomerWrite)?;
    let ids = distinct(req.user_ids, "user_ids")?
        .into_iter()
        .map(|id| checked_id(id, "user_ids"))
        .collect::<Result<Vec<_>>>()?;
    let mut settings = EndUserSettings::default();
    settings.limits.max_budget = state.config.litellm.max_end_user_budget;
    let now = state.clock.now_ms();
    let records = state
        .store
        .set_end_users_blocked(&ids, true, &settings, now)
        .await?;
    for id in &ids {
        state
            .invalidate(Invalidation::EndUser {
                user_id: id.to_string(),
            })
            .await;
        audit::record(
            state,
            ctx,
            "customer.block",
            "customer",
            id,
            serde_json::json!({ "blocked": true }),
        )
        .await?;
    }
    Ok(CustomersBlocked {
        blocked_users: records.iter().map(|e| view(state, e)).collect(),
    })
}

/// `POST /customer/unblock`.
pub async fn unblock_customers(
    state: &AppState,
    ctx: &AdminContext,
    req: CustomerIdsRequest,
) -> Result<CustomersUnblocked> {
    authorize(&ctx.principal, &Action::CustomerWrite)?;
    let ids = distinct(req.user_ids, "user_ids")?;
    require_all(state, &ids).await?;
    let now = state.clock.now_ms();
    let records = state
        .store
        .set_end_users_blocked(&ids, false, &EndUserSettings::default(), now)
        .await?;
    for id in &ids {
        state
            .invalidate(Invalidation::EndUser {
                user_id: id.to_string(),
            })
            .await;
        audit::record(
            state,
            ctx,
            "customer.unblock",
            "customer",
            id,
            serde_json::json!({ "blocked": false }),
        )
        .await?;
    }
    Ok(CustomersUnblocked {
        blocked_users: state.store.blocked_end_user_ids().await?,
        unblocked_users: records.iter().map(|e| view(state, e)).collect(),
    })
}

async fn customer_or_404(state: &AppState, id: &str) -> Result<EndUserRecord> {
    state.store.end_user(id).await?.ok_or_else(|| not_found(id))
}

/// 404 naming every id that does not exist.
async fn require_all(state: &AppState, ids: &[String]) -> Result<()> {
    let found = state.store.end_users(ids).await?;
    let missing: Vec<&str> = ids
        .iter()
        .filter(|id| !found.iter().any(|e| &e.user_id == *id))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::NotFound(format!(
            "End User Id(s)={} do not exist in db",
            missing.join(", ")
        )))
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("End User Id={id} does not exist in db"))
}

fn already_exists(id: &str) -> Error {
    Error::invalid_param(
        format!(
            "user_id: Customer already exists, passed user_id={id}. Please pass a new user_id."
        ),
        "user_id",
    )
}

fn check_region(region: Option<&str>) -> Result<()> {
    match region {
        Some(r) if !REGIONS.contains(&r) => Err(Error::invalid_param(
            format!(
                "allowed_model_region: must be one of {}, got `{r}`",
                REGIONS.join(", ")
            ),
            "allowed_model_region",
        )),
        _ => Ok(()),
    }
}

fn check_model(state: &AppState, model: Option<&str>) -> Result<()> {
    match model {
        Some(m) if !state.router.knows(m) => Err(Error::invalid_param(
            format!(
                "default_model: Default Model not on proxy. Configure via `/model/new` or config.yaml. Default_model={m}"
            ),
            "default_model",
        )),
        _ => Ok(()),
    }
}

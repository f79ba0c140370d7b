//! Admin operations on named budgets (LiteLLM's `/budget/*`), called alike by the REST and gRPC
//! skins. Admins change them, admins and admin viewers read them. Every change is audited and
//! reloaded into the request path's cache through
//! [`budget_cache::invalidate`](crate::directory::budget_cache::invalidate), so a new limit applies
//! from the next request.

#[path = "budgets_types.rs"]
pub mod types;

use serde_json::{Value, json};

use self::types::*;
use super::AdminContext;
use super::audit;
use super::permissions::{Action, authorize};
use super::teams::{changes, check_budget, checked_id, to_value, unchanged};
use crate::directory::BudgetRecord;
use crate::directory::budget::BudgetSettings;
use crate::directory::budget_cache::{BudgetChange, invalidate};
use crate::error::{Error, Result};
use crate::governance::{Limits, duration};
use crate::spend::day;
use crate::state::AppState;

/// `POST /budget/new`.
pub async fn new_budget(
    state: &AppState,
    ctx: &AdminContext,
    req: NewBudgetRequest,
) -> Result<BudgetView> {
    authorize(&ctx.principal, &Action::BudgetWrite)?;
    let budget_id = match req.budget_id {
        Some(id) => checked_id(id, "budget_id")?,
        None => uuid::Uuid::new_v4().to_string(),
    };
    let reset_at = req
        .budget_reset_at
        .as_deref()
        .map(|t| parse_time(t, "budget_reset_at"))
        .transpose()?;
    let record = create(state, ctx, budget_id, req.fields, reset_at).await?;
    Ok(BudgetView::new(&record))
}

/// Creates, audits and caches a budget with `fields` (also for tags and team members, whose
/// budget fields become a budget row as in LiteLLM).
pub(crate) async fn create(
    state: &AppState,
    ctx: &AdminContext,
    budget_id: String,
    fields: BudgetFields,
    reset_at: Option<i64>,
) -> Result<BudgetRecord> {
    let settings = settings_of(fields);
    check(&settings)?;
    let now = state.clock.now_ms();
    let record = BudgetRecord {
        budget_id,
        budget_reset_at: reset_at.or(first_reset(&settings.limits, now)?),
        settings,
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    };
    state.store.create_budget(&record).await?;
    invalidate(state, BudgetChange::Budget(record.budget_id.clone())).await?;
    let view = BudgetView::new(&record);
    audit::record(
        state,
        ctx,
        "budget.new",
        "budget",
        &record.budget_id,
        to_value(&view),
    )
    .await?;
    Ok(record)
}

/// `POST /budget/info`: the budgets with these ids (those that exist).
pub async fn budget_info(
    state: &AppState,
    ctx: &AdminContext,
    req: BudgetInfoRequest,
) -> Result<Vec<BudgetView>> {
    authorize(&ctx.principal, &Action::BudgetRead)?;
    if req.budgets.is_empty() {
        return Err(Error::invalid_param(
            "budgets: Specify list of budget id's to query. Passed in=[]",
            "budgets",
        ));
    }
    let mut views = Vec::new();
    for id in &req.budgets {
        if let Some(b) = state.store.budget(id).await? {
            views.push(BudgetView::new(&b));
        }
    }
    Ok(views)
}

/// `GET /budget/list`: every budget.
pub async fn list_budgets(state: &AppState, ctx: &AdminContext) -> Result<Vec<BudgetView>> {
    authorize(&ctx.principal, &Action::BudgetRead)?;
    Ok(state
        .store
        .list_budgets()
        .await?
        .iter()
        .map(BudgetView::new)
        .collect())
}

/// `POST /budget/update`: the budget after the change.
pub async fn update_budget(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateBudgetRequest,
) -> Result<BudgetView> {
    authorize(&ctx.principal, &Action::BudgetWrite)?;
    apply_update(state, ctx, req).await
}

/// Applies a budget change (the caller checked the permission: admins on `/budget/update`, team
/// admins on their members' budget rows), audits it and reloads the cache.
pub(crate) async fn apply_update(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateBudgetRequest,
) -> Result<BudgetView> {
    let id = req
        .budget_id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Error::invalid_param("budget_id is required", "budget_id"))?;
    let mut record = budget_or_404(state, &id).await?;
    let before = BudgetView::new(&record);
    let old_duration = record.settings.limits.budget_duration.clone();
    let l = &mut record.settings.limits;
    req.max_budget.apply(&mut l.max_budget);
    req.soft_budget.apply(&mut l.soft_budget);
    req.max_parallel_requests
        .apply(&mut l.max_parallel_requests);
    req.tpm_limit.apply(&mut l.tpm_limit);
    req.rpm_limit.apply(&mut l.rpm_limit);
    req.budget_duration.apply(&mut l.budget_duration);
    req.model_max_budget
        .apply_or_default(&mut record.settings.model_max_budget);
    check(&record.settings)?;
    let now = state.clock.now_ms();
    let mut reset_at = None;
    if req.budget_reset_at.apply(&mut reset_at) {
        record.budget_reset_at = reset_at
            .as_deref()
            .map(|t| parse_time(t, "budget_reset_at"))
            .transpose()?;
    } else if record.settings.limits.budget_duration != old_duration {
        record.budget_reset_at = first_reset(&record.settings.limits, now)?;
    }
    if unchanged(&before, &BudgetView::new(&record)) {
        return Ok(before);
    }
    record.updated_at = now;
    record.updated_by = Some(ctx.principal.actor());
    if !state.store.update_budget(&record).await? {
        return Err(not_found(&id));
    }
    invalidate(state, BudgetChange::Budget(id.clone())).await?;
    let after = BudgetView::new(&record);
    audit::record(
        state,
        ctx,
        "budget.update",
        "budget",
        &id,
        changes(&before, &after),
    )
    .await?;
    Ok(after)
}

/// `POST /budget/delete`: the deleted budget. A budget still followed by customers, team
/// members or tags is refused (400 naming them): detach it first.
pub async fn delete_budget(
    state: &AppState,
    ctx: &AdminContext,
    req: DeleteBudgetRequest,
) -> Result<BudgetView> {
    authorize(&ctx.principal, &Action::BudgetWrite)?;
    let record = budget_or_404(state, &req.id).await?;
    let followers = state.store.budget_followers(&req.id).await?;
    if !followers.is_empty() {
        let members: Vec<String> = followers
            .team_members
            .iter()
            .map(|(team, user)| format!("{user} in {team}"))
            .collect();
        return Err(Error::invalid_param(
            format!(
                "id: budget `{}` is still used by customers {:?}, team members {members:?} and tags {:?}; detach it first",
                req.id, followers.end_users, followers.tags
            ),
            "id",
        ));
    }
    if !state.store.delete_budget(&req.id).await? {
        return Err(not_found(&req.id));
    }
    invalidate(state, BudgetChange::Budget(req.id.clone())).await?;
    audit::record(state, ctx, "budget.delete", "budget", &req.id, json!({})).await?;
    Ok(BudgetView::new(&record))
}

/// `GET /budget/settings?budget_id=`: each configurable field with its current value.
pub async fn budget_settings(
    state: &AppState,
    ctx: &AdminContext,
    query: BudgetSettingsQuery,
) -> Result<Vec<BudgetSetting>> {
    authorize(&ctx.principal, &Action::BudgetRead)?;
    let id = query.budget_id.filter(|id| !id.is_empty()).ok_or_else(|| {
        Error::invalid_param("budget_id: required parameter is missing", "budget_id")
    })?;
    let current = match state.store.budget(&id).await? {
        Some(b) => to_value(&BudgetView::new(&b)),
        None => Value::Null,
    };
    let fields = [
        (
            "max_parallel_requests",
            "Integer",
            "Requests in flight at once.",
        ),
        ("tpm_limit", "Integer", "Tokens per minute."),
        ("rpm_limit", "Integer", "Requests per minute."),
        (
            "budget_duration",
            "String",
            "How often spend resets (30s, 10m, 24h, 7d, 1mo).",
        ),
        ("max_budget", "Float", "Spend cap, USD."),
        ("soft_budget", "Float", "Spend that triggers an alert, USD."),
        ("model_max_budget", "Object", "Per-model budgets."),
    ];
    Ok(fields
        .into_iter()
        .map(|(name, kind, description)| BudgetSetting {
            field_name: name.to_owned(),
            field_type: kind.to_owned(),
            field_description: description.to_owned(),
            field_value: current.get(name).cloned().unwrap_or(Value::Null),
            stored_in_db: true,
            field_default_value: Value::Null,
        })
        .collect())
}

/// The budget, or 404.
pub(crate) async fn budget_or_404(state: &AppState, id: &str) -> Result<BudgetRecord> {
    state.store.budget(id).await?.ok_or_else(|| not_found(id))
}

/// 400 unless the budget exists (for the entities that name one).
pub(crate) async fn require_budget(state: &AppState, id: &str, param: &str) -> Result<()> {
    if state.store.budget(id).await?.is_none() {
        return Err(Error::invalid_param(
            format!("{param}: no budget with id `{id}`; create it with /budget/new"),
            param,
        ));
    }
    Ok(())
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("Budget with id '{id}' not found"))
}

pub(crate) fn settings_of(f: BudgetFields) -> BudgetSettings {
    BudgetSettings {
        limits: Limits {
            max_budget: f.max_budget,
            soft_budget: f.soft_budget,
            budget_duration: f.budget_duration,
            tpm_limit: f.tpm_limit,
            rpm_limit: f.rpm_limit,
            max_parallel_requests: f.max_parallel_requests,
            ..Limits::default()
        },
        model_max_budget: f.model_max_budget.unwrap_or_default(),
    }
}

/// The fields that make up `settings` (to copy a budget).
pub(crate) fn fields_of(settings: &BudgetSettings) -> BudgetFields {
    let l = &settings.limits;
    BudgetFields {
        max_budget: l.max_budget,
        soft_budget: l.soft_budget,
        max_parallel_requests: l.max_parallel_requests,
        tpm_limit: l.tpm_limit,
        rpm_limit: l.rpm_limit,
        model_max_budget: (!settings.model_max_budget.is_empty())
            .then(|| settings.model_max_budget.clone()),
        budget_duration: l.budget_duration.clone(),
    }
}

/// Budgets are non-negative and finite, durations parse, per-model entries are objects.
pub(crate) fn check(settings: &BudgetSettings) -> Result<()> {
    settings.limits.validate()?;
    for (model, entry) in &settings.model_max_budget {
        let Some(entry) = entry.as_object() else {
            return Err(Error::invalid_param(
                format!("model_max_budget: the entry of `{model}` must be an object"),
                "model_max_budget",
            ));
        };
        for field in ["max_budget", "budget_limit"] {
            if let Some(v) = entry.get(field).filter(|v| !v.is_null()) {
                let Some(n) = v.as_f64() else {
                    return Err(Error::invalid_param(
                        format!("model_max_budget: `{model}`.{field} must be a number"),
                        "model_max_budget",
                    ));
                };
                check_budget(Some(n), "model_max_budget")?;
            }
        }
        for field in ["budget_duration", "time_period"] {
            if let Some(d) = entry.get(field).and_then(Value::as_str) {
                duration::parse(d, "model_max_budget")?;
            }
        }
    }
    Ok(())
}

/// The end of the first period from `now`, when the limits have one.
fn first_reset(limits: &Limits, now: i64) -> Result<Option<i64>> {
    super::teams::reset_at(limits, now)
}

/// A time parameter: a date, `YYYY-MM-DD HH:MM:SS` or RFC 3339.
fn parse_time(text: &str, field: &str) -> Result<i64> {
    day::parse(text, field).map(|bound| bound.start_ms())
}

//! Admin operations on managed tags (LiteLLM's `/tag/*`), called alike by the REST and gRPC
//! skins. A tag's budget is a named budget (`budget_id`; the budget fields of `/tag/new` and
//! `/tag/update` create or change it, as LiteLLM does). Admins change tags, admins and admin
//! viewers read them. Every change is audited and reloaded into the request path's cache
//! through [`budget_cache::invalidate`](crate::directory::budget_cache::invalidate).

#[path = "tags_types.rs"]
pub mod types;

use std::collections::BTreeMap;

use serde_json::json;

use self::types::*;
use super::AdminContext;
use super::audit;
use super::budgets::types::UpdateBudgetRequest;
use super::budgets::{self, require_budget};
use super::permissions::{Action, authorize};
use super::teams::types::Patch;
use super::teams::{changes, checked_id, to_value, unchanged};
use crate::directory::budget::TagSettings;
use crate::directory::budget_cache::{BudgetChange, invalidate};
use crate::directory::{BudgetRecord, TagRecord};
use crate::error::{Error, Result};
use crate::state::AppState;

/// What `/tag/list` says of a tag that is only used, not managed (LiteLLM's words).
const DYNAMIC_TAG: &str = "This is just a spend tag that was passed dynamically in a request. It does not control any LLM models.";

/// `POST /tag/new`.
pub async fn new_tag(
    state: &AppState,
    ctx: &AdminContext,
    req: NewTagRequest,
) -> Result<TagChanged> {
    authorize(&ctx.principal, &Action::TagWrite)?;
    let name = checked_id(req.name, "name")?;
    if state.store.tag(&name).await?.is_some() {
        return Err(Error::invalid_param(
            format!("Tag {name} already exists"),
            "name",
        ));
    }
    let budget_id = match req.budget_id.filter(|id| !id.is_empty()) {
        Some(_) if req.fields.any() => {
            return Err(Error::invalid_param(
                "Set either 'budget_id' or the budget fields (max_budget, ...), not both.",
                "budget_id",
            ));
        }
        Some(id) => {
            require_budget(state, &id, "budget_id").await?;
            Some(id)
        }
        None if req.fields.any() => {
            let id = uuid::Uuid::new_v4().to_string();
            Some(
                budgets::create(state, ctx, id, req.fields, None)
                    .await?
                    .budget_id,
            )
        }
        None => None,
    };
    let now = state.clock.now_ms();
    let record = TagRecord {
        tag_name: name.clone(),
        budget_id,
        settings: TagSettings {
            description: req.description,
            models: req.models.unwrap_or_default(),
        },
        created_at: now,
        updated_at: now,
        created_by: Some(ctx.principal.actor()),
        updated_by: Some(ctx.principal.actor()),
    };
    state.store.create_tag(&record).await?;
    invalidate(state, BudgetChange::Tag(name.clone())).await?;
    let view = view(state, &record).await?;
    audit::record(state, ctx, "tag.new", "tag", &name, to_value(&view)).await?;
    Ok(TagChanged {
        message: format!("Tag {name} created successfully"),
        tag: view,
    })
}

/// `POST /tag/update`.
pub async fn update_tag(
    state: &AppState,
    ctx: &AdminContext,
    req: UpdateTagRequest,
) -> Result<TagChanged> {
    authorize(&ctx.principal, &Action::TagWrite)?;
    let mut tag = tag_or_404(state, &req.name).await?;
    let before = TagView::new(&tag, None, 0.0);
    req.description.apply(&mut tag.settings.description);
    req.models.apply_or_default(&mut tag.settings.models);
    let mut target = tag.budget_id.clone();
    if let Some(id) = req.budget_id.filter(|id| !id.is_empty())
        && Some(&id) != tag.budget_id.as_ref()
    {
        require_budget(state, &id, "budget_id").await?;
        target = Some(id);
    }
    if req.fields.any() {
        target = Some(match target {
            Some(id) => {
                let f = req.fields;
                let change = UpdateBudgetRequest {
                    budget_id: Some(id.clone()),
                    max_budget: set(f.max_budget),
                    soft_budget: set(f.soft_budget),
                    max_parallel_requests: set(f.max_parallel_requests),
                    tpm_limit: set(f.tpm_limit),
                    rpm_limit: set(f.rpm_limit),
                    model_max_budget: set(f.model_max_budget),
                    budget_duration: set(f.budget_duration),
                    budget_reset_at: Patch::Keep,
                };
                budgets::apply_update(state, ctx, change).await?;
                id
            }
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                budgets::create(state, ctx, id, req.fields, None)
                    .await?
                    .budget_id
            }
        });
    }
    tag.budget_id = target;
    if !unchanged(&before, &TagView::new(&tag, None, 0.0)) {
        tag.updated_at = state.clock.now_ms();
        tag.updated_by = Some(ctx.principal.actor());
        if !state.store.update_tag(&tag).await? {
            return Err(not_found(&[tag.tag_name.clone()]));
        }
        let diff = changes(&before, &TagView::new(&tag, None, 0.0));
        audit::record(state, ctx, "tag.update", "tag", &tag.tag_name, diff).await?;
    }
    invalidate(state, BudgetChange::Tag(tag.tag_name.clone())).await?;
    Ok(TagChanged {
        message: format!("Tag {} updated successfully", tag.tag_name),
        tag: view(state, &tag).await?,
    })
}

/// `POST /tag/info`: the named tags by name (404 naming those that do not exist).
pub async fn tag_info(
    state: &AppState,
    ctx: &AdminContext,
    req: TagInfoRequest,
) -> Result<BTreeMap<String, TagView>> {
    authorize(&ctx.principal, &Action::TagRead)?;
    if req.names.is_empty() {
        return Err(Error::invalid_param(
            "names: name at least one tag",
            "names",
        ));
    }
    let mut found = BTreeMap::new();
    let mut missing = Vec::new();
    for name in &req.names {
        match state.store.tag(name).await? {
            Some(tag) => {
                found.insert(name.clone(), view(state, &tag).await?);
            }
            None => missing.push(name.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(not_found(&missing));
    }
    Ok(found)
}

/// `GET /tag/list`: every managed tag, then the tags requests used without them being managed.
pub async fn list_tags(state: &AppState, ctx: &AdminContext) -> Result<Vec<TagListEntry>> {
    authorize(&ctx.principal, &Action::TagRead)?;
    let managed = state.store.list_tags().await?;
    let mut entries = Vec::with_capacity(managed.len());
    for tag in &managed {
        entries.push(TagListEntry::Managed(Box::new(view(state, tag).await?)));
    }
    for used in state.store.used_tags().await? {
        if !managed.iter().any(|t| t.tag_name == used.tag) {
            entries.push(TagListEntry::Dynamic(DynamicTagView {
                name: used.tag,
                description: DYNAMIC_TAG.to_owned(),
                models: None,
                created_at: used.first_day,
                updated_at: used.last_day,
            }));
        }
    }
    Ok(entries)
}

/// `POST /tag/delete`: the tag goes, its budget stays.
pub async fn delete_tag(
    state: &AppState,
    ctx: &AdminContext,
    req: DeleteTagRequest,
) -> Result<TagDeleted> {
    authorize(&ctx.principal, &Action::TagWrite)?;
    let tag = tag_or_404(state, &req.name).await?;
    if !state.store.delete_tag(&tag.tag_name).await? {
        return Err(not_found(&[tag.tag_name]));
    }
    invalidate(state, BudgetChange::Tag(req.name.clone())).await?;
    audit::record(state, ctx, "tag.delete", "tag", &req.name, json!({})).await?;
    Ok(TagDeleted {
        message: format!("Tag {} deleted successfully", req.name),
    })
}

/// A tag with its budget and its spend in the budget's window (from the database).
async fn view(state: &AppState, tag: &TagRecord) -> Result<TagView> {
    let budget: Option<BudgetRecord> = match &tag.budget_id {
        Some(id) => state.store.budget(id).await?,
        None => None,
    };
    let spend = state
        .named_budgets
        .tag_spend(&state.store, tag, budget.as_ref())
        .await?;
    Ok(TagView::new(tag, budget.as_ref(), spend))
}

/// A field given sets; an absent one stays.
fn set<T>(value: Option<T>) -> Patch<T> {
    value.map_or(Patch::Keep, Patch::Set)
}

async fn tag_or_404(state: &AppState, name: &str) -> Result<TagRecord> {
    state
        .store
        .tag(name)
        .await?
        .ok_or_else(|| not_found(&[name.to_owned()]))
}

fn not_found(names: &[String]) -> Error {
    Error::NotFound(format!("Tags not found: {names:?}"))
}

//! `tollgate.v1.BudgetsService` and `tollgate.v1.TagsService`: the same operations as
//! `/budget/*` and `/tag/*` ([`crate::admin::budgets`], [`crate::admin::tags`]), translated.

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::budgets_service_server::BudgetsService;
use tollgate_proto::tollgate::v1::tags_service_server::TagsService;
use tonic::{Request, Response, Status};

use super::convert::structs::{map_to_struct, struct_to_map};
use super::teams::{checked_clear, list_patch, map_patch, run};
use crate::admin::budgets::{self, types::*};
use crate::admin::tags::{self, types::*};
use crate::admin::teams::types::Patch;
use crate::state::AppState;

/// Both services share the state.
#[derive(Clone)]
pub struct BudgetsApi {
    state: AppState,
}

impl BudgetsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

type Reply<T> = std::result::Result<Response<T>, Status>;

/// A budget as the API returns it.
fn budget(v: BudgetView) -> pb::Budget {
    pb::Budget {
        budget_id: v.budget_id,
        max_budget: v.max_budget,
        soft_budget: v.soft_budget,
        max_parallel_requests: v.max_parallel_requests,
        tpm_limit: v.tpm_limit,
        rpm_limit: v.rpm_limit,
        model_max_budget: v.model_max_budget.map(map_to_struct),
        budget_duration: v.budget_duration,
        budget_reset_at: v.budget_reset_at,
        created_at: v.created_at,
        created_by: v.created_by,
        updated_at: v.updated_at,
        updated_by: v.updated_by,
    }
}

/// A tag as the API returns it.
fn tag(v: TagView) -> pb::Tag {
    pb::Tag {
        name: v.name,
        description: v.description,
        models: v.models,
        created_at: v.created_at,
        updated_at: v.updated_at,
        created_by: v.created_by,
        budget_id: v.budget_id,
        spend: v.spend,
        budget: v.litellm_budget_table.map(budget),
    }
}

fn fields(limits: Option<pb::BudgetLimits>) -> BudgetFields {
    let l = limits.unwrap_or_default();
    BudgetFields {
        max_budget: l.max_budget,
        soft_budget: l.soft_budget,
        max_parallel_requests: l.max_parallel_requests,
        tpm_limit: l.tpm_limit,
        rpm_limit: l.rpm_limit,
        model_max_budget: l.model_max_budget.map(struct_to_map),
        budget_duration: l.budget_duration,
    }
}

#[tonic::async_trait]
impl BudgetsService for BudgetsApi {
    async fn new_budget(
        &self,
        request: Request<pb::NewBudgetRequest>,
    ) -> Reply<pb::NewBudgetResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = NewBudgetRequest {
                budget_id: r.budget_id,
                fields: fields(r.limits),
                budget_reset_at: r.budget_reset_at,
            };
            let view = budgets::new_budget(&state, &ctx, req).await?;
            Ok(pb::NewBudgetResponse {
                budget: Some(budget(view)),
            })
        })
        .await
    }

    async fn get_budget_info(
        &self,
        request: Request<pb::GetBudgetInfoRequest>,
    ) -> Reply<pb::GetBudgetInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = BudgetInfoRequest { budgets: r.budgets };
            let views = budgets::budget_info(&state, &ctx, req).await?;
            Ok(pb::GetBudgetInfoResponse {
                budgets: views.into_iter().map(budget).collect(),
            })
        })
        .await
    }

    async fn update_budget(
        &self,
        request: Request<pb::UpdateBudgetRequest>,
    ) -> Reply<pb::UpdateBudgetResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(
                r.clear_fields,
                &[
                    "max_budget",
                    "soft_budget",
                    "max_parallel_requests",
                    "tpm_limit",
                    "rpm_limit",
                    "model_max_budget",
                    "budget_duration",
                    "budget_reset_at",
                ],
            )?;
            let req = UpdateBudgetRequest {
                budget_id: Some(r.budget_id),
                max_budget: Patch::from_grpc(r.max_budget, "max_budget", &c),
                soft_budget: Patch::from_grpc(r.soft_budget, "soft_budget", &c),
                max_parallel_requests: Patch::from_grpc(
                    r.max_parallel_requests,
                    "max_parallel_requests",
                    &c,
                ),
                tpm_limit: Patch::from_grpc(r.tpm_limit, "tpm_limit", &c),
                rpm_limit: Patch::from_grpc(r.rpm_limit, "rpm_limit", &c),
                model_max_budget: map_patch(r.model_max_budget, "model_max_budget", &c),
                budget_duration: Patch::from_grpc(r.budget_duration, "budget_duration", &c),
                budget_reset_at: Patch::from_grpc(r.budget_reset_at, "budget_reset_at", &c),
            };
            let view = budgets::update_budget(&state, &ctx, req).await?;
            Ok(pb::UpdateBudgetResponse {
                budget: Some(budget(view)),
            })
        })
        .await
    }

    async fn delete_budget(
        &self,
        request: Request<pb::DeleteBudgetRequest>,
    ) -> Reply<pb::DeleteBudgetResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let view =
                budgets::delete_budget(&state, &ctx, DeleteBudgetRequest { id: r.id }).await?;
            Ok(pb::DeleteBudgetResponse {
                budget: Some(budget(view)),
            })
        })
        .await
    }

    async fn list_budgets(
        &self,
        request: Request<pb::ListBudgetsRequest>,
    ) -> Reply<pb::ListBudgetsResponse> {
        run(&self.state, request, |state, ctx, _r| async move {
            let views = budgets::list_budgets(&state, &ctx).await?;
            Ok(pb::ListBudgetsResponse {
                budgets: views.into_iter().map(budget).collect(),
            })
        })
        .await
    }
}

#[tonic::async_trait]
impl TagsService for BudgetsApi {
    async fn new_tag(&self, request: Request<pb::NewTagRequest>) -> Reply<pb::NewTagResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = NewTagRequest {
                name: r.name,
                description: r.description,
                models: (!r.models.is_empty()).then_some(r.models),
                budget_id: r.budget_id,
                fields: fields(r.limits),
            };
            let done = tags::new_tag(&state, &ctx, req).await?;
            Ok(pb::NewTagResponse {
                message: done.message,
                tag: Some(tag(done.tag)),
            })
        })
        .await
    }

    async fn get_tag_info(
        &self,
        request: Request<pb::GetTagInfoRequest>,
    ) -> Reply<pb::GetTagInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let found = tags::tag_info(&state, &ctx, TagInfoRequest { names: r.names }).await?;
            Ok(pb::GetTagInfoResponse {
                tags: found.into_values().map(tag).collect(),
            })
        })
        .await
    }

    async fn update_tag(
        &self,
        request: Request<pb::UpdateTagRequest>,
    ) -> Reply<pb::UpdateTagResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(r.clear_fields, &["description", "models"])?;
            let req = UpdateTagRequest {
                name: r.name,
                description: Patch::from_grpc(r.description, "description", &c),
                models: list_patch(r.models, "models", &c),
                budget_id: r.budget_id,
                fields: fields(r.limits),
            };
            let done = tags::update_tag(&state, &ctx, req).await?;
            Ok(pb::UpdateTagResponse {
                message: done.message,
                tag: Some(tag(done.tag)),
            })
        })
        .await
    }

    async fn delete_tag(
        &self,
        request: Request<pb::DeleteTagRequest>,
    ) -> Reply<pb::DeleteTagResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let done = tags::delete_tag(&state, &ctx, DeleteTagRequest { name: r.name }).await?;
            Ok(pb::DeleteTagResponse {
                message: done.message,
            })
        })
        .await
    }

    async fn list_tags(
        &self,
        request: Request<pb::ListTagsRequest>,
    ) -> Reply<pb::ListTagsResponse> {
        run(&self.state, request, |state, ctx, _r| async move {
            let entries = tags::list_tags(&state, &ctx).await?;
            Ok(pb::ListTagsResponse {
                tags: entries
                    .into_iter()
                    .filter_map(|e| match e {
                        TagListEntry::Managed(v) => Some(tag(*v)),
                        TagListEntry::Dynamic(_) => None,
                    })
                    .collect(),
            })
        })
        .await
    }
}

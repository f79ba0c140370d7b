//! `tollgate.v1.CustomersService`: the same operations as `/customer/*`
//! ([`crate::admin::customers`]), translated.

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::customers_service_server::CustomersService;
use tonic::{Request, Response, Status};

use super::convert::structs::{map_to_struct, struct_to_map};
use super::teams::{checked_clear, map_patch, run};
use crate::admin::customers::{self, types::*};
use crate::admin::teams::types::Patch;
use crate::state::AppState;

#[derive(Clone)]
pub struct CustomersApi {
    state: AppState,
}

impl CustomersApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

type Reply<T> = std::result::Result<Response<T>, Status>;

/// An end user as the API returns them.
fn customer(v: CustomerView) -> pb::Customer {
    pb::Customer {
        user_id: v.user_id,
        alias: v.alias,
        blocked: v.blocked,
        spend: v.spend,
        allowed_model_region: v.allowed_model_region,
        default_model: v.default_model,
        budget_id: v.budget_id,
        max_budget: v.max_budget,
        soft_budget: v.soft_budget,
        budget_duration: v.budget_duration,
        budget_reset_at: v.budget_reset_at,
        tpm_limit: v.tpm_limit,
        rpd_limit: v.rpd_limit,
        tpd_limit: v.tpd_limit,
        rpm_limit: v.rpm_limit,
        max_parallel_requests: v.max_parallel_requests,
        metadata: Some(map_to_struct(v.metadata)),
        created_at: v.created_at,
        updated_at: v.updated_at,
    }
}

#[tonic::async_trait]
impl CustomersService for CustomersApi {
    async fn new_customer(
        &self,
        request: Request<pb::NewCustomerRequest>,
    ) -> Reply<pb::NewCustomerResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = NewCustomerRequest {
                user_id: r.user_id,
                alias: r.alias,
                blocked: r.blocked,
                budget_id: r.budget_id,
                spend: r.spend,
                allowed_model_region: r.allowed_model_region,
                default_model: r.default_model,
                max_budget: r.max_budget,
                soft_budget: r.soft_budget,
                budget_duration: r.budget_duration,
                tpm_limit: r.tpm_limit,
                rpd_limit: r.rpd_limit,
                tpd_limit: r.tpd_limit,
                rpm_limit: r.rpm_limit,
                max_parallel_requests: r.max_parallel_requests,
                metadata: r.metadata.map(struct_to_map),
            };
            let view = customers::new_customer(&state, &ctx, req).await?;
            Ok(pb::NewCustomerResponse {
                customer: Some(customer(view)),
            })
        })
        .await
    }

    async fn get_customer_info(
        &self,
        request: Request<pb::GetCustomerInfoRequest>,
    ) -> Reply<pb::GetCustomerInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let query = CustomerInfoQuery {
                end_user_id: Some(r.end_user_id),
            };
            let view = customers::customer_info(&state, &ctx, query).await?;
            Ok(pb::GetCustomerInfoResponse {
                customer: Some(customer(view)),
            })
        })
        .await
    }

    async fn update_customer(
        &self,
        request: Request<pb::UpdateCustomerRequest>,
    ) -> Reply<pb::UpdateCustomerResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(
                r.clear_fields,
                &[
                    "alias",
                    "budget_id",
                    "allowed_model_region",
                    "default_model",
                    "max_budget",
                    "soft_budget",
                    "budget_duration",
                    "tpm_limit",
                    "rpd_limit",
                    "tpd_limit",
                    "rpm_limit",
                    "max_parallel_requests",
                    "metadata",
                ],
            )?;
            let req = UpdateCustomerRequest {
                user_id: r.user_id,
                alias: Patch::from_grpc(r.alias, "alias", &c),
                blocked: r.blocked,
                budget_id: Patch::from_grpc(r.budget_id, "budget_id", &c),
                allowed_model_region: Patch::from_grpc(
                    r.allowed_model_region,
                    "allowed_model_region",
                    &c,
                ),
                default_model: Patch::from_grpc(r.default_model, "default_model", &c),
                max_budget: Patch::from_grpc(r.max_budget, "max_budget", &c),
                soft_budget: Patch::from_grpc(r.soft_budget, "soft_budget", &c),
                budget_duration: Patch::from_grpc(r.budget_duration, "budget_duration", &c),
                tpm_limit: Patch::from_grpc(r.tpm_limit, "tpm_limit", &c),
                rpd_limit: Patch::from_grpc(r.rpd_limit, "rpd_limit", &c),
                tpd_limit: Patch::from_grpc(r.tpd_limit, "tpd_limit", &c),
                rpm_limit: Patch::from_grpc(r.rpm_limit, "rpm_limit", &c),
                max_parallel_requests: Patch::from_grpc(
                    r.max_parallel_requests,
                    "max_parallel_requests",
                    &c,
                ),
                metadata: map_patch(r.metadata, "metadata", &c),
            };
            let view = customers::update_customer(&state, &ctx, req).await?;
            Ok(pb::UpdateCustomerResponse {
                customer: Some(customer(view)),
            })
        })
        .await
    }

    async fn delete_customers(
        &self,
        request: Request<pb::DeleteCustomersRequest>,
    ) -> Reply<pb::DeleteCustomersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = CustomerIdsRequest {
                user_ids: r.user_ids,
            };
            let done = customers::delete_customers(&state, &ctx, req).await?;
            Ok(pb::DeleteCustomersResponse {
                deleted_customers: done.deleted_customers,
                message: done.message,
            })
        })
        .await
    }

    async fn list_customers(
        &self,
        request: Request<pb::ListCustomersRequest>,
    ) -> Reply<pb::ListCustomersResponse> {
        run(&self.state, request, |state, ctx, _r| async move {
            let views = customers::list_customers(&state, &ctx).await?;
            Ok(pb::ListCustomersResponse {
                customers: views.into_iter().map(customer).collect(),
            })
        })
        .await
    }

    async fn block_customers(
        &self,
        request: Request<pb::BlockCustomersRequest>,
    ) -> Reply<pb::BlockCustomersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = CustomerIdsRequest {
                user_ids: r.user_ids,
            };
            let done = customers::block_customers(&state, &ctx, req).await?;
            Ok(pb::BlockCustomersResponse {
                blocked_users: done.blocked_users.into_iter().map(customer).collect(),
            })
        })
        .await
    }

    async fn unblock_customers(
        &self,
        request: Request<pb::UnblockCustomersRequest>,
    ) -> Reply<pb::UnblockCustomersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = CustomerIdsRequest {
                user_ids: r.user_ids,
            };
            let done = customers::unblock_customers(&state, &ctx, req).await?;
            Ok(pb::UnblockCustomersResponse {
                blocked_users: done.blocked_users,
                unblocked_users: done.unblocked_users.into_iter().map(customer).collect(),
            })
        })
        .await
    }
}

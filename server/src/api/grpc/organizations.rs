//! `tollgate.v1.OrganizationsService`: the same operations as `/organization/*`
//! ([`crate::admin::organizations`]), translated.

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::organizations_service_server::OrganizationsService;
use tonic::{Request, Response, Status};

use super::convert::structs::{map_to_struct, struct_to_map};
use super::teams::{
    checked_clear, list_patch, map_patch, object_permission, organization_membership, run, team,
    user, value_struct,
};
use crate::admin::organizations::{self, types::*};
use crate::admin::teams::types::{OneOrMany, Patch};
use crate::state::AppState;

#[derive(Clone)]
pub struct OrganizationsApi {
    state: AppState,
}

impl OrganizationsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

type Reply<T> = std::result::Result<Response<T>, Status>;

/// An organization as the API returns it.
fn organization(v: OrganizationView) -> pb::Organization {
    pb::Organization {
        organization_id: v.organization_id,
        organization_alias: v.organization_alias,
        spend: v.spend,
        metadata: Some(map_to_struct(v.metadata)),
        models: v.models,
        blocked: v.blocked,
        max_budget: v.max_budget,
        soft_budget: v.soft_budget,
        budget_duration: v.budget_duration,
        budget_reset_at: v.budget_reset_at,
        tpm_limit: v.tpm_limit,
        rpd_limit: v.rpd_limit,
        tpd_limit: v.tpd_limit,
        rpm_limit: v.rpm_limit,
        max_parallel_requests: v.max_parallel_requests,
        object_permission: v.object_permission.and_then(value_struct),
        members: v.members.into_iter().map(organization_membership).collect(),
        teams: v.teams.into_iter().map(team).collect(),
        created_at: v.created_at,
        updated_at: v.updated_at,
        created_by: v.created_by,
        updated_by: v.updated_by,
    }
}

#[tonic::async_trait]
impl OrganizationsService for OrganizationsApi {
    async fn new_organization(
        &self,
        request: Request<pb::NewOrganizationRequest>,
    ) -> Reply<pb::NewOrganizationResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = NewOrganizationRequest {
                organization_id: r.organization_id,
                organization_alias: r.organization_alias,
                models: r.models,
                metadata: r.metadata.map(struct_to_map),
                max_budget: r.max_budget,
                soft_budget: r.soft_budget,
                budget_duration: r.budget_duration,
                tpm_limit: r.tpm_limit,
                rpd_limit: r.rpd_limit,
                tpd_limit: r.tpd_limit,
                rpm_limit: r.rpm_limit,
                max_parallel_requests: r.max_parallel_requests,
                object_permission: r.object_permission.map(object_permission).transpose()?,
                blocked: r.blocked,
            };
            let view = organizations::new_organization(&state, &ctx, req).await?;
            Ok(pb::NewOrganizationResponse {
                organization: Some(organization(view)),
            })
        })
        .await
    }

    async fn update_organization(
        &self,
        request: Request<pb::UpdateOrganizationRequest>,
    ) -> Reply<pb::UpdateOrganizationResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(
                r.clear_fields,
                &[
                    "organization_alias",
                    "models",
                    "metadata",
                    "max_budget",
                    "soft_budget",
                    "budget_duration",
                    "tpm_limit",
                    "rpd_limit",
                    "tpd_limit",
                    "rpm_limit",
                    "max_parallel_requests",
                    "object_permission",
                ],
            )?;
            let req = UpdateOrganizationRequest {
                organization_id: r.organization_id,
                organization_alias: Patch::from_grpc(
                    r.organization_alias,
                    "organization_alias",
                    &c,
                ),
                models: list_patch(r.models, "models", &c),
                metadata: map_patch(r.metadata, "metadata", &c),
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
                object_permission: Patch::from_grpc(
                    r.object_permission.map(object_permission).transpose()?,
                    "object_permission",
                    &c,
                ),
                blocked: r.blocked,
            };
            let view = organizations::update_organization(&state, &ctx, req).await?;
            Ok(pb::UpdateOrganizationResponse {
                organization: Some(organization(view)),
            })
        })
        .await
    }

    async fn delete_organizations(
        &self,
        request: Request<pb::DeleteOrganizationsRequest>,
    ) -> Reply<pb::DeleteOrganizationsResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = DeleteOrganizationsRequest {
                organization_ids: r.organization_ids,
            };
            let views = organizations::delete_organizations(&state, &ctx, req).await?;
            Ok(pb::DeleteOrganizationsResponse {
                organizations: views.into_iter().map(organization).collect(),
            })
        })
        .await
    }

    async fn get_organization_info(
        &self,
        request: Request<pb::GetOrganizationInfoRequest>,
    ) -> Reply<pb::GetOrganizationInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let query = OrganizationInfoQuery {
                organization_id: Some(r.organization_id),
            };
            let view = organizations::organization_info(&state, &ctx, query).await?;
            Ok(pb::GetOrganizationInfoResponse {
                organization: Some(organization(view)),
            })
        })
        .await
    }

    async fn list_organizations(
        &self,
        request: Request<pb::ListOrganizationsRequest>,
    ) -> Reply<pb::ListOrganizationsResponse> {
        run(&self.state, request, |state, ctx, _r| async move {
            let views = organizations::list_organizations(&state, &ctx).await?;
            Ok(pb::ListOrganizationsResponse {
                organizations: views.into_iter().map(organization).collect(),
            })
        })
        .await
    }

    async fn add_organization_members(
        &self,
        request: Request<pb::AddOrganizationMembersRequest>,
    ) -> Reply<pb::AddOrganizationMembersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = OrganizationMemberAddRequest {
                organization_id: r.organization_id,
                member: OneOrMany(
                    r.member
                        .into_iter()
                        .map(|m| OrgMemberInput {
                            user_id: m.user_id,
                            user_email: m.user_email,
                            role: m.role,
                        })
                        .collect(),
                ),
                max_budget_in_organization: r.max_budget_in_organization,
            };
            let added = organizations::add_members(&state, &ctx, req).await?;
            Ok(pb::AddOrganizationMembersResponse {
                organization_id: added.organization_id,
                updated_users: added.updated_users.into_iter().map(user).collect(),
                updated_organization_memberships: added
                    .updated_organization_memberships
                    .into_iter()
                    .map(organization_membership)
                    .collect(),
            })
        })
        .await
    }
}

//! `tollgate.v1.TeamsService`: the same operations as `/team/*` ([`crate::admin::teams`]),
//! translated. The conversions and the call wrapper the directory services share are in
//! [`support`] (re-exported here).

#[path = "directory_support.rs"]
mod support;

pub(crate) use support::*;

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::teams_service_server::TeamsService;
use tonic::{Request, Response, Status};

use super::convert::structs::struct_to_map;
use crate::admin::teams::{self, types::*};
use crate::error::Result;
use crate::state::AppState;

#[derive(Clone)]
pub struct TeamsApi {
    state: AppState,
}

impl TeamsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

type Reply<T> = std::result::Result<Response<T>, Status>;

#[tonic::async_trait]
impl TeamsService for TeamsApi {
    async fn new_team(&self, request: Request<pb::NewTeamRequest>) -> Reply<pb::NewTeamResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = NewTeamRequest {
                team_id: r.team_id,
                team_alias: r.team_alias,
                organization_id: r.organization_id,
                members_with_roles: r
                    .members_with_roles
                    .into_iter()
                    .map(member_input)
                    .collect::<Result<_>>()?,
                admins: Vec::new(),
                members: Vec::new(),
                metadata: r.metadata.map(struct_to_map),
                tpm_limit: r.tpm_limit,
                rpd_limit: r.rpd_limit,
                tpd_limit: r.tpd_limit,
                rpm_limit: r.rpm_limit,
                max_parallel_requests: r.max_parallel_requests,
                max_budget: r.max_budget,
                soft_budget: r.soft_budget,
                budget_duration: r.budget_duration,
                models: r.models,
                blocked: r.blocked,
                model_aliases: (!r.model_aliases.is_empty())
                    .then(|| r.model_aliases.into_iter().collect()),
                tags: (!r.tags.is_empty()).then_some(r.tags),
                object_permission: r.object_permission.map(object_permission).transpose()?,
            };
            let view = teams::new_team(&state, &ctx, req).await?;
            Ok(pb::NewTeamResponse {
                team: Some(team(view)),
            })
        })
        .await
    }

    async fn update_team(
        &self,
        request: Request<pb::UpdateTeamRequest>,
    ) -> Reply<pb::UpdateTeamResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(
                r.clear_fields,
                &[
                    "team_alias",
                    "organization_id",
                    "metadata",
                    "tpm_limit",
                    "rpd_limit",
                    "tpd_limit",
                    "rpm_limit",
                    "max_parallel_requests",
                    "max_budget",
                    "soft_budget",
                    "budget_duration",
                    "models",
                    "tags",
                    "model_aliases",
                    "object_permission",
                ],
            )?;
            let req = UpdateTeamRequest {
                team_id: r.team_id,
                team_alias: Patch::from_grpc(r.team_alias, "team_alias", &c),
                organization_id: Patch::from_grpc(r.organization_id, "organization_id", &c),
                metadata: Patch::from_grpc(r.metadata.map(struct_to_map), "metadata", &c),
                tpm_limit: Patch::from_grpc(r.tpm_limit, "tpm_limit", &c),
                rpd_limit: Patch::from_grpc(r.rpd_limit, "rpd_limit", &c),
                tpd_limit: Patch::from_grpc(r.tpd_limit, "tpd_limit", &c),
                rpm_limit: Patch::from_grpc(r.rpm_limit, "rpm_limit", &c),
                max_parallel_requests: Patch::from_grpc(
                    r.max_parallel_requests,
                    "max_parallel_requests",
                    &c,
                ),
                max_budget: Patch::from_grpc(r.max_budget, "max_budget", &c),
                soft_budget: Patch::from_grpc(r.soft_budget, "soft_budget", &c),
                budget_duration: Patch::from_grpc(r.budget_duration, "budget_duration", &c),
                models: list_patch(r.models, "models", &c),
                blocked: r.blocked,
                tags: list_patch(r.tags, "tags", &c),
                model_aliases: Patch::from_grpc(
                    (!r.model_aliases.is_empty()).then(|| r.model_aliases.into_iter().collect()),
                    "model_aliases",
                    &c,
                ),
                object_permission: Patch::from_grpc(
                    r.object_permission.map(object_permission).transpose()?,
                    "object_permission",
                    &c,
                ),
            };
            let updated = teams::update_team(&state, &ctx, req).await?;
            Ok(pb::UpdateTeamResponse {
                team_id: updated.team_id,
                data: Some(team(updated.data)),
            })
        })
        .await
    }

    async fn delete_teams(
        &self,
        request: Request<pb::DeleteTeamsRequest>,
    ) -> Reply<pb::DeleteTeamsResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let done = teams::delete_teams(
                &state,
                &ctx,
                DeleteTeamsRequest {
                    team_ids: r.team_ids,
                },
            )
            .await?;
            Ok(pb::DeleteTeamsResponse {
                deleted_teams: done.deleted_teams,
                deleted_keys: done.deleted_keys,
            })
        })
        .await
    }

    async fn get_team_info(
        &self,
        request: Request<pb::GetTeamInfoRequest>,
    ) -> Reply<pb::GetTeamInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let query = TeamInfoQuery {
                team_id: Some(r.team_id),
            };
            let info = teams::team_info(&state, &ctx, query).await?;
            Ok(pb::GetTeamInfoResponse {
                team_id: info.team_id,
                team_info: Some(team(info.team_info)),
                keys: info.keys.into_iter().filter_map(value_struct).collect(),
                team_memberships: info.team_memberships.into_iter().map(membership).collect(),
            })
        })
        .await
    }

    async fn list_teams(
        &self,
        request: Request<pb::ListTeamsRequest>,
    ) -> Reply<pb::ListTeamsResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let query = ListTeamsQuery {
                user_id: r.user_id,
                organization_id: r.organization_id,
            };
            let entries = teams::list_teams(&state, &ctx, query).await?;
            Ok(pb::ListTeamsResponse {
                teams: entries
                    .into_iter()
                    .map(|e| pb::TeamListEntry {
                        team: Some(team(e.team)),
                        team_memberships: e.team_memberships.into_iter().map(membership).collect(),
                        keys: e.keys.into_iter().filter_map(value_struct).collect(),
                    })
                    .collect(),
            })
        })
        .await
    }

    async fn add_team_members(
        &self,
        request: Request<pb::AddTeamMembersRequest>,
    ) -> Reply<pb::AddTeamMembersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = TeamMemberAddRequest {
                team_id: r.team_id,
                member: OneOrMany(
                    r.member
                        .into_iter()
                        .map(member_input)
                        .collect::<Result<_>>()?,
                ),
                max_budget_in_team: r.max_budget_in_team,
                budget_id: None,
            };
            let added = teams::add_members(&state, &ctx, req).await?;
            Ok(pb::AddTeamMembersResponse {
                team: Some(team(added.team)),
                updated_users: added.updated_users.into_iter().map(user).collect(),
                updated_team_memberships: added
                    .updated_team_memberships
                    .into_iter()
                    .map(membership)
                    .collect(),
            })
        })
        .await
    }

    async fn remove_team_member(
        &self,
        request: Request<pb::RemoveTeamMemberRequest>,
    ) -> Reply<pb::RemoveTeamMemberResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = TeamMemberDeleteRequest {
                team_id: r.team_id,
                user_id: r.user_id,
                user_email: r.user_email,
            };
            let view = teams::remove_member(&state, &ctx, req).await?;
            Ok(pb::RemoveTeamMemberResponse {
                team: Some(team(view)),
            })
        })
        .await
    }

    async fn update_team_member(
        &self,
        request: Request<pb::UpdateTeamMemberRequest>,
    ) -> Reply<pb::UpdateTeamMemberResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(r.clear_fields, &["max_budget_in_team"])?;
            let req = TeamMemberUpdateRequest {
                team_id: r.team_id,
                user_id: r.user_id,
                user_email: r.user_email,
                max_budget_in_team: Patch::from_grpc(
                    r.max_budget_in_team,
                    "max_budget_in_team",
                    &c,
                ),
                role: team_role_name(r.role)?.map(str::to_owned),
                budget_id: Patch::Keep,
            };
            let m = teams::update_member(&state, &ctx, req).await?;
            Ok(pb::UpdateTeamMemberResponse {
                team_id: m.team_id,
                user_id: m.user_id,
                user_email: m.user_email,
                max_budget_in_team: m.max_budget_in_team,
                role: team_role(&m.role),
            })
        })
        .await
    }

    async fn block_team(
        &self,
        request: Request<pb::BlockTeamRequest>,
    ) -> Reply<pb::BlockTeamResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = BlockTeamRequest { team_id: r.team_id };
            let view = teams::set_blocked(&state, &ctx, req, true).await?;
            Ok(pb::BlockTeamResponse {
                team: Some(team(view)),
            })
        })
        .await
    }

    async fn unblock_team(
        &self,
        request: Request<pb::UnblockTeamRequest>,
    ) -> Reply<pb::UnblockTeamResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = BlockTeamRequest { team_id: r.team_id };
            let view = teams::set_blocked(&state, &ctx, req, false).await?;
            Ok(pb::UnblockTeamResponse {
                team: Some(team(view)),
            })
        })
        .await
    }
}

//! `tollgate.v1.UsersService`: the same operations as `/user/*` ([`crate::admin::users`]),
//! translated.

use prost_types::Struct;
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::users_service_server::UsersService;
use tonic::{Request, Response, Status};

use super::convert::structs::struct_to_map;
use super::teams::{
    checked_clear, list_patch, map_patch, run, team, team_role_name, user, user_role_name,
    value_struct,
};
use crate::admin::teams::types::Patch;
use crate::admin::users::{self, types::*};
use crate::error::Result;
use crate::state::AppState;

#[derive(Clone)]
pub struct UsersApi {
    state: AppState,
}

impl UsersApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

type Reply<T> = std::result::Result<Response<T>, Status>;

#[tonic::async_trait]
impl UsersService for UsersApi {
    async fn new_user(&self, request: Request<pb::NewUserRequest>) -> Reply<pb::NewUserResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let teams = r
                .teams
                .into_iter()
                .map(|t| {
                    Ok(TeamRef(NewUserTeam {
                        team_id: t.team_id,
                        max_budget_in_team: t.max_budget_in_team,
                        user_role: team_role_name(t.role)?.unwrap_or("user").to_owned(),
                    }))
                })
                .collect::<Result<Vec<_>>>()?;
            let req = NewUserRequest {
                user_id: r.user_id,
                user_email: r.user_email,
                user_alias: r.user_alias,
                user_role: user_role_name(r.user_role)?.map(str::to_owned),
                teams: Some(teams),
                team_id: r.team_id,
                organizations: Some(r.organizations),
                auto_create_key: r.auto_create_key.unwrap_or(true),
                max_budget: r.max_budget,
                soft_budget: r.soft_budget,
                budget_duration: r.budget_duration,
                tpm_limit: r.tpm_limit,
                rpd_limit: r.rpd_limit,
                tpd_limit: r.tpd_limit,
                rpm_limit: r.rpm_limit,
                max_parallel_requests: r.max_parallel_requests,
                models: Some(r.models),
                metadata: r.metadata.map(struct_to_map),
                key_alias: r.key_alias,
                duration: r.duration,
                aliases: (!r.aliases.is_empty()).then(|| r.aliases.into_iter().collect()),
            };
            let made = users::new_user(&state, &ctx, req).await?;
            Ok(pb::NewUserResponse {
                user: Some(user(made.user)),
                key: made.key,
                key_name: made.key_name,
                key_alias: made.key_alias,
                expires: made.expires,
                duration: made.duration,
                token_id: made.token_id,
            })
        })
        .await
    }

    async fn get_user_info(
        &self,
        request: Request<pb::GetUserInfoRequest>,
    ) -> Reply<pb::GetUserInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let info = users::user_info(&state, &ctx, UserInfoQuery { user_id: r.user_id }).await?;
            Ok(pb::GetUserInfoResponse {
                user_id: info.user_id,
                user_info: Some(user(info.user_info)),
                keys: info
                    .keys
                    .into_iter()
                    .filter_map(value_struct)
                    .collect::<Vec<Struct>>(),
                teams: info.teams.into_iter().map(team).collect(),
            })
        })
        .await
    }

    async fn update_user(
        &self,
        request: Request<pb::UpdateUserRequest>,
    ) -> Reply<pb::UpdateUserResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let c = checked_clear(
                r.clear_fields,
                &[
                    "user_alias",
                    "models",
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
            let req = UpdateUserRequest {
                user_id: r.user_id,
                user_email: r.user_email,
                user_alias: Patch::from_grpc(r.user_alias, "user_alias", &c),
                user_role: user_role_name(r.user_role)?.map(str::to_owned),
                models: list_patch(r.models, "models", &c),
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
            let updated = users::update_user(&state, &ctx, req).await?;
            Ok(pb::UpdateUserResponse {
                user_id: updated.user_id,
                data: Some(user(updated.data)),
            })
        })
        .await
    }

    async fn delete_users(
        &self,
        request: Request<pb::DeleteUsersRequest>,
    ) -> Reply<pb::DeleteUsersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let req = DeleteUsersRequest {
                user_ids: r.user_ids,
            };
            let done = users::delete_users(&state, &ctx, req).await?;
            Ok(pb::DeleteUsersResponse {
                deleted_users: done.deleted_users,
                deleted_keys: done.deleted_keys,
            })
        })
        .await
    }

    async fn list_users(
        &self,
        request: Request<pb::ListUsersRequest>,
    ) -> Reply<pb::ListUsersResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let query = ListUsersQuery {
                role: user_role_name(r.role)?.map(str::to_owned),
                user_ids: (!r.user_ids.is_empty()).then(|| r.user_ids.join(",")),
                user_email: r.user_email,
                team: r.team,
                page: r.page,
                page_size: r.page_size,
                sort_by: r.sort_by,
                sort_order: r.sort_order,
            };
            let list = users::list_users(&state, &ctx, query).await?;
            Ok(pb::ListUsersResponse {
                users: list.users.into_iter().map(user).collect(),
                total: list.total,
                page: list.page,
                page_size: list.page_size,
                total_pages: list.total_pages,
            })
        })
        .await
    }
}

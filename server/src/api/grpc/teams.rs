//! `tollgate.v1.TeamsService`: the same operations as `/team/*` ([`crate::admin::teams`]),
//! translated. Also the conversions the directory services share (teams, members, users) and
//! [`run`], which authenticates a call, runs the operation and stamps the response.

use std::future::Future;

use prost_types::Struct;
use serde_json::{Map, Value};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::teams_service_server::TeamsService;
use tonic::{Request, Response, Status};

use super::call::{finish, respond};
use super::convert::structs::{map_to_struct, struct_to_map};
use crate::admin::AdminContext;
use crate::admin::organizations::types::OrganizationMembershipView;
use crate::admin::teams::{self, types::*};
use crate::admin::users::types::UserView;
use crate::error::{Error, Result};
use crate::pipeline::new_call_id;
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

/// Authenticates the call, runs `op` and stamps the response (or the error) with the call id.
pub(super) async fn run<Req, Resp, F, Fut>(
    state: &AppState,
    request: Request<Req>,
    op: F,
) -> std::result::Result<Response<Resp>, Status>
where
    F: FnOnce(AppState, AdminContext, Req) -> Fut,
    Fut: Future<Output = Result<Resp>>,
{
    let call_id = new_call_id();
    let result = async {
        let ctx = AdminContext::from_grpc(state, &request).await?;
        let body = op(state.clone(), ctx, request.into_inner()).await?;
        Ok(respond(body, &call_id, None))
    }
    .await;
    finish(result, &call_id)
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

// ---- conversions shared by the directory services ----

/// A team as the API returns it.
pub(super) fn team(v: TeamView) -> pb::Team {
    pb::Team {
        team_id: v.team_id,
        team_alias: v.team_alias,
        organization_id: v.organization_id,
        members_with_roles: v
            .members_with_roles
            .into_iter()
            .map(|m| pb::TeamMember {
                user_id: Some(m.user_id),
                user_email: m.user_email,
                role: team_role(&m.role),
                max_budget_in_team: None,
            })
            .collect(),
        metadata: Some(map_to_struct(v.metadata)),
        tpm_limit: v.tpm_limit,
        rpm_limit: v.rpm_limit,
        max_parallel_requests: v.max_parallel_requests,
        max_budget: v.max_budget,
        soft_budget: v.soft_budget,
        budget_duration: v.budget_duration,
        budget_reset_at: v.budget_reset_at,
        models: v.models,
        blocked: v.blocked,
        spend: v.spend,
        tags: v.tags,
        model_aliases: v.model_aliases.into_iter().collect(),
        object_permission: v.object_permission.and_then(value_struct),
        created_at: v.created_at,
        updated_at: v.updated_at,
        created_by: v.created_by,
        updated_by: v.updated_by,
    }
}

/// A team membership as the API returns it.
pub(super) fn membership(m: TeamMembershipView) -> pb::TeamMembership {
    pb::TeamMembership {
        role: team_role(&m.role),
        user_id: m.user_id,
        team_id: m.team_id,
        spend: m.spend,
        max_budget_in_team: m.max_budget_in_team,
        created_at: m.created_at,
    }
}

/// A user as the API returns them.
pub(super) fn user(v: UserView) -> pb::User {
    pb::User {
        user_role: user_role(&v.user_role),
        user_id: v.user_id,
        user_email: v.user_email,
        user_alias: v.user_alias,
        max_budget: v.max_budget,
        soft_budget: v.soft_budget,
        spend: v.spend,
        models: v.models,
        tpm_limit: v.tpm_limit,
        rpm_limit: v.rpm_limit,
        max_parallel_requests: v.max_parallel_requests,
        budget_duration: v.budget_duration,
        budget_reset_at: v.budget_reset_at,
        metadata: Some(map_to_struct(v.metadata)),
        teams: v.teams,
        organization_memberships: v
            .organization_memberships
            .into_iter()
            .map(organization_membership)
            .collect(),
        created_at: v.created_at,
        updated_at: v.updated_at,
        created_by: v.created_by,
        updated_by: v.updated_by,
        key_count: v.key_count,
    }
}

/// An organization membership as the API returns it.
pub(super) fn organization_membership(m: OrganizationMembershipView) -> pb::OrganizationMembership {
    pb::OrganizationMembership {
        user_id: m.user_id,
        organization_id: m.organization_id,
        user_role: m.user_role,
        spend: m.spend,
        max_budget_in_organization: m.max_budget_in_organization,
        user_email: m.user_email,
        created_at: m.created_at,
    }
}

fn member_input(m: pb::TeamMember) -> Result<MemberInput> {
    Ok(MemberInput {
        user_id: m.user_id,
        user_email: m.user_email,
        role: team_role_name(m.role)?.unwrap_or("user").to_owned(),
        max_budget_in_team: m.max_budget_in_team,
    })
}

/// `TeamRole` → `admin` / `user`; unspecified is `None`.
pub(super) fn team_role_name(role: i32) -> Result<Option<&'static str>> {
    match pb::TeamRole::try_from(role) {
        Ok(pb::TeamRole::Unspecified) => Ok(None),
        Ok(pb::TeamRole::Admin) => Ok(Some("admin")),
        Ok(pb::TeamRole::User) => Ok(Some("user")),
        Err(_) => Err(Error::invalid_param(
            format!("role: unknown team role {role}"),
            "role",
        )),
    }
}

pub(super) fn team_role(name: &str) -> i32 {
    match name {
        "admin" => pb::TeamRole::Admin,
        "user" => pb::TeamRole::User,
        _ => pb::TeamRole::Unspecified,
    }
    .into()
}

/// `UserRole` → its LiteLLM name; unspecified is `None`.
pub(super) fn user_role_name(role: i32) -> Result<Option<&'static str>> {
    match pb::UserRole::try_from(role) {
        Ok(pb::UserRole::Unspecified) => Ok(None),
        Ok(pb::UserRole::ProxyAdmin) => Ok(Some("proxy_admin")),
        Ok(pb::UserRole::ProxyAdminViewer) => Ok(Some("proxy_admin_viewer")),
        Ok(pb::UserRole::InternalUser) => Ok(Some("internal_user")),
        Ok(pb::UserRole::InternalUserViewer) => Ok(Some("internal_user_viewer")),
        Err(_) => Err(Error::invalid_param(
            format!("user_role: unknown role {role}"),
            "user_role",
        )),
    }
}

pub(super) fn user_role(name: &str) -> i32 {
    match name {
        "proxy_admin" => pb::UserRole::ProxyAdmin,
        "proxy_admin_viewer" => pb::UserRole::ProxyAdminViewer,
        "internal_user" => pb::UserRole::InternalUser,
        "internal_user_viewer" => pb::UserRole::InternalUserViewer,
        _ => pb::UserRole::Unspecified,
    }
    .into()
}

/// An `object_permission` Struct, checked as REST checks it.
pub(super) fn object_permission(s: Struct) -> Result<ObjectPermission> {
    serde_json::from_value(Value::Object(struct_to_map(s)))
        .map_err(|e| Error::invalid_param(format!("object_permission: {e}"), "object_permission"))
}

/// A JSON object as a Struct (`None` for anything else).
pub(super) fn value_struct(v: Value) -> Option<Struct> {
    match v {
        Value::Object(map) => Some(map_to_struct(map)),
        _ => None,
    }
}

/// A repeated field of an update: non-empty sets, named in `clear_fields` clears.
pub(super) fn list_patch<T>(values: Vec<T>, name: &str, clear: &[String]) -> Patch<Vec<T>> {
    Patch::from_grpc((!values.is_empty()).then_some(values), name, clear)
}

/// A metadata Struct of an update.
pub(super) fn map_patch(
    s: Option<Struct>,
    name: &str,
    clear: &[String],
) -> Patch<Map<String, Value>> {
    Patch::from_grpc(s.map(struct_to_map), name, clear)
}

/// `clear_fields`, refusing names the request does not have.
pub(super) fn checked_clear(clear: Vec<String>, allowed: &[&str]) -> Result<Vec<String>> {
    if let Some(bad) = clear.iter().find(|f| !allowed.contains(&f.as_str())) {
        return Err(Error::invalid_param(
            format!(
                "clear_fields: `{bad}` cannot be cleared (one of: {})",
                allowed.join(", ")
            ),
            "clear_fields",
        ));
    }
    Ok(clear)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Roles map both ways; unknown enum values and clear_fields are refused.
    #[test]
    fn conversions() {
        assert_eq!(team_role_name(team_role("admin")).unwrap(), Some("admin"));
        assert_eq!(team_role_name(0).unwrap(), None);
        assert!(team_role_name(42).is_err());
        assert_eq!(
            user_role_name(user_role("internal_user_viewer")).unwrap(),
            Some("internal_user_viewer")
        );
        assert!(checked_clear(vec!["nope".into()], &["models"]).is_err());
        assert_eq!(list_patch(Vec::<String>::new(), "models", &[]), Patch::Keep);
        assert_eq!(
            list_patch(Vec::<String>::new(), "models", &["models".into()]),
            Patch::Clear
        );
    }
}

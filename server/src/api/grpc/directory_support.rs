//! What the directory gRPC services (teams, users, organizations, customers) share: [`run`],
//! which authenticates a call, runs the admin operation and stamps the response, and the
//! conversions of teams, members and users between the views and the messages.

use std::future::Future;

use prost_types::Struct;
use serde_json::{Map, Value};
use tollgate_proto::tollgate::v1 as pb;
use tonic::{Request, Response, Status};

use super::super::call::{finish, respond};
use super::super::convert::structs::{map_to_struct, struct_to_map};
use crate::admin::AdminContext;
use crate::admin::organizations::types::OrganizationMembershipView;
use crate::admin::teams::types::*;
use crate::admin::users::types::UserView;
use crate::error::{Error, Result};
use crate::pipeline::new_call_id;
use crate::state::AppState;

/// Authenticates the call, runs `op` and stamps the response (or the error) with the call id.
pub(crate) async fn run<Req, Resp, F, Fut>(
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

/// A team as the API returns it.
pub(crate) fn team(v: TeamView) -> pb::Team {
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
        rpd_limit: v.rpd_limit,
        tpd_limit: v.tpd_limit,
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
pub(crate) fn membership(m: TeamMembershipView) -> pb::TeamMembership {
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
pub(crate) fn user(v: UserView) -> pb::User {
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
        rpd_limit: v.rpd_limit,
        tpd_limit: v.tpd_limit,
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
pub(crate) fn organization_membership(m: OrganizationMembershipView) -> pb::OrganizationMembership {
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

pub(crate) fn member_input(m: pb::TeamMember) -> Result<MemberInput> {
    Ok(MemberInput {
        user_id: m.user_id,
        user_email: m.user_email,
        role: team_role_name(m.role)?.unwrap_or("user").to_owned(),
        max_budget_in_team: m.max_budget_in_team,
    })
}

/// `TeamRole` → `admin` / `user`; unspecified is `None`.
pub(crate) fn team_role_name(role: i32) -> Result<Option<&'static str>> {
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

pub(crate) fn team_role(name: &str) -> i32 {
    match name {
        "admin" => pb::TeamRole::Admin,
        "user" => pb::TeamRole::User,
        _ => pb::TeamRole::Unspecified,
    }
    .into()
}

/// `UserRole` → its LiteLLM name; unspecified is `None`.
pub(crate) fn user_role_name(role: i32) -> Result<Option<&'static str>> {
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

pub(crate) fn user_role(name: &str) -> i32 {
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
pub(crate) fn object_permission(s: Struct) -> Result<ObjectPermission> {
    serde_json::from_value(Value::Object(struct_to_map(s)))
        .map_err(|e| Error::invalid_param(format!("object_permission: {e}"), "object_permission"))
}

/// A JSON object as a Struct (`None` for anything else).
pub(crate) fn value_struct(v: Value) -> Option<Struct> {
    match v {
        Value::Object(map) => Some(map_to_struct(map)),
        _ => None,
    }
}

/// A repeated field of an update: non-empty sets, named in `clear_fields` clears.
pub(crate) fn list_patch<T>(values: Vec<T>, name: &str, clear: &[String]) -> Patch<Vec<T>> {
    Patch::from_grpc((!values.is_empty()).then_some(values), name, clear)
}

/// A metadata Struct of an update.
pub(crate) fn map_patch(
    s: Option<Struct>,
    name: &str,
    clear: &[String],
) -> Patch<Map<String, Value>> {
    Patch::from_grpc(s.map(struct_to_map), name, clear)
}

/// `clear_fields`, refusing names the request does not have.
pub(crate) fn checked_clear(clear: Vec<String>, allowed: &[&str]) -> Result<Vec<String>> {
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

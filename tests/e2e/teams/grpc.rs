//! `TeamsService` over gRPC: the lifecycle, and parity with REST.

use serde_json::json;
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tonic::Code;

use super::{authed, fails, grpc, member, ok};

// The same lifecycle over gRPC gives what REST shows: the views of both skins agree field for
// field, and errors map to the same codes.
#[tokio::test]
async fn team_lifecycle_grpc_parity() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let mut client = grpc(&gw).await;
        let created = client
            .new_team(authed(pb::NewTeamRequest {
                team_id: Some("g1".into()),
                team_alias: Some("Gamma".into()),
                members_with_roles: vec![
                    member(Some("dave"), None, pb::TeamRole::Admin),
                    member(None, Some("erin@example.com"), pb::TeamRole::User),
                ],
                max_budget: Some(3.0),
                budget_duration: Some("7d".into()),
                models: vec!["demo".into()],
                tags: vec!["grpc".into()],
                ..Default::default()
            }))
            .await
            .unwrap();
        assert!(created.metadata().get("x-tollgate-call-id").is_some());
        let team = created.into_inner().team.unwrap();
        assert_eq!(team.team_id, "g1", "{}", db.backend);
        assert_eq!(team.members_with_roles.len(), 2);

        client
            .add_team_members(authed(pb::AddTeamMembersRequest {
                team_id: "g1".into(),
                member: vec![member(Some("frank"), None, pb::TeamRole::User)],
                max_budget_in_team: Some(2.0),
            }))
            .await
            .unwrap();
        let updated = client
            .update_team_member(authed(pb::UpdateTeamMemberRequest {
                team_id: "g1".into(),
                user_id: Some("frank".into()),
                role: pb::TeamRole::Admin.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(updated.role, i32::from(pb::TeamRole::Admin));
        assert_eq!(updated.max_budget_in_team, Some(2.0));
        client
            .remove_team_member(authed(pb::RemoveTeamMemberRequest {
                team_id: "g1".into(),
                user_email: Some("erin@example.com".into()),
                ..Default::default()
            }))
            .await
            .unwrap();
        let changed = client
            .update_team(authed(pb::UpdateTeamRequest {
                team_id: "g1".into(),
                team_alias: Some("Delta".into()),
                clear_fields: vec!["max_budget".into()],
                rpm_limit: Some(9),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(changed.data.as_ref().unwrap().max_budget, None);
        let blocked = client
            .block_team(authed(pb::BlockTeamRequest {
                team_id: "g1".into(),
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(blocked.team.unwrap().blocked);

        // gRPC info and REST info describe the same team the same way.
        let info = client
            .get_team_info(authed(pb::GetTeamInfoRequest {
                team_id: "g1".into(),
            }))
            .await
            .unwrap()
            .into_inner();
        let rest = ok(gw.get("/team/info?team_id=g1").await).await;
        let t = info.team_info.unwrap();
        let r = &rest["team_info"];
        assert_eq!(t.team_alias.as_deref(), r["team_alias"].as_str());
        assert_eq!(t.blocked, r["blocked"].as_bool().unwrap());
        assert_eq!(t.rpm_limit, r["rpm_limit"].as_u64());
        assert_eq!(t.max_budget, r["max_budget"].as_f64());
        assert_eq!(t.budget_duration.as_deref(), r["budget_duration"].as_str());
        assert_eq!(t.budget_reset_at.as_deref(), r["budget_reset_at"].as_str());
        assert_eq!(t.created_at, r["created_at"].as_str().unwrap());
        assert_eq!(t.tags, ["grpc"]);
        assert_eq!(json!(t.models), r["models"]);
        let grpc_members: Vec<(String, i32)> = t
            .members_with_roles
            .iter()
            .map(|m| (m.user_id.clone().unwrap(), m.role))
            .collect();
        assert_eq!(
            grpc_members,
            [
                ("dave".to_owned(), pb::TeamRole::Admin.into()),
                ("frank".to_owned(), pb::TeamRole::Admin.into())
            ]
        );
        let rest_members: Vec<(&str, &str)> = r["members_with_roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["user_id"].as_str().unwrap(), m["role"].as_str().unwrap()))
            .collect();
        assert_eq!(rest_members, [("dave", "admin"), ("frank", "admin")]);
        assert_eq!(
            info.team_memberships.len(),
            rest["team_memberships"].as_array().unwrap().len()
        );

        let listed = client
            .list_teams(authed(pb::ListTeamsRequest::default()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(listed.teams.len(), 1);
        client
            .unblock_team(authed(pb::UnblockTeamRequest {
                team_id: "g1".into(),
            }))
            .await
            .unwrap();

        // Errors: unknown team is NOT_FOUND, bad input INVALID_ARGUMENT, no key UNAUTHENTICATED.
        let missing = client
            .get_team_info(authed(pb::GetTeamInfoRequest {
                team_id: "nope".into(),
            }))
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);
        let bad = client
            .new_team(authed(pb::NewTeamRequest {
                budget_duration: Some("soon".into()),
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert!(
            bad.message().contains("budget_duration"),
            "{}",
            bad.message()
        );
        let bad_clear = client
            .update_team(authed(pb::UpdateTeamRequest {
                team_id: "g1".into(),
                clear_fields: vec!["team_id".into()],
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(bad_clear.code(), Code::InvalidArgument);
        let anonymous = client
            .list_teams(tonic::Request::new(pb::ListTeamsRequest::default()))
            .await
            .unwrap_err();
        assert_eq!(anonymous.code(), Code::Unauthenticated);

        let deleted = client
            .delete_teams(authed(pb::DeleteTeamsRequest {
                team_ids: vec!["g1".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(deleted.deleted_teams, ["g1"]);
        assert_eq!(fails(gw.get("/team/info?team_id=g1").await).await.0, 404);
        gw.stop().await;
    }
}

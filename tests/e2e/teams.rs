//! Teams and their members over LiteLLM's `/team/*` routes and over gRPC `TeamsService`, on
//! every storage backend: the whole lifecycle, REST/gRPC parity, and bad input on every route
//! (a 400 or 404 with a clear message, nothing half-written).

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::teams_service_client::TeamsServiceClient;
use tonic::Code;
use tonic::transport::Channel;

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// The status and error message of a failed call.
async fn fails(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_ne!(status, 200, "expected a failure, got {body}");
    (
        status,
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

async fn chat(gw: &Gateway, key: &str) -> u16 {
    gw.client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(key)
        .json(&json!({"model": "demo", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn grpc(gw: &Gateway) -> TeamsServiceClient<Channel> {
    let channel = Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    TeamsServiceClient::new(channel)
}

fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

fn member(user_id: Option<&str>, email: Option<&str>, role: pb::TeamRole) -> pb::TeamMember {
    pb::TeamMember {
        user_id: user_id.map(str::to_owned),
        user_email: email.map(str::to_owned),
        role: role.into(),
        max_budget_in_team: None,
    }
}

// The whole team lifecycle over REST, LiteLLM's shapes field for field, on every backend:
// create with members, keys, info, list, member add/update/delete, update, block, delete.
#[tokio::test]
async fn team_lifecycle_rest() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_id": "org-1", "organization_alias": "Org"}),
            )
            .await)
        .await;
        let team = ok(gw
            .post(
                "/team/new",
                &json!({
                    "team_id": "t1", "team_alias": "Alpha", "organization_id": "org-1",
                    "models": ["demo"], "max_budget": 10.0, "budget_duration": "30d",
                    "tpm_limit": 1000, "rpm_limit": 10, "metadata": {"cost_center": "42"},
                    "tags": ["prod"], "model_aliases": {"fast": "demo"},
                    "object_permission": {"mcp_servers": ["github"], "mcp_tool_permissions": {"github": ["list_repos"]}},
                    "members_with_roles": [
                        {"user_id": "alice", "role": "admin"},
                        {"user_email": "bob@example.com", "role": "user"}
                    ]
                }),
            )
            .await)
        .await;
        assert_eq!(team["team_id"], "t1", "{}", db.backend);
        assert_eq!(team["team_alias"], "Alpha");
        assert_eq!(team["organization_id"], "org-1");
        assert_eq!(team["max_budget"], 10.0);
        assert_eq!(team["budget_duration"], "30d");
        assert_eq!(team["tpm_limit"], 1000);
        assert_eq!(team["metadata"]["cost_center"], "42");
        assert_eq!(team["model_aliases"]["fast"], "demo");
        assert_eq!(team["litellm_model_table"]["model_aliases"]["fast"], "demo");
        assert_eq!(
            team["object_permission"]["mcp_tool_permissions"]["github"][0],
            "list_repos"
        );
        assert_eq!(team["admins"], json!(["alice"]));
        assert_eq!(team["members_with_roles"].as_array().unwrap().len(), 2);
        let bob = team["members_with_roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["role"] == "user")
            .unwrap();
        assert_eq!(bob["user_email"], "bob@example.com");
        assert_eq!(team["spend"], 0.0);
        assert!(team["budget_reset_at"].as_str().unwrap().ends_with('Z'));
        assert!(team["created_at"].as_str().unwrap().contains('T'));

        // Members that did not exist were created as internal users.
        let alice = ok(gw.get("/user/info?user_id=alice").await).await;
        assert_eq!(alice["user_info"]["user_role"], "internal_user");
        assert_eq!(alice["user_info"]["teams"], json!(["t1"]));

        // A key of the team shows in team info (its hash, never its secret).
        let key = ok(gw.post("/key/generate", &json!({"team_id": "t1"})).await).await["key"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(chat(&gw, &key).await, 200);
        let info = ok(gw.get("/team/info?team_id=t1").await).await;
        assert_eq!(info["team_id"], "t1");
        assert_eq!(info["team_info"]["team_alias"], "Alpha");
        assert_eq!(info["keys"].as_array().unwrap().len(), 1);
        assert!(info["keys"][0]["token"].as_str().unwrap().len() == 64);
        assert!(!info.to_string().contains(&key), "the secret leaked");
        assert_eq!(info["team_memberships"].as_array().unwrap().len(), 2);
        assert_eq!(info["team_memberships"][0]["spend"], 0.0);

        // Members: add (with a budget), update, delete by email.
        let added = ok(gw
            .post("/team/member_add", &json!({"team_id": "t1", "member": [{"user_id": "carol", "role": "user"}], "max_budget_in_team": 5.0}))
            .await)
        .await;
        assert_eq!(added["team_id"], "t1");
        assert_eq!(added["updated_users"][0]["user_id"], "carol");
        assert_eq!(
            added["updated_team_memberships"][0]["max_budget_in_team"],
            5.0
        );
        assert_eq!(
            added["updated_team_memberships"][0]["litellm_budget_table"]["max_budget"],
            5.0
        );
        assert_eq!(added["members_with_roles"].as_array().unwrap().len(), 3);
        let updated = ok(gw
            .post("/team/member_update", &json!({"team_id": "t1", "user_id": "carol", "role": "admin", "max_budget_in_team": 7.5}))
            .await)
        .await;
        assert_eq!(
            updated,
            json!({"team_id": "t1", "user_id": "carol", "user_email": null, "max_budget_in_team": 7.5, "role": "admin"})
        );
        let after_delete = ok(gw
            .post(
                "/team/member_delete",
                &json!({"team_id": "t1", "user_email": "BOB@example.com"}),
            )
            .await)
        .await;
        let ids: Vec<&str> = after_delete["members_with_roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["user_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["alice", "carol"]);
        assert_eq!(after_delete["admins"], json!(["alice", "carol"]));

        // Update: absent fields stay, null clears.
        let changed = ok(gw
            .post(
                "/team/update",
                &json!({"team_id": "t1", "team_alias": "Beta", "max_budget": null, "tpm_limit": 5}),
            )
            .await)
        .await;
        assert_eq!(changed["team_id"], "t1");
        assert_eq!(changed["data"]["team_alias"], "Beta");
        assert_eq!(changed["data"]["max_budget"], Value::Null);
        assert_eq!(changed["data"]["tpm_limit"], 5);
        assert_eq!(changed["data"]["rpm_limit"], 10);
        assert_eq!(changed["data"]["models"], json!(["demo"]));
        // An update that changes nothing is not written (nor audited: see the log below).
        let same = ok(gw
            .post(
                "/team/update",
                &json!({"team_id": "t1", "team_alias": "Beta", "tpm_limit": 5}),
            )
            .await)
        .await;
        assert_eq!(same["data"], changed["data"]);

        // List with LiteLLM's filters.
        let all = ok(gw.get("/team/list").await).await;
        assert_eq!(all.as_array().unwrap().len(), 1);
        assert_eq!(all[0]["team_alias"], "Beta");
        assert_eq!(all[0]["keys"].as_array().unwrap().len(), 1);
        assert_eq!(all[0]["team_memberships"].as_array().unwrap().len(), 2);
        assert_eq!(
            ok(gw.get("/team/list?organization_id=org-1").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            ok(gw
                .get("/team/list?organization_id=default_organization")
                .await)
            .await,
            json!([])
        );
        assert_eq!(
            ok(gw.get("/team/list?user_id=alice").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            ok(gw.get("/team/list?user_id=nobody").await).await,
            json!([])
        );

        // Block refuses the team's keys at once; unblock lets them through again.
        assert_eq!(
            ok(gw.post("/team/block", &json!({"team_id": "t1"})).await).await["blocked"],
            true
        );
        assert_eq!(chat(&gw, &key).await, 401);
        assert_eq!(
            ok(gw.post("/team/unblock", &json!({"team_id": "t1"})).await).await["blocked"],
            false
        );
        assert_eq!(chat(&gw, &key).await, 200);

        // Delete takes the team's keys and memberships with it.
        let deleted = ok(gw.post("/team/delete", &json!({"team_ids": ["t1"]})).await).await;
        assert_eq!(deleted, json!({"deleted_teams": ["t1"], "deleted_keys": 1}));
        assert_eq!(chat(&gw, &key).await, 401);
        let (status, _) = fails(gw.get("/team/info?team_id=t1").await).await;
        assert_eq!(status, 404);
        let alice = ok(gw.get("/user/info?user_id=alice").await).await;
        assert_eq!(alice["user_info"]["teams"], json!([]));

        // Every change is in the audit log.
        let audit = ok(gw.get("/audit?target_type=team&target_id=t1").await).await;
        let mut actions: Vec<&str> = audit["audit_logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        actions.sort_unstable();
        assert_eq!(
            actions,
            [
                "team.block",
                "team.delete",
                "team.member_add",
                "team.member_delete",
                "team.member_update",
                "team.new",
                "team.unblock",
                "team.update"
            ]
        );
        gw.stop().await;
    }
}

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

// Bad input on every team route is refused with a clear message, and nothing is written: no
// team, no member, no user created on the way.
#[tokio::test]
async fn team_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw.post("/team/new", &json!({"team_id": "ok", "members_with_roles": [{"user_id": "u1", "role": "user"}]})).await).await;
        let cases: Vec<(&str, Value, u16, &str)> = vec![
            (
                "/team/new",
                json!({"max_budget": "ten"}),
                400,
                "invalid type",
            ),
            ("/team/new", json!({"max_budget": -1}), 400, "max_budget"),
            ("/team/new", json!({"tpm_limit": -5}), 400, "invalid value"),
            (
                "/team/new",
                json!({"budget_duration": "1 fortnight"}),
                400,
                "budget_duration",
            ),
            (
                "/team/new",
                json!({"organization_id": "no-such-org"}),
                400,
                "organization_id",
            ),
            ("/team/new", json!({"team_id": "ok"}), 400, "already exists"),
            ("/team/new", json!({"models": "demo"}), 400, "invalid type"),
            (
                "/team/new",
                json!({"object_permission": {"mcp_servers": "github"}}),
                400,
                "invalid type",
            ),
            (
                "/team/new",
                json!({"team_id": "new1", "members_with_roles": [{"user_id": "fresh", "role": "user"}, {"user_id": "x", "role": "owner"}]}),
                400,
                "owner",
            ),
            (
                "/team/new",
                json!({"team_id": "new2", "members_with_roles": [{"user_id": "fresh", "role": "user"}, {"user_id": "fresh", "role": "admin"}]}),
                400,
                "twice",
            ),
            (
                "/team/new",
                json!({"team_id": "new3", "members_with_roles": [{"role": "user"}]}),
                400,
                "user id or user email",
            ),
            ("/team/update", json!({"team_alias": "x"}), 400, "team_id"),
            (
                "/team/update",
                json!({"team_id": "missing"}),
                404,
                "Team not found",
            ),
            (
                "/team/update",
                json!({"team_id": "ok", "soft_budget": -2}),
                400,
                "soft_budget",
            ),
            (
                "/team/update",
                json!({"team_id": "ok", "budget_duration": "0d"}),
                400,
                "budget_duration",
            ),
            (
                "/team/update",
                json!({"team_id": "ok", "organization_id": "no-such-org"}),
                400,
                "organization_id",
            ),
            (
                "/team/update",
                json!({"team_id": "ok", "blocked": "yes"}),
                400,
                "invalid type",
            ),
            ("/team/delete", json!({"team_ids": []}), 400, "team_ids"),
            (
                "/team/delete",
                json!({"team_ids": ["ok", "missing"]}),
                404,
                "missing",
            ),
            (
                "/team/delete",
                json!({"team_ids": "ok"}),
                400,
                "invalid type",
            ),
            (
                "/team/member_add",
                json!({"team_id": "missing", "member": {"user_id": "a", "role": "user"}}),
                404,
                "Team not found",
            ),
            (
                "/team/member_add",
                json!({"team_id": "ok", "member": {"user_id": "u1", "role": "user"}}),
                400,
                "already in team",
            ),
            (
                "/team/member_add",
                json!({"team_id": "ok", "member": {"user_id": "fresh", "role": "boss"}}),
                400,
                "boss",
            ),
            (
                "/team/member_add",
                json!({"team_id": "ok", "member": [{"user_id": "fresh", "role": "user"}], "max_budget_in_team": -1}),
                400,
                "max_budget_in_team",
            ),
            (
                "/team/member_add",
                json!({"team_id": "ok", "member": []}),
                400,
                "member",
            ),
            (
                "/team/member_delete",
                json!({"team_id": "ok"}),
                400,
                "user_id or user_email",
            ),
            (
                "/team/member_delete",
                json!({"team_id": "ok", "user_id": "stranger"}),
                400,
                "not found in team",
            ),
            (
                "/team/member_delete",
                json!({"team_id": "missing", "user_id": "u1"}),
                400,
                "does not exist",
            ),
            (
                "/team/member_update",
                json!({"team_id": "ok", "user_id": "u1", "role": "owner"}),
                400,
                "owner",
            ),
            (
                "/team/member_update",
                json!({"team_id": "ok", "user_id": "u1", "max_budget_in_team": -3}),
                400,
                "max_budget_in_team",
            ),
            (
                "/team/member_update",
                json!({"team_id": "ok", "user_id": "stranger", "role": "admin"}),
                400,
                "not found in team",
            ),
            (
                "/team/block",
                json!({"team_id": "missing"}),
                404,
                "Team not found",
            ),
            ("/team/unblock", json!({}), 400, "team_id"),
        ];
        for (path, body, status, needle) in cases {
            let (got, message) = fails(gw.post(path, &body).await).await;
            assert_eq!(got, status, "{} {path} {body}: {message}", db.backend);
            assert!(
                message.contains(needle),
                "{path} {body}: `{message}` lacks `{needle}`"
            );
        }
        let (status, message) = fails(gw.get("/team/info").await).await;
        assert_eq!((status, message.contains("team_id")), (400, true));
        let (status, _) = fails(gw.get("/team/info?team_id=missing").await).await;
        assert_eq!(status, 404);
        let (status, _) = fails(
            gw.client
                .post(gw.url("/team/new"))
                .bearer_auth(MASTER_KEY)
                .header("content-type", "application/json")
                .body("{not json")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400);

        // Nothing half-written: only the first team and its one member exist.
        let teams = ok(gw.get("/team/list").await).await;
        assert_eq!(teams.as_array().unwrap().len(), 1, "{teams}");
        assert_eq!(teams[0]["members_with_roles"].as_array().unwrap().len(), 1);
        assert_eq!(fails(gw.get("/user/info?user_id=fresh").await).await.0, 404);
        let users = ok(gw.get("/user/list").await).await;
        assert_eq!(users["total"], 1, "{users}");
        assert_eq!(teams[0]["max_budget"], Value::Null);
        gw.stop().await;
    }
}

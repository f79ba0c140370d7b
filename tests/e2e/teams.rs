//! Teams and their members over LiteLLM's `/team/*` routes and over gRPC `TeamsService`, on
//! every storage backend: the whole lifecycle, REST/gRPC parity, and bad input on every route
//! (a 400 or 404 with a clear message, nothing half-written). The gRPC parity and bad-input
//! tests are in `teams/`.

mod bad_input;
mod grpc;

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::teams_service_client::TeamsServiceClient;
use tonic::transport::Channel;

pub async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// The status and error message of a failed call.
pub async fn fails(res: reqwest::Response) -> (u16, String) {
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

pub async fn chat(gw: &Gateway, key: &str) -> u16 {
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

pub async fn grpc(gw: &Gateway) -> TeamsServiceClient<Channel> {
    let channel = Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    TeamsServiceClient::new(channel)
}

pub fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

pub fn member(user_id: Option<&str>, email: Option<&str>, role: pb::TeamRole) -> pb::TeamMember {
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
                    "rpd_limit": 100, "tpd_limit": 9000,
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
        assert_eq!(team["rpd_limit"], 100);
        assert_eq!(team["tpd_limit"], 9000);
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
                &json!({"team_id": "t1", "team_alias": "Beta", "max_budget": null, "tpm_limit": 50000, "rpd_limit": null}),
            )
            .await)
        .await;
        assert_eq!(changed["team_id"], "t1");
        assert_eq!(changed["data"]["team_alias"], "Beta");
        assert_eq!(changed["data"]["max_budget"], Value::Null);
        assert_eq!(changed["data"]["tpm_limit"], 50000);
        assert_eq!(changed["data"]["rpd_limit"], Value::Null);
        assert_eq!(changed["data"]["tpd_limit"], 9000);
        assert_eq!(changed["data"]["rpm_limit"], 10);
        assert_eq!(changed["data"]["models"], json!(["demo"]));
        // An update that changes nothing is not written (nor audited: see the log below).
        let same = ok(gw
            .post(
                "/team/update",
                &json!({"team_id": "t1", "team_alias": "Beta", "tpm_limit": 50000}),
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

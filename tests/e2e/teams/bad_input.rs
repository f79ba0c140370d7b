//! Bad input on every `/team/*` route.

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};

use super::{fails, ok};

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

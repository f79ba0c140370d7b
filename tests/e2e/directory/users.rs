//! `/user/*`: the lifecycle and bad input.

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

use super::{chat, fails, ok, refuses};

// A user's lifecycle: created with teams, organizations and a real working key; read, listed
// and filtered, updated by id and by email, deleted with their key and memberships.
#[tokio::test]
async fn user_lifecycle() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw
            .post(
                "/team/new",
                &json!({"team_id": "tu", "team_alias": "Users"}),
            )
            .await)
        .await;
        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_id": "ou", "organization_alias": "Org"}),
            )
            .await)
        .await;
        let made = ok(gw
            .post(
                "/user/new",
                &json!({
                    "user_id": "u-1", "user_email": "U1@Example.com", "user_alias": "Una",
                    "user_role": "internal_user", "teams": ["tu"], "organizations": ["ou"],
                    "max_budget": 4.0, "budget_duration": "1d", "models": ["demo"],
                    "metadata": {"dept": "ml"}, "key_alias": "una-key", "duration": "1h"
                }),
            )
            .await)
        .await;
        let key = made["key"].as_str().unwrap().to_owned();
        assert!(key.starts_with("sk-") && key.len() > 25, "{}", db.backend);
        assert_eq!(made["key_name"], format!("sk-...{}", &key[key.len() - 4..]));
        assert_eq!(made["user_id"], "u-1");
        assert_eq!(made["user_email"], "U1@Example.com");
        assert_eq!(made["user_role"], "internal_user");
        assert_eq!(made["teams"], json!(["tu"]));
        assert_eq!(made["organization_memberships"][0]["organization_id"], "ou");
        assert_eq!(made["max_budget"], 4.0);
        assert_eq!(made["key_alias"], "una-key");
        assert!(made["expires"].as_str().unwrap().ends_with('Z'));
        assert_eq!(made["token_id"].as_str().unwrap().len(), 64);
        assert_eq!(
            chat(&gw, &key, None).await,
            200,
            "the auto-created key works"
        );

        let no_key = ok(gw.post("/user/new", &json!({"user_id": "u-2", "auto_create_key": false, "user_role": "internal_user_viewer"})).await).await;
        assert_eq!(no_key["key"], "");
        assert_eq!(no_key["token_id"], Value::Null);

        let info = ok(gw.get("/user/info?user_id=u-1").await).await;
        assert_eq!(info["user_id"], "u-1");
        assert_eq!(info["user_info"]["user_alias"], "Una");
        assert_eq!(info["user_info"]["metadata"]["dept"], "ml");
        assert_eq!(info["keys"][0]["token"], made["token_id"]);
        assert_eq!(info["keys"][0]["key_alias"], "una-key");
        assert_eq!(info["teams"][0]["team_id"], "tu");
        assert_eq!(info["teams"][0]["members_with_roles"][0]["user_id"], "u-1");
        // The user's own key reads their own info, not someone else's.
        assert_eq!(
            ok(gw
                .client
                .get(gw.url("/user/info"))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap())
            .await["user_id"],
            "u-1"
        );
        let other = gw
            .client
            .get(gw.url("/user/info?user_id=u-2"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 403);

        let by_id = ok(gw
            .post("/user/update", &json!({"user_id": "u-1", "user_alias": "Uma", "max_budget": null, "user_role": "proxy_admin_viewer"}))
            .await)
        .await;
        assert_eq!(by_id["user_id"], "u-1");
        assert_eq!(by_id["data"]["user_alias"], "Uma");
        assert_eq!(by_id["data"]["max_budget"], Value::Null);
        assert_eq!(by_id["data"]["user_role"], "proxy_admin_viewer");
        assert_eq!(by_id["data"]["models"], json!(["demo"]));
        let by_email = ok(gw
            .post(
                "/user/update",
                &json!({"user_email": "u1@example.com", "tpm_limit": 3, "rpd_limit": 30, "tpd_limit": 300}),
            )
            .await)
        .await;
        assert_eq!(by_email["data"]["tpm_limit"], 3);
        assert_eq!(by_email["data"]["rpd_limit"], 30);
        assert_eq!(by_email["data"]["tpd_limit"], 300);
        assert_eq!(by_email["user_id"], "u-1");

        let page = ok(gw
            .get("/user/list?page_size=1&sort_by=user_id&sort_order=desc")
            .await)
        .await;
        assert_eq!(page["total"], 2);
        assert_eq!(page["total_pages"], 2);
        assert_eq!(page["page_size"], 1);
        assert_eq!(page["users"][0]["user_id"], "u-2");
        assert_eq!(page["users"][0]["key_count"], 0);
        let filtered = ok(gw
            .get("/user/list?user_email=EXAMPLE&team=tu&role=proxy_admin_viewer")
            .await)
        .await;
        assert_eq!(filtered["total"], 1);
        assert_eq!(filtered["users"][0]["key_count"], 1);
        assert_eq!(
            ok(gw.get("/user/list?user_ids=u-2,nobody").await).await["total"],
            1
        );

        let deleted = ok(gw.post("/user/delete", &json!({"user_ids": ["u-1"]})).await).await;
        assert_eq!(
            deleted,
            json!({"deleted_users": ["u-1"], "deleted_keys": 1})
        );
        assert_eq!(chat(&gw, &key, None).await, 401);
        assert_eq!(fails(gw.get("/user/info?user_id=u-1").await).await.0, 404);
        let team = ok(gw.get("/team/info?team_id=tu").await).await;
        assert_eq!(team["team_memberships"], json!([]));
        let org = ok(gw.get("/organization/info?organization_id=ou").await).await;
        assert_eq!(org["members"], json!([]));
        gw.stop().await;
    }
}

// Bad input on every user route gets a 400 (or 404 for an unknown user) naming the problem,
// and a refused creation leaves no user, membership or key behind.
#[tokio::test]
async fn user_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw.post("/team/new", &json!({"team_id": "tu"})).await).await;
        ok(gw.post("/user/new", &json!({"user_id": "taken", "user_email": "taken@example.com", "key_alias": "taken-key"})).await).await;
        refuses(
            &gw,
            db.backend,
            vec![
                ("POST", "/user/new", json!({"user_role": "god"}), 400, "god"),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "taken"}),
                    400,
                    "already exists",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_email": "TAKEN@example.com"}),
                    400,
                    "already exists",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["no-team"]}),
                    400,
                    "no-team",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": [{"team_id": "tu", "user_role": "owner"}]}),
                    400,
                    "owner",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["tu"], "organizations": ["no-org"]}),
                    400,
                    "no-org",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["tu"], "key_alias": "taken-key"}),
                    400,
                    "key_alias",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"max_budget": -1}),
                    400,
                    "max_budget",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"max_budget": "lots"}),
                    400,
                    "invalid type",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"budget_duration": "x"}),
                    400,
                    "budget_duration",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["tu"], "duration": "forever"}),
                    400,
                    "duration",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"models": "demo"}),
                    400,
                    "invalid type",
                ),
                ("POST", "/user/new", json!({"teams": [7]}), 400, "teams"),
                (
                    "POST",
                    "/user/update",
                    json!({"user_alias": "x"}),
                    400,
                    "user id or user email",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "ghost"}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "taken", "user_role": "god"}),
                    400,
                    "god",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "taken", "tpm_limit": -1}),
                    400,
                    "invalid value",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "taken", "soft_budget": -1}),
                    400,
                    "soft_budget",
                ),
                (
                    "POST",
                    "/user/delete",
                    json!({"user_ids": []}),
                    400,
                    "user_ids",
                ),
                (
                    "POST",
                    "/user/delete",
                    json!({"user_ids": ["taken", "ghost"]}),
                    404,
                    "ghost",
                ),
                ("GET", "/user/info?user_id=ghost", json!(null), 404, "ghost"),
                ("GET", "/user/info", json!(null), 400, "user_id"),
                (
                    "GET",
                    "/user/list?page_size=500",
                    json!(null),
                    400,
                    "page_size",
                ),
                (
                    "GET",
                    "/user/list?page=abc",
                    json!(null),
                    400,
                    "query string",
                ),
                (
                    "GET",
                    "/user/list?sort_by=password",
                    json!(null),
                    400,
                    "sort_by",
                ),
                (
                    "GET",
                    "/user/list?sort_order=sideways",
                    json!(null),
                    400,
                    "sort_order",
                ),
                ("GET", "/user/list?role=god", json!(null), 400, "god"),
            ],
        )
        .await;
        let users = ok(gw.get("/user/list").await).await;
        assert_eq!(users["total"], 1, "only the first user exists: {users}");
        assert_eq!(
            ok(gw.get("/team/info?team_id=tu").await).await["team_memberships"],
            json!([])
        );
        let keys = ok(gw.get("/user/info?user_id=taken").await).await["keys"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(keys, 1);
        gw.stop().await;
    }
}

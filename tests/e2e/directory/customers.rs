//! `/customer/*` (and `/end_user/*`): the lifecycle and bad input.

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

use super::{chat, fails, ok, refuses};

// An end user's lifecycle: created with a budget, region and default model; read (also under
// `/end_user/*`), updated, blocked and unblocked (taking effect on requests at once), deleted.
#[tokio::test]
async fn customer_lifecycle() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let key = ok(gw.post("/key/generate", &json!({})).await).await["key"]
            .as_str()
            .unwrap()
            .to_owned();
        let made = ok(gw
            .post(
                "/customer/new",
                &json!({
                    "user_id": "c1", "alias": "Cee", "max_budget": 2.0, "budget_duration": "1d",
                    "allowed_model_region": "eu", "default_model": "demo", "metadata": {"plan": "free"},
                    "tpd_limit": 100000
                }),
            )
            .await)
        .await;
        assert_eq!(made["user_id"], "c1", "{}", db.backend);
        assert_eq!(made["alias"], "Cee");
        assert_eq!(made["blocked"], false);
        assert_eq!(made["spend"], 0.0);
        assert_eq!(made["allowed_model_region"], "eu");
        assert_eq!(made["default_model"], "demo");
        assert_eq!(made["litellm_budget_table"]["max_budget"], 2.0);
        assert_eq!(made["tpd_limit"], 100000);
        assert!(made["budget_reset_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            ok(gw.get("/customer/info?end_user_id=c1").await).await["alias"],
            "Cee"
        );
        assert_eq!(
            ok(gw.get("/end_user/info?end_user_id=c1").await).await["alias"],
            "Cee"
        );
        assert_eq!(chat(&gw, &key, Some("c1")).await, 200);

        let updated = ok(gw
            .post(
                "/customer/update",
                &json!({"user_id": "c1", "alias": "Sea", "max_budget": null, "blocked": true, "tpd_limit": null}),
            )
            .await)
        .await;
        assert_eq!(updated["alias"], "Sea");
        assert_eq!(updated["max_budget"], Value::Null);
        assert_eq!(updated["tpd_limit"], Value::Null);
        assert_eq!(updated["litellm_budget_table"]["budget_duration"], "1d");
        assert_eq!(chat(&gw, &key, Some("c1")).await, 403, "blocked by update");
        ok(gw
            .post(
                "/customer/update",
                &json!({"user_id": "c1", "blocked": false}),
            )
            .await)
        .await;
        assert_eq!(chat(&gw, &key, Some("c1")).await, 200);

        let blocked = ok(gw
            .post("/customer/block", &json!({"user_ids": ["c1", "c2"]}))
            .await)
        .await;
        assert_eq!(
            blocked["blocked_users"].as_array().unwrap().len(),
            2,
            "unknown ids are created blocked"
        );
        assert_eq!(chat(&gw, &key, Some("c1")).await, 403);
        assert_eq!(chat(&gw, &key, Some("c2")).await, 403);
        let unblocked = ok(gw
            .post("/customer/unblock", &json!({"user_ids": ["c1"]}))
            .await)
        .await;
        assert_eq!(unblocked["blocked_users"], json!(["c2"]));
        assert_eq!(unblocked["unblocked_users"][0]["user_id"], "c1");
        assert_eq!(chat(&gw, &key, Some("c1")).await, 200);
        assert_eq!(
            ok(gw.get("/customer/list").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let deleted = ok(gw
            .post("/customer/delete", &json!({"user_ids": ["c1", "c2"]}))
            .await)
        .await;
        assert_eq!(deleted["deleted_customers"], 2);
        assert!(deleted["message"].as_str().unwrap().contains("c1"));
        assert_eq!(
            fails(gw.get("/customer/info?end_user_id=c1").await).await.0,
            404
        );
        assert_eq!(ok(gw.get("/customer/list").await).await, json!([]));
        gw.stop().await;
    }
}

// Bad input on every customer route is refused with a clear message and changes nothing.
#[tokio::test]
async fn customer_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw.post("/customer/new", &json!({"user_id": "keep"})).await).await;
        refuses(
            &gw,
            db.backend,
            vec![
                (
                    "POST",
                    "/customer/new",
                    json!({"alias": "x"}),
                    400,
                    "user_id",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "keep"}),
                    400,
                    "already exists",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "max_budget": 1, "budget_id": "b"}),
                    400,
                    "not both",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "allowed_model_region": "mars"}),
                    400,
                    "allowed_model_region",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "default_model": "gpt-99"}),
                    400,
                    "gpt-99",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "max_budget": -1}),
                    400,
                    "max_budget",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "budget_duration": "daily"}),
                    400,
                    "budget_duration",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "blocked": "no"}),
                    400,
                    "invalid type",
                ),
                (
                    "POST",
                    "/customer/update",
                    json!({"user_id": "ghost", "alias": "x"}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/customer/update",
                    json!({"user_id": "keep", "allowed_model_region": "moon"}),
                    400,
                    "allowed_model_region",
                ),
                (
                    "POST",
                    "/customer/update",
                    json!({"user_id": "keep", "rpm_limit": -1}),
                    400,
                    "invalid value",
                ),
                (
                    "POST",
                    "/customer/delete",
                    json!({"user_ids": []}),
                    400,
                    "user_ids",
                ),
                (
                    "POST",
                    "/customer/delete",
                    json!({"user_ids": ["keep", "ghost"]}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/customer/unblock",
                    json!({"user_ids": ["ghost"]}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/customer/block",
                    json!({"user_ids": "keep"}),
                    400,
                    "invalid type",
                ),
                ("GET", "/customer/info", json!(null), 400, "end_user_id"),
                (
                    "GET",
                    "/customer/info?end_user_id=ghost",
                    json!(null),
                    404,
                    "ghost",
                ),
            ],
        )
        .await;
        let all = ok(gw.get("/customer/list").await).await;
        assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
        assert_eq!(all[0]["alias"], Value::Null);
        gw.stop().await;
    }
}

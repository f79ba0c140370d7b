//! `/organization/*`: the lifecycle and bad input.

use serde_json::json;
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};

use super::{chat, fails, ok, refuses};

// An organization's lifecycle: created, given members (created as users when new) and teams,
// read, listed, updated (PATCH and POST), blocked, and deleted with its teams and keys.
#[tokio::test]
async fn organization_lifecycle() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let org = ok(gw
            .post(
                "/organization/new",
                &json!({
                    "organization_id": "acme", "organization_alias": "Acme", "models": ["demo"],
                    "max_budget": 100.0, "budget_duration": "30d", "metadata": {"tier": "gold"},
                    "object_permission": {"mcp_access_groups": ["dev"]}, "rpd_limit": 10
                }),
            )
            .await)
        .await;
        assert_eq!(org["organization_id"], "acme", "{}", db.backend);
        assert_eq!(org["organization_alias"], "Acme");
        assert_eq!(org["litellm_budget_table"]["max_budget"], 100.0);
        assert_eq!(org["litellm_budget_table"]["budget_duration"], "30d");
        assert_eq!(org["rpd_limit"], 10);
        assert_eq!(org["litellm_budget_table"]["rpd_limit"], 10);
        assert_eq!(
            org["object_permission"]["mcp_access_groups"],
            json!(["dev"])
        );
        assert_eq!(org["members"], json!([]));
        assert_eq!(org["spend"], 0.0);
        ok(gw
            .post(
                "/team/new",
                &json!({"team_id": "acme-t", "organization_id": "acme"}),
            )
            .await)
        .await;
        let team_key = ok(gw
            .post("/key/generate", &json!({"team_id": "acme-t"}))
            .await)
        .await["key"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(chat(&gw, &team_key, None).await, 200);

        let added = ok(gw
            .post(
                "/organization/member_add",
                &json!({
                    "organization_id": "acme",
                    "member": [{"user_id": "o1", "role": "org_admin"}, {"user_email": "o2@example.com", "role": "internal_user"}],
                    "max_budget_in_organization": 20.0
                }),
            )
            .await)
        .await;
        assert_eq!(added["organization_id"], "acme");
        assert_eq!(added["updated_users"].as_array().unwrap().len(), 2);
        assert_eq!(added["updated_users"][1]["user_email"], "o2@example.com");
        assert_eq!(
            added["updated_organization_memberships"][0]["user_role"],
            "org_admin"
        );
        assert_eq!(
            added["updated_organization_memberships"][0]["max_budget_in_organization"],
            20.0
        );
        let single = ok(gw.post("/organization/member_add", &json!({"organization_id": "acme", "member": {"user_id": "o3", "role": "internal_user_viewer"}})).await).await;
        assert_eq!(single["updated_users"][0]["user_id"], "o3");

        let info = ok(gw.get("/organization/info?organization_id=acme").await).await;
        assert_eq!(info["members"].as_array().unwrap().len(), 3);
        assert_eq!(info["teams"][0]["team_id"], "acme-t");
        let many = ok(gw
            .post(
                "/organization/info",
                &json!({"organizations": ["acme", "other"]}),
            )
            .await)
        .await;
        assert_eq!(many.as_array().unwrap().len(), 1);
        let o1 = ok(gw.get("/user/info?user_id=o1").await).await;
        assert_eq!(
            o1["user_info"]["organization_memberships"][0]["user_role"],
            "org_admin"
        );

        let patched = ok(gw
            .client
            .patch(gw.url("/organization/update"))
            .bearer_auth(MASTER_KEY)
            .json(&json!({"organization_id": "acme", "organization_alias": "Acme 2", "max_budget": 50.0, "metadata": null, "tpd_limit": 700}))
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(patched["organization_alias"], "Acme 2");
        assert_eq!(patched["max_budget"], 50.0);
        assert_eq!(patched["rpd_limit"], 10);
        assert_eq!(patched["tpd_limit"], 700);
        assert_eq!(patched["metadata"], json!({}));
        assert_eq!(patched["models"], json!(["demo"]));
        let blocked = ok(gw
            .post(
                "/organization/update",
                &json!({"organization_id": "acme", "blocked": true}),
            )
            .await)
        .await;
        assert_eq!(blocked["blocked"], true);
        assert_eq!(
            chat(&gw, &team_key, None).await,
            401,
            "a blocked organization's keys are refused"
        );
        ok(gw
            .post(
                "/organization/update",
                &json!({"organization_id": "acme", "blocked": false}),
            )
            .await)
        .await;
        assert_eq!(chat(&gw, &team_key, None).await, 200);

        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_alias": "Generated"}),
            )
            .await)
        .await;
        assert_eq!(
            ok(gw.get("/organization/list").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let deleted = ok(gw
            .client
            .delete(gw.url("/organization/delete"))
            .bearer_auth(MASTER_KEY)
            .json(&json!({"organization_ids": ["acme"]}))
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(deleted[0]["organization_id"], "acme");
        assert_eq!(deleted[0]["teams"][0]["team_id"], "acme-t");
        assert_eq!(chat(&gw, &team_key, None).await, 401);
        assert_eq!(
            fails(gw.get("/team/info?team_id=acme-t").await).await.0,
            404
        );
        assert_eq!(
            fails(gw.get("/organization/info?organization_id=acme").await)
                .await
                .0,
            404
        );
        let o1 = ok(gw.get("/user/info?user_id=o1").await).await;
        assert_eq!(o1["user_info"]["organization_memberships"], json!([]));
        assert_eq!(
            ok(gw.get("/organization/list").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        gw.stop().await;
    }
}

// Bad input on every organization route is refused with a clear message and changes nothing.
#[tokio::test]
async fn organization_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_id": "keep", "organization_alias": "Keep"}),
            )
            .await)
        .await;
        ok(gw.post("/organization/member_add", &json!({"organization_id": "keep", "member": {"user_id": "m1", "role": "internal_user"}})).await).await;
        refuses(
            &gw,
            db.backend,
            vec![
                ("POST", "/organization/new", json!({"models": []}), 400, "organization_alias"),
                ("POST", "/organization/new", json!({"organization_id": "keep", "organization_alias": "x"}), 400, "already exists"),
                ("POST", "/organization/new", json!({"organization_alias": "x", "max_budget": -1}), 400, "max_budget"),
                ("POST", "/organization/new", json!({"organization_alias": "x", "budget_duration": "2 weeks"}), 400, "budget_duration"),
                ("POST", "/organization/new", json!({"organization_alias": 5}), 400, "invalid type"),
                ("PATCH", "/organization/update", json!({"organization_id": "ghost", "organization_alias": "x"}), 404, "ghost"),
                ("PATCH", "/organization/update", json!({"organization_id": "keep", "tpm_limit": "many"}), 400, "invalid type"),
                ("PATCH", "/organization/update", json!({"organization_id": "keep", "tpd_limit": -1}), 400, "invalid value"),
                ("PATCH", "/organization/update", json!({"organization_id": "keep", "max_budget": -5}), 400, "max_budget"),
                ("DELETE", "/organization/delete", json!({"organization_ids": ["keep", "ghost"]}), 404, "ghost"),
                ("DELETE", "/organization/delete", json!({"organization_ids": []}), 400, "organization_ids"),
                ("POST", "/organization/member_add", json!({"organization_id": "ghost", "member": {"user_id": "a", "role": "internal_user"}}), 404, "ghost"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": {"user_id": "new-1", "role": "boss"}}), 400, "boss"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": [{"user_id": "new-1", "role": "internal_user"}, {"user_id": "m1", "role": "internal_user"}]}), 400, "already in organization"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": {"role": "internal_user"}}), 400, "user id or user email"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": {"user_id": "new-1", "role": "internal_user"}, "max_budget_in_organization": -1}), 400, "max_budget_in_organization"),
                ("GET", "/organization/info", json!(null), 400, "organization_id"),
                ("GET", "/organization/info?organization_id=ghost", json!(null), 404, "ghost"),
                ("POST", "/organization/info", json!({"organizations": []}), 400, "organizations"),
            ],
        )
        .await;
        let orgs = ok(gw.get("/organization/list").await).await;
        assert_eq!(orgs.as_array().unwrap().len(), 1);
        assert_eq!(
            orgs[0]["members"].as_array().unwrap().len(),
            1,
            "no member half-added"
        );
        assert_eq!(
            fails(gw.get("/user/info?user_id=new-1").await).await.0,
            404,
            "no user half-created"
        );
        gw.stop().await;
    }
}
